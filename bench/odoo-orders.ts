/**
 * Orders benchmark on Odoo (`npm run bench -- orders --erp odoo`): real WordPress + WooCommerce + MariaDB, the
 * bundled sidecar with `erp.type: "odoo"` and a real Odoo 17.0 behind the fault proxy with no fault set
 * (bench/erp-under-test.ts `startOdooBenchStack`: the proxy only logs the sidecar's JSON-RPC calls). Phases:
 *   1. throughput: N orders queued while the sidecar is stopped, then drained; orders_per_s, and the JSON-RPC
 *      calls per order by `model.method` (where the time goes);
 *   2. ERP ceiling: a bare sequential JSON-RPC client in the same run against the same Odoo doing only what a
 *      correct push of the same orders needs: sale.order.create with the same lines (the shipping line too: without it
 *      the total is not WooCommerce's), action_confirm, and a res.partner.create for as many orders as the drain
 *      meets a new customer (--customers of --orders; it remembers its partners, so no lookup); half of
 *      --ceiling-orders right before the drain and half right after (the machine's load drifts), as bench/orders.ts;
 *      erp_ceiling_orders_per_s and the ratio orders_per_s / ceiling;
 *   Where the time goes: JSON-RPC calls per order by `model.method`, and CPU ms per order of Odoo, its PostgreSQL
 *   backends, WordPress, MariaDB and the sidecar in the drain, against Odoo's and PostgreSQL's in the ceiling;
 *   3. audit (bench/erp-audit.ts, Odoo's reader): every WooCommerce order in Odoo by its key, once and confirmed.
 * Options: --orders N (200), --ceiling-orders C (50), --erp-write-concurrency W (1), --customers K (50: returning
 * customers the orders cycle through; each is a new res.partner on its first order, which the ceiling never makes).
 */
import { RUN } from '../scripts/env/wp-env.js';
import { simpleOrder } from '../tests/ts/support/orders.js';
import type { OdooStack } from '../tests/ts/support/odoo-stack.js';
import { audit } from './erp-audit.js';
import { odooRpc } from './erp-faults.js';
import { startOdooBenchStack } from './erp-under-test.js';
import { cpuMeters, cpuOf, cpuPerOrder } from './wp-profile.js';

