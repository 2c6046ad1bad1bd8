/**
 * ERP stock → WooCommerce through the bundled sidecar: real WordPress + WooCommerce + MariaDB, the real Dolibarr
 * (stock moved through its own API, POST /stockmovements), build/sidecar.cjs.
 * Store stock becomes the ERP's ATS minus in-flight checkouts; an ERP stock change is applied by the changed-since
 * pass; `wp syncline resync stock --skus=…` makes the sidecar pull at once and undo a manual edit; a store SKU the ERP
 * lacks becomes one needs-human `stock.unknown_sku` event after a full pull (POST /stock/pull-complete).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from '../../../scripts/env/wp-env.js';
import { Stack } from '../support/stack.js';

interface Stored { meta: Record<string, string>; lookup: { stock_quantity: string; stock_status: string } }

describe('ATS sync through the sidecar', () => {
  let stack: Stack;
  const skus = ['ATS-A', 'ATS-B', 'ATS-C'];
  before(async () => {
    stack = await Stack.start({ name: 'atssync', port: 18501, products: skus });
    await stack.testApi('POST', '/products/bulk', { items: skus.map((sku) => ({ sku, stock: 10 })) });
    await stack.testApi('POST', '/products', { sku: 'ATS-STORE-ONLY', stock: 4 });
  });
  after(async () => stack?.stop());

  const stock = async (sku: string): Promise<number> => {
    const p = (await stack.testApi('POST', '/products/by-sku', { sku })).product as Stored;
    assert.equal(p.lookup.stock_quantity === null ? null : Number(p.lookup.stock_quantity), Number(p.meta._stock), `${sku}: lookup row in step`);
    return Number(p.meta._stock);
  };
  const unknownSku = (): Array<Record<string, string>> => stack.events("topic = 'stock.unknown_sku'");
  const waitStock = (sku: string, want: number, ms = 20_000): Promise<void> =>
    stack.waitFor(`${sku} stock = ${want}`, async () => (await stock(sku)) === want, ms);

  it('store stock becomes ERP ATS minus in-flight checkouts', async () => {
    await stack.testApi('POST', '/checkout', { line_items: [{ sku: 'ATS-A', quantity: 3 }] });
    stack.startSidecar({ stock: { full_interval_seconds: 3600, changed_interval_seconds: 1 } });
    await waitStock('ATS-A', 97);
    assert.equal(await stock('ATS-B'), 100);
    assert.equal(await stock('ATS-C'), 100);
    assert.equal(await stock('ATS-STORE-ONLY'), 4, 'a store-only SKU is left alone');
  });

  it('after the full pull, the store SKU the ERP lacks is one needs-human stock.unknown_sku event', async () => {
    await stack.waitFor('stock.unknown_sku event', () => unknownSku().length > 0, 20_000);
    const events = unknownSku();
    assert.equal(events.length, 1, JSON.stringify(events));
    assert.equal(events[0]?.state, 'needs_human');
    assert.equal(events[0]?.last_error_code, 'unknown_sku');
    assert.match(events[0]?.last_error_message ?? '', /^SKU ATS-STORE-ONLY is sold in the store but the ERP has no product with this reference/);
  });

  it('an ERP stock change is applied by the changed-since pass, well within the full interval', async () => {
    const other = await stack.erp.addWarehouse('WH-OTHER');
    assert.notEqual(other, 1);
    const t0 = Date.now();
    await stack.erp.move('ATS-B', 1, -40, 'manual out');
    await stack.erp.move('ATS-C', other, 50, 'other warehouse');
    await waitStock('ATS-B', 60, 10_000);
    assert.ok(Date.now() - t0 < 10_000);
    assert.equal(await stock('ATS-C'), 100, 'the other warehouse is not in the channel');
    assert.equal(await stock('ATS-A'), 97, 'in-flight checkout still deducted');
  });

  it('wp syncline resync stock --skus=… pulls at once and removes a manual drift', async () => {
    const id = ((await stack.testApi('POST', '/products/by-sku', { sku: 'ATS-C' })).product as { id: number }).id;
    // A manual edit behind Syncline's back (wp-admin, another plugin): _stock and the lookup row drift.
    sql(`UPDATE \`${stack.site.db}\`.wp_postmeta SET meta_value = '5' WHERE post_id = ${id} AND meta_key = '_stock'`);
    sql(`UPDATE \`${stack.site.db}\`.wp_wc_product_meta_lookup SET stock_quantity = 5 WHERE product_id = ${id}`);
    assert.equal(await stock('ATS-C'), 5);
    stack.wp(['syncline', 'resync', 'stock', '--skus=ATS-C']);
    await waitStock('ATS-C', 100, 20_000);
    await stack.waitFor('stock.resync acked done', () => stack.events("topic = 'stock.resync'").every((e) => e.state === 'done'), 10_000);
  });

  it('another full pull (wp syncline resync stock) does not record the store-only SKU twice', async () => {
    const before = stack.events("topic = 'stock.resync'").length;
    stack.wp(['syncline', 'resync', 'stock']);
    await stack.waitFor('full stock.resync acked done', () => {
      const resyncs = stack.events("topic = 'stock.resync'");
      return resyncs.length > before && resyncs.every((e) => e.state === 'done');
    }, 20_000);
    assert.equal(unknownSku().length, 1);
  });

  it('ATS rules saved in Settings reach the bundled sidecar at its start (safety stock global and per SKU)', async () => {
    await stack.stopSidecars();
    // What Settings → Available to sell stores (includes/Stock/AtsSettings.php), written as the option the form saves.
    const rules = { channels: { web: ['1'] }, safetyStock: { global: 5, perSku: { 'ATS-B': 10 } }, reserve: {}, kits: {} };
    stack.wp(['eval', `$s = get_option( 'syncline_settings', array() ); $s = is_array( $s ) ? $s : array(); $s['ats_channel'] = 'web'; $s['ats_rules'] = json_decode( '${JSON.stringify(rules)}', true ); update_option( 'syncline_settings', $s );`]);
    stack.startSidecar({ stock: { full_interval_seconds: 3600, changed_interval_seconds: 1 } });
    // ERP warehouse 1: ATS-A 100 (3 in flight), ATS-B 60, ATS-C 100 (its 50 in the other warehouse still not sold).
    await waitStock('ATS-B', 50);
    await waitStock('ATS-A', 92);
    assert.equal(await stock('ATS-C'), 95);
  });
});
