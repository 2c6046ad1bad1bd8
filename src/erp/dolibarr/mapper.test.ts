import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NeedsHumanError } from '../../common/errors.js';
import { toDecimal, fraction, minorToDecimal, sumDecimals } from './decimal.js';
import { toOrderBody, toThirdpartyBody, unitPrice, unixSeconds } from './mapper.js';
import { makeOrder, type TestOrderSpec } from '../../../tests/ts/standins/dolibarr/testing.js';
import { lineTotals, orderTotals } from './totals.js';
import { customerRefExt, inFilter } from './binder.js';

const ids = new Map([['A', 1], ['B', 2]]);
const ctx = { socid: 7, productIds: ids, refClientPrefix: 'WC-' };

describe('decimal strings from integer minor units', () => {
  const cases: [number, number, number, string][] = [
    [1999, 1, 2, '19.99'], [5400, 3, 2, '18'], [1000, 3, 2, '3.33333333'], [100, 16, 2, '0.0625'], [-250, 1, 2, '-2.5'], [1234, 1, 0, '1234'], [1, 1, 3, '0.001'],
  ];
  for (const [total, qty, exp, want] of cases) {
    it(`unit price of ${total} minor units over ${qty} (exponent ${exp}) is ${want}`, () => assert.equal(unitPrice(total, qty, exp), want));
  }
  it('formats and sums without floats', () => {
    assert.equal(minorToDecimal(5, 2), '0.05');
    assert.equal(sumDecimals(['20', '5.5', '0.25']), '25.75');
    assert.deepEqual(toDecimal(fraction(1n, 3n), 4), { text: '0.3333', exact: false });
  });
});

describe("Dolibarr's line rounding", () => {
  const cases: [string, Parameters<typeof lineTotals>[0], [string, string, string]][] = [
    ['fixture 07 line 1', { qty: 2, subprice: '19.9', tva_tx: '20' }, ['3980', '796', '4776']],
    ['fixture 07 line 2 (10 % remise)', { qty: 1, subprice: '8.5', tva_tx: '20', remise_percent: '10' }, ['765', '153', '918']],
    ['5.5 % half-cent rounds up', { qty: 1, subprice: '0.1', tva_tx: '5.5' }, ['10', '1', '11']],
    ['8-decimal unit price', { qty: 3, subprice: '3.33333333', tva_tx: '20' }, ['1000', '200', '1200']],
  ];
  for (const [name, line, [ht, tva, ttc]] of cases) {
    it(name, () => assert.deepEqual(lineTotals(line), { ht: BigInt(ht), tva: BigInt(tva), ttc: BigInt(ttc) }));
  }
  it('sums fixture 07 to 52.35 / 10.47 / 62.82', () => {
    const t = orderTotals([{ qty: 2, subprice: '19.9', tva_tx: '20' }, { qty: 1, subprice: '8.5', tva_tx: '20', remise_percent: '10' }, { qty: 1, subprice: '4.9', tva_tx: '20' }]);
    assert.deepEqual(t, { ht: 5235n, tva: 1047n, ttc: 6282n });
  });
});

describe('order body', () => {
  const ok: [string, TestOrderSpec, Partial<{ subprices: string[]; rates: string[]; types: number[] }>][] = [
    ['plain line + shipping', { number: '1', lines: [{ sku: 'A', qty: 2, unit: 1990, rateId: 1 }], shipping: [{ total: 490, rateId: 1 }] }, { subprices: ['19.9', '4.9'], rates: ['20', '20'], types: [0, 1] }],
    ['multi-rate lines', { number: '2', lines: [{ sku: 'A', qty: 3, unit: 1999, rateId: 1 }, { sku: 'B', qty: 1, unit: 1234, rateId: 2 }] }, { rates: ['20', '5.5'] }],
    ['percent coupon folded into unit price', { number: '3', lines: [{ sku: 'A', qty: 3, unit: 1999, rateId: 1, discount: 600 }] }, { subprices: ['17.99'] }],
    ['fixed coupon not divisible by qty', { number: '4', lines: [{ sku: 'A', qty: 3, unit: 1000, rateId: 1, discount: 500 }] }, { subprices: ['8.33333333'] }],
    ['untaxed line and fee', { number: '5', lines: [{ sku: 'A', qty: 1, unit: 1000 }], fees: [{ name: 'Wrap', total: 250, rateId: 1 }] }, { rates: ['0', '20'], types: [0, 1] }],
    ['negative fee (discount fee)', { number: '6', lines: [{ sku: 'A', qty: 1, unit: 1000, rateId: 1 }], fees: [{ name: 'Loyalty', total: -100, rateId: 1 }] }, { subprices: ['10', '-1'] }],
  ];
  for (const [name, spec, want] of ok) {
    it(`maps ${name} and balances`, () => {
      const body = toOrderBody(makeOrder(spec), ctx);
      if (want.subprices) assert.deepEqual(body.lines.map((l) => l.subprice), want.subprices);
      if (want.rates) assert.deepEqual(body.lines.map((l) => l.tva_tx), want.rates);
      if (want.types) assert.deepEqual(body.lines.map((l) => l.product_type), want.types);
      assert.equal(body.socid, 7);
      assert.equal(body.ref_client, `WC-${spec.number}`);
      assert.equal(body.ref_ext, `woo-order-${spec.number}`);
      assert.match(body.note_private, new RegExp(`#${spec.number}.*woo-order-${spec.number}`));
    });
  }

  const bad: [string, () => unknown, string][] = [
    ['tax WooCommerce rounded differently', () => toOrderBody(makeOrder({ number: '9', lines: [{ sku: 'A', qty: 1, unit: 1005, rateId: 1, tax: 200 }] }), ctx), 'totals_mismatch'],
    ['unknown SKU', () => toOrderBody(makeOrder({ number: '9', lines: [{ sku: 'Z', qty: 1, unit: 100, rateId: 1 }] }), ctx), 'unmapped_sku'],
    ['two rates on one line that do not combine', () => {
      const o = makeOrder({ number: '9', lines: [{ sku: 'A', qty: 1, unit: 1005, rateId: 1 }] });
      const line = o.lines[0];
      if (line) line.taxes = [{ rateId: 1, amount: 201 }, { rateId: 2, amount: 56 }];
      o.taxes.push({ rateId: 2, code: 'R2', label: 'x', ratePercent: '5.5', taxTotal: 0, shippingTaxTotal: 0 });
      return toOrderBody(o, ctx);
    }, 'tax_mismatch'],
    ['a tax rate the order does not list', () => {
      const o = makeOrder({ number: '9', lines: [{ sku: 'A', qty: 1, unit: 1000, rateId: 1 }] });
      o.taxes = [];
      return toOrderBody(o, ctx);
    }, 'tax_mismatch'],
  ];
  for (const [name, run, code] of bad) {
    it(`refuses ${name} with NeedsHuman ${code}`, () => {
      assert.throws(run, (e: unknown) => e instanceof NeedsHumanError && e.code === code);
    });
  }

  it('accepts two rates on one line when their sum gives the same tax (e.g. 20 % + 5 %)', () => {
    const o = makeOrder({ number: '10', rates: [{ rateId: 1, percent: '20' }, { rateId: 4, percent: '5' }], lines: [{ sku: 'A', qty: 1, unit: 1000, rateId: 1 }] });
    const line = o.lines[0];
    assert.ok(line);
    line.taxes = [{ rateId: 1, amount: 200 }, { rateId: 4, amount: 50 }];
    line.totalTax = 250;
    o.taxes.push({ rateId: 4, code: 'R4', label: 'x', ratePercent: '5', taxTotal: 0, shippingTaxTotal: 0 });
    o.totalTax = 250;
    o.total = 1250;
    assert.equal(toOrderBody(o, ctx).lines[0]?.tva_tx, '25');
  });

  it('names WooCommerce and Dolibarr amounts in the totals_mismatch message', () => {
    try {
      toOrderBody(makeOrder({ number: '11', lines: [{ sku: 'A', qty: 1, unit: 1005, rateId: 1, tax: 200 }] }), ctx);
    } catch (e) {
      assert.ok(e instanceof NeedsHumanError);
      assert.match(e.message, /would total 12\.06 EUR in Dolibarr .* WooCommerce charged 12\.05 EUR/);
    }
  });
});

