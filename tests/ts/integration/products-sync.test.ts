/**
 * Master data ERP → WooCommerce and pushed ERP changes, through the bundled sidecar: real WordPress 7 +
 * WooCommerce 11 + MariaDB, the real Dolibarr 20.0.2 (products changed through its REST API, its Webhook module
 * calling WordPress), build/sidecar.cjs.
 * Only owned fields change (the store's status stays); an unchanged product is not written; an unmapped VAT rate
 * is an exception with a reason; a changed price appears in the shop within one changed-since interval; the CLI
 * dry run lists what would change and writes nothing; a stock movement booked in Dolibarr reaches WooCommerce
 * through the webhook in seconds while polling is an hour away; categories owned by the ERP come from Dolibarr's
 * module Categories, an unknown one is an exception that closes itself once WooCommerce has the category.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Dolibarr } from '../../../scripts/env/dolibarr.js';
import { realstack } from '../../../scripts/env/realstack.js';
import { sql } from '../../../scripts/env/wp-env.js';
import { addWebhookTarget } from '../support/dolibarr-webhook.js';
import { Stack } from '../support/stack.js';

interface Stored { id: number; meta: Record<string, string> }

// Dolibarr's Webhook module and `tms` are the real Dolibarr's: without ../shared/realstack this is skipped, loudly;
// with CI=true Stack.start fails instead (scripts/env/realstack.ts).
const skip = !(await realstack()) && process.env.CI !== 'true' ? 'needs the real Dolibarr 20.0.2 (../shared/realstack)' : false;

describe('master data and webhooks through the sidecar', { skip }, () => {
  let stack: Stack;
  let dolibarr: Dolibarr;
  const skus = ['MD-A', 'MD-B', 'MD-C'];
  const INTERVAL_S = 3;
  before(async () => {
    stack = await Stack.start({ name: 'products', port: 18504, products: skus });
    const real = (stack.erp as unknown as { dolibarr?: Dolibarr }).dolibarr;
    if (!real) throw new Error('this test needs the real Dolibarr (../shared/realstack)');
    dolibarr = real;
    await stack.testApi('POST', '/products/bulk', { items: skus.map((sku) => ({ sku, stock: 10 })) });
  });
  after(async () => stack?.stop());

  const stored = async (sku: string): Promise<Stored> => (await stack.testApi('POST', '/products/by-sku', { sku })).product as Stored;
  const post = (id: number): { title: string; status: string; modified: string } => {
    const [title = '', status = '', modified = ''] = sql(`SELECT post_title, post_status, post_modified_gmt FROM \`${stack.site.db}\`.wp_posts WHERE ID = ${id}`).trim().split('\t');
    return { title, status, modified };
  };
  const erpId = (ref: string): number => Number(dolibarr.sql(`SELECT rowid FROM llx_product WHERE ref = '${ref}'`).trim());
  const price = async (sku: string): Promise<number> => Number((await stored(sku)).meta._regular_price);

  it('the first pass writes the owned fields and leaves the store\'s own (status) alone; an unmapped VAT rate is an exception', async () => {
    const a = await stored('MD-A');
    sql(`UPDATE \`${stack.site.db}\`.wp_posts SET post_status = 'private' WHERE ID = ${a.id}`);
    await dolibarr.api('PUT', `/products/${erpId('MD-A')}`, { label: 'Alpha from the ERP', price: 12.5, price_base_type: 'HT', weight: 1.2, weight_units: 0 });
    const c = await stored('MD-C');
    const cBefore = post(c.id);
    await new Promise((r) => setTimeout(r, 1100)); // post_modified has one-second resolution
    stack.startSidecar({ erp: { timeout_ms: 15_000 }, products: { changed_interval_seconds: INTERVAL_S }, stock: { full_interval_seconds: 3600, changed_interval_seconds: 3600 } });
    await stack.waitFor('MD-A renamed', () => post(a.id).title === 'Alpha from the ERP', 120_000);
    assert.equal(await price('MD-A'), 12.5);
    assert.equal(post(a.id).status, 'private', 'status is not owned by default: the store keeps its own');
    const events = stack.events("topic = 'product.exception'");
    assert.ok(events.length >= 1 && events.every((e) => e.last_error_code === 'unmapped_vat_rate' && e.state === 'needs_human'), JSON.stringify(events));
    assert.match(events[0]?.last_error_message ?? '', /VAT rate 20 %.*tax class/);
    await new Promise((r) => setTimeout(r, INTERVAL_S * 1000 * 2));
    assert.deepEqual(post(c.id), cBefore, 'MD-C matched the ERP already: never saved');
  });

  it('a changed price appears in the shop within one changed-since interval', async () => {
    const t0 = Date.now();
    await dolibarr.api('PUT', `/products/${erpId('MD-B')}`, { price: 15, price_base_type: 'HT' });
    await stack.waitFor('MD-B at 15', async () => (await price('MD-B')) === 15, 20_000);
    const s = (Date.now() - t0) / 1000;
    // One interval, plus the pass that reads it (a pass took 1.5 to 8 s on the 2-core machine under a load of 20).
    assert.ok(s <= INTERVAL_S + 10, `took ${s} s for an interval of ${INTERVAL_S} s`);
  });

  it('wp syncline sync products --dry-run lists what would change and writes nothing; bad input is refused', async () => {
    await stack.stopSidecars();
    await dolibarr.api('PUT', `/products/${erpId('MD-C')}`, { price: 21, price_base_type: 'HT' });
    stack.startSidecar({ erp: { timeout_ms: 15_000 }, products: { changed_interval_seconds: 3600 }, stock: { full_interval_seconds: 3600, changed_interval_seconds: 3600 } });
    await stack.waitFor('MD-C at 21 (first pass of the new sidecar)', async () => (await price('MD-C')) === 21, 120_000);
    await dolibarr.api('PUT', `/products/${erpId('MD-C')}`, { price: 22, price_base_type: 'HT' });
    // Asynchronous: a blocking `wp` would freeze the fault proxy (in this process) that the sidecar's ERP reads go through.
    const out = await stack.wpAsync(['syncline', 'sync', 'products', '--skus=MD-C', '--dry-run', '--format=json', '--wait=120']);
    const rows = JSON.parse(out.split('\n').find((l) => l.startsWith('[')) ?? '[]') as Array<Record<string, string>>;
    assert.deepEqual(rows.map((r) => [r.ref, r.field, Number(r.from), Number(r.to)]), [['MD-C', 'regular_price', 21, 22]]);
    assert.equal(await price('MD-C'), 21, 'a dry run writes nothing');
    assert.throws(() => stack.wp(['syncline', 'sync', 'products', '--skus=']), /--skus needs at least one SKU/);
    assert.throws(() => stack.wp(['syncline', 'sync', 'products', '--format=xml']), /--format must be one of/);
    await stack.wpAsync(['syncline', 'sync', 'products', '--skus=MD-C', '--wait=120']);
    assert.equal(await price('MD-C'), 22);
  });

  it('a stock movement booked in Dolibarr reaches WooCommerce through the webhook in seconds (polling an hour away)', async () => {
    const setup = JSON.parse(stack.wp(['syncline', 'webhooks', 'setup', '--format=json']).trim().split('\n').pop() ?? '{}') as { url: string; trigger_codes: string };
    assert.match(setup.url, /\/syncline\/v1\/webhooks\/dolibarr\/[0-9a-f]{32}$/);
    addWebhookTarget(dolibarr, setup.url, setup.trigger_codes);
    assert.match(stack.wp(['syncline', 'webhooks', 'check']), /route answers/);
    await stack.waitFor('first full stock pull', async () => Number((await stored('MD-C')).meta._stock) === 100, 20_000);
    const t0 = Date.now();
    await stack.erp.move('MD-C', 1, -7, 'webhook test');
    await stack.waitFor('MD-C stock 93', async () => Number((await stored('MD-C')).meta._stock) === 93, 10_000);
    const s = (Date.now() - t0) / 1000;
    // The figure (p99 ≤ 5 s over 200 changes) is the freshness benchmark's; here: seconds, not the hour of polling.
    assert.ok(s <= 15, `webhook push took ${s} s`);
    await stack.waitFor('erp.stock_changed done', () => {
      const e = stack.events("topic = 'erp.stock_changed'");
      return e.length > 0 && e.every((x) => x.state === 'done');
    }, 10_000);
  });

  it('categories owned by the ERP: Dolibarr\'s categories by name; an unknown one is an exception that closes itself once the category exists', async () => {
    const db = `\`${stack.site.db}\``;
    // Settings: the ERP owns categories (none were stored on this site).
    sql(`INSERT INTO ${db}.wp_options (option_name, option_value, autoload) VALUES ('syncline_settings', 'a:1:{s:21:"products_owned_fields";a:1:{i:0;s:10:"categories";}}', 'on')
      ON DUPLICATE KEY UPDATE option_value = VALUES(option_value)`);
    const term = (name: string): number => Number(sql(`INSERT INTO ${db}.wp_terms (name, slug) VALUES ('${name}', '${name.toLowerCase()}');
      INSERT INTO ${db}.wp_term_taxonomy (term_id, taxonomy, description, parent, count) VALUES (LAST_INSERT_ID(), 'product_cat', '', 0, 0);
      SELECT term_id FROM ${db}.wp_terms WHERE slug = '${name.toLowerCase()}'`).trim());
    const shoes = term('Shoes');
    for (const label of ['Shoes', 'Socks']) {
      const cat = (await dolibarr.api<number>('POST', '/categories', { label, type: 'product' })).body;
      await dolibarr.api('POST', `/categories/${cat}/objects/product/${erpId('MD-A')}`);
    }
    const a = await stored('MD-A');
    const cats = (): number[] => sql(`SELECT tt.term_id FROM ${db}.wp_term_relationships r JOIN ${db}.wp_term_taxonomy tt ON tt.term_taxonomy_id = r.term_taxonomy_id
      WHERE r.object_id = ${a.id} AND tt.taxonomy = 'product_cat' ORDER BY tt.term_id`).split('\n').filter(Boolean).map(Number);
    const before = cats();
    await stack.wpAsync(['syncline', 'sync', 'products', '--skus=MD-A', '--wait=120']);
    const open = stack.events("topic = 'product.exception' AND last_error_code = 'unmapped_category'");
    assert.equal(open.length, 1, JSON.stringify(open));
    assert.equal(open[0]?.state, 'needs_human');
    assert.match(open[0]?.last_error_message ?? '', /"Socks"/);
    assert.deepEqual(cats(), before, 'an unknown category leaves the categories as they are');

    const socks = term('Socks');
    await stack.wpAsync(['syncline', 'sync', 'products', '--skus=MD-A', '--wait=120']);
    assert.deepEqual(cats(), [shoes, socks].sort((x, y) => x - y));
    assert.equal(stack.events(`id = ${open[0]?.id ?? 0}`)[0]?.state, 'done', 'the exception closed itself');
    const log = sql(`SELECT kind, message FROM ${db}.wp_syncline_event_log WHERE event_id = ${open[0]?.id ?? 0} ORDER BY id DESC LIMIT 1`).trim();
    assert.match(log, /^resolved\tResolved: product MD-A was synced again without this problem/);
  });
});

