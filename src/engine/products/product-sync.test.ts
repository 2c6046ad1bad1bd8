import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import type { Product } from '../../canonical/product.js';
import { FakeClock } from '../../common/fake-clock.js';
import type { ProductChanges, ProductQuery } from '../../ports/erp.js';
import { ErpChanges } from './erp-changes.js';
import { mapProduct, vatRateException, minorToDecimal } from './map.js';
import { lagCursor, ProductSync } from './product-sync.js';
import { ProductsContext as ProductsContextSchema, type ProductApplyRequest, type ProductApplyResponse, type ProductsContext, type ProductSyncRequest } from './wire.js';
import type { WpProductsApi } from './wp-products.js';

const logger = pino({ level: 'silent' });

const ctx = (over: Partial<ProductsContext> = {}): ProductsContext => ({
  owned: ['name', 'regular_price', 'tax_class', 'weight', 'dimensions'], prices_include_tax: false, currency: 'EUR',
  tax_classes: { '20': '', '5.5': 'reduced-rate' }, create_missing: false, cursor: null, ...over,
});

const product = (ref: string, over: Partial<Product> = {}): Product => ({
  ref, erpId: ref.replace(/\D/g, '') || '1', name: `Name ${ref}`, regularPrice: { net: 1000, gross: 1200 }, vatRate: '20', weightG: 1500, active: true, ...over,
});

/** WordPress stand-in: records apply requests, keeps the cursor like the route does. */
class FakeWp implements WpProductsApi {
  applies: ProductApplyRequest[] = [];
  context = ctx();
  requests = new Map<number, ProductSyncRequest>();
  productsContext(): Promise<ProductsContext> { return Promise.resolve({ ...this.context }); }
  applyProducts(r: ProductApplyRequest): Promise<ProductApplyResponse> {
    this.applies.push(r);
    if (r.cursor && !r.dry_run) this.context.cursor = r.cursor;
    return Promise.resolve({ written: r.items.length, unchanged: 0, created: 0, unknown: [], exceptions_recorded: r.exceptions?.length ?? 0, changes: [] });
  }
  productSyncRequest(id: number): Promise<ProductSyncRequest> { return Promise.resolve(this.requests.get(id) ?? { refs: [], dry_run: false }); }
}

/** ERP stand-in: products with their tms; answers like the Dolibarr reader (inclusive cursor). */
class FakeErp {
  rows: Array<{ p: Product; tms: string }> = [];
  queries: ProductQuery[] = [];
  readProducts(q: ProductQuery): Promise<ProductChanges> {
    this.queries.push(q);
    let rows = this.rows;
    if (q.refs) rows = rows.filter((r) => q.refs?.includes(r.p.ref));
    else if (q.ids) rows = rows.filter((r) => q.ids?.includes(r.p.erpId));
    else if (q.cursor) rows = rows.filter((r) => r.tms >= (q.cursor ?? ''));
    const newest = rows.reduce((m, r) => (r.tms > m ? r.tms : m), q.cursor ?? '');
    return Promise.resolve({ products: rows.map((r) => r.p), cursor: newest });
  }
}

describe('master data mapping', () => {
  it('writes only owned fields the ERP has, prices on the store basis, tax class through the mapping', () => {
    const m = mapProduct(product('A', { salePrice: { net: 800, gross: 960 }, lengthMm: 100 }), ctx());
    assert.deepEqual(m.item, { ref: 'A', name: 'Name A', regular_price: '10.00', tax_class: '', weight_g: 1500, length_mm: 100 });
    assert.deepEqual(m.exceptions, []);
    const gross = mapProduct(product('A'), ctx({ prices_include_tax: true, owned: ['regular_price'] }));
    assert.deepEqual(gross.item, { ref: 'A', regular_price: '12.00' });
  });

  it('an unmapped VAT rate is noted for its exception; the other fields still go', () => {
    const m = mapProduct(product('B', { vatRate: '7.7' }), ctx());
    assert.equal(m.item.tax_class, undefined);
    assert.equal(m.item.regular_price, '10.00');
    assert.equal(m.unmappedVatRate, '7.7');
    const e = vatRateException('7.7', ['B', 'C', 'D', 'E', 'F', 'G']);
    assert.equal(e.code, 'unmapped_vat_rate');
    assert.equal(e.ref, 'vat-rate-7.7');
    assert.match(e.message, /7\.7 %.*6 products: B, C, D, E, F, …\).*Mappings/);
  });

  it('status and categories only when owned', () => {
    assert.equal(mapProduct(product('C', { active: false }), ctx()).item.status, undefined);
    assert.equal(mapProduct(product('C', { active: false }), ctx({ owned: ['status'] })).item.status, 'draft');
    assert.equal(minorToDecimal(5, 2), '0.05');
    assert.equal(minorToDecimal(123456, 3), '123.456');
    assert.equal(minorToDecimal(42, 0), '42');
  });
});

