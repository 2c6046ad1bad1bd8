/**
 * The only code that talks HTTP to Dolibarr. One request = one fetch with the `DOLAPIKEY` header and its own
 * timeout; every body is zod-parsed; every failure becomes a RetryableError or NeedsHumanError (errors.ts).
 * The API key never appears in an error message or a log line (everything passes through `redact`).
 */
import { ExponentialBackoff, fullJitterGenerator, handleWhenResult, retry } from 'cockatiel';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { NeedsHumanError, RetryableError } from '../../common/errors.js';
import { assertLeaseHeld } from '../../common/fence.js';
import { classifyHttpFailure, classifyNetworkFailure, dolibarrDownPage, redact, safePath, unexpectedBody } from './errors.js';
import { WriteSlots } from '../write-slots.js';

/**
 * A write (POST/PUT/DELETE) that Dolibarr may have received and may still commit: our timeout fired, or the
 * connection broke after the request went out. `startedAt` is when the request was sent (epoch ms).
 */
export class WriteOutcomeUnknownError extends RetryableError {
  constructor(from: RetryableError, readonly startedAt: number) {
    super(from.code, from.message, from.options);
  }
}

export const NOT_FOUND: unique symbol = Symbol('dolibarr.not_found');
export const NOT_MODIFIED: unique symbol = Symbol('dolibarr.not_modified');
export type NotFound = typeof NOT_FOUND;
export type NotModified = typeof NOT_MODIFIED;

export interface DolibarrClientOptions {
  /** e.g. `http://erp.example/api/index.php` (trailing slash optional). */
  baseUrl: string;
  apiKey: string;
  /** Per-request timeout in milliseconds. */
  timeoutMs: number;
  /**
   * Writes (POST/PUT/DELETE) in flight at once. Dolibarr deadlocks and races for the next document number under
   * concurrent writes (fixtures README, "Throughput"), so the default is 1; reads are never held back.
   * @defaultValue 1
   */
  writeConcurrency?: number;
  logger?: Logger;
  fetchImpl?: typeof fetch;
}

export type Query = Record<string, string | number | undefined>;

interface RawResponse {
  status: number;
  contentType: string;
  retryAfter: string | null;
  text: string;
}

