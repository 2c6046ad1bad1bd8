/**
 * Syncline's Dolibarr adapter against the ERP's own ceiling, on a real Dolibarr 20.0.2, in one run:
 * rounds alternate between the adapter (in-process, P pipelines, W write slots, customers existing and remembered)
 * and a bare sequential client doing only what a correct push needs (POST /orders with lines, POST .../validate),
 * the same orders' shape each time; medians of the rounds and the adapter's requests per order.
 *
 *   SYNCLINE_DOLIBARR_PORT=18420 node --import tsx tests/ts/contract/erp-throughput.ts [orders=100] [rounds=3]
 *   env: PIPELINES (16, the adapter's default), WRITES (1)
 */
import { startDolibarr } from '../../../scripts/env/dolibarr.js';
import type { Order } from '../../../src/canonical/index.js';
import { createDolibarrAdapter } from '../../../src/erp/dolibarr/index.js';
import type { ErpAdapter } from '../../../src/ports/erp.js';
import { makeOrder } from '../standins/dolibarr/testing.js';

const N = Number(process.argv[2] ?? 100);
const ROUNDS = Number(process.argv[3] ?? 3);
const PIPELINES = Number(process.env['PIPELINES'] ?? 16);
const WRITES = Number(process.env['WRITES'] ?? 1);
const CUSTOMERS = 17;
const TAG = Date.now().toString(36).toUpperCase();

const erp = await startDolibarr({ name: 'throughput', port: Number(process.env['SYNCLINE_DOLIBARR_PORT'] ?? 18420) });
const skus = [`T${TAG}A`, `T${TAG}B`, `T${TAG}C`];
const products = await erp.addProducts(skus, 1_000_000);
const pid = new Map(products.map((p) => [p.ref, p.id]));

const counts = new Map<string, number>();
const realFetch = globalThis.fetch;
globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
  const path = String(input).replace(erp.url, '').replace(/\?.*$/, '').replace(/\/\d+/g, '/{id}').replace(/email\/.*/, 'email/{e}');
  const key = `${init?.method ?? 'GET'} ${path}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
  return realFetch(input, init);
}) as typeof fetch;

let serial = 0;
function ordersOfRound(): Order[] {
  return Array.from({ length: N }, (_, i) => makeOrder({
    number: `T${TAG}-${serial++}`,
    lines: [{ sku: skus[i % 3] ?? '', qty: 1 + (i % 2), unit: 1990, rateId: 1 }, { sku: skus[(i + 1) % 3] ?? '', qty: 1, unit: 990, rateId: 1 }],
    email: `t-${TAG}-${i % CUSTOMERS}@example.com`,
  }));
}

/** What the pipeline does for one order (engine/pipeline.ts without the WordPress side). */
async function push(adapter: ErpAdapter, order: Order): Promise<void> {
  await adapter.findMissingProducts(order.lines.map((l) => l.erpRef));
  let state = await adapter.findOrderState(order);
  if (!state.customer) state = await adapter.runStep('customer', order, state);
  if (!state.salesOrder) state = await adapter.runStep('sales_order', order, state);
  if (!state.salesOrder?.validated) await adapter.runStep('validate_order', order, state);
}

async function syncline(adapter: ErpAdapter, orders: Order[]): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: PIPELINES }, async () => {
    for (let o = orders[next++]; o; o = orders[next++]) await push(adapter, o);
  }));
  return orders.length / ((performance.now() - t0) / 1000);
}

async function bare(socid: number, round: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const created = await erp.api<number>('POST', '/orders', {
      socid, date: Math.floor(Date.now() / 1000), ref_client: `B-${TAG}-${round}-${i}`, ref_ext: `b-${TAG}-${round}-${i}`,
      lines: [
        { fk_product: pid.get(skus[i % 3] ?? ''), qty: 1 + (i % 2), subprice: '19.90', tva_tx: '20', product_type: 0 },
        { fk_product: pid.get(skus[(i + 1) % 3] ?? ''), qty: 1, subprice: '9.90', tva_tx: '20', product_type: 0 },
      ],
    });
    await erp.api('POST', `/orders/${created.body}/validate`, { idwarehouse: 1, notrigger: 0 }, [304]);
  }
  return N / ((performance.now() - t0) / 1000);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const adapter = createDolibarrAdapter({ url: erp.url, apiKey: erp.apiKey, warehouseId: 1, refClientPrefix: 'WC-', timeoutMs: 15_000, concurrency: PIPELINES, writeConcurrency: WRITES });
const socid = (await erp.api<number>('POST', '/thirdparties', { name: `Bare ${TAG}`, client: '1', code_client: '-1', country_id: 1 })).body;

// Warm-up (not counted): the customers are created one by one and remembered, PHP's opcache is warm.
const warm = ordersOfRound();
for (const o of warm.slice(0, CUSTOMERS)) await push(adapter, o);
await syncline(adapter, warm.slice(CUSTOMERS, CUSTOMERS * 2));
await bare(socid, -1);
counts.clear();

const ours: number[] = [];
const ceiling: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  ours.push(await syncline(adapter, ordersOfRound()));
  ceiling.push(await bare(socid, r));
}
const total = (prefix: string): number => [...counts].filter(([k]) => k.startsWith(prefix)).reduce((a, [, n]) => a + n, 0);
const bareRequests = 2 * N * ROUNDS;
const oursRequests = [...counts.values()].reduce((a, b) => a + b, 0) - bareRequests;
const dup = erp.sql(`SELECT COUNT(*) FROM (SELECT ref_ext FROM llx_commande WHERE ref_ext NOT LIKE 'b-%' GROUP BY ref_ext HAVING COUNT(*) > 1) d`).trim();
const drafts = erp.sql(`SELECT COUNT(*) FROM llx_commande WHERE fk_statut = 0`).trim();
console.log(JSON.stringify({
  erp: `dolibarr ${erp.version}`, orders: N, rounds: ROUNDS, pipelines: PIPELINES, write_slots: WRITES,
  orders_per_s: Number(median(ours).toFixed(2)), erp_ceiling_orders_per_s: Number(median(ceiling).toFixed(2)),
  ratio: Number((median(ours) / median(ceiling)).toFixed(2)),
  // Each round is paired with the bare round right after it: on a shared machine the paired ratio is steadier.
  median_round_ratio: Number(median(ours.map((x, i) => x / (ceiling[i] ?? x))).toFixed(2)),
  rounds_orders_per_s: ours.map((x) => Number(x.toFixed(2))), rounds_ceiling: ceiling.map((x) => Number(x.toFixed(2))),
  requests_per_order: Number((oursRequests / (N * ROUNDS)).toFixed(2)),
  get_orders_per_order: Number(((total('GET /orders')) / (N * ROUNDS)).toFixed(2)),
  erp_duplicates: Number(dup), drafts_left: Number(drafts),
}));
await erp.stop();
