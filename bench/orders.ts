/**
 * Orders benchmark: real WordPress + WooCommerce + MariaDB, the bundled sidecar (build/sidecar.cjs) and the ERP
 * of bench/erp-under-test.ts. Phases:
 *   1. throughput: N orders queued while the sidecar is stopped, then drained; orders_per_s;
 *   2. ERP ceiling: a bare sequential client in the same run against the same ERP (bench/erp-ceiling.ts):
 *      create the order with its lines for an existing customer, validate it; half of --ceiling-orders right before
 *      the drain and half right after (the machine's load drifts), erp_ceiling_orders_per_s over both, and the
 *      ratio orders_per_s / ceiling;
 *   3. latency: orders created at a steady --rate per second while the sidecar runs; order → ERP p50/p99, where
 *      "→ ERP" is when every outbox event of the order is done (pushed, validated, acknowledged), seen by
 *      polling the outbox every 100 ms;
 *   4. hook overhead: Syncline's own listener timed inside PHP (`wp syncline bench hook-overhead`).
 * Where the time goes (bench/wp-profile.ts), for the throughput phase: CPU ms per order of WordPress, Dolibarr,
 * MariaDB and the sidecar (`cpu_ms_per_order`), ERP requests per order, and per sidecar route the SQL queries and
 * WordPress CPU per leased event / acked result (`wp_routes`); for the latency phase, pushes per order (events
 * pushed, not closed by another event's push).
 * --erp-write-concurrency W (1, Dolibarr's safe default) sets how many ERP writes may run at once.
 * Lost and duplicates are counted in the ERP and WooCommerce afterwards (bench/erp-audit.ts).
 * Options: --orders N (1000), --rate R (10), --steady-seconds S (30), --ceiling-orders C (100), --creators K (3: checkouts
 *   at once in the steady phase; the achieved rate is reported).
 */
import { execFileSync } from 'node:child_process';
import { RUN, sql } from '../scripts/env/wp-env.js';
import type { Stack } from '../tests/ts/support/stack.js';
import { simpleOrder } from '../tests/ts/support/orders.js';
import { audit } from './erp-audit.js';
import { erpCeiling } from './erp-ceiling.js';
import { startBenchStack } from './erp-under-test.js';
import { cpuMeters, cpuPerOrder, installProfiler, readProfile, resetProfile } from './wp-profile.js';

const opt = (n: string, d: number): number => {
  const i = process.argv.indexOf(`--${n}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const N = opt('orders', 1000);
const RATE = opt('rate', 10);
const STEADY_S = opt('steady-seconds', 30);
const WRITES = opt('erp-write-concurrency', 1);
const CEILING_N = opt('ceiling-orders', 100);
const CREATORS = opt('creators', 3);
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Number((s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0).toFixed(2)) : 0;
};
const log = (m: string): void => { process.stderr.write(`[bench orders] ${m}\n`); };

/** Orders (of `ids`) whose outbox events are all done. */
function allDone(db: string, ids: number[]): number[] {
  if (ids.length === 0) return [];
  const out = sql(`SELECT object_id FROM \`${db}\`.wp_syncline_events WHERE object_type = 'order' AND object_id IN (${ids.join(',')})
    GROUP BY object_id HAVING SUM(state <> 'done') = 0`);
  return out.split('\n').filter(Boolean).map(Number);
}

/** Polls the outbox every 100 ms and notes, on this process's clock, when each order's events were all done. */
class DoneWatcher {
  readonly at = new Map<number, number>();
  private readonly ids = new Set<number>();
  private timer: NodeJS.Timeout;
  constructor(db: string) {
    this.timer = setInterval(() => {
      const open = [...this.ids].filter((id) => !this.at.has(id));
      const now = Date.now();
      for (const id of allDone(db, open)) this.at.set(id, now);
    }, 100);
  }
  watch(id: number): void { this.ids.add(id); }
  stop(): void { clearInterval(this.timer); }
}

