import type { Logger } from 'pino';
import { z } from 'zod';
import type { Clock } from '../common/clock.js';
import type { WpApi } from '../wp/client.js';
import type { HeartbeatRequest } from '../wp/schemas.js';
import type { CircuitBreaker } from './retry/circuit-breaker.js';
import { erpAnswered, erpDown, type EngineStats } from './stats.js';

/** Interval between heartbeats, in milliseconds (WordPress counts a worker dead after about 2.5 intervals). */
export const HEARTBEAT_MS = 15_000;

const seconds = (ms: number | null): number | null => (ms === null ? null : Math.floor(ms / 1000));

/** Which ERP the sidecar talks to: the configured adapter (`erp.type`) and the version its ping answered (null until one did). */
export interface ErpIdentity {
  type: string;
  version: string | null;
}

/** The part of a ping's answer the heartbeat reports (both adapters answer `{ version }`). */
const PingAnswer = z.object({ version: z.string().trim().min(1) });

/** Longest ERP version the heartbeat route accepts. */
export const ERP_VERSION_MAX = 64;

/** Characters WordPress's heartbeat route accepts in `erp.version` (includes/Rest/SidecarRequests.php). */
const VERSION_UNSAFE = /[^0-9A-Za-z.+_~ -]/g;

/**
 * The version a ping answered, cut to what WordPress accepts (one odd character must not cost the whole heartbeat a
 * 400); null when the answer carries none.
 */
export function pingVersion(answer: unknown): string | null {
  const parsed = PingAnswer.safeParse(answer);
  const version = parsed.success ? parsed.data.version.replace(VERSION_UNSAFE, '').trim().slice(0, ERP_VERSION_MAX).trim() : '';
  return version === '' ? null : version;
}

export function heartbeatBody(worker: string, version: string, stats: EngineStats, breaker: CircuitBreaker, now: number, state: 'running' | 'stopped' = 'running', identity?: ErpIdentity): HeartbeatRequest {
  return {
    worker,
    version,
    state,
    uptime_seconds: Math.max(0, Math.floor((now - stats.startedAt) / 1000)),
    counters: { ...stats.counters },
    erp: {
      ...(identity ? { type: identity.type, version: identity.version } : {}),
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
  /** The configured ERP type (`dolibarr`, `odoo`): with the version the ping answers, every heartbeat names the ERP. */
  erpType?: string;
}

/**
 * Sends a heartbeat now and every HEARTBEAT_MS until stopped; failures are logged, never thrown. `beat('stopped')`
 * is the last heartbeat of a sidecar shutting down.
 */
export class HeartbeatLoop {
  private timer: NodeJS.Timeout | undefined;
  /** The ERP's version as its last successful ping answered (null until one did). */
  private erpVersion: string | null = null;

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
      const identity = d.erpType === undefined ? undefined : { type: d.erpType, version: this.erpVersion };
      await d.wp.heartbeat(heartbeatBody(d.worker, d.version, d.stats, d.breaker, d.clock.now(), state, identity));
    } catch (e) {
      d.logger.warn({ err: e }, 'heartbeat failed');
    }
  }

  /**
   * Asks the ERP directly when nothing else did lately (an idle sidecar must not report a dead ERP as reachable), or
   * when its version is not known yet (the heartbeat names the ERP and version; a busy sidecar pings once for it).
   */
  private async probe(intervalMs: number): Promise<void> {
    const { ping, stats, clock, logger } = this.d;
    const versionWanted = this.d.erpType !== undefined && this.erpVersion === null;
    if (!ping || (!versionWanted && stats.lastErpSuccessAt !== null && clock.now() - stats.lastErpSuccessAt < intervalMs)) return;
    try {
      this.erpVersion = pingVersion(await ping()) ?? this.erpVersion;
      erpAnswered(stats, clock.now());
    } catch (e) {
      if (stats.erpReachable) logger.warn({ err: e }, 'the ERP does not answer');
      erpDown(stats, clock.now());
    }
  }
}
