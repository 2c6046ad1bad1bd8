/**
 * Builds wc/v3-shaped order bodies for the test-helper route, with totals computed in integer cents so they
 * balance exactly (as WooCommerce's own would).
 */
export interface LineSpec { sku: string; qty: number; unit: number /* cents, excl. tax */; taxRateId?: number; taxPercent?: number }

const money = (cents: number): string => `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;

export function orderBody(lines: LineSpec[], o: { shipping?: number; status?: string; email?: string } = {}): Record<string, unknown> {
  const rates = new Map<number, { percent: number; tax: number; shippingTax: number }>();
  const lineItems = lines.map((l) => {
    const total = l.unit * l.qty;
    const tax = l.taxPercent ? Math.round((total * l.taxPercent) / 100) : 0;
    if (l.taxRateId && l.taxPercent) {
      const r = rates.get(l.taxRateId) ?? { percent: l.taxPercent, tax: 0, shippingTax: 0 };
      r.tax += tax;
      rates.set(l.taxRateId, r);
    }
    return {
      name: l.sku, sku: l.sku, quantity: l.qty, subtotal: money(total), total: money(total), subtotal_tax: money(tax), total_tax: money(tax),
      taxes: l.taxRateId ? [{ id: l.taxRateId, total: money(tax), subtotal: money(tax) }] : [], price: l.unit / 100,
    };
  });
  const shipping = o.shipping ?? 500;
  const lineSum = lines.reduce((s, l) => s + l.unit * l.qty, 0);
  const taxSum = [...rates.values()].reduce((s, r) => s + r.tax, 0);
  return {
    status: o.status ?? 'processing',
    currency: 'USD',
    prices_include_tax: false,
    billing: { first_name: 'Jane', last_name: 'Doe', company: '', address_1: '969 Market', address_2: '', city: 'San Francisco', state: 'CA', postcode: '94103', country: 'US', email: o.email ?? 'jane.doe@example.test', phone: '555-555-5555' },
    line_items: lineItems,
    shipping_lines: shipping ? [{ method_title: 'Flat Rate', method_id: 'flat_rate', total: money(shipping), total_tax: '0.00', taxes: [] }] : [],
    fee_lines: [],
    coupon_lines: [],
    tax_lines: [...rates.entries()].map(([id, r]) => ({ id, rate_id: id, rate_code: `US-TAX-${id}`, label: `Tax ${r.percent}%`, compound: false, rate_percent: r.percent, tax_total: money(r.tax), shipping_tax_total: '0.00' })),
    discount_total: '0.00', discount_tax: '0.00', shipping_total: money(shipping), shipping_tax: '0.00',
    cart_tax: money(taxSum), total_tax: money(taxSum), total: money(lineSum + shipping + taxSum),
  };
}

export const simpleOrder = (email?: string): Record<string, unknown> =>
  orderBody([{ sku: 'TSHIRT-PLAIN', qty: 2, unit: 1999 }, { sku: 'HOODIE-S-GREY', qty: 1, unit: 4900 }], { email });
