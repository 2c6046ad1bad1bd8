/**
 * The Dolibarr adapter against the protocol-level fake, or against a real Dolibarr 20 when
 * SYNCLINE_DOLIBARR_URL and SYNCLINE_DOLIBARR_KEY are set (fault-injection tests are skipped there).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Order } from '../../canonical/index.js';
import { NeedsHumanError, RetryableError } from '../../common/errors.js';
import type { ErpAdapter, ErpOrderState } from '../../ports/erp.js';
import { createDolibarrAdapter } from './index.js';
import { makeOrder, RUN, startTestDolibarr, type TestDolibarr } from '../../../tests/ts/standins/dolibarr/testing.js';

const SKU_A = `SL-${RUN}-A`;
const SKU_B = `SL-${RUN}-B`;
let seq = 0;
const nextNumber = (): string => `${RUN}-${++seq}`;

async function runAll(adapter: ErpAdapter, order: Order): Promise<ErpOrderState> {
  let state = await adapter.findOrderState(order);
  for (const step of ['customer', 'sales_order', 'validate_order'] as const) state = await adapter.runStep(step, order, state);
  return state;
}

async function rejectsWith(p: Promise<unknown>, cls: typeof RetryableError | typeof NeedsHumanError, code: string): Promise<RetryableError | NeedsHumanError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof cls, `expected ${cls.name}, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected ${cls.name} ${code}`);
}

describe('Dolibarr adapter', () => {
  let erp: TestDolibarr;
  let adapter: ErpAdapter;
  const ordersPosted = (): number => erp.calls.filter((c) => c.method === 'POST' && /\/orders$/.test(c.path)).length;
  const ordersFor = async (o: Order): Promise<{ ref: string; total_ttc: string; statut: string }[]> => {
    const res = await erp.call('GET', `/orders?sqlfilters=${encodeURIComponent(`(t.ref_ext:=:'${o.correlationId}')`)}`);
    return res.json as { ref: string; total_ttc: string; statut: string }[];
  };

  before(async () => {
    erp = await startTestDolibarr();
    await erp.addProducts([SKU_A, SKU_B]);
    adapter = createDolibarrAdapter({ url: erp.url, apiKey: erp.apiKey, warehouseId: 1, refClientPrefix: 'WC-', timeoutMs: 2000 });
  });
  after(async () => erp.stop());

  it('answers ping with the Dolibarr version', async () => {
    assert.match((await adapter.ping()).version, /^\d+\.\d+/);
  });

  it('a customer Dolibarr does not know yet (thirdparty search answers 404) is "none found", not an error', async () => {
    const order = makeOrder({ number: nextNumber(), lines: [{ sku: SKU_A, qty: 1, unit: 1000, rateId: 1 }], email: `new-${RUN}-${seq}@example.com` });
    assert.deepEqual(await adapter.findOrderState(order), {});
    const state = await adapter.runStep('customer', order, {});
    assert.ok(state.customer?.id);
  });

  it('creates customers with their country (country_id resolved from the ISO code); an unknown country creates without', async () => {
    const fr = makeOrder({ number: nextNumber(), lines: [{ sku: SKU_A, qty: 1, unit: 1000, rateId: 1 }], email: `fr-${RUN}@example.com` });
    const created = await adapter.runStep('customer', fr, {});
    const got = await erp.call('GET', `/thirdparties/${created.customer?.id ?? ''}`);
    assert.equal((got.json as { country_id: string; country_code: string }).country_id, '1');
    assert.equal((got.json as { country_code: string }).country_code, 'FR');
    const zz = makeOrder({ number: nextNumber(), lines: [{ sku: SKU_A, qty: 1, unit: 1000, rateId: 1 }], email: `zz-${RUN}@example.com` });
    zz.customer.billing.country = 'ZZ';
    const none = await adapter.runStep('customer', zz, {});
    const gotNone = await erp.call('GET', `/thirdparties/${none.customer?.id ?? ''}`);
    assert.ok(!(gotNone.json as { country_id: string | null }).country_id, 'no country');
  });

  it('creates the customer, the sales order and validates it, with links to the documents', async () => {
    const order = makeOrder({ number: nextNumber(), lines: [{ sku: SKU_A, qty: 2, unit: 1990, rateId: 1 }], shipping: [{ total: 490, rateId: 1 }] });
    const state = await runAll(adapter, order);
    assert.ok(state.customer && state.salesOrder);
    assert.equal(state.salesOrder.validated, true);
    assert.match(state.salesOrder.ref, /^CO\d{4}-\d{4,}$/);
    assert.match(state.salesOrder.url ?? '', /\/commande\/card\.php\?id=\d+$/);
    assert.match(state.customer.url ?? '', /\/societe\/card\.php\?socid=\d+$/);
    const found = await adapter.findOrderState(order);
    assert.deepEqual(found.salesOrder, state.salesOrder);
    assert.equal(found.customer?.id, state.customer.id);
  });

  it('creates nothing new when every step is replayed', async () => {
    const order = makeOrder({ number: nextNumber(), lines: [{ sku: SKU_A, qty: 1, unit: 1000, rateId: 1 }] });
    const first = await runAll(adapter, order);
    const posts = ordersPosted();
    const again = await adapter.runStep('sales_order', order, { ...(first.customer ? { customer: first.customer } : {}) });
    await adapter.runStep('validate_order', order, again);
    assert.equal(again.salesOrder?.id, first.salesOrder?.id);
    assert.equal(ordersPosted(), posts);
    assert.equal((await ordersFor(order)).length, 1);
  });

  it('re-validating an order validated in the meantime (304) counts as done', async () => {
    const order = makeOrder({ number: nextNumber(), lines: [{ sku: SKU_B, qty: 1, unit: 500, rateId: 1 }] });
    const done = await runAll(adapter, order);
    assert.ok(done.salesOrder);
    const stale = { ...done, salesOrder: { ...done.salesOrder, validated: false } };
    const state = await adapter.runStep('validate_order', order, stale);
    assert.equal(state.salesOrder?.validated, true);
    assert.equal(state.salesOrder?.ref, done.salesOrder.ref);
  });

  it('after a timeout-after-commit, the retry finds the committed order: exactly one order', async () => {
    const order = makeOrder({ number: nextNumber(), lines: [{ sku: SKU_A, qty: 1, unit: 1234, rateId: 1 }] });
    const pre = await adapter.runStep('customer', order, await adapter.findOrderState(order));
    erp.faults.push({ match: { method: 'POST', path: /\/orders$/ }, kind: 'timeout_after_commit', times: 1 });
    await assert.rejects(adapter.runStep('sales_order', order, pre), RetryableError);
    const state = await runAll(adapter, order);
    assert.equal(state.salesOrder?.validated, true);
    assert.equal((await ordersFor(order)).length, 1);
  });

  it('a 429 with Retry-After becomes a RetryableError carrying retryAfterMs', async () => {
    const order = makeOrder({ number: nextNumber(), lines: [{ sku: SKU_A, qty: 1, unit: 100, rateId: 1 }] });
    erp.faults.push({ match: { method: 'GET' }, kind: 'status', status: 429, headers: { 'Retry-After': '2' }, times: 1 });
    const err = await rejectsWith(adapter.findOrderState(order), RetryableError, 'erp_rate_limited');
    assert.equal((err as RetryableError).options.retryAfterMs, 2000);
  });

  it('a deadlocked write (rolled back) is sent again at once, up to 4 sends: one order', async () => {
    const order = makeOrder({ number: nextNumber(), lines: [{ sku: SKU_A, qty: 1, unit: 100, rateId: 1 }] });
    const pre = await adapter.runStep('customer', order, {});
    erp.faults.push({ match: { method: 'POST', path: /\/orders$/ }, kind: 'deadlock', times: 3 });
    const created = await adapter.runStep('sales_order', order, pre);
    const done = await adapter.runStep('validate_order', order, created);
    assert.equal(done.salesOrder?.id, created.salesOrder?.id);
    assert.equal((await adapter.findOrderState(order)).salesOrder?.id, created.salesOrder?.id, 'exactly one order of ours');
  });

  it('a deadlock that persists through the resends is retryable and does not mark the ERP as down', async () => {
    const order = makeOrder({ number: nextNumber(), lines: [{ sku: SKU_A, qty: 1, unit: 100, rateId: 1 }] });
    const pre = await adapter.runStep('customer', order, {});
    erp.faults.push({ match: { method: 'POST', path: /\/orders$/ }, kind: 'deadlock', times: 4 });
    const err = await rejectsWith(adapter.runStep('sales_order', order, pre), RetryableError, 'erp_deadlock');
    assert.equal((err as RetryableError).options.erpDown, false);
    assert.equal((await adapter.runStep('sales_order', order, pre)).salesOrder?.validated, false);
  });

  it('an unreachable Dolibarr is retryable and marks the ERP as down', async () => {
    erp.faults.push({ kind: 'down', times: 1 });
    const err = await rejectsWith(adapter.ping(), RetryableError, 'erp_unreachable');
    assert.equal((err as RetryableError).options.erpDown, true);
  });

  it('reports SKUs missing in Dolibarr and refuses to create an order with them', async () => {
    const missing = `SL-${RUN}-MISSING`;
    assert.deepEqual(await adapter.findMissingProducts([SKU_A, missing, SKU_B, "O'Brien,(x)"]), [missing, "O'Brien,(x)"]);
    const order = makeOrder({ number: nextNumber(), lines: [{ sku: missing, qty: 1, unit: 100, rateId: 1 }] });
    const err = await rejectsWith(adapter.runStep('sales_order', order, {}), NeedsHumanError, 'unmapped_sku');
    assert.match(err.message, new RegExp(missing));
  });

  const balanced: [string, () => Order][] = [
    ['multi-rate taxes (20 % and 5.5 % lines)', () => makeOrder({ number: nextNumber(), lines: [{ sku: SKU_A, qty: 3, unit: 1999, rateId: 1 }, { sku: SKU_B, qty: 1, unit: 1234, rateId: 2 }] })],
    ['prices entered incl. tax (19.99 incl. 20 % → 16.66 + 3.33)', () => makeOrder({ number: nextNumber(), pricesIncludeTax: true, lines: [{ sku: SKU_A, qty: 1, unit: 1666, rateId: 1, tax: 333 }] })],
    ['a 10 % coupon', () => makeOrder({ number: nextNumber(), coupons: [{ code: 'TEN', amount: 600 }], lines: [{ sku: SKU_A, qty: 3, unit: 1999, rateId: 1, discount: 600 }] })],
    ['a fixed 5.00 coupon spread unevenly over 3 units', () => makeOrder({ number: nextNumber(), coupons: [{ code: 'FIVE', amount: 500 }], lines: [{ sku: SKU_A, qty: 3, unit: 1000, rateId: 1, discount: 500 }] })],
    ['a fee with tax', () => makeOrder({ number: nextNumber(), lines: [{ sku: SKU_A, qty: 1, unit: 1000, rateId: 1 }], fees: [{ name: 'Gift wrap', total: 250, rateId: 1 }] })],
    ['shipping with tax at another rate', () => makeOrder({ number: nextNumber(), lines: [{ sku: SKU_B, qty: 2, unit: 399, rateId: 2 }], shipping: [{ total: 590, rateId: 3 }] })],
  ];
  for (const [name, build] of balanced) {
    it(`balances to the cent in Dolibarr: ${name}`, async () => {
      const order = build();
      await runAll(adapter, order);
      const [erpOrder] = await ordersFor(order);
      assert.ok(erpOrder);
      assert.equal(Number(erpOrder.total_ttc).toFixed(2), (order.total / 100).toFixed(2));
    });
  }
});
