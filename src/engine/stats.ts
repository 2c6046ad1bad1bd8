/** Counters and liveness facts the heartbeat and /health report. Plain data, updated by the consumer. */
export class EngineStats {
  readonly startedAt: number;
  readonly counters = { pushed: 0, skipped: 0, failed: 0, retried: 0, needs_human: 0, deferred: 0, lease_lost: 0 };
  /** Unix ms of the last successful lease call. */
  lastLeaseAt: number | null = null;
  wpReachable = true;
  erpReachable = true;
  /** Unix ms of the last pipeline that reached the ERP successfully. */
  lastErpSuccessAt: number | null = null;
  /** Unix ms since when the ERP has not answered (null while it answers). */
  erpUnreachableSince: number | null = null;
  /** Stock sync state (null: stock sync not running). `lastReadAt` in Unix ms; `capPercent`: the degraded cap, when configured. */
  stock: { stale: boolean; lastReadAt: number | null; capPercent?: number } | null = null;

  constructor(now: number) {
    this.startedAt = now;
  }
}

/** The ERP answered (a pipeline reached it, or a probe did). */
export function erpAnswered(stats: EngineStats, now: number): void {
  stats.erpReachable = true;
  stats.erpUnreachableSince = null;
  stats.lastErpSuccessAt = now;
}

/** The ERP did not answer (refused, timed out, 502/503/504): keeps the first moment it stopped answering. */
export function erpDown(stats: EngineStats, now: number): void {
  stats.erpReachable = false;
  stats.erpUnreachableSince ??= now;
}
