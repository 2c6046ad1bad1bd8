/**
 * Orders benchmark on Odoo (`npm run bench -- orders --erp odoo`): real WordPress + WooCommerce + MariaDB, the
 * bundled sidecar with `erp.type: "odoo"` and a real Odoo 17.0 (tests/ts/support/odoo-stack.ts). Phases:
 *   1. throughput: N orders queued while the sidecar is stopped, then drained; orders_per_s;
 *   2. ERP ceiling: a bare sequential JSON-RPC client in the same run against the same Odoo doing only what a
 *      correct push needs (sale.order.create with its lines for an existing partner, action_confirm);
 *      erp_ceiling_orders_per_s and the ratio orders_per_s / ceiling;
 *   3. audit: every WooCommerce order in Odoo (by client_order_ref) exactly once and confirmed: lost, duplicates.
 * Options: --orders N (200), --ceiling-orders C (50), --erp-write-concurrency W (1).
 */
import { simpleOrder } from '../tests/ts/support/orders.js';
import { OdooStack } from '../tests/ts/support/odoo-stack.js';

const opt = (n: string, d: number): number => {
  const i = process.argv.indexOf(`--${n}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const N = opt('orders', 200);
const CEILING_N = opt('ceiling-orders', 50);
const WRITES = opt('erp-write-concurrency', 1);
const SKUS = ['TSHIRT-PLAIN', 'HOODIE-S-GREY'];
const log = (m: string): void => { process.stderr.write(`[bench orders --erp odoo] ${m}\n`); };

/** The bare client: create with lines + confirm, one order after the other. */
async function ceiling(stack: OdooStack, orders: number): Promise<{ orders: number; seconds: number; orders_per_s: number }> {
  const o = stack.odoo;
  const partner = await o.call<number>('res.partner', 'create', [{ name: `Ceiling bench ${Date.now()}`, email: 'ceiling@example.test' }]);
  const products = new Map((await o.call<Array<{ id: number; default_code: string }>>('product.product', 'search_read', [[['default_code', 'in', SKUS]]], { fields: ['default_code'] })).map((p) => [p.default_code, p.id]));
  const lines = [['TSHIRT-PLAIN', 2, 19.99], ['HOODIE-S-GREY', 1, 49]] as const;
  const values = { partner_id: partner, order_line: lines.map(([ref, qty, price]) => [0, 0, { product_id: products.get(ref), product_uom_qty: qty, price_unit: price, tax_id: [[6, 0, []]] }]) };
  const t0 = performance.now();
  for (let i = 0; i < orders; i++) {
    const id = await o.call<number>('sale.order', 'create', [{ ...values, client_order_ref: `CEILING-${i}` }]);
    await o.call('sale.order', 'action_confirm', [[id]]);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { orders, seconds: Number(seconds.toFixed(2)), orders_per_s: Number((orders / seconds).toFixed(2)) };
}

const stack = await OdooStack.start({ name: 'benchodoo', portOffset: 9, products: SKUS, qty: 1_000_000, odooName: 'bench', odooPortOffset: 4 });
try {
  const ids: number[] = [];
  log(`queueing ${N} orders with the sidecar stopped`);
  for (let i = 0; i < N; i += 8) {
    ids.push(...await Promise.all(Array.from({ length: Math.min(8, N - i) }, (_, k) => stack.createOrder(simpleOrder(`bench${(i + k) % 50}@example.test`)))));
  }
  const t0 = Date.now();
  stack.startSidecar({ worker: { lease_seconds: 60, batch: 50, wait_seconds: 5 }, erp: { timeout_ms: 30_000, write_concurrency: WRITES } });
  await stack.waitFor('backlog drained', () => stack.events("state IN ('pending','leased')").length === 0, 60 * 60_000);
  const drainS = (Date.now() - t0) / 1000;
  const ordersPerS = N / drainS;
  log(`drained ${N} in ${drainS.toFixed(1)} s`);
  await stack.stopSidecars();

  log(`Odoo ceiling: ${CEILING_N} orders by a bare sequential client (create with lines, confirm)`);
  const c = await ceiling(stack, CEILING_N);
  log(`ceiling ${c.orders_per_s} orders/s`);

  const rows = await stack.saleOrders();
  const counts = new Map<string, number>();
  for (const r of rows) if (typeof r.client_order_ref === 'string' && r.client_order_ref.startsWith('WC-') && r.state === 'sale') counts.set(r.client_order_ref, (counts.get(r.client_order_ref) ?? 0) + 1);
  const lost = ids.filter((id) => !counts.has(`WC-${id}`)).length;
  const duplicates = [...counts.values()].reduce((s, n) => s + Math.max(0, n - 1), 0);
  console.log(JSON.stringify({
    bench: 'orders', erp: `odoo ${stack.odoo.version.replace(/-.*$/, '')}`, erp_server_version: stack.odoo.version, woocommerce: stack.site.wcVersion,
    orders: N, erp_write_concurrency: WRITES, orders_per_s: Number(ordersPerS.toFixed(2)),
    erp_ceiling_orders_per_s: c.orders_per_s, ceiling_ratio: Number((ordersPerS / c.orders_per_s).toFixed(2)), ceiling_orders: c.orders,
    lost, erp_duplicates: duplicates, needs_human: stack.events("state = 'needs_human'").length,
  }));
} finally {
  await stack.stop();
}
