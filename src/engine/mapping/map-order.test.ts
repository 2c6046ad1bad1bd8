import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NeedsHumanError } from '../../common/errors.js';
import type { Order } from '../../canonical/index.js';
import { mapOrder } from './map-order.js';
import { wcOrder, wcLine } from './testing.js';

const FIXTURES = fileURLToPath(new URL('../../../../shared/fixtures/woocommerce/', import.meta.url));
const fixture = (name: string): unknown => JSON.parse(readFileSync(`${FIXTURES}${name}.json`, 'utf8'));
const ctx = { correlationId: 'corr-1' };

describe('wc/v3 → canonical order: recorded fixtures', { skip: !existsSync(FIXTURES) && 'no fixtures' }, () => {
  const cases: Array<[string, Partial<Order>, (o: Order) => void]> = [
    ['orders_create_paid', { wcId: 22, status: 'processing', total: 9398, shippingTotal: 500, totalTax: 0 }, (o) => {
      assert.deepEqual(o.lines.map((l) => [l.sku, l.quantity, l.total]), [['TSHIRT-PLAIN', 2, 3998], ['HOODIE-S-GREY', 1, 4900]]);
      assert.equal(o.customer.wcId, 2);
      assert.equal(o.paidAt, '2026-11-23T07:58:37Z');
    }],
    ['orders_create_pending', { wcId: 23, status: 'pending', total: 3750, paidAt: null }, (o) => {
      assert.equal(o.customer.wcId, 0, 'a guest');
      assert.equal(o.customer.email, 'jane.doe@example.test');
      assert.equal(o.customer.name, 'Jane Doe');
    }],
    ['orders_update_completed', { wcId: 24, status: 'completed', total: 14400 }, (o) => assert.equal(o.lines.length, 2)],
    ['orders_get', { wcId: 22, total: 9398 }, (o) => assert.equal(o.shipping[0]?.methodId, 'flat_rate')],
  ];
  for (const [name, expected, extra] of cases) {
    it(`maps ${name}`, () => {
      const o = mapOrder(fixture(name), ctx);
      assert.equal(o.correlationId, 'corr-1');
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(o[k as keyof Order], v, k);
      extra(o);
    });
  }

  it('maps SKUs to ERP references through the event\'s sku_map', () => {
    const o = mapOrder(fixture('orders_create_paid'), { correlationId: 'c', skuMap: { 'HOODIE-S-GREY': 'ERP-HOODIE-1' } });
    assert.deepEqual(o.lines.map((l) => l.erpRef), ['TSHIRT-PLAIN', 'ERP-HOODIE-1']);
  });
});

