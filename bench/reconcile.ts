/**
 * Reconciliation benchmark: `npm run bench -- reconcile [--orders 10000] [--skus 10000]`.
 * Real WordPress 7 + WooCommerce 11 + the bundled sidecar + the real Dolibarr 20.0.2. Seeding (not measured):
 * - WooCommerce: the orders through WooCommerce's order API inside one PHP process (bench/reconcile-seed.php via
 *   `wp eval`), their outbox events marked done; the SKUs through the test helper's bulk route (WooCommerce's
 *   product APIs, 2,000 per request), 100 units each;
 * - Dolibarr: the products through its API (scripts/env/dolibarr.ts, PHP API in one process), 100 units each; the
 *   sales orders with SQL on Dolibarr's tables (seeding only: 10,000 orders through its REST API would take hours
 *   on this machine), each with the order's correlation id as ref_ext, validated, total = WooCommerce's.
 * Seeded discrepancies, a few percent of each class: orders left out of Dolibarr (missing), outbox events deleted
 * and left out (no outbox event), two Dolibarr orders (duplicated), a total off by 1–99 cents, a draft (status),
 * WooCommerce stock off by 1–5 units (stock drift). Then `wp syncline reconcile --repair` (the real WP-CLI; the
 * sidecar does the run). One JSON line: seeded, found (seeded items found), false_positives, repaired (repairable
 * items whose resync was enqueued), run_s (the sidecar's time from start to final report).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN, sql, wpAsync } from '../scripts/env/wp-env.js';
import { Stack } from '../tests/ts/support/stack.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('orders', 10_000);
const S = arg('skus', 10_000);
const log = (m: string): void => console.error(`[bench reconcile] ${m}`);
const t = (): number => Date.now();

const stack = await Stack.start({ name: 'benchrecon', port: 18503, products: [] });
try {
  const wpSql = (s: string): string => sql(`USE \`${stack.site.db}\`; ${s}`);
  const erpSql = (s: string): string => (stack.erp as unknown as { dolibarr: { sql(q: string): string } }).dolibarr.sql(s);
  let t0 = t();
  const skus = Array.from({ length: S }, (_, i) => `RB-${String(i).padStart(5, '0')}`);
  const out = join(RUN, 'bench-reconcile-orders.jsonl');
  process.env.SYNCLINE_SEED_N = String(N);
  process.env.SYNCLINE_SEED_OUT = out;
  process.env.SYNCLINE_SEED_FROM = '0';
  // The three seedings at once: WooCommerce products (500 per request), Dolibarr products, WooCommerce orders.
  const [, , seeded0] = await Promise.all([
    (async () => {
      for (let i = 0; i < S; i += 500) await stack.testApi('POST', '/products/bulk', { items: skus.slice(i, i + 500).map((sku) => ({ sku, stock: 100 })) });
    })(),
    stack.erp.addProducts(skus, 100),
    wpAsync(stack.site, ['eval', `require '${join(process.cwd(), 'bench', 'reconcile-seed.php')}';`]),
  ]);
  assert.equal(seeded0.status, 0, seeded0.stderr);
  const orders = readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: number; cid: string; total: string });
  assert.equal(orders.length, N);
  log(`${S} SKUs in WooCommerce and Dolibarr, ${N} WooCommerce orders (one PHP process) in ${((t() - t0) / 1000).toFixed(0)} s`);

  // Every 100 orders: 3 missing, 2 without an event, 2 duplicated, 2 total, 2 draft (status).
  const seeded = new Map<string, { repairable: boolean }>();
  const cls = (i: number): string | null => ['missing_in_erp', 'missing_in_erp', 'missing_in_erp', 'no_outbox_event', 'no_outbox_event', 'duplicated_in_erp', 'duplicated_in_erp', 'total_mismatch', 'total_mismatch', 'status_mismatch', 'status_mismatch'][i % 100] ?? null;
  t0 = t();
  const soc = await stack.erp.addCustomer('bench-reconcile@example.test');
  const rows: string[] = [];
  let n = 0;
  const noEvent: number[] = [];
  for (const [i, o] of orders.entries()) {
    const c = cls(i);
    if (c) seeded.set(`${c}:${o.id}`, { repairable: c !== 'duplicated_in_erp' && c !== 'total_mismatch' });
    if (c === 'missing_in_erp') continue;
    if (c === 'no_outbox_event') { noEvent.push(o.id); continue; }
    const total = c === 'total_mismatch' ? (Number(o.total) + ((i % 99) + 1) / 100).toFixed(2) : o.total;
    const row = (suffix: string): string => `('RB${++n}${suffix}', 1, ${soc}, '${o.cid}', 'WC-${o.id}', ${c === 'status_mismatch' ? 0 : 1}, ${total}, 0, ${total}, NOW())`;
    rows.push(row(''));
    if (c === 'duplicated_in_erp') rows.push(row('D'));
  }
  // 500 rows (~75 KB) per statement: the statement is one argument of the mariadb client, and Linux refuses a single
  // argument over 128 KB (E2BIG: 2,000 rows of 10,000 orders failed with no message).
  for (let i = 0; i < rows.length; i += 500) {
    erpSql(`INSERT INTO llx_commande (ref, entity, fk_soc, ref_ext, ref_client, fk_statut, total_ht, total_tva, total_ttc, date_creation) VALUES ${rows.slice(i, i + 500).join(',')}`);
  }
  wpSql(`DELETE FROM wp_syncline_events WHERE object_type = 'order' AND object_id IN (${noEvent.join(',')})`);
  log(`${rows.length} Dolibarr orders (SQL) in ${((t() - t0) / 1000).toFixed(0)} s`);

  // The sidecar's first full pull sets every SKU's stock; then 3 % drift (WooCommerce's _stock edited behind it).
  stack.startSidecar({ stock: { full_interval_seconds: 86_400, changed_interval_seconds: 3600 }, erp: { timeout_ms: 30_000 } });
  await stack.waitFor('the first full stock pull', () => Number(wpSql('SELECT COUNT(*) FROM wp_syncline_stock_state').trim()) >= S, 600_000);
  const drifted = skus.filter((_, i) => i % 100 < 3);
  for (const sku of drifted) seeded.set(`stock_drift:${sku}`, { repairable: true });
  const skuList = drifted.map((s) => `'${s}'`).join(',');
  wpSql(`UPDATE wp_postmeta s JOIN wp_postmeta k ON k.post_id = s.post_id AND k.meta_key = '_stock' SET k.meta_value = k.meta_value + 1 + CAST(SUBSTRING(s.meta_value, 4) AS UNSIGNED) % 5 WHERE s.meta_key = '_sku' AND s.meta_value IN (${skuList})`);
  await stack.waitFor('the queue idle', () => stack.events("state IN ('pending','leased')").length === 0, 120_000);

  log('reconciling (wp syncline reconcile --repair)');
  const wall0 = t();
  // Not stack.wp: a blocking call would stop this process's fault proxy, which the sidecar reaches Dolibarr through.
  const cli = await wpAsync(stack.site, ['syncline', 'reconcile', '--repair', '--format=json', '--wait=900']);
  assert.equal(cli.status, 0, cli.stderr);
  const text = cli.stdout;
  const wallS = (t() - wall0) / 1000;
  const items = JSON.parse(text.slice(text.indexOf('['), text.lastIndexOf(']') + 1)) as Array<{ class: string; object_key: string; repairable: boolean; state: string }>;
  const run = (JSON.parse((await wpAsync(stack.site, ['syncline', 'reconcile', 'runs', '--format=json'])).stdout) as Array<{ repaired: number; duration_ms: number; found: number }>)[0];
  const keys = new Set(items.map((i) => `${i.class}:${i.object_key}`));
  const found = [...seeded.keys()].filter((k) => keys.has(k)).length;
  const falsePositives = [...keys].filter((k) => !seeded.has(k));
  const repairable = [...seeded.values()].filter((v) => v.repairable).length;
  if (falsePositives.length > 0) log(`false positives: ${falsePositives.slice(0, 10).join(', ')}`);
  console.log(JSON.stringify({
    bench: 'reconcile', orders: N, skus: S, erp: 'dolibarr 20.0.2', seeded: seeded.size, found, false_positives: falsePositives.length,
    repairable, repaired: run?.repaired ?? 0, run_s: Number(((run?.duration_ms ?? 0) / 1000).toFixed(1)), cli_wall_s: Number(wallS.toFixed(1)),
  }));
} finally {
  await stack.stop();
}
