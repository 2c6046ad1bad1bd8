import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Clock } from '../common/clock.js';
import type { CircuitBreaker } from '../engine/retry/circuit-breaker.js';
import type { EngineStats } from '../engine/stats.js';
import type { Metrics } from '../observability/metrics.js';
import { CIRCUIT_GAUGE } from '../observability/metrics.js';

export interface HttpDeps {
  version: string;
  stats: EngineStats;
  breaker: CircuitBreaker;
  metrics: Metrics;
  clock: Clock;
  logger: Logger;
}

export interface Health {
  status: 'ok' | 'unhealthy';
  version: string;
  uptime_s: number;
  circuit: string;
  /** `unreachable` when the last ERP call or probe failed. */
  erp: 'reachable' | 'unreachable';
  /** Unix seconds since when the ERP has not answered, or null. */
  erp_unreachable_since: number | null;
  /** Unix seconds of the last successful ERP call, or null. */
  erp_last_success_at: number | null;
  wordpress_reachable: boolean;
  /** Unix seconds of the last successful lease, or null. */
  last_lease_at: number | null;
}

const unixSeconds = (ms: number | null): number | null => (ms === null ? null : Math.floor(ms / 1000));

/** 200 when healthy; 503 when the ERP does not answer, its circuit is open, or WordPress cannot be reached. */
export function health(d: Pick<HttpDeps, 'version' | 'stats' | 'breaker' | 'clock'>): { code: number; body: Health } {
  const circuit = d.breaker.state;
  const healthy = circuit !== 'open' && d.stats.erpReachable && d.stats.wpReachable;
  return {
    code: healthy ? 200 : 503,
    body: {
      status: healthy ? 'ok' : 'unhealthy',
      version: d.version,
      uptime_s: Math.floor((d.clock.now() - d.stats.startedAt) / 1000),
      circuit,
      erp: d.stats.erpReachable ? 'reachable' : 'unreachable',
      erp_unreachable_since: unixSeconds(d.stats.erpUnreachableSince),
      erp_last_success_at: unixSeconds(d.stats.lastErpSuccessAt),
      wordpress_reachable: d.stats.wpReachable,
      last_lease_at: unixSeconds(d.stats.lastLeaseAt),
    },
  };
}

/** GET /health and GET /metrics on loopback (by default). Resolves once listening. */
export async function startHttpServer(host: string, port: number, d: HttpDeps): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    } else if (path === '/health') {
      const h = health(d);
      res.writeHead(h.code, { 'Content-Type': 'application/json' }).end(JSON.stringify(h.body));
    } else if (path === '/metrics') {
      d.metrics.circuitState.set(CIRCUIT_GAUGE[d.breaker.state]);
      d.metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'Content-Type': d.metrics.registry.contentType }).end(text),
        (e: unknown) => { d.logger.error({ err: e }, 'metrics failed'); res.writeHead(500).end(); },
      );
    } else {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":"not_found"}');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  d.logger.info({ host, port: (server.address() as AddressInfo).port }, 'health and metrics server listening');
  return server;
}
