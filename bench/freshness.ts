/**
 * Freshness benchmark: --changes N (200) stock changes booked in the real Dolibarr 20.0.2 (stock movements out,
 * receipts in, sales orders created and validated, which takes their stock) while WooCommerce takes orders
 * (checkouts through the test helper, pushed by the same sidecar into Dolibarr, whose validations move stock and
 * call the webhook too). Per change: seconds from the moment the change was sent to Dolibarr until WooCommerce
 * shows the right available-to-sell (the SKU's warehouse-1 stock in Dolibarr; the measured SKUs are never ordered
 * in WooCommerce, so no in-flight quantity blurs the expected figure). The bundled sidecar runs as in production
 * (stock changed-since poll every 30 s, master data every 60 s). Push: Dolibarr's Webhook module calls
 * /syncline/v1/webhooks/dolibarr/{secret}; poll: the same with the webhook target disabled. A change not seen within
 * --give-up seconds (120) is lost.
 */
import type { Dolibarr } from '../scripts/env/dolibarr.js';
import { sql } from '../scripts/env/wp-env.js';
import { addWebhookTarget, setWebhookTargetEnabled } from '../tests/ts/support/dolibarr-webhook.js';
import { Stack } from '../tests/ts/support/stack.js';

const opt = (n: string, d: number): number => {
  const i = process.argv.indexOf(`--${n}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const CHANGES = opt('changes', 200);
const SKUS = opt('skus', 40);
const SPACING_MS = opt('spacing-ms', 400);
const GIVE_UP_S = opt('give-up', 120);
const log = (m: string): void => { process.stderr.write(`[bench freshness] ${m}\n`); };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return Number((s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0).toFixed(2));
};

const measured = Array.from({ length: SKUS }, (_, i) => `FM-${String(i).padStart(3, '0')}`);
const shop = Array.from({ length: 10 }, (_, i) => `FS-${String(i).padStart(3, '0')}`);
const stack = await Stack.start({ name: 'benchfresh', port: 18506, products: [...measured, ...shop] });

interface Change { sku: string; kind: 'movement' | 'receipt' | 'order'; want: number; t0: number; seen?: number }

/** WooCommerce `_stock` of the measured SKUs, one query. */
function wcStock(): Map<string, number> {
  const db = stack.site.db;
  const out = sql(`SELECT s.meta_value, k.meta_value FROM \`${db}\`.wp_postmeta s JOIN \`${db}\`.wp_postmeta k ON k.post_id = s.post_id AND k.meta_key = '_stock'
    WHERE s.meta_key = '_sku' AND s.meta_value LIKE 'FM-%'`);
  return new Map(out.split('\n').filter(Boolean).map((l) => { const [sku = '', v = '0'] = l.split('\t'); return [sku, Number(v)]; }));
}

/**
 * Books changes one every SPACING_MS (or as soon as a SKU is free) on SKUs with no change pending, while a watcher
 * records when each shows.
 */
async function run(mode: 'push' | 'poll', dolibarr: Dolibarr, customer: number, stock: Map<string, number>): Promise<Change[]> {
  const changes: Change[] = [];
  const pending = new Map<string, Change>();
  let booking = true;
  const watcher = (async () => {
    while (booking || pending.size > 0) {
      const now = Date.now();
      const wc = wcStock();
      for (const [sku, c] of pending) {
        if (wc.get(sku) === c.want) { c.seen = now; pending.delete(sku); } else if (now - c.t0 > GIVE_UP_S * 1000) pending.delete(sku);
      }
      await sleep(150);
    }
  })();
  for (let i = 0; i < CHANGES; i++) {
    // Only a SKU with no change still to show: a second change before the first shows would supersede it (it could
    // never be seen and would count as lost). When every SKU waits (polling), wait for one.
    let free = measured.filter((s) => !pending.has(s));
    while (free.length === 0) {
      await sleep(150);
      free = measured.filter((s) => !pending.has(s));
    }
    const sku = free[i % free.length] ?? '';
    const id = Number(dolibarr.sql(`SELECT rowid FROM llx_product WHERE ref = '${sku}'`).trim());
    const kind: Change['kind'] = i % 5 === 3 ? 'receipt' : i % 5 === 4 ? 'order' : 'movement';
    const qty = 1 + (i % 3);
    const want = (stock.get(sku) ?? 0) + (kind === 'receipt' ? qty : -qty);
    const c: Change = { sku, kind, want, t0: Date.now() };
    if (kind === 'order') {
      const order = await dolibarr.api<number>('POST', '/orders', { socid: customer, date: Math.floor(Date.now() / 1000), lines: [{ fk_product: id, qty, subprice: 10, tva_tx: 20, product_type: 0 }] });
      await dolibarr.api('POST', `/orders/${order.body}/validate`, { idwarehouse: 1, notrigger: 0 });
    } else {
      await dolibarr.api('POST', '/stockmovements', { product_id: id, warehouse_id: 1, qty: kind === 'receipt' ? qty : -qty, movementlabel: `bench ${mode} ${kind}` });
    }
    stock.set(sku, want);
    changes.push(c);
    pending.set(sku, c);
    await sleep(SPACING_MS);
  }
  booking = false;
  await watcher;
  return changes;
}

