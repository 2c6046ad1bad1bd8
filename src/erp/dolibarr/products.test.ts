import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DolibarrClient, Query } from './client.js';
import { DolibarrProductRow, normaliseRate, readDolibarrProducts, toProduct } from './products.js';

const row = (over: Record<string, unknown> = {}): DolibarrProductRow => DolibarrProductRow.parse({
  id: '1', ref: 'WC-SKU-001', label: 'T-shirt blue M', status: '1', price: '19.90000000', price_ttc: '23.88000000', tva_tx: '20.0000',
  weight: null, weight_units: null, length: null, length_units: null, width: null, width_units: null, height: null, height_units: null,
  date_modification: '2026-11-23 07:49:17', ...over,
});

/** Records the queries; answers pages from `pages`. */
function fakeClient(pages: unknown[][]): { client: DolibarrClient; queries: Query[] } {
  const queries: Query[] = [];
  const client = {
    find: (_path: string, q: Query, schema: { parse(v: unknown): unknown }) => {
      queries.push(q);
      return Promise.resolve(schema.parse(pages.shift() ?? []));
    },
  } as unknown as DolibarrClient;
  return { client, queries };
}

describe('Dolibarr products → canonical', () => {
  it('the recorded product (01d): prices in minor units, VAT normalised, status, tms', () => {
    const p = toProduct(row());
    assert.deepEqual(p, {
      ref: 'WC-SKU-001', erpId: '1', name: 'T-shirt blue M', regularPrice: { net: 1990, gross: 2388 }, vatRate: '20', active: true,
      modifiedAt: '2026-11-23T07:49:17Z',
    });
  });

  it('units: weight to grams, lengths to millimetres, each dimension with its own unit; status 0 = not on sale', () => {
    const p = toProduct(row({ weight: '1.25', weight_units: '0', length: '12.5', length_units: '-2', width: '3', width_units: '-3', height: '0.1', height_units: '0', status: '0' }));
    assert.equal(p.weightG, 1250);
    assert.equal(p.lengthMm, 125);
    assert.equal(p.widthMm, 3);
    assert.equal(p.heightMm, 100);
    assert.equal(p.active, false);
    assert.equal(toProduct(row({ weight: '2', weight_units: '99' })).weightG, 907, 'pounds');
    assert.equal(toProduct(row({ weight: '500', weight_units: '-3' })).weightG, 500);
    assert.equal(toProduct(row({ weight: '1', weight_units: '42' })).weightG, undefined, 'unknown unit: no weight');
  });

  it('VAT rates', () => {
    assert.equal(normaliseRate('5.500'), '5.5');
    assert.equal(normaliseRate('0.000'), '0');
    assert.equal(normaliseRate('x'), undefined);
  });

  it('changed since: inclusive tms filter, sorted, paged; the cursor is the newest tms', async () => {
    const { client, queries } = fakeClient([[row({ id: '1', date_modification: '2026-11-30 10:00:01' }), row({ id: '2', ref: 'B', date_modification: '2026-11-30 10:00:03' })], [row({ id: '3', ref: 'C', date_modification: '2026-11-30 10:00:02' })]]);
    const r = await readDolibarrProducts(client, { cursor: '2026-11-30 10:00:00' }, { pageSize: 2 });
    assert.equal(r.products.length, 3);
    assert.equal(r.cursor, '2026-11-30 10:00:03');
    assert.equal(queries[0]?.sqlfilters, "(t.tms:>=:'2026-11-30 10:00:00')");
    assert.equal(queries[0]?.sortfield, 't.tms,t.rowid');
    assert.equal(queries[1]?.page, 1);
  });

  it('by refs and by ids, 100 per request, quoted; no change keeps the cursor', async () => {
    const { client, queries } = fakeClient([]);
    const refs = Array.from({ length: 150 }, (_, i) => `R'${i}`);
    const r = await readDolibarrProducts(client, { refs, cursor: '2026-11-30 10:00:00' });
    assert.equal(queries.length, 2);
    assert.match(String(queries[0]?.sqlfilters), /^\(t\.ref:in:'R''0','R''1',/);
    assert.equal(r.cursor, '2026-11-30 10:00:00');
    await readDolibarrProducts(client, { ids: ['7', '8'] });
    assert.equal(queries[2]?.sqlfilters, "(t.rowid:in:'7','8')");
  });

  it('categories (when asked): product categories, then each category\'s product ids; labels per product, sorted; [] for none', async () => {
    // Shapes as the real Dolibarr 20.0.2 answers (module Categories on): ids as strings, ids_only a list of strings.
    const answers: Record<string, unknown[][]> = {
      '/categories': [[{ id: '1', fk_parent: 0, label: 'Shoes', type: '0' }, { id: '2', fk_parent: 1, label: 'Running', type: '0' }]],
      '/products?category=1': [['1', '2']],
      '/products?category=2': [['1']],
    };
    const calls: Array<{ path: string; q: Query }> = [];
    const client = {
      find: (path: string, q: Query, schema: { parse(v: unknown): unknown }) => {
        calls.push({ path, q });
        const key = q.category === undefined ? path : `${path}?category=${String(q.category)}`;
        return Promise.resolve(schema.parse(q.sqlfilters !== undefined ? [row({ id: '1', ref: 'A' }), row({ id: '2', ref: 'B' }), row({ id: '3', ref: 'C' })] : (answers[key]?.shift() ?? [])));
      },
    } as unknown as DolibarrClient;
    const r = await readDolibarrProducts(client, { refs: ['A', 'B', 'C'], categories: true });
    assert.deepEqual(r.products.map((p) => [p.ref, p.categories]), [['A', ['Running', 'Shoes']], ['B', ['Shoes']], ['C', []]]);
    assert.deepEqual(calls.filter((c) => c.path === '/categories').map((c) => [c.q.type, c.q.properties]), [['product', 'id,label']]);
    assert.deepEqual(calls.filter((c) => c.q.category !== undefined).map((c) => [c.q.category, c.q.ids_only]), [['1', 'true'], ['2', 'true']]);
    const plain = await readDolibarrProducts(client, { refs: ['A'] });
    assert.equal(plain.products[0]?.categories, undefined, 'not asked: absent, so the store keeps its own');
  });
});

