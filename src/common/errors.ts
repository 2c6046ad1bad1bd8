/**
 * Error taxonomy. Every failure the engine sees is one of these two classes (anything else is treated as
 * transient with code `unexpected`, see `classify()` in src/engine/retry/classify.ts).
 */

/** Transient: try again later (network, timeout, 429, 5xx, deadlock, lock contention). */
export class RetryableError extends Error {
  override readonly name = 'RetryableError';
  constructor(
    /** Machine-readable reason, e.g. `erp_timeout`, `erp_rate_limited`, `erp_deadlock`. */
    readonly code: string,
    message: string,
    readonly options: {
      /** Server-requested delay (Retry-After), in milliseconds. */
      retryAfterMs?: number;
      /** When true the attempt does not count against the retry limit (lost a lock race). */
      ignoreAttempt?: boolean;
      /** True when the ERP itself looks down (counts towards the circuit breaker). */
      erpDown?: boolean;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
  }
}

/** Needs a human: retrying will not help until someone fixes data or settings. */
export class NeedsHumanError extends Error {
  override readonly name = 'NeedsHumanError';
  constructor(
    /** Machine-readable reason, e.g. `unmapped_sku`, `totals_mismatch`, `customer_rejected`. */
    readonly code: string,
    /** A sentence a store admin understands, naming the SKU, amounts or field concerned. */
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Configuration is invalid; the sidecar prints the message (naming the field) and exits non-zero. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
