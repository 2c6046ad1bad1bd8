import type { Logger } from 'pino';
import type { Clock } from '../common/clock.js';
import type { WpApi } from '../wp/client.js';
import type { HeartbeatRequest } from '../wp/schemas.js';
import type { CircuitBreaker } from './retry/circuit-breaker.js';
import { erpAnswered, erpDown, type EngineStats } from './stats.js';

/** Interval between heartbeats, in milliseconds (WordPress counts a worker dead after about 2.5 intervals). */
export const HEARTBEAT_MS = 15_000;

const seconds = (ms: number | null): number | null => (ms === null ? null : Math.floor(ms / 1000));

export function heartbeatBody(worker: string, version: string, stats: EngineStats, breaker: CircuitBreaker, now: number, state: 'running' | 'stopped' = 'running'): HeartbeatRequest {
  return {
    worker,
    version,
    state,
    uptime_seconds: Math.max(0, Math.floor((now - stats.startedAt) / 1000)),
    counters: { ...stats.counters },
    erp: {
      reachable: stats.erpReachable,
      circuit: breaker.state,
      last_success_at: seconds(stats.lastErpSuccessAt),
      unreachable_since: seconds(stats.erpUnreachableSince),
      ...(stats.stock ? { stale: stats.stock.stale, last_read_at: stats.stock.lastReadAt === null ? null : Math.floor(stats.stock.lastReadAt / 1000) } : {}),
      ...(stats.stock?.capPercent === undefined ? {} : { stock_cap_percent: stats.stock.capPercent }),
    },
  };
}

export interface HeartbeatDeps {
  wp: WpApi;
  worker: string;
  version: string;
  stats: EngineStats;
  breaker: CircuitBreaker;
  clock: Clock;
  logger: Logger;
  /**
   * A cheap ERP call (the adapter's ping). Before a heartbeat, when no pipeline reached the ERP within the last
   * interval, it is called so that an idle sidecar still reports the ERP's reachability truthfully.
   */
  ping?: () => Promise<unknown>;
}

/**
 * Sends a heartbeat now and every HEARTBEAT_MS until stopped; failures are logged, never thrown. `beat('stopped')`
 * is the last heartbeat of a sidecar shutting down.
 */
export class HeartbeatLoop {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly d: HeartbeatDeps) {}

  start(intervalMs = HEARTBEAT_MS): void {
    void this.beat('running', intervalMs);
    this.timer = setInterval(() => void this.beat('running', intervalMs), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async beat(state: 'running' | 'stopped' = 'running', intervalMs = HEARTBEAT_MS): Promise<void> {
    const d = this.d;
    if (state === 'running') await this.probe(intervalMs);
    try {
      await d.wp.heartbeat(heartbeatBody(d.worker, d.version, d.stats, d.breaker, d.clock.now(), state));
    } catch (e) {
      d.logger.warn({ err: e }, 'heartbeat failed');
    }
  }

  /** Asks the ERP directly when nothing else did lately (an idle sidecar must not report a dead ERP as reachable). */
  private async probe(intervalMs: number): Promise<void> {
    const { ping, stats, clock, logger } = this.d;
    if (!ping || (stats.lastErpSuccessAt !== null && clock.now() - stats.lastErpSuccessAt < intervalMs)) return;
    try {
      await ping();
      erpAnswered(stats, clock.now());
    } catch (e) {
      if (stats.erpReachable) logger.warn({ err: e }, 'the ERP does not answer');
      erpDown(stats, clock.now());
    }
  }
}
