/** Builders of synthetic wc/v3 orders for tests (a balanced 20.00 USD order with one untaxed line by default). */
export function wcLine(o: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 1, name: 'Widget', product_id: 10, variation_id: 0, quantity: 1, sku: 'WIDGET',
    subtotal: '20.00', subtotal_tax: '0.00', total: '20.00', total_tax: '0.00', taxes: [], ...o,
  };
}

export function wcOrder(o: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 101, number: '101', status: 'processing', currency: 'USD', prices_include_tax: false,
    date_created: '2026-11-23T08:00:00', date_created_gmt: '2026-11-23T07:00:00', date_paid_gmt: '2026-11-23T07:00:00',
    payment_method: 'bacs', payment_method_title: 'Bank transfer', customer_id: 0, customer_note: '',
    billing: { first_name: 'Jane', last_name: 'Doe', company: '', address_1: '1 Main St', address_2: '', city: 'Paris', state: '', postcode: '75001', country: 'FR', email: 'jane@example.test', phone: '' },
    shipping: { first_name: 'Jane', last_name: 'Doe', company: '', address_1: '1 Main St', address_2: '', city: 'Paris', state: '', postcode: '75001', country: 'FR', phone: '' },
    line_items: [wcLine()], shipping_lines: [], fee_lines: [], coupon_lines: [], tax_lines: [],
    discount_total: '0.00', discount_tax: '0.00', shipping_total: '0.00', shipping_tax: '0.00', total_tax: '0.00', total: '20.00',
    ...o,
  };
}