function hookOverhead(stack: Stack): { p50: number; p99: number } | { error: string } {
  try {
    const hook = JSON.parse(stack.wp(['syncline', 'bench', 'hook-overhead', '--count=2000']).trim().split('\n')[0] ?? '{}') as Record<string, number>;
    return { p50: Number(((hook.hook_p50_us ?? 0) / 1000).toFixed(3)), p99: Number(((hook.hook_p99_us ?? 0) / 1000).toFixed(3)) };
  } catch (e) {
    return { error: (e instanceof Error ? e.message : String(e)).slice(0, 300) };
  }
}

const CEILING_LINES: Array<[string, number, number]> = [['TSHIRT-PLAIN', 2, 19.99], ['HOODIE-S-GREY', 1, 49]];

/** ERP requests per order by method and path shape (ids as `{id}`), e.g. `GET /orders`: 0.6. */
function perOrderByKind(calls: Array<{ method: string; path: string }>, orders: number): Record<string, number> {
  const n = new Map<string, number>();
  for (const c of calls) {
    const key = `${c.method} ${c.path.replace(/^.*\/api\/index\.php/, '').replace(/\/\d+/g, '/{id}').replace(/\/email\/[^/]+/, '/email/{email}')}`;
    n.set(key, (n.get(key) ?? 0) + 1);
  }
  return Object.fromEntries([...n].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Number((v / orders).toFixed(2))]));
}

/** Events of these orders that were pushed (done, not closed as covered by another event's push), per order. */
function pushesPerOrder(db: string, ids: number[]): number {
  if (ids.length === 0) return 0;
  const n = Number(sql(`SELECT COUNT(*) FROM \`${db}\`.wp_syncline_events WHERE object_type = 'order' AND object_id IN (${ids.join(',')})
    AND state = 'done' AND (result IS NULL OR result NOT LIKE '%coalesced_into%')`).trim());
  return Number((n / ids.length).toFixed(2));
}

