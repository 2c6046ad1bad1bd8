import type { Logger } from 'pino';
import type { Clock } from '../common/clock.js';
import type { WpApi } from '../wp/client.js';
import type { HeartbeatRequest } from '../wp/schemas.js';
import type { CircuitBreaker } from './retry/circuit-breaker.js';
import type { EngineStats } from './stats.js';

/** Interval between heartbeats, in milliseconds. */
export const HEARTBEAT_MS = 15_000;

export function heartbeatBody(worker: string, version: string, stats: EngineStats, breaker: CircuitBreaker, now: number): HeartbeatRequest {
  return {
    worker,
    version,
    uptime_seconds: Math.max(0, Math.floor((now - stats.startedAt) / 1000)),
    counters: { ...stats.counters },
    erp: {
      reachable: stats.erpReachable,
      circuit: breaker.state,
      last_success_at: stats.lastErpSuccessAt === null ? null : Math.floor(stats.lastErpSuccessAt / 1000),
      ...(stats.stock ? { stale: stats.stock.stale, last_read_at: stats.stock.lastReadAt === null ? null : Math.floor(stats.stock.lastReadAt / 1000) } : {}),
      ...(stats.stock?.capPercent === undefined ? {} : { stock_cap_percent: stats.stock.capPercent }),
    },
  };
}

/** Sends a heartbeat now and every HEARTBEAT_MS until stopped; failures are logged, never thrown. */
export class HeartbeatLoop {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly d: { wp: WpApi; worker: string; version: string; stats: EngineStats; breaker: CircuitBreaker; clock: Clock; logger: Logger }) {}

  start(intervalMs = HEARTBEAT_MS): void {
    void this.beat();
    this.timer = setInterval(() => void this.beat(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async beat(): Promise<void> {
    const d = this.d;
    try {
      await d.wp.heartbeat(heartbeatBody(d.worker, d.version, d.stats, d.breaker, d.clock.now()));
    } catch (e) {
      d.logger.warn({ err: e }, 'heartbeat failed');
    }
  }
}
