/**
 * The Odoo adapter, end to end on the stand-in (tests/ts/standins/odoo) or, with SYNCLINE_ODOO_URL/DB set, on a
 * real Odoo 17 (scripts/test-all.sh runs it both ways). Faults are the stand-in's only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Order } from '../../canonical/index.js';
import { NeedsHumanError, RetryableError } from '../../common/errors.js';
import type { ErpAdapter, ErpOrderState } from '../../ports/erp.js';
import { RUN, startTestOdoo, usdOrder, type TestOdoo } from '../../../tests/ts/standins/odoo/testing.js';
import { orderKey } from './binder.js';
import { createOdooAdapter } from './index.js';

interface SoRow { id: number; name: string; state: string; amount_total: number; amount_tax: number; partner_id: [number, string] }

describe(`Odoo adapter (${process.env['SYNCLINE_ODOO_URL'] ? 'real Odoo 17' : 'stand-in'})`, () => {
  let odoo: TestOdoo;
  let adapter: ErpAdapter;
  const sku = (s: string): string => `OT-${RUN}-${s}`;
  const make = (o: Partial<Parameters<typeof createOdooAdapter>[0]> = {}): ErpAdapter => createOdooAdapter({
    url: odoo.url, database: odoo.db, login: odoo.login, apiKey: odoo.password, timeoutMs: 15_000, refClientPrefix: 'WC-', commitGraceMs: 300, ...o,
  });
  const push = async (a: ErpAdapter, order: Order): Promise<ErpOrderState> => {
    let state = await a.findOrderState(order);
    if (!state.customer) state = await a.runStep('customer', order, state);
    if (!state.salesOrder) state = await a.runStep('sales_order', order, state);
    if (!state.salesOrder?.validated) state = await a.runStep('validate_order', order, state);
    return state;
  };
  const ordersOf = (order: Order): Promise<SoRow[]> =>
    odoo.call<SoRow[]>('sale.order', 'search_read', [[['origin', '=', orderKey(order)]]], { fields: ['name', 'state', 'amount_total', 'amount_tax', 'partner_id'] });

  before(async () => {
    odoo = await startTestOdoo();
    await odoo.addProducts([sku('A'), sku('B')], 10);
    await odoo.addTax(20, false);
    await odoo.addTax(20, true);
    adapter = make();
  });
  after(async () => odoo?.stop());

  it('answers ping with the server version, and a ping with a wrong key fails as ERP down (the connection test shows it)', async () => {
    assert.match((await adapter.ping()).version, /^17\.0/);
    await assert.rejects(make({ apiKey: 'not-the-key' }).ping(), (e: unknown) => e instanceof RetryableError && e.code === 'erp_auth' && e.options.erpDown === true);
  });

  it("pushes a new customer's order once: partner by key, quotation with the key in origin, confirmed, totals to the cent; a replay changes nothing", async () => {
    const order = usdOrder({ number: `${RUN}1`, lines: [{ sku: sku('A'), qty: 2, unit: 1999, rateId: 1 }, { sku: sku('B'), qty: 3, unit: 1000, discount: 1 }], shipping: [{ total: 500 }], email: `new-${RUN}@example.test` });
    assert.deepEqual(await adapter.findOrderState(order), {});
    const state = await push(adapter, order);
    assert.equal(state.salesOrder?.validated, true);
    const rows = await ordersOf(order);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.state, 'sale');
    assert.equal(Math.round((rows[0]?.amount_total ?? 0) * 100), order.total);
    assert.equal(state.salesOrder?.ref, rows[0]?.name);
    const partners = await odoo.call<Array<{ id: number; ref: string; email: string }>>('res.partner', 'search_read', [[['email', '=', `new-${RUN}@example.test`]]], { fields: ['ref', 'email'] });
    assert.equal(partners.length, 1);
    const again = await make().findOrderState(order);
    assert.equal(again.salesOrder?.id, state.salesOrder?.id);
    assert.equal(again.salesOrder?.validated, true);
    assert.equal((await ordersOf(order)).length, 1);
  });

  it('adopts a partner that already has the e-mail, and handles prices including tax', async () => {
    const email = `known-${RUN}@example.test`;
    const pid = await odoo.call<number>('res.partner', 'create', [{ name: 'Known Buyer', email }]);
    const order = usdOrder({ number: `${RUN}2`, pricesIncludeTax: true, lines: [{ sku: sku('A'), qty: 1, unit: 1000, rateId: 1 }], email });
    const state = await push(adapter, order);
    assert.equal(state.customer?.id, String(pid));
    const [row] = await ordersOf(order);
    assert.equal(Math.round((row?.amount_total ?? 0) * 100), 1200);
    assert.equal(Math.round((row?.amount_tax ?? 0) * 100), 200);
  });

  it('a tax rate Odoo has no tax for is needs-human tax_mismatch and nothing is created', async () => {
    const order = usdOrder({ number: `${RUN}3`, rates: [{ rateId: 9, percent: '7.25' }], lines: [{ sku: sku('A'), qty: 1, unit: 1000, rateId: 9 }] });
    await assert.rejects(push(adapter, order), (e: unknown) => e instanceof NeedsHumanError && e.code === 'tax_mismatch' && /7\.25/.test(e.message));
    assert.equal((await ordersOf(order)).length, 0);
  });

  it('names products Odoo lacks', async () => {
    assert.deepEqual(await adapter.findMissingProducts([sku('A'), sku('NOPE')]), [sku('NOPE')]);
  });

  it('refuses to adopt an order carrying our key with another customer', async () => {
    const order = usdOrder({ number: `${RUN}4`, lines: [{ sku: sku('B'), qty: 1, unit: 1000 }], email: `foreign-${RUN}@example.test` });
    const other = await odoo.call<number>('res.partner', 'create', [{ name: 'Someone else' }]);
    const productId = (await odoo.call<Array<{ id: number }>>('product.product', 'search_read', [[['default_code', '=', sku('B')]]], { fields: ['id'] }))[0]?.id;
    await odoo.call('sale.order', 'create', [{ partner_id: other, origin: orderKey(order), order_line: [[0, 0, { product_id: productId, product_uom_qty: 1, price_unit: 10, tax_id: [[6, 0, []]] }]] }]);
    await adapter.runStep('customer', order, {});
    await assert.rejects(push(adapter, order), (e: unknown) => e instanceof NeedsHumanError && e.code === 'erp_foreign_document');
  });

  it('reads stock per warehouse with confirmed orders held back, and lists products changed since a cursor', async () => {
    const start = await adapter.readStockChanges?.(null);
    assert.ok(start);
    assert.deepEqual(start.refs, []);
    const before = (await adapter.readStock?.([sku('B')]))?.[0];
    assert.ok(before?.warehouses[0]);
    const order = usdOrder({ number: `${RUN}5`, lines: [{ sku: sku('B'), qty: 2, unit: 1000 }] });
    await push(adapter, order);
    const afterRead = (await adapter.readStock?.([sku('B')]))?.[0];
    const [b, a] = [before.warehouses[0], afterRead?.warehouses[0]];
    assert.ok(a);
    assert.equal(a.onHand, b.onHand, 'confirmation moves nothing physically');
    assert.equal(a.onHand - a.reserved, b.onHand - b.reserved - 2, 'the confirmed order is held back');
    const changes = await adapter.readStockChanges?.(start.cursor);
    assert.ok(changes?.refs.includes(sku('B')), `changed-since names ${sku('B')}: ${JSON.stringify(changes)}`);
  });

  it('shipments flow back: a validated delivery with carrier and tracking reference, found by write_date with its order key and lines; drafts never', async () => {
    const start = await adapter.readShipments?.(null);
    assert.ok(start);
    const order = usdOrder({ number: `${RUN}8`, lines: [{ sku: sku('A'), qty: 2, unit: 1000 }], email: `ship-${RUN}@example.test` });
    const state = await push(adapter, order);
    const [picking] = await odoo.call<Array<{ id: number; name: string }>>('stock.picking', 'search_read', [[['sale_id', '=', Number(state.salesOrder?.id)]]], { fields: ['name'] });
    assert.ok(picking, 'confirmation made a delivery');
    const before = await adapter.readShipments?.(start.cursor);
    assert.ok(!before?.shipments.some((s) => s.id === String(picking.id)), 'a delivery not done yet is not a shipment');
    await odoo.call('stock.picking', 'write', [[picking.id], { carrier_id: 1, carrier_tracking_ref: `TRACK-${RUN}` }]);
    // skip_sms: Odoo's stock_sms otherwise asks (a wizard) before the first delivery to a customer with a phone.
    assert.equal(await odoo.call('stock.picking', 'button_validate', [[picking.id]], { context: { skip_sms: true } }), true);
    const read = await adapter.readShipments?.(start.cursor);
    const shipment = read?.shipments.find((s) => s.id === String(picking.id));
    assert.ok(shipment, JSON.stringify(read));
    assert.deepEqual({ ...shipment, shippedAt: typeof shipment.shippedAt }, {
      id: String(picking.id), ref: picking.name, state: 'validated', order: { erpId: state.salesOrder?.id, refExt: order.correlationId, refClient: `WC-${order.number}` },
      carrier: 'Standard delivery', trackingNumber: `TRACK-${RUN}`, trackingUrl: null, shippedAt: 'number', lines: [{ ref: sku('A'), qty: 2 }],
    });
    assert.match(read?.cursor ?? '', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('two sidecars (and two pipelines of one of them) pushing the same order at once leave exactly one confirmed order', async () => {
    const order = usdOrder({ number: `${RUN}6`, lines: [{ sku: sku('A'), qty: 1, unit: 1000 }], email: `race-${RUN}@example.test` });
    const [x, y] = [make(), make()];
    const results = await Promise.allSettled([push(x, order), push(x, order), push(y, order)]);
    for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof RetryableError || r.reason instanceof NeedsHumanError, String(r.reason));
    const settled = await push(make(), order);
    assert.equal(settled.salesOrder?.validated, true);
    const rows = (await ordersOf(order)).filter((r) => r.state !== 'cancel');
    assert.equal(rows.filter((r) => r.state === 'sale').length, 1, JSON.stringify(rows));
  });

  it('faults: a serialization failure is retryable, a refused login is retryable and ERP-down, a timeout after commit is looked up before any new create', async (t) => {
    if (!odoo.fake) return t.skip('fault injection is the stand-in\'s');
    const order = usdOrder({ number: `${RUN}7`, lines: [{ sku: sku('A'), qty: 1, unit: 1000 }], email: `fault-${RUN}@example.test` });
    const state = await adapter.runStep('customer', order, {});
    odoo.faults.push({ call: 'sale.order.create', kind: 'fault', name: 'psycopg2.errors.SerializationFailure', message: 'could not serialize access due to concurrent update' });
    await assert.rejects(adapter.runStep('sales_order', order, state), (e: unknown) => e instanceof RetryableError && e.code === 'erp_concurrency');
    odoo.faults.push({ call: 'sale.order.create', kind: 'commit-then-hang', ms: 2000 });
    await assert.rejects(make({ timeoutMs: 1000 }).runStep('sales_order', order, state), (e: unknown) => e instanceof RetryableError && e.code === 'erp_outcome_unknown');
    await new Promise((r) => setTimeout(r, 300));
    await push(adapter, order);
    assert.equal((await ordersOf(order)).length, 1, 'the committed order was found, not created again');
    const bad = make({ apiKey: 'wrong' });
    await assert.rejects(bad.findOrderState(order), (e: unknown) => e instanceof RetryableError && e.code === 'erp_auth' && e.options.erpDown === true);
  });
});
