/**
 * Fewer Odoo reads per order (issue 11): the customer in one search (our key or the e-mail, our key first), customer
 * lookups in flight shared, and sales-order lookups of different orders made together sent as one
 * `sale.order.search_read` with `origin in [...]`, each still asked of Odoo when it is made. Counts the adapter's own
 * JSON-RPC calls (its client's fetch). Runs on the stand-in, or a real Odoo 17 when SYNCLINE_ODOO_URL/DB are set.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Order } from '../../canonical/index.js';
import type { ErpOrderState } from '../../ports/erp.js';
import { RUN, startTestOdoo, usdOrder, type TestOdoo } from '../../../tests/ts/standins/odoo/testing.js';
import { OdooAdapter } from './adapter.js';
import { customerKey, orderKey } from './binder.js';
import { OdooClient } from './client.js';

interface Sent { call: string; domain: unknown }
/** Customer ids unique to this run (a real Odoo keeps the partners of earlier runs). */
const CUSTOMER_BASE = (Date.now() % 1_000_000) * 1000;

describe(`Odoo adapter: fewer reads per order (${process.env['SYNCLINE_ODOO_URL'] ? 'real Odoo 17' : 'stand-in'})`, () => {
  let odoo: TestOdoo;
  const sku = `OL-${RUN}-A`;
  let seq = 0;
  const nextOrder = (o: { email?: string; customer?: number } = {}): Order => {
    seq += 1;
    return usdOrder({ number: `${RUN}L${seq}`, lines: [{ sku, qty: 1, unit: 1000 }], email: o.email ?? `ol-${RUN}-${seq}@example.test`, ...(o.customer === undefined ? {} : { wcCustomerId: o.customer }) });
  };
  /** An adapter and the calls it sends (`model.method` and the domain of reads). */
  const make = (): { adapter: OdooAdapter; sent: Sent[] } => {
    const sent: Sent[] = [];
    const fetchImpl: typeof fetch = async (input, init) => {
      const body = JSON.parse(String(init?.body)) as { params: { service: string; method: string; args: unknown[] } };
      const a = body.params.args;
      if (body.params.service === 'object') sent.push({ call: `${String(a[3])}.${String(a[4])}`, domain: (a[5] as unknown[] | undefined)?.[0] });
      return fetch(input, init);
    };
    const client = new OdooClient({ url: odoo.url, db: odoo.db, login: odoo.login, apiKey: odoo.password, timeoutMs: 15_000, fetchImpl });
    const adapter = new OdooAdapter(client, { refPrefix: 'WC-', shippingProductRef: 'Delivery_007', commitGraceMs: 300, concurrency: 8 });
    return { adapter, sent };
  };
  const count = (sent: Sent[], call: string): number => sent.filter((s) => s.call === call).length;
  const push = async (a: OdooAdapter, order: Order, known?: ErpOrderState): Promise<ErpOrderState> => {
    let state = known ?? await a.findOrderState(order);
    if (!state.customer) state = await a.runStep('customer', order, state);
    if (!state.salesOrder) state = await a.runStep('sales_order', order, state);
    if (!state.salesOrder?.validated) state = await a.runStep('validate_order', order, state);
    return state;
  };
  const ordersOf = (order: Order): Promise<Array<{ id: number; state: string }>> =>
    odoo.call('sale.order', 'search_read', [[['origin', '=', orderKey(order)]]], { fields: ['state'] });
  const partnerOf = async (order: Order): Promise<number> => {
    const state = await make().adapter.runStep('customer', order, {});
    return Number(state.customer?.id);
  };

  before(async () => {
    odoo = await startTestOdoo();
    await odoo.addProducts([sku], 100);
  });
  after(async () => odoo?.stop());

  it('state lookups of orders made together go out as one sale.order.search_read carrying every key', async () => {
    const { adapter, sent } = make();
    const orders = Array.from({ length: 5 }, () => nextOrder());
    for (const o of orders) await adapter.runStep('customer', o, {});
    sent.length = 0;
    const states = await Promise.all(orders.map((o) => adapter.findOrderState(o)));
    assert.ok(states.every((s) => s.customer !== undefined && s.salesOrder === undefined));
    const reads = sent.filter((s) => s.call === 'sale.order.search_read');
    assert.equal(reads.length, 1, JSON.stringify(sent));
    assert.deepEqual(reads[0]?.domain, [['origin', 'in', orders.map(orderKey)]]);
    assert.equal(count(sent, 'res.partner.search_read'), 0, 'known customers are not looked up again');
  });

  it('every lookup is asked of Odoo when it is made: an order created behind the adapter\'s back after a first lookup is found by the next', async () => {
    const { adapter, sent } = make();
    const order = nextOrder();
    const partner = await partnerOf(order);
    assert.equal((await adapter.findOrderState(order)).salesOrder, undefined);
    const productId = (await odoo.call<Array<{ id: number }>>('product.product', 'search_read', [[['default_code', '=', sku]]], { fields: ['id'] }))[0]?.id;
    await odoo.call('sale.order', 'create', [{ partner_id: partner, origin: orderKey(order), order_line: [[0, 0, { product_id: productId, product_uom_qty: 1, price_unit: 10, tax_id: [[6, 0, []]] }]] }]);
    const before = count(sent, 'sale.order.search_read');
    const state = await adapter.findOrderState(order);
    assert.ok(state.salesOrder, 'found');
    assert.equal(count(sent, 'sale.order.search_read'), before + 1, 'asked again');
    await push(adapter, order, state);
    assert.deepEqual((await ordersOf(order)).map((o) => o.state), ['sale'], 'adopted, confirmed, no second create');
  });

  it('orders pushed together: each exactly once and confirmed, fewer than 2 order lookups each, the re-lookup after each create still made', async () => {
    const { adapter, sent } = make();
    const orders = Array.from({ length: 6 }, () => nextOrder());
    for (const o of orders) await adapter.runStep('customer', o, {});
    sent.length = 0;
    const states = await Promise.all(orders.map((o) => push(adapter, o)));
    assert.ok(states.every((s) => s.salesOrder?.validated === true));
    for (const o of orders) assert.deepEqual((await ordersOf(o)).map((r) => r.state), ['sale'], `order ${o.number} once`);
    assert.equal(count(sent, 'sale.order.create'), orders.length);
    const reads = sent.filter((s) => s.call === 'sale.order.search_read');
    assert.ok(reads.length < 2 * orders.length, `${reads.length} order lookups for ${orders.length} orders:\n${sent.map((s) => s.call).join('\n')}`);
    assert.ok(reads.some((r) => Array.isArray(r.domain) && (r.domain as unknown[]).length === 1 && JSON.stringify(r.domain).includes('"in"')), 'some lookups carried several keys');
    // After each create (its values carry the key in `origin`), a lookup carrying that key.
    sent.forEach((s, i) => {
      if (s.call !== 'sale.order.create') return;
      const key = (s.domain as { origin: string }).origin;
      assert.ok(sent.slice(i + 1).some((r) => r.call === 'sale.order.search_read' && JSON.stringify(r.domain).includes(JSON.stringify(key))), `${key} looked up again after its create`);
    });
  });

  it('a new customer: one search for key or e-mail (res.partner), one in the write slot before the create, one after it', async () => {
    const { adapter, sent } = make();
    const order = nextOrder({ customer: CUSTOMER_BASE + 1 });
    assert.deepEqual(await adapter.findOrderState(order), {});
    assert.equal(count(sent, 'res.partner.search_read'), 1);
    assert.equal(count(sent, 'sale.order.search_read'), 0, 'no customer, no order of it');
    const [first] = sent;
    assert.deepEqual(first?.domain, ['|', ['ref', '=', customerKey(order)], '&', ['email', '=ilike', order.customer.email.toLowerCase()], ['parent_id', '=', false]]);
    await push(adapter, order, {});
    assert.equal(count(sent, 'res.partner.search_read'), 3, sent.map((s) => s.call).join('\n'));
    assert.equal(count(sent, 'res.partner.create'), 1);
  });

  it('a partner with our key beats one with the e-mail (even an older one)', async () => {
    const email = `both-${RUN}@example.test`;
    const byMail = await odoo.call<number>('res.partner', 'create', [{ name: 'Same e-mail, older', email }]);
    const order = nextOrder({ email, customer: CUSTOMER_BASE + 2 });
    const byKey = await odoo.call<number>('res.partner', 'create', [{ name: 'Ours', email: `other-${RUN}@example.test`, ref: customerKey(order) }]);
    assert.ok(byMail < byKey);
    const { adapter, sent } = make();
    assert.equal((await adapter.findOrderState(order)).customer?.id, String(byKey));
    assert.equal(count(sent, 'res.partner.search_read'), 1);
    // Without a partner carrying the key, the e-mail's (lowest id) is adopted.
    const guest = nextOrder({ email, customer: CUSTOMER_BASE + 3 });
    assert.equal((await make().adapter.findOrderState(guest)).customer?.id, String(byMail));
  });

  it('an e-mail that only matches as a pattern (=ilike reads _ as a wildcard) is not our customer', async () => {
    const other = await odoo.call<number>('res.partner', 'create', [{ name: 'Wildcard', email: `wxld-${RUN}@example.test` }]);
    const order = nextOrder({ email: `w_ld-${RUN}@example.test`, customer: CUSTOMER_BASE + 4 });
    const state = await push(make().adapter, order);
    assert.notEqual(state.customer?.id, String(other));
  });

  it('lookups of one customer made while one is in flight share it; a later lookup asks again', async () => {
    const { adapter, sent } = make();
    const customer = CUSTOMER_BASE + 5;
    const email = `shared-${RUN}@example.test`;
    const orders = Array.from({ length: 4 }, () => nextOrder({ email, customer }));
    const states = await Promise.all(orders.map((o) => adapter.findOrderState(o)));
    assert.ok(states.every((s) => s.customer === undefined));
    assert.equal(count(sent, 'res.partner.search_read'), 1);
    await adapter.findOrderState(orders[0] as Order);
    assert.equal(count(sent, 'res.partner.search_read'), 2);
    // Pushed together: one partner, each order once.
    await Promise.all(orders.map((o) => push(adapter, o)));
    const partners = await odoo.call<unknown[]>('res.partner', 'search_read', [[['ref', '=', customerKey(orders[0] as Order)]]], { fields: ['id'] });
    assert.equal(partners.length, 1);
    for (const o of orders) assert.equal((await ordersOf(o)).length, 1);
  });

  it('pipelines asking for the same SKUs at once share one product.product.search_read; a SKU Odoo lacks is asked again later', async () => {
    const { adapter, sent } = make();
    const missing = await Promise.all(Array.from({ length: 5 }, () => adapter.findMissingProducts([sku, `${sku}-NOPE`])));
    assert.ok(missing.every((m) => m.length === 1 && m[0] === `${sku}-NOPE`));
    assert.equal(count(sent, 'product.product.search_read'), 1);
    assert.deepEqual(await adapter.findMissingProducts([sku, `${sku}-NOPE`]), [`${sku}-NOPE`]);
    assert.equal(count(sent, 'product.product.search_read'), 2, 'the known one is not asked again, the missing one is');
    assert.deepEqual(sent.at(-1)?.domain, [['default_code', 'in', [`${sku}-NOPE`]]]);
  });
});
