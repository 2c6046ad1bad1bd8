/**
 * Maps Dolibarr 20.0.2 failures (see ../shared/fixtures/dolibarr/9*.json and the README there) to the engine's
 * two error classes. Pure functions: the client hands in what came off the wire, nothing here does I/O.
 *
 * Decision on 401: a rejected API key is a RetryableError `erp_auth` with `erpDown: true`, not a NeedsHumanError.
 * A bad key affects every order at once; as NeedsHuman each order would be dead-lettered one by one and the
 * admin would have to re-queue them all after fixing the key. As "ERP down" the circuit breaker opens, every
 * order waits, the half-open `ping()` keeps failing with the same message ("check the API key") until the key
 * is fixed, and then the backlog drains by itself. The message tells the admin what to do.
 */
import { z } from 'zod';
import { NeedsHumanError, RetryableError } from '../../common/errors.js';

export interface HttpFailure {
  method: string;
  /** Path below the API base, without the query string (never contains the key). */
  path: string;
  status: number;
  contentType: string;
  bodyText: string;
  retryAfter: string | null;
}

const RestlerError = z.object({
  error: z.object({ code: z.number().optional(), message: z.string().optional() }).catchall(z.unknown()),
});

/** The human part of a Dolibarr error body: Restler JSON, a PHP HTML error page, or plain text (501). */
export function dolibarrMessage(bodyText: string, contentType: string): string {
  if (contentType.includes('json') || bodyText.trimStart().startsWith('{')) {
    try {
      const parsed = RestlerError.safeParse(JSON.parse(bodyText));
      if (parsed.success) {
        const extra = parsed.data.error['0'];
        const main = parsed.data.error.message ?? '';
        return typeof extra === 'string' && extra !== '' ? `${main} (${extra})` : main;
      }
    } catch {
      /* not JSON after all: fall through to text handling */
    }
  }
  return squeeze(bodyText.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, ' ').replace(/<[^>]+>/g, ' '));
}

function squeeze(text: string): string {
  const flat = text.replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > 400 ? `${flat.slice(0, 400)}…` : flat;
}

/** Retry-After as seconds or an HTTP date, in milliseconds from `now`. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const DEADLOCK = /deadlock/i;
const REF_RACE = /Duplicate entry.*uk_commande_ref/is;
const SQL_ERROR = /error in your SQL syntax|SQL error/i;
/** Dolibarr's main.inc.php WAF: a URL path with ' ( or ) answers 403 text/html "… SQL or Script injection protection …". */
const INJECTION_GUARD = /injection protection/i;
const PERMANENT_500 = /foreign key constraint|AlreadyExists|already exists/i;

/** Classifies a non-2xx answer (404 and 304 are handled by the client before this). */
export function classifyHttpFailure(f: HttpFailure): RetryableError | NeedsHumanError {
  const msg = dolibarrMessage(f.bodyText, f.contentType);
  const where = `${f.method} ${f.path}`;
  const text = `Dolibarr answered ${f.status} to ${where}: ${msg || '(empty body)'}`;
  if (DEADLOCK.test(msg)) return new RetryableError('erp_deadlock', text, { erpDown: false });
  if (REF_RACE.test(msg)) return new RetryableError('erp_ref_race', text, { erpDown: false });
  if (f.status === 429) {
    const retryAfterMs = parseRetryAfter(f.retryAfter);
    return new RetryableError('erp_rate_limited', text, retryAfterMs === undefined ? {} : { retryAfterMs });
  }
  if (f.status === 401) {
    return new RetryableError('erp_auth',
      `Dolibarr rejected the API key (401) on ${where}. Check the Dolibarr API key in Syncline's settings ` +
      `(the Dolibarr user must exist, be active and have an API key). ${msg}`, { erpDown: true });
  }
  return classifyByStatus(f, msg, text);
}

