/**
 * The ERP faults a benchmark switches on and off, one policy for every call the sidecar makes:
 * the ERP down (connection dropped), every write slowed, every Nth create committed with its response lost,
 * every Nth call answered 429 with Retry-After. Two drivers: the Dolibarr stand-in's fault hook, and the
 * fault-injecting HTTP proxy in front of a real Dolibarr (tests/ts/support/fault-proxy.ts).
 */
export interface FaultPolicy {
  /** Every call: the connection is dropped (connection refused / reset). */
  down: boolean;
  /** Every POST waits this long before the ERP sees it (0: off). */
  postDelayMs: number;
  /** Every Nth `POST /orders` (a create) reaches the ERP, commits, and its response is dropped (0: off). */
  timeoutAfterCommitEvery: number;
  /** Every Nth call answers 429 with `Retry-After: retryAfterS` (0: off). */
  tooManyEvery: number;
  retryAfterS: number;
}

export const NO_FAULTS: FaultPolicy = { down: false, postDelayMs: 0, timeoutAfterCommitEvery: 0, tooManyEvery: 0, retryAfterS: 0 };

/** What the policy did, for the benchmark's report. */
export interface FaultCounts { dropped: number; delayed: number; timeout_after_commit: number; too_many: number }

export type Verdict =
  | { kind: 'pass' }
  | { kind: 'down' }
  | { kind: 'delay'; ms: number }
  | { kind: 'timeout_after_commit' }
  | { kind: 'too_many'; retryAfterS: number };

const isCreate = (method: string, path: string): boolean => method === 'POST' && /\/orders\/?$/.test(path);

/** The decision for one call, shared by both drivers. */
export class FaultSwitch {
  policy: FaultPolicy = { ...NO_FAULTS };
  readonly counts: FaultCounts = { dropped: 0, delayed: 0, timeout_after_commit: 0, too_many: 0 };
  private calls = 0;
  private creates = 0;

  set(p: Partial<FaultPolicy>): void {
    this.policy = { ...NO_FAULTS, ...p };
    this.calls = 0;
    this.creates = 0;
  }

  decide(method: string, path: string): Verdict {
    const p = this.policy;
    if (p.down) return this.count('dropped', { kind: 'down' });
    this.calls += 1;
    if (p.tooManyEvery > 0 && this.calls % p.tooManyEvery === 0) return this.count('too_many', { kind: 'too_many', retryAfterS: p.retryAfterS });
    if (isCreate(method, path)) {
      this.creates += 1;
      if (p.timeoutAfterCommitEvery > 0 && this.creates % p.timeoutAfterCommitEvery === 0) return this.count('timeout_after_commit', { kind: 'timeout_after_commit' });
    }
    if (method === 'POST' && p.postDelayMs > 0) return this.count('delayed', { kind: 'delay', ms: p.postDelayMs });
    return { kind: 'pass' };
  }

  snapshot(): FaultCounts {
    const c = { ...this.counts };
    for (const k of Object.keys(this.counts) as (keyof FaultCounts)[]) this.counts[k] = 0;
    return c;
  }

  private count(k: keyof FaultCounts, v: Verdict): Verdict {
    this.counts[k] += 1;
    return v;
  }
}