describe('field ownership comes from WordPress Settings', () => {
  // POST /products/context as WordPress answers it once Settings → Master data owns name and status only.
  const served = { owned: ['name', 'status'], prices_include_tax: false, currency: 'EUR', tax_classes: [], create_missing: true, cursor: null };

  it('the served ownership, parsed by zod, decides every field written', () => {
    const context = ProductsContextSchema.parse(served);
    const { item } = mapProduct(product('A', { active: false }), context);
    assert.deepEqual(Object.keys(item).sort(), ['name', 'ref', 'status']);
    assert.equal(item.status, 'draft');
  });

  it('a field name the sidecar does not know is refused, not written', () => {
    assert.equal(ProductsContextSchema.safeParse({ ...served, owned: ['name', 'stock'] }).success, false);
  });
});

describe('ProductSync', () => {
  const setup = (): { erp: FakeErp; wp: FakeWp; sync: ProductSync } => {
    const erp = new FakeErp();
    const wp = new FakeWp();
    const sync = new ProductSync({ changedIntervalMs: 60_000, chunkSize: 2, cursorLagSeconds: 10 }, { adapter: erp, wp, clock: new FakeClock(), logger });
    return { erp, wp, sync };
  };

  it('first pass is a full scan; the stored cursor lags the newest tms; the next pass reads changes only', async () => {
    const { erp, wp, sync } = setup();
    erp.rows = [
      { p: product('P1'), tms: '2026-11-30 10:00:00' },
      { p: product('P2'), tms: '2026-11-30 10:05:00' },
      { p: product('P3'), tms: '2026-11-30 10:06:00' },
    ];
    const first = await sync.changedPass();
    assert.equal(first.kind, 'full');
    assert.equal(first.read, 3);
    assert.equal(wp.applies.length, 2, 'chunks of 2');
    assert.equal(wp.applies[0]?.cursor, undefined, 'the cursor moves only with the last chunk');
    assert.equal(wp.applies[1]?.cursor, '2026-11-30 10:05:50');
    erp.rows.push({ p: product('P4', { regularPrice: { net: 1250, gross: 1500 } }), tms: '2026-11-30 10:07:00' });
    wp.applies = [];
    const second = await sync.changedPass();
    assert.equal(second.kind, 'changed');
    assert.deepEqual(erp.queries.at(-1), { cursor: '2026-11-30 10:05:50' });
    assert.deepEqual(wp.applies.flatMap((a) => a.items.map((i) => i.ref)), ['P3', 'P4']);
    assert.equal(wp.applies.flatMap((a) => a.items).find((i) => i.ref === 'P4')?.regular_price, '12.50');
  });

  it('categories are read from the ERP only when the store lets it own them', async () => {
    const { erp, wp, sync } = setup();
    erp.rows = [{ p: product('P1', { categories: ['Shoes'] }), tms: '2026-11-30 10:00:00' }];
    await sync.changedPass();
    assert.equal(erp.queries.at(-1)?.categories, undefined);
    assert.equal(wp.applies[0]?.items[0]?.categories, undefined);
    wp.context = ctx({ owned: ['categories'] });
    await sync.syncRefs(['P1']);
    assert.deepEqual(erp.queries.at(-1), { refs: ['P1'], categories: true });
    assert.deepEqual(wp.applies.at(-1)?.items[0]?.categories, ['Shoes']);
  });

  it('targeted and dry-run passes never move the cursor; a dry run says so and names its request', async () => {
    const { erp, wp, sync } = setup();
    erp.rows = [{ p: product('P1'), tms: '2026-11-30 10:00:00' }];
    await sync.syncRefs(['P1'], { dryRun: true, request: 7 });
    assert.deepEqual(wp.applies[0], { items: [mapProduct(product('P1'), ctx()).item], dry_run: true, request: 7 });
    await sync.syncRefs(undefined, { dryRun: true, request: 8 });
    assert.equal(wp.applies[1]?.cursor, undefined);
    await sync.syncIds(['1']);
    assert.deepEqual(erp.queries.at(-1), { ids: ['1'] });
    assert.equal(wp.context.cursor, null);
  });

  it('exceptions travel with the chunk of their product', async () => {
    const { erp, wp, sync } = setup();
    erp.rows = [{ p: product('P1'), tms: 't' }, { p: product('P2'), tms: 't' }, { p: product('P3', { vatRate: '9' }), tms: 't' }];
    const r = await sync.syncRefs(['P1', 'P2', 'P3']);
    assert.equal(wp.applies[0]?.exceptions, undefined);
    assert.equal(wp.applies[1]?.exceptions?.[0]?.ref, 'vat-rate-9');
    assert.equal(r.exceptions, 1);
  });

  it('one exception per unmapped VAT rate, however many products have it', async () => {
    const { erp, wp, sync } = setup();
    erp.rows = ['P1', 'P2', 'P3', 'P4'].map((ref, i) => ({ p: product(ref, { vatRate: i < 3 ? '9' : '2.1' }), tms: 't' }));
    await sync.syncRefs(['P1', 'P2', 'P3', 'P4']);
    const sent = wp.applies.flatMap((a) => a.exceptions ?? []);
    assert.deepEqual(sent.map((e) => e.ref).sort(), ['vat-rate-2.1', 'vat-rate-9']);
    assert.match(sent.find((e) => e.ref === 'vat-rate-9')?.message ?? '', /3 products: P1, P2, P3\)/);
  });

  it('lagCursor', () => {
    assert.equal(lagCursor('2026-11-30 00:00:05', 10), '2026-11-29 23:59:55');
    assert.equal(lagCursor('garbage', 10), 'garbage');
  });
});