describe('customer and references', () => {
  it('maps the thirdparty body with an automatic customer code', () => {
    const o = makeOrder({ number: '1', wcCustomerId: 42, lines: [{ sku: 'A', qty: 1, unit: 100 }] });
    assert.equal(toThirdpartyBody(o, 1).country_id, 1);
    assert.deepEqual(toThirdpartyBody(o), { name: 'Jane Doe', email: 'buyer-1@example.com', client: 1, code_client: '-1', address: '1 Test Street', zip: '75001', town: 'Paris', country_code: 'FR', phone: '+33100000000', ref_ext: 'wc-customer-42' });
  });
  it('gives guests a stable ref_ext from their email', () => {
    const a = makeOrder({ number: '1', email: 'Guest@Example.com', lines: [{ sku: 'A', qty: 1, unit: 100 }] });
    const b = makeOrder({ number: '2', email: 'guest@example.com', lines: [{ sku: 'A', qty: 1, unit: 100 }] });
    assert.equal(customerRefExt(a), customerRefExt(b));
    assert.match(customerRefExt(a), /^wc-customer-[0-9a-f]{20}$/);
  });
  it('quotes each value of an in-list separately (fixture 01e) and refuses unsafe values', () => {
    assert.equal(inFilter('ref', ['WC-SKU-001', 'WC-SKU-003']), "(t.ref:in:'WC-SKU-001','WC-SKU-003')");
    assert.throws(() => inFilter('ref', ["O'Brien"]));
  });
  it('reads dates with and without a zone as UTC seconds', () => {
    assert.equal(unixSeconds('2026-11-22T10:00:00Z'), 1795341600);
    assert.equal(unixSeconds('2026-11-22T10:00:00'), 1795341600);
    assert.equal(unixSeconds('2026-11-22T11:00:00+01:00'), 1795341600);
  });
});

describe('order body: mapped shipping method', () => {
  const spec: TestOrderSpec = { number: '30', lines: [{ sku: 'A', qty: 1, unit: 1000, rateId: 1 }], shipping: [{ total: 490, rateId: 1 }] };
  it('puts a mapped shipping method on its ERP service product', () => {
    const order = makeOrder(spec);
    order.shipping = order.shipping.map((s) => ({ ...s, erpRef: 'SHIP' }));
    const body = toOrderBody(order, { ...ctx, productIds: new Map([['A', 1], ['SHIP', 9]]) });
    assert.deepEqual(body.lines.map((l) => [l.fk_product, l.product_type]), [[1, 0], [9, 1]]);
  });
  it('keeps an unmapped shipping method a free-text service line', () => {
    const body = toOrderBody(makeOrder(spec), ctx);
    assert.equal(body.lines[1]?.fk_product, undefined);
  });
  it('sends an unknown service ref to a human', () => {
    const order = makeOrder(spec);
    order.shipping = order.shipping.map((s) => ({ ...s, erpRef: 'NOPE' }));
    assert.throws(() => toOrderBody(order, ctx), (e: unknown) => e instanceof NeedsHumanError && e.code === 'unmapped_shipping');
  });
});