export class DolibarrClient {
  /** The write slots (`withWriteSlot`); the order lookups watch them to choose their batching window. */
  readonly writeSlots: WriteSlots;
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly opts: DolibarrClientOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = opts.fetchImpl ?? fetch;
    this.writeSlots = new WriteSlots(opts.writeConcurrency ?? 1);
  }

  /** The web UI root (the API base without `/api/index.php`), for document links. */
  get webRoot(): string {
    return this.base.replace(/\/api\/index\.php$/, '');
  }

  async get<S extends z.ZodType>(path: string, query: Query, schema: S): Promise<z.output<S>> {
    const raw = await this.send('GET', path, query, undefined);
    return this.parse('GET', path, this.expectOk('GET', path, raw), schema);
  }

  /** GET where 404 means "no such object" rather than an error. */
  async find<S extends z.ZodType>(path: string, query: Query, schema: S): Promise<z.output<S> | NotFound> {
    const raw = await this.send('GET', path, query, undefined);
    if (raw.status === 404) return NOT_FOUND;
    return this.parse('GET', path, this.expectOk('GET', path, raw), schema);
  }

  async post<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.output<S>> {
    const raw = await this.send('POST', path, {}, body);
    return this.parse('POST', path, this.expectOk('POST', path, raw), schema);
  }

  /** POST where 304 (empty body) means "already done", e.g. re-validating a validated order. */
  async postIdempotent<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.output<S> | NotModified> {
    const raw = await this.send('POST', path, {}, body);
    if (raw.status === 304) return NOT_MODIFIED;
    return this.parse('POST', path, this.expectOk('POST', path, raw), schema);
  }

  /** PUT (an update); the answer (the whole object) is not read. */
  async put(path: string, body: unknown): Promise<void> {
    const raw = await this.send('PUT', path, {}, body);
    this.expectOk('PUT', path, raw);
  }

  /** DELETE where 404 means "already gone". */
  async delete(path: string): Promise<'deleted' | NotFound> {
    const raw = await this.send('DELETE', path, {}, undefined);
    if (raw.status === 404) return NOT_FOUND;
    this.expectOk('DELETE', path, raw);
    return 'deleted';
  }

  /**
   * Runs `fn` holding one write slot: its reads and writes go out one after the other while no other write of this
   * client runs (a lookup that decides to create and the create itself happen under the same slot). Writes inside
   * `fn` must be sequential (awaited one by one).
   */
  withWriteSlot<T>(fn: () => Promise<T>): Promise<T> {
    return this.writeSlots.run(fn);
  }

  private expectOk(method: string, path: string, raw: RawResponse): string {
    const shown = safePath(path);
    if (raw.status >= 200 && raw.status < 300) {
      const down = dolibarrDownPage(method, shown, raw.status, raw.contentType, raw.text);
      if (!down) return raw.text;
      this.opts.logger?.warn({ method, path: shown, status: raw.status, code: down.code }, 'dolibarr answered its error page');
      throw down;
    }
    const err = classifyHttpFailure({ method, path: shown, status: raw.status, contentType: raw.contentType, bodyText: raw.text, retryAfter: raw.retryAfter });
    this.opts.logger?.warn({ method, path: shown, status: raw.status, code: err.code }, 'dolibarr request failed');
    throw this.scrub(err);
  }

  private parse<S extends z.ZodType>(method: string, path: string, text: string, schema: S): z.output<S> {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw unexpectedBody(method, safePath(path), `not JSON: ${redact(text.slice(0, 80), this.opts.apiKey)}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw unexpectedBody(method, safePath(path), parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 300));
    return parsed.data;
  }

  /**
   * Reads go straight out; a write waits for its slot, then asks the lease fence immediately before sending. A write
   * Dolibarr refused for a deadlock or a lost race for the next document number was rolled back whole (MariaDB
   * rolls back the deadlocked transaction; Dolibarr's create/validate roll back on error), so it is sent again at
   * once, a few times, still holding its slot (with one slot they come from other writers: another sidecar, people in Dolibarr's UI).
   */
  private async send(method: string, path: string, query: Query, body: unknown): Promise<RawResponse> {
    if (method === 'GET') return this.exchange(method, path, query, body);
    return this.withWriteSlot(() => conflictResend.execute(async ({ attempt }) => {
      assertLeaseHeld();
      if (attempt > 0) this.opts.logger?.debug({ method, path: safePath(path), attempt }, 'dolibarr write conflict (deadlock or number race), sent again');
      return this.exchange(method, path, query, body);
    }));
  }

  private async exchange(method: string, path: string, query: Query, body: unknown): Promise<RawResponse> {
    const url = this.url(path, query);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; controller.abort(); }, this.opts.timeoutMs);
    const started = Date.now();
    try {
      const res = await this.fetchImpl(url, {
        method,
        headers: this.headers(body !== undefined),
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
      });
      const text = await res.text();
      this.opts.logger?.debug({ method, path: safePath(path), status: res.status, ms: Date.now() - started }, 'dolibarr request');
      return { status: res.status, contentType: res.headers.get('content-type') ?? '', retryAfter: res.headers.get('retry-after'), text };
    } catch (cause) {
      const err = this.scrub(classifyNetworkFailure(method, safePath(path), cause, timedOut, this.opts.timeoutMs));
      throw method !== 'GET' && !refused(cause) ? new WriteOutcomeUnknownError(err, started) : err;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * `Accept-Encoding: identity`: Dolibarr 20's api/index.php compresses every answer whenever the header names gzip
   * (as fetch's default does), with `gzencode(…, 9)`: CPU on the ERP's host (and ours to inflate) for nothing on a
   * local network. Without an algorithm it names, Dolibarr sends the answer as it is.
   */
  private headers(withBody: boolean): Record<string, string> {
    const h: Record<string, string> = { Accept: 'application/json', 'Accept-Encoding': 'identity', DOLAPIKEY: this.opts.apiKey };
    if (withBody) h['Content-Type'] = 'application/json';
    return h;
  }

  private url(path: string, query: Query): string {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.set(k, String(v));
    const s = qs.toString();
    return `${this.base}${path}${s === '' ? '' : `?${s}`}`;
  }

  /** Rebuilds the error with the key removed from its message (the cause is dropped: it may hold the URL). */
  private scrub<E extends RetryableError | NeedsHumanError>(err: E): E {
    const clean = redact(err.message, this.opts.apiKey);
    if (err instanceof RetryableError) {
      const { cause: _cause, ...options } = err.options;
      return new RetryableError(err.code, clean, options) as E;
    }
    const details = JSON.parse(redact(JSON.stringify(err.details), this.opts.apiKey)) as Record<string, unknown>;
    return new NeedsHumanError(err.code, clean, details) as E;
  }
}

function isWriteConflict(raw: RawResponse): boolean {
  if (raw.status < 500) return false;
  const code = classifyHttpFailure({ method: 'POST', path: '', status: raw.status, contentType: raw.contentType, bodyText: raw.text, retryAfter: raw.retryAfter }).code;
  return code === 'erp_deadlock' || code === 'erp_ref_race';
}

/**
 * A write Dolibarr answered with a deadlock or a document-number race (rolled back, safe to resend) is sent again
 * after a few jittered milliseconds, up to 4 sends in all; the last answer is returned as it is.
 */
const conflictResend = retry(handleWhenResult((r) => isWriteConflict(r as RawResponse)), {
  maxAttempts: 3,
  backoff: new ExponentialBackoff({ generator: fullJitterGenerator, initialDelay: 20, maxDelay: 80 }),
});

/** The connection was refused: the request never reached Dolibarr. */
function refused(cause: unknown): boolean {
  const inner = cause instanceof Error ? (cause as Error & { cause?: unknown }).cause : undefined;
  return inner instanceof Error && (inner as Error & { code?: unknown }).code === 'ECONNREFUSED';
}

/** Percent-encodes one path segment; `+` becomes `%2B` (unencoded it reads as a space, fixture 92j). */
export function segment(value: string | number): string {
  return encodeURIComponent(String(value));
}
