/**
 * Stock benchmark: --skus N (10,000) products in real WooCommerce (test helper bulk route: WooCommerce's product
 * APIs in one PHP process, timed as catalogue_create_s) and in the stack's ERP (a real Dolibarr behind the fault
 * proxy, or the stand-in); a first full cycle (first sight, absolute) warms the state; then half the SKUs change in the ERP and
 * one full cycle is timed: ERP read through the Dolibarr adapter (paged product list with stock), computeAts,
 * signed POST /syncline/v1/stock/apply in chunks of 500. The cycle runs in this process (StockSync, the same
 * code the sidecar runs), so the RSS is this process's.
 * For comparison, --per-product N (2,000) SKUs are set one by one with wc_update_product_stock( 'set' ).
 */
import { pino } from 'pino';
import { systemClock } from '../src/common/clock.js';
import { parseRules } from '../src/engine/ats/rules.js';
import { StockSync } from '../src/engine/ats/stock-sync.js';
import { createDolibarrAdapter } from '../src/erp/dolibarr/index.js';
import type { ErpAdapter } from '../src/ports/erp.js';
import { WpClient, type WpStockApi } from '../src/wp/client.js';
import { Stack } from '../tests/ts/support/stack.js';

const opt = (n: string, d: number): number => {
  const i = process.argv.indexOf(`--${n}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const N = opt('skus', 10_000);
const PER_PRODUCT = Math.min(N, opt('per-product', 2000));
const log = (m: string): void => { process.stderr.write(`[bench stock] ${m}\n`); };
const secs = (ms: number): number => Number((ms / 1000).toFixed(2));

/** Times every apply request (WordPress side of the cycle). */
function timedWp(inner: WpStockApi): WpStockApi & { applyMs: number } {
  const t = {
    applyMs: 0,
    async applyStock(items: Parameters<WpStockApi['applyStock']>[0]) {
      const t0 = performance.now();
      try { return await inner.applyStock(items); } finally { t.applyMs += performance.now() - t0; }
    },
    reportMissing: (skus: string[]) => inner.reportMissing(skus),
    pullComplete: (startedAt: string | number, seen: number) => inner.pullComplete(startedAt, seen),
  };
  return t;
}

/**
 * Takes 1–50 units of each SKU out of warehouse 1 in the ERP. A real Dolibarr: one SQL statement on its stock
 * tables (5,000 API movements would take minutes and are not what is measured); the stand-in: its movements.
 */
async function takeOut(refs: string[]): Promise<void> {
  const real = (stack.erp as unknown as { dolibarr?: { sql(statement: string): string } }).dolibarr;
  if (!real) {
    for (const [i, ref] of refs.entries()) await stack.erp.move(ref, 1, -1 - (i % 50), 'bench out');
    return;
  }
  // 500 refs per statement: one command-line argument must stay under the kernel's 128 KiB.
  for (let k = 0; k < refs.length; k += 500) {
    const part = refs.slice(k, k + 500);
    const cases = part.map((ref, i) => `WHEN '${ref}' THEN ${1 + ((k + i) % 50)}`).join(' ');
    const list = part.map((r) => `'${r}'`).join(',');
    real.sql(`UPDATE llx_product_stock ps JOIN llx_product p ON p.rowid = ps.fk_product SET ps.reel = ps.reel - (CASE p.ref ${cases} END) WHERE ps.fk_entrepot = 1 AND p.ref IN (${list});
      UPDATE llx_product p SET p.stock = (SELECT COALESCE(SUM(ps.reel), 0) FROM llx_product_stock ps WHERE ps.fk_product = p.rowid) WHERE p.ref IN (${list})`);
  }
}

const stack = await Stack.start({ name: 'benchstock', port: 18502, products: [] });
try {
  const skus = Array.from({ length: N }, (_, i) => `BS-${String(i).padStart(6, '0')}`);
  log(`creating ${N} products in WordPress (WooCommerce's product APIs, 2,000 per request) and in the ERP (${stack.erp.label})`);
  const tCreate = performance.now();
  for (let i = 0; i < N; i += 2000) await stack.testApi('POST', '/products/bulk', { items: skus.slice(i, i + 2000).map((sku) => ({ sku, stock: 0 })) });
  const createS = (performance.now() - tCreate) / 1000;
  const tErp = performance.now();
  await stack.erp.addProducts(skus);
  const erpCreateS = (performance.now() - tErp) / 1000;
  const adapter: ErpAdapter = createDolibarrAdapter({ url: stack.erp.url, apiKey: stack.erp.apiKey, warehouseId: 1, refClientPrefix: 'WC-', timeoutMs: 30_000 });
  const wp = timedWp(new WpClient({ url: stack.site.url, secret: stack.site.secret, timeoutMs: 60_000 }));
  const sync = new StockSync(
    { channel: 'web', rules: parseRules({ channels: { web: ['1'] } }), fullIntervalMs: 3_600_000, changedIntervalMs: 3_600_000, staleAfterMs: 600_000 },
    { adapter, wp, clock: systemClock, logger: pino({ level: 'silent' }) },
  );
  log('warm-up cycle (first sight: absolute writes)');
  const warm = await sync.fullPull();
  log(`warm-up: ${JSON.stringify({ applied: warm.applied, ms: warm.ms })}`);

  const changed = skus.filter((_, i) => i % 2 === 0);
  await takeOut(changed);
  wp.applyMs = 0;
  const rss0 = process.memoryUsage().rss;
  const r = await sync.fullPull();
  const rss = Math.max(rss0, process.memoryUsage().rss);
  log(`timed cycle: ${JSON.stringify({ read: r.read, applied: r.applied, unchanged: r.unchanged, skipped_stale: r.skipped_stale, unknown: r.unknown_in_store.length, ms: r.ms, apply_ms: Math.round(wp.applyMs) })}`);
  if (r.applied !== changed.length || r.unchanged !== N - changed.length) throw new Error(`unexpected counts: applied ${r.applied}, unchanged ${r.unchanged}`);

  log(`per-product path: wc_update_product_stock('set') on ${PER_PRODUCT} SKUs, 500 per request`);
  const t0 = performance.now();
  for (let i = 0; i < PER_PRODUCT; i += 500) await stack.testApi('POST', '/products/set-stock', { items: skus.slice(i, i + 500).map((sku) => ({ sku, stock: 7 })) });
  const perProductS = (performance.now() - t0) / 1000;

  console.log(JSON.stringify({
    bench: 'stock', woocommerce: stack.site.wcVersion.includes('standin') ? 'stand-in' : stack.site.wcVersion,
    erp: stack.erp.label, skus: N, changed: changed.length,
    catalogue_create_s: secs(createS * 1000), catalogue_products_per_s: Math.round(N / createS), erp_catalogue_create_s: secs(erpCreateS * 1000),
    apply_skus_per_s: Math.round(N / (wp.applyMs / 1000)), full_cycle_s: secs(r.ms),
    erp_read_s: secs(r.ms - wp.applyMs), apply_s: secs(wp.applyMs),
    per_product_skus_per_s: Math.round(PER_PRODUCT / perProductS), per_product_skus: PER_PRODUCT,
    sidecar_rss_mb: Number((rss / 1024 / 1024).toFixed(1)),
    cycle_in: 'bench process (StockSync in-process, not build/sidecar.cjs); RSS is this process\'s (with the fault proxy, or the stand-in)',
  }));
} finally {
  await stack.stop();
}
