import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NeedsHumanError } from '../../common/errors.js';
import { makeOrder, type TestOrderSpec } from '../../../tests/ts/standins/dolibarr/testing.js';
import { roundHalfUp, splitUnitPrice } from './amounts.js';
import { customerKey, orderKey } from './binder.js';
import { classifyFault } from './errors.js';
import { neededProducts, neededTaxes, odooDatetime, planOrder, predictTotals, taxKey } from './mapper.js';

const order = (spec: TestOrderSpec): ReturnType<typeof makeOrder> => ({ ...makeOrder(spec), currency: 'USD' });
const taxIds = new Map([[taxKey('20', false), 11], [taxKey('5.5', false), 12], [taxKey('20', true), 21], [taxKey('10', false), 13]]);
const ctx = { partnerId: 7, productIds: new Map([['A', 1], ['B', 2], ['Delivery_007', 3], ['FEE', 4]]), taxIds, priceDigits: 2, refPrefix: 'WC-', shippingProductRef: 'Delivery_007', feeProductRef: 'FEE' };

describe('Odoo mapper', () => {
  it('puts lines on products by default_code with explicit taxes, shipping on the delivery product, and the key in origin', () => {
    const o = order({ number: '501', lines: [{ sku: 'A', qty: 2, unit: 1999, rateId: 1 }, { sku: 'B', qty: 1, unit: 490, rateId: 2 }], shipping: [{ total: 500 }] });
    const plan = planOrder(o, ctx);
    assert.equal(plan.values.client_order_ref, 'WC-501');
    assert.equal(plan.values.origin, orderKey(o));
    assert.equal(plan.values.partner_id, 7);
    assert.deepEqual(plan.values.order_line, [
      [0, 0, { product_id: 1, product_uom_qty: 2, price_unit: 19.99, tax_id: [[6, 0, [11]]] }],
      [0, 0, { product_id: 2, product_uom_qty: 1, price_unit: 4.9, tax_id: [[6, 0, [12]]] }],
      [0, 0, { product_id: 3, product_uom_qty: 1, price_unit: 5, tax_id: [[6, 0, []]], name: 'Flat rate' }],
    ]);
    assert.deepEqual(plan.predicted, { untaxed: o.total - o.totalTax, tax: o.totalTax, total: o.total });
  });

  it('splits a unit price Odoo cannot hold in two lines whose sum is the line total to the cent', () => {
    assert.deepEqual(splitUnitPrice(1000n, 3), [{ qty: 2, unit: 333n }, { qty: 1, unit: 334n }]);
    assert.deepEqual(splitUnitPrice(900n, 3), [{ qty: 3, unit: 300n }]);
    const o = order({ number: '502', lines: [{ sku: 'A', qty: 3, unit: 1000, discount: 1 }] });
    const lines = planOrder(o, ctx).values.order_line as Array<[number, number, { product_uom_qty: number; price_unit: number; name?: string }]>;
    assert.deepEqual(lines.map((l) => [l[2].product_uom_qty, l[2].price_unit]), [[1, 9.99], [2, 10]]);
    assert.match(lines[0]?.[2].name ?? '', /coupon discount 0\.01 USD/);
  });

  it('sends prices including tax with included taxes when the shop prices include tax', () => {
    const o = order({ number: '503', pricesIncludeTax: true, lines: [{ sku: 'A', qty: 1, unit: 1000, rateId: 1 }] });
    const plan = planOrder(o, ctx);
    assert.deepEqual(plan.values.order_line, [[0, 0, { product_id: 1, product_uom_qty: 1, price_unit: 12, tax_id: [[6, 0, [21]]] }]]);
    assert.equal(plan.predicted.total, 1200);
  });

  it('spreads a line total that does not divide by its quantity so that Odoo\'s per-line tax is the shop\'s (bench books --erp odoo: incl_tax_two_rates)', () => {
    // WooCommerce: 3 × 19.99 incl. 20 %, line total 49.975 rounded to 49.98 + 10.00 tax. The even split (2 × 19.99 +
    // 1 × 20.00) rounds to 6.66 + 3.33 = 9.99 of tax in Odoo: needs-human totals_mismatch before the fix.
    const o = order({ number: '507', pricesIncludeTax: true, lines: [{ sku: 'A', qty: 3, unit: 1666, rateId: 1, tax: 1000 }] });
    const plan = planOrder(o, ctx);
    assert.deepEqual(plan.predicted, { untaxed: 4998, tax: 1000, total: 5998 });
    assert.deepEqual((plan.values.order_line as Array<[number, number, { product_uom_qty: number; price_unit: number }]>).map((l) => [l[2].product_uom_qty, l[2].price_unit]), [[2, 20], [1, 19.98]]);
    // A total that divides stays one line; a split that already matches stays the even one.
    const even = order({ number: '508', lines: [{ sku: 'A', qty: 3, unit: 1000, discount: 1 }] });
    assert.deepEqual((planOrder(even, ctx).values.order_line as Array<[number, number, { product_uom_qty: number; price_unit: number }]>).map((l) => [l[2].product_uom_qty, l[2].price_unit]), [[1, 9.99], [2, 10]]);
  });

  it('predicts per-line half-up tax and refuses an order whose totals would differ by a cent (nothing sent)', () => {
    assert.deepEqual(predictTotals([{ productId: 1, qty: 1, unit: 10n, rates: ['5.5'] }], false, 2, 2), { untaxed: 10, tax: 1, total: 11 });
    assert.equal(roundHalfUp({ n: -5n, d: 10n }), -1n);
    const o = order({ number: '504', lines: [{ sku: 'A', qty: 1, unit: 1000, rateId: 1, tax: 201 }] });
    assert.throws(() => planOrder(o, ctx), (e: unknown) => e instanceof NeedsHumanError && e.code === 'totals_mismatch' && /12\.01/.test(e.message));
  });

  it('names unmapped SKUs, shipping products and fees', () => {
    const bad = order({ number: '505', lines: [{ sku: 'NOPE', qty: 1, unit: 100 }] });
    assert.throws(() => planOrder(bad, ctx), (e: unknown) => e instanceof NeedsHumanError && e.code === 'unmapped_sku' && /NOPE/.test(e.message));
    const fee = order({ number: '506', lines: [{ sku: 'A', qty: 1, unit: 100 }], fees: [{ name: 'Gift wrap', total: 250 }] });
    const { feeProductRef: _f, ...noFee } = ctx;
    assert.throws(() => planOrder(fee, noFee), (e: unknown) => e instanceof NeedsHumanError && e.code === 'unmapped_fee');
    assert.equal((planOrder(fee, ctx).values.order_line as unknown[]).length, 2);
    assert.deepEqual(neededProducts(fee, ctx).sort(), ['A', 'FEE']);
  });

  it('lists the taxes an order needs per rate and inclusion, and keys customers like the Dolibarr adapter', () => {
    const o = order({ number: '507', lines: [{ sku: 'A', qty: 1, unit: 100, rateId: 1 }, { sku: 'B', qty: 1, unit: 100, rateId: 3 }] });
    assert.deepEqual(neededTaxes(o).map((t) => t.rate).sort(), ['10', '20']);
    assert.match(customerKey(o), /^wc-customer-[0-9a-f]{20}$/);
    assert.equal(customerKey({ ...o, customer: { ...o.customer, wcId: 42 } }), 'wc-customer-42');
    assert.equal(odooDatetime('2026-11-22T10:00:00'), '2026-11-22 10:00:00');
    assert.equal(odooDatetime('2026-11-22T12:00:00+02:00'), '2026-11-22 10:00:00');
  });
});