describe('wc/v3 → canonical order: synthetic cases', () => {
  const good: Array<[string, Record<string, unknown>, Partial<Order>]> = [
    ['multi-rate taxes with taxed shipping', wcOrder({
      line_items: [
        wcLine({ sku: 'A', total: '30.00', total_tax: '6.00', taxes: [{ id: 1, total: '6.00', subtotal: '6.00' }] }),
        wcLine({ id: 2, sku: 'B', total: '12.34', total_tax: '0.68', taxes: [{ id: 2, total: '0.6787', subtotal: '0.6787' }] }),
      ],
      shipping_lines: [{ id: 9, method_id: 'flat_rate', method_title: 'Flat', total: '5.00', total_tax: '1.00', taxes: [{ id: 1, total: '1.00', subtotal: '' }] }],
      tax_lines: [
        { rate_id: 1, rate_code: 'FR-TVA-20', label: 'TVA', rate_percent: 20, tax_total: '6.00', shipping_tax_total: '1.00' },
        { rate_id: 2, rate_code: 'FR-TVA-5.5', label: 'TVA', rate_percent: 5.5, tax_total: '0.68', shipping_tax_total: '0.00' },
      ],
      shipping_total: '5.00', shipping_tax: '1.00', total_tax: '7.68', total: '55.02',
    }), { total: 5502, totalTax: 768, shippingTax: 100 }],
    ['prices including tax with a 4-decimal line tax', wcOrder({
      prices_include_tax: true,
      line_items: [wcLine({ total: '8.33', subtotal: '8.33', total_tax: '1.67', taxes: [{ id: 1, total: '1.6667', subtotal: '1.6667' }] })],
      tax_lines: [{ rate_id: 1, rate_code: 'GB-VAT', label: 'VAT', rate_percent: '20.0000', tax_total: '1.67', shipping_tax_total: '0.00' }],
      total_tax: '1.67', total: '10.00',
    }), { total: 1000, pricesIncludeTax: true }],
    ['a coupon', wcOrder({
      line_items: [wcLine({ subtotal: '50.00', total: '45.00' })],
      coupon_lines: [{ code: 'TENOFF', discount: '5.00', discount_tax: '0.00' }],
      discount_total: '5.00', total: '45.00',
    }), { total: 4500, discountTotal: 500, discounts: [{ code: 'TENOFF', amount: 500, amountTax: 0 }] }],
    ['fees, one taxed and one negative', wcOrder({
      line_items: [wcLine({ total: '20.00' })],
      fee_lines: [
        { id: 5, name: 'Gift wrap', total: '2.50', total_tax: '0.50', taxes: [{ id: 1, total: '0.50', subtotal: '' }] },
        { id: 6, name: 'Loyalty', total: '-1.00', total_tax: '0.00', taxes: [] },
      ],
      tax_lines: [{ rate_id: 1, rate_code: 'T', label: 'T', rate_percent: 20, tax_total: '0.50', shipping_tax_total: '0.00' }],
      total_tax: '0.50', total: '22.00',
    }), { total: 2200 }],
    ['a zero-decimal currency', wcOrder({ currency: 'JPY', line_items: [wcLine({ subtotal: '1500', total: '1500' })], total: '1500' }), { total: 1500, currency: 'JPY' }],
    ['a custom status', wcOrder({ status: 'wc-shipped-partially' }), { status: 'other' }],
  ];
  for (const [name, raw, expected] of good) {
    it(`maps ${name}`, () => {
      const o = mapOrder(raw, ctx);
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(o[k as keyof Order], v, k);
    });
  }

  const bad: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['a total that does not add up', wcOrder({ total: '21.00' }), 'totals_mismatch', /20\.00 USD.*21\.00 USD/],
    ['rounded line taxes that no longer match the total tax', wcOrder({
      line_items: [
        wcLine({ total: '10.00', total_tax: '0.01', taxes: [{ id: 1, total: '0.005', subtotal: '0.005' }] }),
        wcLine({ id: 2, sku: 'B', total: '10.00', total_tax: '0.01', taxes: [{ id: 1, total: '0.005', subtotal: '0.005' }] }),
      ],
      total_tax: '0.01', total: '20.01',
    }), 'totals_mismatch', /line taxes add up to 0\.02 USD/],
    ['tax rates that disagree with the total tax', wcOrder({
      line_items: [wcLine({ total: '10.00', total_tax: '2.00', taxes: [{ id: 1, total: '2.00' }] })],
      tax_lines: [{ rate_id: 1, rate_code: 'T', label: 'T', rate_percent: 20, tax_total: '1.00', shipping_tax_total: '0.00' }],
      total_tax: '2.00', total: '12.00',
    }), 'totals_mismatch', /tax rates add up to 1\.00 USD/],
    ['a line without SKU', wcOrder({ line_items: [wcLine({ sku: '', name: 'Mystery Box' })] }), 'missing_sku', /"Mystery Box"/],
    ['a null SKU', wcOrder({ line_items: [wcLine({ sku: null, name: 'Gift card' })] }), 'missing_sku', /"Gift card"/],
    ['more decimals than the currency', wcOrder({ line_items: [wcLine({ total: '20.001' })] }), 'invalid_amount', /line "Widget" total/],
    ['no billing email', wcOrder({ billing: { first_name: 'A', email: '' } }), 'missing_email', /no billing email/],
    ['a missing total', wcOrder({ total: undefined }), 'invalid_order', /total/],
    ['no lines at all', wcOrder({ line_items: [], total: '0.00' }), 'invalid_order', /lines/],
  ];
  for (const [name, raw, code, message] of bad) {
    it(`flags ${name} as needs-human (${code})`, () => {
      assert.throws(() => mapOrder(raw, ctx), (e: unknown) => {
        assert.ok(e instanceof NeedsHumanError, String(e));
        assert.equal(e.code, code);
        assert.match(e.message, message);
        return true;
      });
    });
  }

  it('puts every figure in the details of a totals mismatch', () => {
    try {
      mapOrder(wcOrder({ total: '21.00' }), ctx);
      assert.fail('expected a mismatch');
    } catch (e) {
      assert.ok(e instanceof NeedsHumanError);
      assert.equal(e.details.total, 2100);
      assert.equal(e.details.expected_total, 2000);
      assert.equal(e.details.lines_total, 2000);
      assert.equal(e.details.currency, 'USD');
    }
  });
});

describe('wc/v3 → canonical order: shipping-method mapping', () => {
  const order = wcOrder({
    total: '25.00',
    shipping_total: '5.00',
    shipping_lines: [{ id: 9, method_id: 'flat_rate', method_title: 'Flat', total: '5.00', total_tax: '0.00', taxes: [] }],
  });
  it('carries the mapped ERP service ref of a shipping method', () => {
    const o = mapOrder(order, { correlationId: 'c', shippingMap: { flat_rate: 'SHIP-FLAT' } });
    assert.equal(o.shipping[0]?.erpRef, 'SHIP-FLAT');
  });
  it('leaves unmapped shipping methods as free text', () => {
    const o = mapOrder(order, { correlationId: 'c', shippingMap: { local_pickup: 'SHIP-PICK' } });
    assert.equal(o.shipping[0]?.erpRef, undefined);
  });
});
