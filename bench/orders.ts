/**
 * Orders benchmark: real WordPress + MariaDB, the bundled sidecar (build/sidecar.cjs) and the Dolibarr
 * stand-in answering every call after ~20 ms (--erp-latency-ms). Three phases:
 *   1. throughput: N orders queued while the sidecar is stopped, then drained; orders_per_s;
 *   2. latency: orders created at a steady --rate per second while the sidecar runs; order → ERP p50/p99.
 *   3. hook overhead: what Syncline's hooks add to one order, timed inside PHP (`wp syncline bench hook-overhead`).
 * --erp-write-concurrency W (1, Dolibarr's safe default) sets how many ERP writes may run at once.
 * Then checks every order is in the ERP exactly once. Options: --orders N (1000), --rate R (10), --steady-seconds S (30).
 */
import { Stack } from '../tests/ts/support/stack.js';
import { simpleOrder } from '../tests/ts/support/orders.js';
import { execFileSync } from 'node:child_process';

const opt = (n: string, d: number): number => {
  const i = process.argv.indexOf(`--${n}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const N = opt('orders', 1000);
const RATE = opt('rate', 10);
const STEADY_S = opt('steady-seconds', 30);
const LATENCY = opt('erp-latency-ms', 20);
const WRITES = opt('erp-write-concurrency', 1);
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Number((s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0).toFixed(2)) : 0;
};
const log = (m: string): void => { process.stderr.write(`[bench orders] ${m}\n`); };

const stack = await Stack.start({ name: 'benchorders', port: 18301, erpLatencyMs: LATENCY });
try {
  const created = new Map<number, number>();
  const createOne = async (): Promise<void> => {
    const o = await stack.createOrder(simpleOrder(`bench${created.size % 50}@example.test`));
    created.set(Number(o.id), Date.now());
  };

  log(`queueing ${N} orders with the sidecar stopped`);
  for (let i = 0; i < N; i += 8) await Promise.all(Array.from({ length: Math.min(8, N - i) }, createOne));
  const t0 = Date.now();
  const sidecar = stack.startSidecar({ worker: { lease_seconds: 60, batch: 50, wait_seconds: 5 }, erp: { write_concurrency: WRITES } });
  await stack.waitFor('backlog drained', () => stack.events("state <> 'done'").length === 0, 30 * 60_000);
  const drainS = (Date.now() - t0) / 1000;
  log(`drained ${N} in ${drainS.toFixed(1)} s`);

  log(`steady ${RATE}/s for ${STEADY_S} s`);
  const steadyIds: number[] = [];
  const startSteady = Date.now();
  for (let i = 0; i < RATE * STEADY_S; i++) {
    const due = startSteady + (i * 1000) / RATE;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const before = created.size;
    await createOne();
    if (created.size > before) steadyIds.push([...created.keys()].pop() ?? 0);
  }
  await stack.waitFor('steady orders pushed', () => stack.events("state <> 'done'").length === 0, 120_000);
  const latencies = steadyIds.map((id) => {
    const at = stack.erp.findOrderByRefClient(`WC-${id}`)?.created_at_ms;
    return at === undefined ? Number.NaN : at - (created.get(id) ?? 0);
  }).filter((x) => Number.isFinite(x));

  log('hook overhead: woocommerce_new_order with Syncline listening, 2,000 times (wp syncline bench hook-overhead)');
  const hook = JSON.parse(stack.wp(['syncline', 'bench', 'hook-overhead', '--count=2000']).trim().split('\n')[0] ?? '{}') as Record<string, number>;
  const rssKb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(sidecar.pid)]).toString().trim());
  const counts = stack.erp.orderCountsByRefClient();
  const duplicates = Object.values(counts).filter((c) => c > 1).reduce((a, c) => a + c - 1, 0);
  const lost = [...created.keys()].filter((id) => !counts[`WC-${id}`]).length;
  console.log(JSON.stringify({
    bench: 'orders', woocommerce: stack.site.wcVersion.includes('standin') ? 'stand-in' : stack.site.wcVersion,
    erp: `dolibarr stand-in (${LATENCY} ms per call, ${WRITES} write(s) at once)`, orders: created.size,
    orders_per_s: Number((N / drainS).toFixed(1)),
    latency_ms: { p50: pct(latencies, 50), p99: pct(latencies, 99) },
    hook_overhead_ms: { p50: Number(((hook.hook_p50_us ?? 0) / 1000).toFixed(3)), p99: Number(((hook.hook_p99_us ?? 0) / 1000).toFixed(3)) },
    erp_duplicates: duplicates, lost, sidecar_rss_mb: Number((rssKb / 1024).toFixed(1)),
  }));
} finally {
  await stack.stop();
}
