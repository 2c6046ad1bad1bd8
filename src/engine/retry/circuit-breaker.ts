import type { Clock } from '../../common/clock.js';
import { systemClock } from '../../common/clock.js';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitOptions {
  /** Consecutive "ERP down" failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one probe is allowed, in milliseconds. */
  openMs: number;
  clock?: Clock;
  /** Called on every state change (metrics, logs). */
  onChange?: (from: CircuitState, to: CircuitState) => void;
}

/**
 * Closed → (threshold consecutive failures) → open → (openMs elapsed) → half-open → probe succeeds → closed, or
 * fails → open again. Only failures that mean "the ERP is down" are recorded; while not closed no pushes start.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;
  /** Until when the ERP asked us to hold off (429 + Retry-After), in clock milliseconds. */
  private pausedUntil = 0;
  private last: CircuitState = 'closed';
  private readonly clock: Clock;

  constructor(private readonly o: CircuitOptions) {
    if (!Number.isInteger(o.failureThreshold) || o.failureThreshold < 1) throw new RangeError('failureThreshold must be a positive integer');
    if (!Number.isFinite(o.openMs) || o.openMs <= 0) throw new RangeError('openMs must be positive');
    this.clock = o.clock ?? systemClock;
  }

  get state(): CircuitState {
    let now: CircuitState = 'closed';
    if (this.openedAt !== null) now = this.remainingOpenMs() > 0 ? 'open' : 'half_open';
    else if (this.pausedUntil > this.clock.now()) now = 'open';
    this.transition(now);
    return now;
  }

  /** Milliseconds until an open circuit allows a probe (0 when not open). */
  remainingOpenMs(): number {
    const open = this.openedAt === null ? 0 : this.openedAt + this.o.openMs - this.clock.now();
    return Math.max(0, open, this.pausedUntil - this.clock.now());
  }

  /**
   * The ERP asked every client to hold off (429 with Retry-After): no push starts for `ms`, whichever event
   * it would be. Not a failure: the circuit closes by itself when the pause ends (no probe needed).
   */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
    this.transition(this.state);
  }

  recordSuccess(): void {
    this.failures = 0;
    this.openedAt = null;
    this.transition('closed');
  }

  recordFailure(): void {
    const state = this.state;
    this.failures++;
    if (state === 'half_open' || (state === 'closed' && this.failures >= this.o.failureThreshold)) {
      this.openedAt = this.clock.now();
      this.transition('open');
    }
  }

  private transition(to: CircuitState): void {
    if (to === this.last) return;
    const from = this.last;
    this.last = to;
    this.o.onChange?.(from, to);
  }
}
