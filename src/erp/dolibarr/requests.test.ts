/**
 * Requests per order on the stand-in (they count against Dolibarr's ceiling: bare create + validate = 2 writes).
 * A returning customer costs no lookup; a new one is looked up once before it is created; concurrent order
 * lookups share one GET.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Order } from '../../canonical/index.js';
import type { ErpAdapter } from '../../ports/erp.js';
import { startFakeDolibarr, type StartedFakeDolibarr } from '../../../tests/ts/standins/dolibarr/fake.js';
import { makeOrder } from '../../../tests/ts/standins/dolibarr/testing.js';
import { createDolibarrAdapter } from './index.js';

async function push(adapter: ErpAdapter, order: Order): Promise<void> {
  await adapter.findMissingProducts(order.lines.map((l) => l.erpRef));
  let state = await adapter.findOrderState(order);
  for (const step of ['customer', 'sales_order', 'validate_order'] as const) {
    if (step === 'customer' && state.customer) continue;
    if (step === 'sales_order' && state.salesOrder) continue;
    state = await adapter.runStep(step, order, state);
  }
}

describe('Dolibarr adapter: requests per order', () => {
  let fake: StartedFakeDolibarr;
  before(async () => { fake = await startFakeDolibarr({ apiKey: 'requests-test-key', products: ['RQ-A'] }); });
  after(async () => fake.stop());
  const count = (from: number): { gets: number; writes: number; byPath: string[] } => {
    const calls = fake.calls.slice(from);
    return { gets: calls.filter((c) => c.method === 'GET').length, writes: calls.filter((c) => c.method !== 'GET').length, byPath: calls.map((c) => `${c.method} ${c.path.replace('/api/index.php', '')}`) };
  };
  const order = (n: number, customer: number): Order => makeOrder({ number: `RQ-${n}`, lines: [{ sku: 'RQ-A', qty: 1, unit: 1000, rateId: 1 }], email: `rq-${customer}@example.com` });

  it('a new customer: looked up once (one search: ref_ext or e-mail), country resolved once, created; then the order', async () => {
    const adapter = createDolibarrAdapter({ url: fake.url, apiKey: 'requests-test-key', warehouseId: 1, refClientPrefix: 'WC-', timeoutMs: 2000 });
    const from = fake.calls.length;
    await push(adapter, order(1, 1));
    const c = count(from);
    assert.deepEqual(c.byPath.filter((p) => p.includes('thirdparties')), ['GET /thirdparties', 'POST /thirdparties', 'GET /thirdparties/1']);
    assert.equal(c.writes, 3, c.byPath.join('\n'));
  });

  it('a returning customer: 2 writes and 2 GETs alone (none in the write slot), and the order lookups of concurrent pipelines are shared', async () => {
    const adapter = createDolibarrAdapter({ url: fake.url, apiKey: 'requests-test-key', warehouseId: 1, refClientPrefix: 'WC-', timeoutMs: 2000 });
    await push(adapter, order(2, 2));
    let from = fake.calls.length;
    await push(adapter, order(3, 2));
    let c = count(from);
    assert.equal(c.writes, 2, c.byPath.join('\n'));
    assert.deepEqual(c.byPath, ['GET /orders', 'POST /orders', 'GET /orders', 'POST /orders/3/validate']);
    assert.ok(!c.byPath.some((p) => p.includes('thirdparties')), 'the customer is remembered');
    from = fake.calls.length;
    await Promise.all([4, 5, 6, 7, 8, 9, 10, 11].map((n) => push(adapter, order(n, 2))));
    c = count(from);
    assert.equal(c.writes, 16);
    assert.ok(c.gets < 16, `${c.gets} GETs for 8 orders: fewer than 2 each (state and re-lookup shared)\n${c.byPath.join('\n')}`);
  });
});