const opt = (n: string, d: number): number => {
  const i = process.argv.indexOf(`--${n}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const N = opt('orders', 200);
const CEILING_N = opt('ceiling-orders', 50);
const WRITES = opt('erp-write-concurrency', 1);
const CUSTOMERS = opt('customers', 50);
const SKUS = ['TSHIRT-PLAIN', 'HOODIE-S-GREY'];
const log = (m: string): void => { process.stderr.write(`[bench orders --erp odoo ${new Date().toISOString().slice(11, 19)}] ${m}\n`); };

interface Ceiling { orders: number; seconds: number; orders_per_s: number }

/** The bare client: per order, a partner when the order's customer is new (at the drain's rate), create with the same lines, confirm. */
async function ceiling(stack: OdooStack, orders: number, from: number): Promise<Ceiling> {
  const o = stack.odoo;
  const refs = [...SKUS, 'Delivery_007'];
  const products = new Map((await o.call<Array<{ id: number; default_code: string }>>('product.product', 'search_read', [[['default_code', 'in', refs]]], { fields: ['default_code'] })).map((p) => [p.default_code, p.id]));
  const lines = [['TSHIRT-PLAIN', 2, 19.99], ['HOODIE-S-GREY', 1, 49], ['Delivery_007', 1, 5]] as const;
  const orderLines = lines.map(([ref, qty, price]) => [0, 0, { product_id: products.get(ref), product_uom_qty: qty, price_unit: price, tax_id: [[6, 0, []]] }]);
  const newEvery = Math.max(1, Math.round(N / Math.min(CUSTOMERS, N)));
  let partner = 0;
  const t0 = performance.now();
  for (let i = 0; i < orders; i++) {
    if (partner === 0 || (from + i) % newEvery === 0) partner = await o.call<number>('res.partner', 'create', [{ name: `Ceiling bench ${from + i}`, email: `ceiling${from + i}@example.test` }]);
    const id = await o.call<number>('sale.order', 'create', [{ partner_id: partner, order_line: orderLines, client_order_ref: `CEILING-${from + i}` }]);
    await o.call('sale.order', 'action_confirm', [[id]]);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { orders, seconds: Number(seconds.toFixed(2)), orders_per_s: Number((orders / seconds).toFixed(2)) };
}

const { stack, erp } = await startOdooBenchStack('benchodoo', 9, 4, SKUS);
try {
  log(`queueing ${N} orders with the sidecar stopped (${CUSTOMERS} returning customers)`);
  let seq = 0;
  for (let i = 0; i < N; i += 8) {
    await Promise.all(Array.from({ length: Math.min(8, N - i) }, () => stack.createOrder(simpleOrder(`bench${seq++ % CUSTOMERS}@example.test`))));
  }
  const db = stack.odoo.db;
  const odooCpu = (): Record<string, number> => ({
    odoo: cpuOf((c) => c.includes('odoo-bin') && c.includes(` -d ${db} `)),
    postgres: cpuOf((c) => c.startsWith('postgres: ') && c.includes(` ${db} `)),
  });
  log(`Odoo ceiling before the drain: ${Math.ceil(CEILING_N / 2)} orders by a bare sequential client`);
  const ceilingCpu0 = odooCpu();
  const before = await ceiling(stack, Math.ceil(CEILING_N / 2), 0);
  const ceilingCpu1 = odooCpu();
  const callsFrom = erp.calls.length;
  const t0 = Date.now();
  const sidecar = stack.startSidecar({ worker: { lease_seconds: 60, batch: 50, wait_seconds: 5 }, erp: { ...erp.sidecar, timeout_ms: 30_000, write_concurrency: WRITES } });
  const meters = cpuMeters({ sitePath: stack.site.path, runDir: RUN, ...(sidecar.pid !== undefined ? { sidecarPid: sidecar.pid } : {}) });
  const drainMeter = (): Record<string, number> => { const { dolibarr: _unused, ...rest } = meters(); return { ...odooCpu(), ...rest }; };
  const drainCpu0 = drainMeter();
  await stack.waitFor('backlog drained', () => { const s = stack.countByState(); return !s['pending'] && !s['leased']; }, 60 * 60_000);
  const drainCpu = cpuPerOrder(drainCpu0, drainMeter(), N);
  const drainS = (Date.now() - t0) / 1000;
  const ordersPerS = N / drainS;
  const byKind = new Map<string, number>();
  for (const c of erp.calls.slice(callsFrom)) {
    const rpc = odooRpc(c.body);
    const k = rpc ? rpc.join('.') : 'other';
    byKind.set(k, (byKind.get(k) ?? 0) + 1);
  }
  const perOrder = (n: number): number => Number((n / N).toFixed(2));
  const rpcs = { total: perOrder(erp.calls.length - callsFrom), ...Object.fromEntries([...byKind].sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, perOrder(n)])) };
  log(`drained ${N} in ${drainS.toFixed(1)} s; JSON-RPC calls per order ${JSON.stringify(rpcs)}; CPU ms per order ${JSON.stringify(drainCpu)}`);
  await stack.stopSidecars();

  log(`Odoo ceiling after the drain: ${Math.floor(CEILING_N / 2)} orders`);
  const ceilingCpu2 = odooCpu();
  const after = await ceiling(stack, Math.floor(CEILING_N / 2), before.orders);
  const ceilingCpu3 = odooCpu();
  const ceilingCpu = cpuPerOrder({}, Object.fromEntries(Object.keys(ceilingCpu0).map((k) => [k,
    (ceilingCpu1[k] ?? 0) - (ceilingCpu0[k] ?? 0) + (ceilingCpu3[k] ?? 0) - (ceilingCpu2[k] ?? 0)])), before.orders + after.orders);
  const c = { orders: before.orders + after.orders, orders_per_s: Number(((before.orders + after.orders) / (before.seconds + after.seconds)).toFixed(2)) };
  log(`ceiling ${c.orders_per_s} orders/s (before ${before.orders_per_s}, after ${after.orders_per_s})`);

  const a = await audit(erp.reader, stack.site.db, new Map());
  console.log(JSON.stringify({
    bench: 'orders', erp: erp.label, erp_server_version: stack.odoo.version, woocommerce: stack.site.wcVersion,
    orders: N, customers: CUSTOMERS, erp_write_concurrency: WRITES, orders_per_s: Number(ordersPerS.toFixed(2)),
    erp_ceiling_orders_per_s: c.orders_per_s, ceiling_ratio: Number((ordersPerS / c.orders_per_s).toFixed(2)), ceiling_orders: c.orders,
    ceiling_before_after: [before.orders_per_s, after.orders_per_s], rpc_per_order: rpcs,
    cpu_ms_per_order: { drain: drainCpu, ceiling: ceilingCpu },
    // Share of wall time Odoo's process was on a CPU: well below 1 in the drain while the ceiling's is near it means Odoo waited for work.
    odoo_busy: { drain: Number((((drainCpu['odoo'] ?? 0) * N) / (drainS * 1000)).toFixed(2)), ceiling: Number((((ceilingCpu['odoo'] ?? 0) * c.orders) / ((before.seconds + after.seconds) * 1000)).toFixed(2)) },
    lost: a.lost, erp_duplicates: a.erp_duplicates, stock_double_counted: a.stock_double_counted, needs_human: a.needs_human,
  }));
} finally {
  await stack.stop();
}