// A sidecar long-poll, an ack, a renewal and --creators checkouts may all be in WordPress at once.
process.env.SYNCLINE_PHP_WORKERS ??= String(Math.max(6, CREATORS + 5));
const { stack, erp } = await startBenchStack('benchorders', 18301);
installProfiler(stack.site.path);
try {
  const created = new Map<number, number>();
  let seq = 0;
  const createOne = async (): Promise<number> => {
    // 50 returning customers in turn (numbered when the create starts: `created.size` would give runs of 8 alike).
    const o = await stack.createOrder(simpleOrder(`bench${seq++ % 50}@example.test`));
    created.set(Number(o.id), Date.now());
    return Number(o.id);
  };

  log(`queueing ${N} orders with the sidecar stopped`);
  for (let i = 0; i < N; i += 8) await Promise.all(Array.from({ length: Math.min(8, N - i) }, createOne));
  resetProfile(stack.site.path);
  // The ceiling is measured before and after the drain and averaged: on a shared machine the load drifts.
  log(`ERP ceiling before the drain: ${Math.ceil(CEILING_N / 2)} orders by a bare sequential client`);
  const ceilingBefore = await erpCeiling(erp.direct, Math.ceil(CEILING_N / 2), CEILING_LINES);
  const erpCallsBefore = stack.erp.calls.length;
  const t0 = Date.now();
  const sidecar = stack.startSidecar({ worker: { lease_seconds: 60, batch: 50, wait_seconds: 5 }, erp: { ...erp.sidecar, timeout_ms: 15_000, write_concurrency: WRITES } });
  const cpu = cpuMeters({ sitePath: stack.site.path, runDir: RUN, ...(sidecar.pid !== undefined ? { sidecarPid: sidecar.pid } : {}) });
  const cpuBefore = cpu();
  await stack.waitFor('backlog drained', () => { const s = stack.countByState(); return !s['pending'] && !s['leased']; }, 30 * 60_000);
  const drainS = (Date.now() - t0) / 1000;
  const ordersPerS = N / drainS;
  const drainCpu = cpuPerOrder(cpuBefore, cpu(), N);
  const drainCalls = stack.erp.calls.slice(erpCallsBefore);
  const erpRequestsPerOrder = Number((drainCalls.length / N).toFixed(2));
  const erpRequestKinds = perOrderByKind(drainCalls, N);
  const wpRoutes = readProfile(stack.site.path);
  log(`drained ${N} in ${drainS.toFixed(1)} s; CPU ms/order ${JSON.stringify(drainCpu)}; ERP requests/order ${erpRequestsPerOrder} ${JSON.stringify(erpRequestKinds)}; ${JSON.stringify(wpRoutes)}`);

  log(`ERP ceiling after the drain: ${Math.floor(CEILING_N / 2)} orders by a bare sequential client (create with lines, validate)`);
  const ceilingAfter = await erpCeiling(erp.direct, Math.floor(CEILING_N / 2), CEILING_LINES);
  const ceiling = {
    orders: ceilingBefore.orders + ceilingAfter.orders,
    orders_per_s: Number(((ceilingBefore.orders + ceilingAfter.orders) / (ceilingBefore.seconds + ceilingAfter.seconds)).toFixed(2)),
  };
  log(`ceiling ${ceiling.orders_per_s} orders/s (before ${ceilingBefore.orders_per_s}, after ${ceilingAfter.orders_per_s})`);

  log(`steady ${RATE}/s for ${STEADY_S} s`);
  const steadyIds: number[] = [];
  const startSteady = Date.now();
  const pendingCreates: Promise<void>[] = [];
  const watcher = new DoneWatcher(stack.site.db);
  // At most CREATORS checkouts at once: unbounded creates would take every PHP worker of the site and starve the
  // sidecar's lease and ack calls, measuring the harness's web server instead of Syncline.
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < RATE * STEADY_S; i++) {
    const wait = startSteady + (i * 1000) / RATE - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    while (inFlight.size >= CREATORS) await Promise.race(inFlight);
    const p: Promise<void> = createOne().then((id) => { steadyIds.push(id); watcher.watch(id); }).finally(() => inFlight.delete(p));
    inFlight.add(p);
    pendingCreates.push(p);
  }
  await Promise.all(pendingCreates);
  const achievedRate = steadyIds.length / ((Date.now() - startSteady) / 1000);
  await stack.waitFor('steady orders pushed', () => { const s = stack.countByState(); return !s['pending'] && !s['leased']; }, 900_000);
  await new Promise((r) => setTimeout(r, 300));
  watcher.stop();
  const latencies = steadyIds.flatMap((id) => { const d = watcher.at.get(id); return d === undefined ? [] : [d - (created.get(id) ?? d)]; });

  log('hook overhead: woocommerce_new_order with Syncline listening, 2,000 times (wp syncline bench hook-overhead)');
  const hook = hookOverhead(stack);
  const rssKb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(sidecar.pid)]).toString().trim());
  const a = await audit(erp.reader, stack.site.db, new Map());
  console.log(JSON.stringify({
    bench: 'orders', erp: erp.label, woocommerce: stack.site.wcVersion.includes('standin') ? 'stand-in' : stack.site.wcVersion,
    orders: created.size, erp_write_concurrency: WRITES,
    orders_per_s: Number(ordersPerS.toFixed(2)),
    erp_ceiling_orders_per_s: ceiling.orders_per_s, ceiling_ratio: Number((ordersPerS / ceiling.orders_per_s).toFixed(2)), ceiling_orders: ceiling.orders,
    ceiling_before_after: [ceilingBefore.orders_per_s, ceilingAfter.orders_per_s],
    cpu_ms_per_order: drainCpu, erp_requests_per_order: erpRequestsPerOrder, erp_requests_by_kind: erpRequestKinds, wp_routes: wpRoutes,
    latency_ms: { rate_per_s: RATE, achieved_rate_per_s: Number(achievedRate.toFixed(2)), p50: pct(latencies, 50), p99: pct(latencies, 99), measured: latencies.length, of: steadyIds.length },
    pushes_per_order: pushesPerOrder(stack.site.db, steadyIds),
    hook_overhead_ms: hook,
    lost: a.lost, erp_duplicates: a.erp_duplicates, needs_human: a.needs_human, sidecar_rss_mb: Number((rssKb / 1024).toFixed(1)),
  }));
} finally {
  await stack.stop();
}
