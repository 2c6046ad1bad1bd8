/** Exponential backoff with full jitter (AWS "Exponential Backoff and Jitter"): a delay in [0, min(max, base·2^(n-1))). */
export interface BackoffOptions {
  /** Upper bound of the first delay, in milliseconds. */
  baseMs: number;
  /** Largest delay, in milliseconds (at least `baseMs`). */
  maxMs: number;
  /** Uniform random number in [0, 1); injectable for tests. @defaultValue Math.random */
  random?: () => number;
}

export type Backoff = (attempt: number) => number;

/** Validates the options once and returns `attempt (1-based) → delay in ms`. */
export function exponentialBackoff(o: BackoffOptions): Backoff {
  if (!Number.isFinite(o.baseMs) || o.baseMs <= 0) throw new RangeError(`baseMs must be a positive number, got ${o.baseMs}`);
  if (!Number.isFinite(o.maxMs) || o.maxMs < o.baseMs) throw new RangeError(`maxMs must be at least baseMs (${o.baseMs}), got ${o.maxMs}`);
  const random = o.random ?? Math.random;
  return (attempt: number): number => {
    const n = Math.max(1, Math.floor(attempt));
    // 2^(n-1) overflows to Infinity for large n; Math.min keeps the cap.
    const cap = Math.min(o.maxMs, o.baseMs * 2 ** Math.min(n - 1, 1024));
    return Math.floor(random() * cap);
  };
}
