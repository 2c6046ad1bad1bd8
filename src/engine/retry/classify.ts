import { NeedsHumanError, RetryableError } from '../../common/errors.js';
import type { Backoff } from './backoff.js';

/** Added to a server's Retry-After, in milliseconds (see classify()). */
export const RETRY_AFTER_MARGIN_MS = 1000;

export interface FailureInfo {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export type Decision =
  | { kind: 'retry'; delayMs: number; error: FailureInfo }
  | { kind: 'needs_human'; error: FailureInfo };

export interface RetryPolicy {
  /** Leases of one event after which a transient failure becomes `retries_exhausted`. */
  maxAttempts: number;
  backoff: Backoff;
}

/**
 * The "should we retry?" decision for a failed attempt. `attempts` is the event's lease count (this one included).
 * Needs-human errors go to a human; transient ones are retried after the server's Retry-After or the backoff,
 * until `maxAttempts` (an attempt flagged `ignoreAttempt` never exhausts); anything else is transient (`unexpected`).
 */
export function classify(err: unknown, attempts: number, policy: RetryPolicy): Decision {
  if (err instanceof NeedsHumanError) return { kind: 'needs_human', error: { code: err.code, message: err.message, details: err.details } };
  const retryable = err instanceof RetryableError ? err : new RetryableError('unexpected', err instanceof Error ? err.message : String(err));
  const last = { code: retryable.code, message: retryable.message };
  if (attempts >= policy.maxAttempts && !retryable.options.ignoreAttempt) {
    return {
      kind: 'needs_human',
      error: { code: 'retries_exhausted', message: `Gave up after ${attempts} attempts; last error: ${retryable.message}`, details: { attempts, last_error: last } },
    };
  }
  const retryAfter = retryable.options.retryAfterMs;
  // WordPress keeps due times in whole seconds (due when available_at <= now), so a delay of n s can come due after
  // n-1 s; one extra second guarantees the ERP's Retry-After is honoured in full.
  const delayMs = retryAfter === undefined ? policy.backoff(attempts) : retryAfter + RETRY_AFTER_MARGIN_MS;
  return { kind: 'retry', delayMs, error: last };
}
