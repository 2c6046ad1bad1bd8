/**
 * The only code that talks to Odoo: JSON-RPC 2.0 over `POST <url>/jsonrpc` (`common.version`,
 * `common.authenticate`, `object.execute_kw`), one fetch per call with its own timeout. Every result is
 * zod-parsed; every failure becomes a RetryableError or NeedsHumanError (errors.ts). The password or API key is
 * only ever in request bodies, never in an error or a log line.
 *
 * Writes (any method that is not a known read) wait for a write slot and ask the lease fence right before they go
 * out; `withWriteSlot` lets a lookup that decides to create and the create share one slot.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import { RetryableError } from '../../common/errors.js';
import { assertLeaseHeld } from '../../common/fence.js';
import { OdooFault, classifyFault, classifyHttpStatus, classifyNetworkFailure, refused, unexpectedResult } from './errors.js';
import { WriteSlots } from '../write-slots.js';

export interface OdooClientOptions {
  /** Site root, e.g. `https://erp.example` (the client posts to `/jsonrpc`). */
  url: string;
  /** Database name. */
  db: string;
  /** The integration user's login. */
  login: string;
  /** Its API key (or password). Never logged. */
  apiKey: string;
  timeoutMs: number;
  /** Writes in flight at once. @defaultValue 1 */
  writeConcurrency?: number;
  logger?: Logger;
  fetchImpl?: typeof fetch;
}

/** A write Odoo may have received and may still commit (timeout, broken connection after sending). */
export class WriteOutcomeUnknownError extends RetryableError {
  constructor(from: RetryableError, readonly startedAt: number) {
    super(from.code, from.message, from.options);
  }
}

/** Methods that only read: never held back by the write slot, never fenced. */
const READS = new Set(['search', 'search_read', 'search_count', 'read', 'read_group', 'fields_get', 'name_search', 'check_access_rights', 'default_get']);

const Envelope = z.object({ jsonrpc: z.literal('2.0').optional(), id: z.unknown().optional(), result: z.unknown().optional(), error: OdooFault.optional() });

export const ServerVersion = z.object({ server_version: z.string(), server_serie: z.string(), protocol_version: z.number().optional() });

export class OdooClient {
  /** The write slots (`withWriteSlot`); the order lookups watch them to choose their batching window. */
  readonly writeSlots: WriteSlots;
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;
  private uid: Promise<number> | undefined;
  private nextId = 1;

  constructor(private readonly opts: OdooClientOptions) {
    this.base = opts.url.replace(/\/+$/, '').replace(/\/jsonrpc$/, '');
    this.fetchImpl = opts.fetchImpl ?? fetch;
    this.writeSlots = new WriteSlots(opts.writeConcurrency ?? 1);
  }

  /** The web client root, for document links. */
  get webRoot(): string {
    return this.base;
  }

  /** `common.version` (no login needed). */
  async version(): Promise<z.output<typeof ServerVersion>> {
    return this.parse('common.version', await this.rpc('common', 'version', [], 'common.version'), ServerVersion);
  }

  /** Logs in once per process (and again after Odoo refused the credentials). */
  private login(): Promise<number> {
    this.uid ??= (async () => {
      const what = 'common.authenticate';
      const uid = this.parse(what, await this.rpc('common', 'authenticate', [this.opts.db, this.opts.login, this.opts.apiKey, {}], what), z.union([z.number().int().positive(), z.literal(false)]));
      if (uid === false) {
        throw new RetryableError('erp_auth', `Odoo refused the login "${this.opts.login}" on database "${this.opts.db}" (wrong login, password or API key).`, { erpDown: true });
      }
      return uid;
    })();
    return this.uid.catch((e: unknown) => { this.uid = undefined; throw e; });
  }

  /** `execute_kw(model, method, args, kwargs)`; reads go straight out, writes take a write slot and the fence. */
  async call<S extends z.ZodType>(model: string, method: string, args: unknown[], kwargs: Record<string, unknown>, schema: S): Promise<z.output<S>> {
    const what = `${model}.${method}`;
    const uid = await this.login();
    const send = async (): Promise<unknown> => {
      if (!READS.has(method)) assertLeaseHeld();
      try {
        return await this.rpc('object', 'execute_kw', [this.opts.db, uid, this.opts.apiKey, model, method, args, kwargs], what, !READS.has(method));
      } catch (e) {
        if (e instanceof RetryableError && e.code === 'erp_auth') this.uid = undefined;
        throw e;
      }
    };
    const result = READS.has(method) ? await send() : await this.withWriteSlot(send);
    return this.parse(what, result, schema);
  }

  /** Runs `fn` holding one write slot (its writes must be awaited one by one). */
  withWriteSlot<T>(fn: () => Promise<T>): Promise<T> {
    return this.writeSlots.run(fn);
  }

  private parse<S extends z.ZodType>(what: string, value: unknown, schema: S): z.output<S> {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw unexpectedResult(what, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 300));
    return parsed.data;
  }

  /** One JSON-RPC exchange; a method that returns None answers without a `result` key (→ undefined). */
  private async rpc(service: string, method: string, args: unknown[], what: string, write = false): Promise<unknown> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; controller.abort(); }, this.opts.timeoutMs);
    const started = Date.now();
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const res = await this.fetchImpl(`${this.base}/jsonrpc`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: this.nextId++ }),
        signal: controller.signal,
      });
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      text = await res.text();
    } catch (cause) {
      const err = classifyNetworkFailure(what, cause, timedOut, this.opts.timeoutMs);
      throw write && !refused(cause) ? new WriteOutcomeUnknownError(err, started) : err;
    } finally {
      clearTimeout(timer);
    }
    this.opts.logger?.debug({ call: what, status, ms: Date.now() - started }, 'odoo request');
    if (status !== 200) {
      const seconds = retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : undefined;
      const err = classifyHttpStatus(what, status, seconds);
      this.opts.logger?.warn({ call: what, status, code: err.code }, 'odoo request failed');
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw unexpectedResult(what, `not JSON: ${text.slice(0, 80)}`);
    }
    const env = Envelope.safeParse(json);
    if (!env.success) throw unexpectedResult(what, 'not a JSON-RPC answer');
    if (env.data.error) {
      const err = classifyFault(what, env.data.error);
      this.opts.logger?.warn({ call: what, code: err.code, odooError: env.data.error.data?.name }, 'odoo fault');
      throw err;
    }
    return env.data.result;
  }
}

/** A many2one value as Odoo reads it: `[id, display_name]` or `false`. */
export const Many2one = z.union([z.tuple([z.number().int(), z.string()]), z.literal(false)]);
/** A char field: a string or `false` when empty. */
export const OdooChar = z.union([z.string(), z.literal(false)]).transform((v) => (v === false ? '' : v));
/** An id returned by `create` with one values dict. */
export const CreatedId = z.number().int().positive();
export const Ids = z.array(z.number().int().positive());
