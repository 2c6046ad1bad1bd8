import { NeedsHumanError, RetryableError } from '../common/errors.js';
import { WpErrorBody } from './schemas.js';

/** How long to wait before trying again after WordPress refused our signature, in milliseconds. */
export const AUTH_RETRY_MS = 60_000;

/**
 * WordPress refused the request's authentication (401: bad signature, stale timestamp, replayed nonce). Usually a
 * wrong `wordpress.secret` or a skewed clock: logged loudly, retried slowly.
 */
export class WpAuthError extends RetryableError {
  constructor(code: string, message: string) {
    super(code, message, { retryAfterMs: AUTH_RETRY_MS });
  }
}

/** Turns a non-2xx WordPress answer into the error taxonomy. */
export function httpError(route: string, status: number, text: string, retryAfter: string | null): Error {
  const body = parseErrorBody(text);
  const what = `WordPress answered ${status} to ${route}${body ? ` (${body.code}${body.message ? `: ${body.message}` : ''})` : ''}`;
  if (status === 401) return new WpAuthError(body?.code ?? 'wp_unauthorized', `${what}; check wordpress.secret and the clock`);
  if (status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(retryAfter);
    return new RetryableError(status === 429 ? 'wp_rate_limited' : 'wp_server_error', what, retryAfterMs === undefined ? {} : { retryAfterMs });
  }
  return new NeedsHumanError('wp_rejected_request', what, { route, status, body: body ?? text.slice(0, 500) });
}

/** Retry-After in seconds (integer or HTTP date) → milliseconds. */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function parseErrorBody(text: string): WpErrorBody | undefined {
  try {
    const parsed = WpErrorBody.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
