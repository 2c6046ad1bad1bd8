import { ExponentialBackoff, fullJitterGenerator, type IBackoff } from 'cockatiel';

/**
 * Exponential backoff with full jitter (cockatiel's `fullJitterGenerator`, AWS "Exponential Backoff and Jitter"): the
 * delay before attempt n is uniform in [0, min(max, base·2^(n-1))). Syncline's attempts are counted by WordPress
 * (an event's lease count), so the backoff is read by attempt number rather than stepped in process.
 */
export interface BackoffOptions {
  /** Upper bound of the first delay, in milliseconds. */
  baseMs: number;
  /** Largest delay, in milliseconds (at least `baseMs`). */
  maxMs: number;
}

export type Backoff = (attempt: number) => number;

/** Validates the options once and returns `attempt (1-based) → delay in ms`. */
export function exponentialBackoff(o: BackoffOptions): Backoff {
  if (!Number.isFinite(o.baseMs) || o.baseMs <= 0) throw new RangeError(`baseMs must be a positive number, got ${o.baseMs}`);
  if (!Number.isFinite(o.maxMs) || o.maxMs < o.baseMs) throw new RangeError(`maxMs must be at least baseMs (${o.baseMs}), got ${o.maxMs}`);
  const factory = new ExponentialBackoff({ generator: fullJitterGenerator, initialDelay: o.baseMs, maxDelay: o.maxMs });
  // Past this many steps the cap is maxMs, so later attempts draw from the same range.
  const capped = Math.ceil(Math.log2(o.maxMs / o.baseMs)) + 1;
  return (attempt: number): number => {
    const steps = Math.min(Math.max(1, Math.floor(attempt)), capped);
    let b: IBackoff<unknown> = factory.next();
    for (let i = 1; i < steps; i++) b = b.next(undefined);
    return b.duration;
  };
}
