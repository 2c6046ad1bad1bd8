/**
 * The ERP circuit: cockatiel's circuit breaker policy with Syncline's meaning around it. Only failures that mean
 * "the ERP is down" (`RetryableError` with `erpDown`) count; `failureThreshold` of them in a row open the circuit;
 * after `openMs` the circuit is half-open and one probe (the adapter's ping, see `probe`) closes or reopens it. While
 * it is not closed no pushes start (the consumer gives events back untried). A 429 with Retry-After pauses every push
 * (`pause`: cockatiel's isolation) until it has passed, then the circuit closes by itself, without a probe.
 *
 * Time is the wall clock (`Date.now`), the one cockatiel reads; tests move it with node:test's mock timers.
 */
import { BrokenCircuitError, circuitBreaker, CircuitState as PolicyState, ConsecutiveBreaker, handleWhen, IsolatedCircuitError, type CircuitBreakerPolicy } from 'cockatiel';
import { RetryableError } from '../../common/errors.js';
import { isErpDown } from '../outcome.js';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitOptions {
  /** Consecutive "ERP down" failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one probe is allowed, in milliseconds. */
  openMs: number;
  /** Called on every state change (metrics, logs). */
  onChange?: (from: CircuitState, to: CircuitState) => void;
}

/** A push was not started because the circuit is open (or paused): give the event back untried. */
export class CircuitOpenError extends RetryableError {
  constructor(remainingMs: number, cause?: unknown) {
    super('circuit_open', `The ERP looks down; pushes pause for ${Math.ceil(remainingMs / 1000)} s.`, { retryAfterMs: remainingMs, ignoreAttempt: true, cause });
  }
}

export class CircuitBreaker {
  private readonly policy: CircuitBreakerPolicy;
  /** When cockatiel last opened the circuit (`Date.now`), null while closed. */
  private openedAt: number | null = null;
  /** Until when the ERP asked us to hold off (429 + Retry-After). */
  private pausedUntil = 0;
  private isolation: { dispose: () => void } | null = null;
  private last: CircuitState = 'closed';

  constructor(private readonly o: CircuitOptions) {
    if (!Number.isInteger(o.failureThreshold) || o.failureThreshold < 1) throw new RangeError('failureThreshold must be a positive integer');
    if (!Number.isFinite(o.openMs) || o.openMs <= 0) throw new RangeError('openMs must be positive');
    this.policy = circuitBreaker(handleWhen(isErpDown), { halfOpenAfter: o.openMs, breaker: new ConsecutiveBreaker(o.failureThreshold) });
    this.policy.onStateChange((s) => {
      if (s === PolicyState.Open) this.openedAt = Date.now();
      else if (s === PolicyState.Closed) this.openedAt = null;
      void this.state;
    });
  }

  get state(): CircuitState {
    this.endPause();
    let now: CircuitState = 'closed';
    if (this.pausedUntil > Date.now()) now = 'open';
    else if (this.policy.state === PolicyState.HalfOpen) now = 'half_open';
    else if (this.openedAt !== null) now = this.openedAt + this.o.openMs > Date.now() ? 'open' : 'half_open';
    this.transition(now);
    return now;
  }

  /** Milliseconds until an open circuit allows a probe (0 when not open). */
  remainingOpenMs(): number {
    const open = this.openedAt === null ? 0 : this.openedAt + this.o.openMs - Date.now();
    return Math.max(0, open, this.pausedUntil - Date.now());
  }

  /**
   * Runs one push through the circuit: an "ERP down" failure counts, a success closes the count, anything else passes
   * through uncounted. Throws CircuitOpenError, without calling `fn`, while the circuit is open or paused.
   */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.state !== 'closed') throw new CircuitOpenError(this.remainingOpenMs());
    try {
      return await this.policy.execute(fn);
    } catch (e) {
      if (e instanceof BrokenCircuitError || e instanceof IsolatedCircuitError) throw new CircuitOpenError(this.remainingOpenMs(), e);
      throw e;
    }
  }

  /**
   * The half-open probe: `ping` decides (any failure reopens the circuit for `openMs`). Rejects with what `ping`
   * threw; resolves when the circuit closed. Only call it when `state` is `half_open`.
   */
  async probe<T>(ping: () => Promise<T>): Promise<T> {
    const downOnFailure = async (): Promise<T> => {
      try {
        return await ping();
      } catch (e) {
        throw isErpDown(e) ? e : new RetryableError('erp_unreachable', e instanceof Error ? e.message : String(e), { erpDown: true, cause: e });
      }
    };
    try {
      return await this.policy.execute(downOnFailure);
    } finally {
      void this.state;
    }
  }

  /**
   * The ERP asked every client to hold off (429 with Retry-After): no push starts for `ms`, whichever event
   * it would be. Not a failure: the circuit closes by itself when the pause ends (no probe needed).
   */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
    if (this.isolation === null && this.policy.state === PolicyState.Closed) this.isolation = this.policy.isolate();
    void this.state;
  }

  private endPause(): void {
    const isolation = this.isolation;
    if (isolation === null || this.pausedUntil > Date.now()) return;
    this.isolation = null;
    isolation.dispose();
  }

  private transition(to: CircuitState): void {
    if (to === this.last) return;
    const from = this.last;
    this.last = to;
    this.o.onChange?.(from, to);
  }
}
