/**
 * The per-lease order prefetch (issue 7): one `GET /orders?sqlfilters=(t.ref_ext:in:…)` for the orders of a lease
 * stands in for each order's own pre-create lookup, and never for the lookups that keep exactly-once (the re-lookup
 * after a create, a lookup after this process created the order). Product lookups in flight are shared.
 * Runs against the stand-in, or a real Dolibarr 20 when SYNCLINE_DOLIBARR_URL/KEY are set (scripts/test-all.sh).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, mock } from 'node:test';
import type { Order } from '../../canonical/index.js';
import type { ErpAdapter, ErpOrderState } from '../../ports/erp.js';
import { createDolibarrAdapter } from './index.js';
import { PREFETCH_FRESH_MS } from './lookups.js';
import { toOrderBody } from './mapper.js';
import { makeOrder, RUN, startTestDolibarr, type TestDolibarr } from '../../../tests/ts/standins/dolibarr/testing.js';

const SKU = `PF-${RUN}-A`;
let seq = 0;
const nextOrder = (): Order => makeOrder({ number: `P${RUN}-${++seq}`, lines: [{ sku: SKU, qty: 1, unit: 1000, rateId: 1 }], email: `pf-${RUN}-${seq}@example.com` });

describe('Dolibarr adapter: one order lookup per lease (prefetch)', () => {
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

  it('one GET /orders for a lease of 5 orders; each pre-create lookup uses it: ours found, the others absent', async () => {
    const adapter = make();
    const orders = await withCustomers(adapter, 5);
    const pushed = orders.slice(0, 2);
    for (const { order, state } of pushed) await adapter.runStep('validate_order', order, await adapter.runStep('sales_order', order, state));
    const from = erp.calls.length;
    adapter.prefetchOrders?.(orders.map(({ order }) => order.correlationId));
    // The pipelines reach their lookups one after the other (as they do behind the write slot): no window joins them.
    const states: ErpOrderState[] = [];
    for (const { order } of orders) states.push(await adapter.findOrderState(order));
    assert.equal(count(from, 'GET', '/orders'), 1, 'one lookup for the whole lease');
    assert.deepEqual(states.map((s) => s.salesOrder?.validated), [true, true, undefined, undefined, undefined]);
    assert.deepEqual(states.map((s) => s.customer?.id), orders.map(({ state }) => state.customer?.id));
  });

  it('the prefetched answer is used once, and only while fresh: a later or a late lookup asks Dolibarr', async () => {
    const adapter = make();
    const [a, b, c] = await withCustomers(adapter, 3);
    assert.ok(a && b && c);
    const from = erp.calls.length;
    adapter.prefetchOrders?.([a.order.correlationId, b.order.correlationId, c.order.correlationId]);
    await adapter.findOrderState(a.order);
    await adapter.findOrderState(a.order);
    assert.equal(count(from, 'GET', '/orders'), 2, 'the prefetch, then the second lookup of the same order');
    const now = Date.now();
    mock.method(Date, 'now', () => now + PREFETCH_FRESH_MS + 1000);
    try {
      await adapter.findOrderState(b.order);
    } finally {
      mock.restoreAll();
    }
    assert.equal(count(from, 'GET', '/orders'), 3, 'a stale answer is asked again');
    await adapter.findOrderState(c.order);
    assert.equal(count(from, 'GET', '/orders'), 3, 'a fresh one is not');
  });

  it('an order another worker created after the prefetch: ours is created, the re-lookup finds both, exactly one order stays', async () => {
    const adapter = make();
    const [{ order, state }] = await withCustomers(adapter, 1) as [{ order: Order; state: ErpOrderState }];
    adapter.prefetchOrders?.([order.correlationId]);
    const found = await adapter.findOrderState(order);
    assert.equal(found.salesOrder, undefined, 'none yet when the lease was prefetched');
    const theirs = await post(order, Number(state.customer?.id));
    const from = erp.calls.length;
    const created = await adapter.runStep('sales_order', order, found);
    const done = await adapter.runStep('validate_order', order, created);
    assert.ok(count(from, 'GET', '/orders') >= 1, 'the re-lookup after the create asked Dolibarr');
    assert.equal(done.salesOrder?.id, String(theirs), 'the lowest id survives');
    assert.deepEqual((await ordersWith(order.correlationId)).map((o) => [Number(o.id), o.statut]), [[theirs, '1']]);
  });

  it('a prefetch made before this process created the order never stands in for a later lookup of it', async () => {
    const adapter = make();
    const [{ order, state }] = await withCustomers(adapter, 1) as [{ order: Order; state: ErpOrderState }];
    adapter.prefetchOrders?.([order.correlationId]);
    const first = await adapter.runStep('sales_order', order, state);
    // The next event of the same order, leased before the create committed, carries the same stale prefetch.
    adapter.prefetchOrders?.([order.correlationId]);
    const again = await adapter.runStep('sales_order', order, await adapter.findOrderState(order));
    assert.equal(again.salesOrder?.id, first.salesOrder?.id, 'adopted, not created twice');
    assert.equal((await ordersWith(order.correlationId)).length, 1);
  });

  it('a prefetch Dolibarr refuses (404, 503) changes nothing: each order is looked up on its own', async () => {
    const adapter = make();
    const [{ order, state }] = await withCustomers(adapter, 1) as [{ order: Order; state: ErpOrderState }];
    await adapter.runStep('sales_order', order, state);
    for (const status of [404, 503]) {
      const fresh = make();
      await fresh.runStep('customer', order, {});
      erp.faults.push({ match: { method: 'GET', path: /\/orders$/ }, kind: 'status', status, times: 1 });
      fresh.prefetchOrders?.([order.correlationId]);
      const found = await fresh.findOrderState(order);
      assert.ok(found.salesOrder, `found after a ${status} prefetch`);
    }
  });

  it('pipelines asking for the same SKU at once share one GET /products', async () => {
    const adapter = make();
    const from = erp.calls.length;
    const missing = await Promise.all(Array.from({ length: 6 }, () => adapter.findMissingProducts([SKU])));
    assert.ok(missing.every((m) => m.length === 0));
    assert.equal(count(from, 'GET', '/products'), 1);
  });
});
