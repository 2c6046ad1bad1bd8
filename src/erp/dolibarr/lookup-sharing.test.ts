/**
 * Lookups shared between pipelines (issue 7): order lookups started together go out as one
 * `GET /orders?sqlfilters=(t.ref_ext:in:…)`, each order still asked of Dolibarr (never a remembered answer, so a
 * create by another worker is seen); product lookups in flight are shared per SKU.
 * Runs against the stand-in, or a real Dolibarr 20 when SYNCLINE_DOLIBARR_URL/KEY are set (scripts/test-all.sh).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Order } from '../../canonical/index.js';
import type { ErpAdapter, ErpOrderState } from '../../ports/erp.js';
import { createDolibarrAdapter } from './index.js';
import { toOrderBody } from './mapper.js';
import { makeOrder, RUN, startTestDolibarr, type TestDolibarr } from '../../../tests/ts/standins/dolibarr/testing.js';

const SKU = `PF-${RUN}-A`;
let seq = 0;
const nextOrder = (): Order => makeOrder({ number: `P${RUN}-${++seq}`, lines: [{ sku: SKU, qty: 1, unit: 1000, rateId: 1 }], email: `pf-${RUN}-${seq}@example.com` });

describe('Dolibarr adapter: lookups shared between pipelines', () => {
  let erp: TestDolibarr;
  let productId = 0;
  const make = (): ErpAdapter => createDolibarrAdapter({ url: erp.url, apiKey: erp.apiKey, warehouseId: 1, refClientPrefix: 'WC-', timeoutMs: 5000 });
  const pathOf = (c: { path: string }): string => (c.path.split('?')[0] ?? '').replace(/^.*\/api\/index\.php/, '');
  const count = (from: number, method: string, path: string): number => erp.calls.slice(from).filter((c) => c.method === method && pathOf(c) === path).length;
  const ordersWith = async (refExt: string): Promise<Array<{ id: string; statut: string }>> =>
    (await erp.call('GET', `/orders?sortfield=t.rowid&sortorder=ASC&sqlfilters=${encodeURIComponent(`(t.ref_ext:=:'${refExt}')`)}`)).json as Array<{ id: string; statut: string }>;
  /** A sales order posted behind the adapter's back (another worker). */
  const post = async (order: Order, socid: number): Promise<number> => {
    const res = await erp.call('POST', '/orders', toOrderBody(order, { socid, productIds: new Map([[SKU, productId]]), refClientPrefix: 'WC-' }));
    assert.equal(res.status, 200, JSON.stringify(res.json));
    return Number(res.json);
  };
  /** Orders whose customers the adapter already knows (as for a returning customer): their state lookup is the order lookup. */
  const withCustomers = async (adapter: ErpAdapter, n: number): Promise<Array<{ order: Order; state: ErpOrderState }>> => {
    const out: Array<{ order: Order; state: ErpOrderState }> = [];
    for (let i = 0; i < n; i++) {
      const order = nextOrder();
      out.push({ order, state: await adapter.runStep('customer', order, {}) });
    }
    return out;
  };

  before(async () => {
    erp = await startTestDolibarr();
    await erp.addProducts([SKU]);
    productId = Number(((await erp.call('GET', `/products/ref/${SKU}`)).json as { id: string }).id);
  });
  after(async () => erp.stop());

  it('lookups of 5 orders started together go out as one GET /orders: ours found, the others absent', async () => {
    const adapter = make();
    const orders = await withCustomers(adapter, 5);
    const pushed = orders.slice(0, 2);
    for (const { order, state } of pushed) await adapter.runStep('validate_order', order, await adapter.runStep('sales_order', order, state));
    const from = erp.calls.length;
    const states = await Promise.all(orders.map(({ order }) => adapter.findOrderState(order)));
    assert.equal(count(from, 'GET', '/orders'), 1, 'one lookup for the five');
    assert.deepEqual(states.map((s) => s.salesOrder?.validated), [true, true, undefined, undefined, undefined]);
    assert.deepEqual(states.map((s) => s.customer?.id), orders.map(({ state }) => state.customer?.id));
  });

  it('every lookup asks Dolibarr: an order found absent once is found after it is created', async () => {
    const adapter = make();
    const [{ order, state }] = await withCustomers(adapter, 1) as [{ order: Order; state: ErpOrderState }];
    assert.equal((await adapter.findOrderState(order)).salesOrder, undefined);
    await adapter.runStep('sales_order', order, state);
    const from = erp.calls.length;
    const again = await adapter.findOrderState(order);
    assert.ok(again.salesOrder, 'found');
    assert.equal(count(from, 'GET', '/orders'), 1);
  });

  it('an order another worker created after our lookup: ours is created, the re-lookup finds both, exactly one order stays', async () => {
    const adapter = make();
    const [{ order, state }] = await withCustomers(adapter, 1) as [{ order: Order; state: ErpOrderState }];
    const found = await adapter.findOrderState(order);
    assert.equal(found.salesOrder, undefined, 'none yet when we looked');
    const theirs = await post(order, Number(state.customer?.id));
    const from = erp.calls.length;
    const created = await adapter.runStep('sales_order', order, found);
    const done = await adapter.runStep('validate_order', order, created);
    assert.ok(count(from, 'GET', '/orders') >= 1, 'the re-lookup after the create asked Dolibarr');
    assert.equal(done.salesOrder?.id, String(theirs), 'the lowest id survives');
    assert.deepEqual((await ordersWith(order.correlationId)).map((o) => [Number(o.id), o.statut]), [[theirs, '1']]);
  });

  it('pipelines asking for the same SKU at once share one GET /products', async () => {
    const adapter = make();
    const from = erp.calls.length;
    const missing = await Promise.all(Array.from({ length: 6 }, () => adapter.findMissingProducts([SKU])));
    assert.ok(missing.every((m) => m.length === 0));
    assert.equal(count(from, 'GET', '/products'), 1);
  });
});