describe("Odoo's faults", () => {
  const fault = (name: string, message = 'x'): Parameters<typeof classifyFault>[1] => ({ code: 200, message: 'Odoo Server Error', data: { name, message } });
  const cases: Array<[string, string, string, 'retry' | 'human']> = [
    ['odoo.exceptions.AccessDenied', 'Access Denied', 'erp_auth', 'retry'],
    ['psycopg2.errors.SerializationFailure', 'could not serialize access due to concurrent update', 'erp_concurrency', 'retry'],
    ['psycopg2.OperationalError', 'connection to server failed', 'erp_unavailable', 'retry'],
    ['odoo.exceptions.AccessError', 'Private methods (such as _update_available_quantity) cannot be called remotely.', 'erp_forbidden', 'human'],
    ['odoo.exceptions.ValidationError', 'The product is archived', 'erp_rejected', 'human'],
    ['odoo.exceptions.UserError', 'Some orders are not in a state requiring confirmation.', 'erp_rejected', 'human'],
    ['builtins.AttributeError', "The method 'action_create_invoice' does not exist on the model 'sale.order'", 'erp_incompatible', 'human'],
    ['builtins.ValueError', "Invalid field 'tracking_url' on model 'delivery.carrier'", 'erp_incompatible', 'human'],
    ['builtins.RuntimeError', 'something new', 'erp_fault', 'retry'],
  ];
  for (const [name, message, code, kind] of cases) {
    it(`${name} → ${kind === 'retry' ? 'retryable' : 'needs-human'} ${code}`, () => {
      const e = classifyFault('sale.order.create', fault(name, message));
      assert.equal(e.code, code);
      assert.equal(e instanceof NeedsHumanError, kind === 'human');
    });
  }
});