describe('ErpChanges (pushed by webhooks)', () => {
  it('ids leased together are read once; stock then master data for their refs; a confirming read follows', async () => {
    const erp = new FakeErp();
    erp.rows = [{ p: product('R7', { erpId: '7' }), tms: 't' }, { p: product('R8', { erpId: '8' }), tms: 't' }];
    const stockCalls: Array<string[] | undefined> = [];
    const productCalls: Array<string[] | undefined> = [];
    const clock = new FakeClock();
    const changes = new ErpChanges({
      adapter: erp, clock, logger,
      stock: { resync: (skus) => { stockCalls.push(skus); return Promise.resolve({ kind: 'targeted', applied: 0, unchanged: 0, skipped_stale: 0, unknown_in_store: [], not_managed: [], read: 0, sent: 0, missing_recorded: 0, ms: 0 }); } },
      products: { wp: new FakeWp(), syncIds: () => Promise.reject(new Error('unused')), syncRefs: (refs) => { productCalls.push(refs); return Promise.resolve({ kind: 'targeted', dry_run: false, read: 0, sent: 0, written: 0, unchanged: 0, created: 0, unknown: [], exceptions: 0, changes: [], ms: 0 }); } },
    }, { confirmAfterMs: 2000 });
    await Promise.all([changes.changed('7'), changes.changed('8')]);
    assert.deepEqual(erp.queries, [{ ids: ['7', '8'] }]);
    assert.deepEqual(stockCalls, [['R7', 'R8']]);
    assert.deepEqual(productCalls, [['R7', 'R8']]);
    for (let i = 0; i < 5 && erp.queries.length < 2; i++) await new Promise((r) => setImmediate(r));
    assert.equal(erp.queries.length, 2, 'the confirming read');
    assert.ok(clock.sleeps.includes(2000));
    await changes.changed('7');
    assert.equal(erp.queries.length, 2, 'a known id is not looked up again for the first pass');
    assert.deepEqual(stockCalls.at(-1), ['R7']);
    const before = productCalls.length;
    await changes.changed('8', false);
    assert.deepEqual(stockCalls.at(-1), ['R8']);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    assert.ok(!productCalls.slice(before).some((c) => c?.includes('R8')), 'a stock-only trigger pulls stock, not master data');
  });

  it('ids arriving while a batch runs go together in the next one (one read, one stock pass)', async () => {
    const erp = new FakeErp();
    erp.rows = ['1', '2', '3'].map((id) => ({ p: product(`R${id}`, { erpId: id }), tms: 't' }));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    const stockCalls: Array<string[] | undefined> = [];
    const changes = new ErpChanges({
      adapter: erp, clock: new FakeClock(), logger,
      stock: { resync: async (skus) => { stockCalls.push(skus); if (stockCalls.length === 1) await gate; return { kind: 'targeted', applied: 0, unchanged: 0, skipped_stale: 0, unknown_in_store: [], not_managed: [], read: 0, sent: 0, missing_recorded: 0, ms: 0 }; } },
    }, { confirmAfterMs: 0 });
    const first = changes.changed('1', false);
    while (stockCalls.length === 0) await new Promise((r) => setImmediate(r));
    const later = [changes.changed('2', false), changes.changed('3', false)];
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    assert.equal(stockCalls.length, 1, 'nothing more starts while the first batch runs');
    release();
    await Promise.all([first, ...later]);
    assert.deepEqual(stockCalls, [['R1'], ['R2', 'R3']]);
  });
});
