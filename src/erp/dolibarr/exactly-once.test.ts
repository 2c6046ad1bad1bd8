/**
 * Exactly one Dolibarr sales order per WooCommerce order, and only ours adopted: ref_ext is the key, foreign
 * documents are needs-human, extra drafts are deleted before the survivor is validated, validated ones never.
 * Runs against the stand-in, or a real Dolibarr 20 when SYNCLINE_DOLIBARR_URL/KEY are set.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Order } from '../../canonical/index.js';
import { NeedsHumanError, RetryableError } from '../../common/errors.js';
import type { ErpAdapter, ErpOrderState } from '../../ports/erp.js';
import { createDolibarrAdapter } from './index.js';
import { toOrderBody } from './mapper.js';
import { makeOrder, RUN, startTestDolibarr, type TestDolibarr } from '../../../tests/ts/standins/dolibarr/testing.js';

const SKU = `SLX-${RUN}-A`;
let seq = 0;
const nextOrder = (unit = 1000): Order => makeOrder({ number: `X${RUN}-${++seq}`, lines: [{ sku: SKU, qty: 1, unit, rateId: 1 }], email: `x-${RUN}-${seq}@example.com` });

async function runAll(adapter: ErpAdapter, order: Order): Promise<ErpOrderState> {
  let state = await adapter.findOrderState(order);
  for (const step of ['customer', 'sales_order', 'validate_order'] as const) state = await adapter.runStep(step, order, state);
  return state;
}

async function needsHuman(p: Promise<unknown>, code: string): Promise<NeedsHumanError> {
  try { await p; } catch (err) {
    assert.ok(err instanceof NeedsHumanError, `expected NeedsHumanError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  return assert.fail(`expected NeedsHumanError ${code}`);
}

describe('Dolibarr adapter: exactly one order, only ours', () => {
  let erp: TestDolibarr;
  let adapter: ErpAdapter;
  let productId = 0;
  // Direct to the real Dolibarr: through tests/ts/support/fault-proxy.ts a 304 to a concurrent re-validation
  // reached the client as a dropped connection (reported to the harness owner); faults use erp.url.
  const make = (): ErpAdapter => createDolibarrAdapter({ url: erp.directUrl, apiKey: erp.apiKey, warehouseId: 1, refClientPrefix: 'WC-', timeoutMs: 5000 });
  type Row = { id: string; ref: string; statut: string; socid: string; ref_client: string | null };
  const ordersWith = async (field: string, value: string): Promise<Row[]> => {
    const res = await erp.call('GET', `/orders?sortfield=t.rowid&sortorder=ASC&sqlfilters=${encodeURIComponent(`(t.${field}:=:'${value}')`)}`);
    return res.json as Row[];
  };
  /** A sales order posted behind the adapter's back (another worker, another shop, a person). */
  const post = async (order: Order, socid: number, over: Record<string, unknown> = {}): Promise<number> => {
    const body = { ...toOrderBody(order, { socid, productIds: new Map([[SKU, productId]]), refClientPrefix: 'WC-' }), ...over };
    const res = await erp.call('POST', '/orders', body);
    assert.equal(res.status, 200, JSON.stringify(res.json));
    return Number(res.json);
  };
  const customerOf = async (order: Order): Promise<number> => Number((await adapter.runStep('customer', order, {})).customer?.id);

  before(async () => {
    erp = await startTestDolibarr();
    await erp.addProducts([SKU]);
    productId = Number((await erp.call('GET', `/products/ref/${SKU}`)).json && ((await erp.call('GET', `/products/ref/${SKU}`)).json as { id: string }).id);
    adapter = make();
  });
  after(async () => erp.stop());

  it('a foreign order carrying our ref_client (another customer, total and ref_ext) is ignored: ours is created', async () => {
    const order = nextOrder();
    const other = nextOrder(4321);
    const foreignId = await post(other, await customerOf(other), { ref_client: `WC-${order.number}` });
    const state = await runAll(adapter, order);
    assert.equal(state.salesOrder?.validated, true);
    assert.notEqual(state.salesOrder?.id, String(foreignId));
    const mine = await ordersWith('ref_ext', order.correlationId);
    assert.equal(mine.length, 1);
    const foreign = (await ordersWith('ref_client', `WC-${order.number}`)).find((o) => Number(o.id) === foreignId);
    assert.equal(foreign?.statut, '0', 'the foreign order was neither validated nor touched');
  });

  it('an order with our ref_ext but another customer is needs-human erp_foreign_document, never adopted', async () => {
    const order = nextOrder();
    const stranger = nextOrder();
    const foreignId = await post(order, await customerOf(stranger));
    await customerOf(order);
    const err = await needsHuman(adapter.findOrderState(order), 'erp_foreign_document');
    assert.match(err.message, new RegExp(`#${order.number}.*customer is thirdparty`));
    assert.match(err.message, /clear its external reference/);
    await needsHuman(adapter.runStep('sales_order', order, {}), 'erp_foreign_document');
    assert.equal((await ordersWith('ref_ext', order.correlationId)).map((o) => Number(o.id)).join(), String(foreignId));
  });

  it('an order with our ref_ext and customer but another total is needs-human erp_foreign_document', async () => {
    const order = nextOrder(1000);
    await post(nextOrder(999), await customerOf(order), { ref_ext: order.correlationId });
    const err = await needsHuman(adapter.findOrderState(order), 'erp_foreign_document');
    assert.match(err.message, /its total is 11\.99 incl\. tax, this order's is 12\.00 EUR/);
  });

  it('extra drafts of ours (two workers) are deleted, the lowest id validated: exactly one order', async () => {
    const order = nextOrder();
    const socid = await customerOf(order);
    const first = await post(order, socid);
    await post(order, socid);
    await post(order, socid);
    const found = await adapter.findOrderState(order);
    assert.equal(found.salesOrder?.id, String(first));
    const state = await runAll(adapter, order);
    assert.equal(state.salesOrder?.id, String(first));
    const left = await ordersWith('ref_ext', order.correlationId);
    assert.deepEqual(left.map((o) => [Number(o.id), o.statut]), [[first, '1']]);
  });

  it('a validated order of ours plus a late draft: the draft is deleted, the validated one kept', async () => {
    const order = nextOrder();
    const done = await runAll(adapter, order);
    await post(order, Number(done.customer?.id));
    const again = await adapter.runStep('validate_order', order, done);
    assert.equal(again.salesOrder?.id, done.salesOrder?.id);
    assert.equal((await ordersWith('ref_ext', order.correlationId)).length, 1);
  });

  it('two validated orders of ours are never deleted: needs-human erp_duplicate naming both', async () => {
    const order = nextOrder();
    const socid = await customerOf(order);
    for (let i = 0; i < 2; i++) {
      const id = await post(order, socid);
      assert.equal((await erp.call('POST', `/orders/${id}/validate`, { idwarehouse: 1, notrigger: 0 })).status, 200);
    }
    const err = await needsHuman(adapter.findOrderState(order), 'erp_duplicate');
    assert.equal((err.details['refs'] as string[]).length, 2);
    assert.equal((await ordersWith('ref_ext', order.correlationId)).length, 2);
  });

  it('two sidecars pushing the same order at once leave exactly one validated order', async () => {
    const order = nextOrder();
    await customerOf(order);
    const [a, b] = await Promise.all([runAll(adapter, order), runAll(make(), order)]);
    assert.equal(a.salesOrder?.id, b.salesOrder?.id);
    const left = await ordersWith('ref_ext', order.correlationId);
    assert.deepEqual(left.map((o) => o.statut), ['1']);
  });

  it('a create that timed out while Dolibarr commits later is retried only after the commit grace: one order', async () => {
    const slowCommit = createDolibarrAdapter({ url: erp.url, apiKey: erp.apiKey, warehouseId: 1, refClientPrefix: 'WC-', timeoutMs: 1000, commitGraceMs: 3000 });
    const order = nextOrder();
    const state = await slowCommit.runStep('customer', order, await slowCommit.findOrderState(order));
    // Dolibarr keeps working after our timeout and commits the order 2 s after the request arrived.
    erp.faults.push({ match: { method: 'POST', path: /\/orders$/ }, kind: 'delay', ms: 2000, times: 1 });
    const t0 = Date.now();
    const err = await slowCommit.runStep('sales_order', order, state).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof RetryableError && err.code === 'erp_create_unconfirmed', String(err));
    const wait = err.options.retryAfterMs ?? 0;
    assert.ok(wait >= 3000 - (Date.now() - t0) - 5 && wait <= 3000, `retry after ${wait} ms`);
    assert.equal(err.options.erpDown, true, 'a timeout counts towards the circuit, and does not pause every order');
    await new Promise((r) => setTimeout(r, wait));
    const done = await runAll(slowCommit, order);
    assert.equal(done.salesOrder?.validated, true);
    assert.deepEqual((await ordersWith('ref_ext', order.correlationId)).map((o) => o.statut), ['1']);
  });

  it('two pipelines of one sidecar pushing the same order post it once (the lookup runs inside the write slot)', async () => {
    const order = nextOrder();
    await customerOf(order);
    const local = make();
    const posts = (): number => erp.fake?.calls.filter((c) => c.method === 'POST' && /\/orders$/.test(c.path)).length ?? 0;
    const before = posts();
    await Promise.all([runAll(local, order), runAll(local, order)]);
    if (erp.fake) assert.equal(posts() - before, 1, 'one create (counted on the stand-in)');
    assert.equal((await ordersWith('ref_ext', order.correlationId)).length, 1);
  });

  it('a remembered customer Dolibarr no longer has is forgotten on the refused create, and found or created anew', { skip: erpIsReal() }, async () => {
    const order = nextOrder();
    const first = await runAll(adapter, order);
    const gone = Number(first.customer?.id);
    const fake = erp.fake;
    assert.ok(fake);
    fake.state.thirdparties = fake.state.thirdparties.filter((t) => t.id !== gone);
    const next = makeOrder({ number: `X${RUN}-${++seq}`, lines: [{ sku: SKU, qty: 1, unit: 1000, rateId: 1 }], email: order.customer.email });
    const err = await runAll(adapter, next).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof RetryableError && err.code === 'erp_customer_gone', String(err));
    const again = await runAll(adapter, next);
    assert.notEqual(again.customer?.id, String(gone));
    assert.equal(again.salesOrder?.validated, true);
  });
});

function erpIsReal(): string | false {
  return process.env['SYNCLINE_DOLIBARR_URL'] ? 'deletes a thirdparty behind Dolibarr\'s back: stand-in only' : false;
}
