/**
 * Odoo's failures → Syncline's two error classes. Odoo answers JSON-RPC faults with HTTP 200 and
 * `error.data.name` = the Python exception's qualified name (ODOO.md, "JSON-RPC facts"); the name decides:
 * - the ERP or its database is down, busy or the credentials are refused → RetryableError (erpDown where the whole
 *   ERP is affected: the circuit breaker counts it);
 * - Odoo refused the data or the user lacks a right → NeedsHumanError naming Odoo's message (a locked accounting
 *   period → `erp_period_closed`, a missing journal → `erp_settings`, each with what to do in Odoo);
 * - a fault from a method or field that does not exist → NeedsHumanError `erp_incompatible` (wrong Odoo version or a
 *   module missing), never retried.
 * Anything unknown is retried (bounded by `worker.max_attempts`, then `retries_exhausted`).
 */
import { z } from 'zod';
import { NeedsHumanError, RetryableError } from '../../common/errors.js';

export const OdooFault = z.object({
  code: z.number().optional(),
  message: z.string(),
  data: z.object({
    name: z.string(),
    message: z.string(),
    arguments: z.array(z.unknown()).optional(),
  }).partial().optional(),
});
export type OdooFault = z.infer<typeof OdooFault>;

/** Serialization failures, deadlocks and lock timeouts: PostgreSQL rolled the transaction back, safe to resend. */
const CONCURRENCY = /SerializationFailure|could not serialize access|deadlock detected|LockNotAvailable|could not obtain lock|concurrent update/i;
/** The database behind Odoo is unreachable or Odoo's pool is exhausted. */
const DB_DOWN = /OperationalError|InterfaceError|connection (pool|to server)|PoolError|server closed the connection|Connection refused/i;
/** Odoo's lock dates (fiscal year, tax, period): an entry dated in a locked period cannot be posted or changed. */
const LOCKED = /lock date|locked period|period (is )?(closed|locked)|prior to and inclusive of the lock/i;
/** No journal of the kind a document needs (sales, bank, cash). */
const NO_JOURNAL = /no (sales |bank |cash |purchase )?journal|journal (could not be|was not) found|mandatory field is not set.*journal/i;
/** Calls that cannot work on this Odoo: missing model, method or field (another version, a module not installed). */
const INCOMPATIBLE = /^(builtins\.)?(AttributeError|TypeError|KeyError)$|does not exist on the model|Invalid field|Object .* doesn't exist|Invalid model name/i;

export function classifyFault(what: string, fault: OdooFault): RetryableError | NeedsHumanError {
  const name = fault.data?.name ?? '';
  // Odoo's messages run over several lines ("The operation cannot be completed:\n- …\nField: Journal (journal_id)"): keep them whole, on one line.
  const detail = (fault.data?.message ?? fault.message).replace(/\s*\n+\s*/g, ' ').trim().slice(0, 500);
  const text = `Odoo refused ${what}: ${detail}`;
  const details = { odooError: name, odooMessage: detail, call: what };
  if (name === 'odoo.exceptions.AccessDenied') {
    return new RetryableError('erp_auth', `Odoo refused the login or API key for ${what} (Access Denied). Check the ERP user and API key in the sidecar's settings.`, { erpDown: true });
  }
  if (name === 'odoo.http.SessionExpiredException') return new RetryableError('erp_auth', text, { erpDown: true });
  if (CONCURRENCY.test(name) || CONCURRENCY.test(detail)) return new RetryableError('erp_concurrency', text, { erpDown: false });
  if (DB_DOWN.test(name)) return new RetryableError('erp_unavailable', text, { erpDown: true });
  if (name === 'odoo.exceptions.AccessError') {
    return new NeedsHumanError('erp_forbidden', `${text}. Give the Odoo user of the sidecar the rights for this (Sales and Inventory user at least).`, details);
  }
  if (name === 'odoo.exceptions.ValidationError' || name === 'odoo.exceptions.UserError' || name === 'odoo.exceptions.MissingError' || name === 'odoo.exceptions.RedirectWarning') {
    if (LOCKED.test(detail)) {
      return new NeedsHumanError('erp_period_closed', `${text}. The accounting period is locked in Odoo (Accounting → Configuration → Settings → Lock Dates): move the lock date or post the document by hand, then retry.`, details);
    }
    if (NO_JOURNAL.test(detail)) {
      return new NeedsHumanError('erp_settings', `${text}. Odoo is missing a journal this needs (a sales journal for invoices, a bank or cash journal for payments): create it in Accounting → Configuration → Journals, then retry.`, details);
    }
    return new NeedsHumanError('erp_rejected', text, details);
  }
  if (INCOMPATIBLE.test(name) || INCOMPATIBLE.test(detail) || name === 'builtins.ValueError') {
    return new NeedsHumanError('erp_incompatible', `${text}. Is this Odoo 17 with the Sales and Inventory apps installed?`, details);
  }
  return new RetryableError('erp_fault', text, { erpDown: false });
}

/** Non-200 HTTP answers from Odoo's web server (or a proxy in front of it). */
export function classifyHttpStatus(what: string, status: number, retryAfterMs?: number): RetryableError | NeedsHumanError {
  const text = `Odoo answered ${what} with HTTP ${status}`;
  if (status === 429) return new RetryableError('erp_rate_limited', text, retryAfterMs === undefined ? {} : { retryAfterMs });
  if ([502, 503, 504].includes(status)) return new RetryableError('erp_unavailable', text, { erpDown: true });
  if (status >= 500) return new RetryableError('erp_server_error', text, { erpDown: false });
  if (status === 404) return new NeedsHumanError('erp_misconfigured', `${text}: no JSON-RPC endpoint there. Check the ERP URL (the Odoo site root, without /jsonrpc).`, { status });
  return new NeedsHumanError('erp_rejected', text, { status });
}

export function classifyNetworkFailure(what: string, cause: unknown, timedOut: boolean, timeoutMs: number): RetryableError {
  if (timedOut) return new RetryableError('erp_timeout', `Odoo did not answer ${what} within ${timeoutMs} ms`, { erpDown: true });
  const inner = cause instanceof Error ? (cause as Error & { cause?: unknown }).cause : undefined;
  const code = inner instanceof Error ? (inner as Error & { code?: unknown }).code : undefined;
  const reason = cause instanceof Error ? `${cause.message}${typeof code === 'string' ? ` (${code})` : ''}` : String(cause);
  return new RetryableError('erp_unreachable', `Could not reach Odoo for ${what}: ${reason}`, { erpDown: true });
}

export function unexpectedResult(what: string, issue: string): NeedsHumanError {
  return new NeedsHumanError('erp_unexpected_response',
    `Odoo answered ${what} with something Syncline does not understand (${issue}). Is this Odoo 17?`, { call: what, issue });
}

/** True when the request never reached Odoo (connection refused): a write that certainly did not happen. */
export function refused(cause: unknown): boolean {
  const inner = cause instanceof Error ? (cause as Error & { cause?: unknown }).cause : undefined;
  return inner instanceof Error && (inner as Error & { code?: unknown }).code === 'ECONNREFUSED';
}