function classifyByStatus(f: HttpFailure, msg: string, text: string): RetryableError | NeedsHumanError {
  const details = { status: f.status, method: f.method, path: f.path, dolibarrMessage: msg };
  if (f.status === 403 && INJECTION_GUARD.test(msg)) {
    return new NeedsHumanError('erp_refused_value',
      `Dolibarr's injection protection refused ${f.method} ${f.path} (it refuses ' ( and ) in a URL path). Use references without those characters.`, details);
  }
  if (f.status === 403) {
    return new NeedsHumanError('erp_forbidden', `${text}. Give the Dolibarr API user the rights for this module.`, details);
  }
  if (f.status === 501) {
    return new NeedsHumanError('erp_unsupported', `${text}. Is the Dolibarr module for this API enabled?`, details);
  }
  if (f.status === 500 && PERMANENT_500.test(msg)) return new NeedsHumanError('erp_rejected', text, details);
  if (f.status === 503 && SQL_ERROR.test(msg)) return new RetryableError('erp_sql_error', text, { erpDown: false });
  if ([502, 503, 504].includes(f.status)) return new RetryableError('erp_unavailable', text, { erpDown: true });
  if (f.status >= 500) return new RetryableError('erp_server_error', text, { erpDown: false });
  return new NeedsHumanError('erp_rejected', text, details);
}

/** A fetch that never produced a response: refused, reset, DNS, or our own timeout. */
export function classifyNetworkFailure(method: string, path: string, cause: unknown, timedOut: boolean, timeoutMs: number): RetryableError {
  if (timedOut) {
    return new RetryableError('erp_timeout', `Dolibarr did not answer ${method} ${path} within ${timeoutMs} ms`, { erpDown: true });
  }
  const reason = networkReason(cause);
  return new RetryableError('erp_unreachable', `Could not reach Dolibarr for ${method} ${path}: ${reason}`, { erpDown: true });
}

function networkReason(cause: unknown): string {
  if (!(cause instanceof Error)) return 'network error';
  const inner = (cause as Error & { cause?: unknown }).cause;
  const code = inner instanceof Error ? (inner as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' ? `${cause.message} (${code})` : cause.message;
}

/**
 * Dolibarr answers a 2xx with an HTML page ("This website or feature is currently temporarily not available or failed
 * after a technical error", `dol_print_error`) when it cannot reach its own database: the ERP is down, not our data.
 */
const DOLIBARR_DOWN_PAGE = /temporarily not available|Failed to connect to (the )?database|Error connecting to database/i;

export function dolibarrDownPage(method: string, path: string, status: number, contentType: string, bodyText: string): RetryableError | undefined {
  if (contentType.includes('json') || !DOLIBARR_DOWN_PAGE.test(bodyText.slice(0, 4000))) return undefined;
  return new RetryableError('erp_unavailable', `Dolibarr answered ${method} ${path} with ${status} and its "temporarily not available" page (its database is unreachable)`, { erpDown: true });
}

/** The answer could not be read as the shape Dolibarr 20 sends (wrong URL, a proxy page, a newer API). */
export function unexpectedBody(method: string, path: string, issue: string): NeedsHumanError {
  return new NeedsHumanError('erp_unexpected_response',
    `Dolibarr's answer to ${method} ${path} did not have the expected shape (${issue}). Check the Dolibarr URL and version.`,
    { method, path });
}

/**
 * A request path fit for error messages and logs: a segment that carries an e-mail address (the by-email customer
 * lookup, `/thirdparties/email/jane%40example.com`) becomes `<e-mail>`. Customer e-mails never reach a log line.
 */
export function safePath(path: string): string {
  return path.split('/').map((s) => (/@|%40/i.test(s) ? '<e-mail>' : s)).join('/');
}

/** Removes the API key from any text before it leaves the client. */
export function redact(text: string, secret: string): string {
  if (secret.length < 4) return text;
  return text.split(secret).join('<redacted>').split(encodeURIComponent(secret)).join('<redacted>');
}
