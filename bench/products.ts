/**
 * Master data benchmark: --products N (10,000) in the real WooCommerce (test helper bulk route: WooCommerce's
 * product APIs in one PHP process) and in the real Dolibarr (Dolibarr's PHP API in one process); a warm-up full
 * scan (every product read and compared, none written: the catalogues agree); then --changed-percent (10) % of the
 * products change in Dolibarr (label and price, one SQL statement per 500: seeding only, Dolibarr's `tms` moves as
 * it does for any update) and one changed-since pass is timed: ERP read through the Dolibarr adapter
 * (`tms` filter), mapping, signed POST /syncline/v1/products/apply in batches of 200, each changed product saved
 * with WC_Product::save(). The pass runs in this process (ProductSync, the code the sidecar runs).
 * products_per_s = changed products written / time inside the apply requests; full_cycle_s = the whole pass.
 */
import { pino } from 'pino';
import type { Dolibarr } from '../scripts/env/dolibarr.js';
import { sql } from '../scripts/env/wp-env.js';
import { systemClock } from '../src/common/clock.js';
import { ProductSync } from '../src/engine/products/product-sync.js';
import type { ProductApplyRequest } from '../src/engine/products/wire.js';
import { WpProducts, type WpProductsApi } from '../src/engine/products/wp-products.js';
import { createDolibarrAdapter } from '../src/erp/dolibarr/index.js';
import { WpClient } from '../src/wp/client.js';
import { Stack } from '../tests/ts/support/stack.js';

const opt = (n: string, d: number): number => {
  const i = process.argv.indexOf(`--${n}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const N = opt('products', 10_000);
const PCT = opt('changed-percent', 10);
const log = (m: string): void => { process.stderr.write(`[bench products] ${m}\n`); };
const secs = (ms: number): number => Number((ms / 1000).toFixed(2));

/** Times the apply requests (the WordPress side of a pass). */
function timed(inner: WpProductsApi): WpProductsApi & { applyMs: number } {
  const t = {
    applyMs: 0,
    productsContext: () => inner.productsContext(),
    productSyncRequest: (id: number) => inner.productSyncRequest(id),
    async applyProducts(r: ProductApplyRequest) {
      const t0 = performance.now();
      try { return await inner.applyProducts(r); } finally { t.applyMs += performance.now() - t0; }
    },
  };
  return t;
}

const stack = await Stack.start({ name: 'benchproducts', port: 18505, products: [] });
try {
  const dolibarr = (stack.erp as unknown as { dolibarr?: Dolibarr }).dolibarr;
  if (!dolibarr) throw new Error('bench products needs the real Dolibarr (../shared/realstack)');
  const skus = Array.from({ length: N }, (_, i) => `BP-${String(i).padStart(6, '0')}`);
  log(`creating ${N} products in WooCommerce and in ${stack.erp.label}`);
  // 100 per request: a request must answer within undici's 300 s headers timeout on a loaded machine.
  for (let i = 0; i < N; i += 100) await stack.testApi('POST', '/products/bulk', { items: skus.slice(i, i + 100).map((sku) => ({ sku, stock: 5 })) });
  await stack.erp.addProducts(skus);
  // The store's 20 % rate in the standard class, so Dolibarr's 20 % VAT maps to a tax class (no exceptions).
  sql(`INSERT INTO \`${stack.site.db}\`.wp_woocommerce_tax_rates (tax_rate_country, tax_rate, tax_rate_name, tax_rate_priority, tax_rate_order, tax_rate_class) VALUES ('FR', '20.0000', 'TVA', 1, 0, '')`);
  // Seeding only: creation times an hour back, so the changed-since pass sees just the changes below.
  // Distinct seconds, so the warm-up's cursor (newest tms − 10 s) leaves only a few seeds to read again.
  dolibarr.sql('UPDATE llx_product SET tms = NOW() - INTERVAL 1 HOUR - INTERVAL rowid SECOND');

  const adapter = createDolibarrAdapter({ url: stack.erp.url, apiKey: stack.erp.apiKey, warehouseId: 1, refClientPrefix: 'WC-', timeoutMs: 60_000 });
  const wp = timed(new WpProducts(new WpClient({ url: stack.site.url, secret: stack.site.secret, timeoutMs: 120_000 }), 120_000));
  const sync = new ProductSync({ changedIntervalMs: 3_600_000 }, { adapter, wp, clock: systemClock, logger: pino({ level: 'silent' }) });
  log('warm-up: full scan (no cursor yet), every product read and compared');
  const warm = await sync.changedPass();
  log(`warm-up: ${JSON.stringify({ kind: warm.kind, read: warm.read, written: warm.written, unchanged: warm.unchanged, exceptions: warm.exceptions, ms: warm.ms })}`);
  if (warm.written !== 0) throw new Error(`warm-up wrote ${warm.written} products: the catalogues were meant to agree`);

  const changed = skus.filter((_, i) => i % Math.round(100 / PCT) === 0);
  for (let k = 0; k < changed.length; k += 500) {
    const list = changed.slice(k, k + 500).map((r) => `'${r}'`).join(',');
    dolibarr.sql(`UPDATE llx_product SET label = CONCAT(ref, ' v2'), price = price + 1.5, price_ttc = ROUND((price + 1.5) * 1.2, 8) WHERE ref IN (${list})`);
  }
  wp.applyMs = 0;
  const r = await sync.changedPass();
  log(`timed pass: ${JSON.stringify({ kind: r.kind, read: r.read, written: r.written, unchanged: r.unchanged, unknown: r.unknown.length, exceptions: r.exceptions, ms: r.ms, apply_ms: Math.round(wp.applyMs) })}`);
  if (r.written !== changed.length) throw new Error(`expected ${changed.length} products written, got ${r.written}`);
  const sample = changed[0] ?? '';
  const got = sql(`SELECT p.post_title, m.meta_value FROM \`${stack.site.db}\`.wp_posts p JOIN \`${stack.site.db}\`.wp_postmeta s ON s.post_id = p.ID AND s.meta_key = '_sku' AND s.meta_value = '${sample}'
    JOIN \`${stack.site.db}\`.wp_postmeta m ON m.post_id = p.ID AND m.meta_key = '_regular_price'`).trim();
  if (got !== `${sample} v2\t11.50`) throw new Error(`${sample} in WooCommerce: ${got}`);

  console.log(JSON.stringify({
    bench: 'products', woocommerce: stack.site.wcVersion, erp: stack.erp.label, products: N, changed: changed.length,
    read: r.read, written: r.written, unchanged: r.unchanged,
    products_per_s: Math.round(r.written / (wp.applyMs / 1000)), full_cycle_s: secs(r.ms),
    erp_read_s: secs(r.ms - wp.applyMs), apply_s: secs(wp.applyMs),
    full_scan_s: secs(warm.ms), full_scan_products_per_s: Math.round(N / (warm.ms / 1000)),
    cycle_in: 'bench process (ProductSync in-process, the sidecar\'s code, not build/sidecar.cjs)',
  }));
} finally {
  await stack.stop();
}