let ordering = true;
let orders = 0;
/** WooCommerce takes orders on the shop SKUs meanwhile (the sidecar pushes them into Dolibarr). */
async function takeOrders(): Promise<void> {
  while (ordering) {
    try {
      await stack.testApi('POST', '/checkout', { line_items: [{ sku: shop[orders % shop.length], quantity: 1 }] });
      orders++;
    } catch (e) { log(`checkout failed: ${String(e)}`); }
    await sleep(1000);
  }
}

try {
  const dolibarr = (stack.erp as unknown as { dolibarr?: Dolibarr }).dolibarr;
  if (!dolibarr) throw new Error('bench freshness needs the real Dolibarr (../shared/realstack)');
  await stack.testApi('POST', '/products/bulk', { items: [...measured, ...shop].map((sku) => ({ sku, stock: 100 })) });
  sql(`INSERT INTO \`${stack.site.db}\`.wp_woocommerce_tax_rates (tax_rate_country, tax_rate, tax_rate_name, tax_rate_priority, tax_rate_order, tax_rate_class) VALUES ('FR', '20.0000', 'TVA', 1, 0, '')`);
  const setup = JSON.parse(stack.wp(['syncline', 'webhooks', 'setup', '--format=json']).trim().split('\n').pop() ?? '{}') as { url: string; trigger_codes: string };
  addWebhookTarget(dolibarr, setup.url, setup.trigger_codes);
  const customer = await stack.erp.addCustomer('freshness@example.test');
  stack.startSidecar({ erp: { timeout_ms: 15_000 }, worker: { wait_seconds: 20 } });
  const stock = new Map(measured.map((s) => [s, 100]));
  await stack.waitFor('first full stock pull', () => [...wcStock().values()].every((v) => v === 100) && wcStock().size === SKUS, 120_000);
  const orderLoop = takeOrders();

  log(`push: ${CHANGES} changes with the webhook target enabled`);
  const push = await run('push', dolibarr, customer, stock);
  setWebhookTargetEnabled(dolibarr, false);
  log(`poll: ${CHANGES} changes with the webhook target disabled (stock changed-since every 30 s)`);
  const poll = await run('poll', dolibarr, customer, stock);
  ordering = false;
  await orderLoop;

  const lat = (cs: Change[]): number[] => cs.filter((c) => c.seen !== undefined).map((c) => ((c.seen ?? 0) - c.t0) / 1000);
  const pushLat = lat(push);
  const pollLat = lat(poll);
  const kinds = (cs: Change[]): Record<string, number> => cs.reduce<Record<string, number>>((m, c) => ({ ...m, [c.kind]: (m[c.kind] ?? 0) + 1 }), {});
  console.log(JSON.stringify({
    bench: 'freshness', erp: stack.erp.label, changes: CHANGES,
    push_p50_s: pct(pushLat, 50), push_p99_s: pct(pushLat, 99), push_max_s: pct(pushLat, 100),
    poll_p50_s: pct(pollLat, 50), poll_p99_s: pct(pollLat, 99),
    lost_changes: push.length - pushLat.length, poll_lost_changes: poll.length - pollLat.length,
    kinds: kinds(push), woocommerce_orders_meanwhile: orders, measured_skus: SKUS,
    measured_from: 'the change sent to Dolibarr (its synchronous webhook call included) to WooCommerce _stock = Dolibarr warehouse-1 stock',
  }));
} finally {
  ordering = false;
  await stack.stop();
}
