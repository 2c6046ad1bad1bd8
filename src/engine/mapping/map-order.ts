import type { Address, Customer, LineTax, Order, OrderStatus } from '../../canonical/index.js';
import { Order as OrderSchema, OrderStatus as OrderStatusSchema } from '../../canonical/index.js';
import { NeedsHumanError } from '../../common/errors.js';
import { checkTotals } from './checks.js';
import { checkRefundTotals, mapCredits, mapPayment, mapRefunds } from './finance.js';
import { currencyExponent, toMinor, type Precision } from './decimal.js';
import { WcOrder, type WcAddress, type WcLineItem } from './wc-order.js';

export interface MapContext {
  /** From the outbox event: the same for every event of one order. */
  correlationId: string;
  /** WooCommerce SKU → ERP product reference; a SKU without an entry maps to itself. */
  skuMap?: Record<string, string>;
  /** Shipping method id → ERP service product reference (admin → Mappings); unmapped methods stay free text. */
  shippingMap?: Record<string, string>;
  /** Payment method id → `MODE` or `MODE:ACCOUNT` (admin → Mappings → Payment methods). */
  paymentMap?: Record<string, string>;
}

type Amount = (value: string, field: string, precision?: Precision) => number;
type WcTaxes = Array<{ id: number; total: string }>;

/**
 * wc/v3 order JSON → canonical Order, with every amount in minor units and the totals checked to the minor unit.
 * Throws NeedsHumanError (`invalid_order`, `invalid_amount`, `missing_sku`, `missing_email`, `totals_mismatch`).
 */
export function mapOrder(raw: unknown, ctx: MapContext): Order {
  const wc = parseWc(raw);
  const exponent = currencyExponent(wc.currency);
  const amount: Amount = (value, field, precision = 'exact') => toMinor(value, exponent, precision, `${field} of order #${wc.id}`);
  const taxes = (list: WcTaxes, field: string): LineTax[] =>
    list.map((t) => ({ rateId: t.id, amount: amount(t.total, `${field} tax ${t.id}`, 'round') }));
  requireSkus(wc);
  const order: Order = {
    schemaVersion: 1,
    wcId: wc.id,
    number: wc.number ?? String(wc.id),
    correlationId: ctx.correlationId,
    status: mapStatus(wc.status),
    currency: wc.currency,
    pricesIncludeTax: wc.prices_include_tax,
    createdAt: wc.date_created_gmt ? `${wc.date_created_gmt}Z` : wc.date_created,
    paidAt: wc.date_paid_gmt ? `${wc.date_paid_gmt}Z` : null,
    paymentMethod: wc.payment_method,
    paymentMethodTitle: wc.payment_method_title,
    customer: mapCustomer(wc),
    lines: wc.line_items.map((l) => mapLine(l, ctx.skuMap ?? {}, amount, taxes)),
    ...mapCharges(wc, amount, taxes, ctx.shippingMap ?? {}),
    discountTotal: amount(wc.discount_total, 'discount_total'),
    discountTax: amount(wc.discount_tax, 'discount_tax', 'round'),
    shippingTotal: amount(wc.shipping_total, 'shipping_total'),
    shippingTax: amount(wc.shipping_tax, 'shipping_tax', 'round'),
    totalTax: amount(wc.total_tax, 'total_tax'),
    total: amount(wc.total, 'total'),
    customerNote: wc.customer_note,
    payment: mapPayment(wc, amount(wc.total, 'total'), ctx.paymentMap ?? {}),
    refunds: [],
    credits: mapCredits(wc, amount, ctx.paymentMap ?? {}),
  };
  order.refunds = mapRefunds(wc, order, { amount, paymentMap: ctx.paymentMap ?? {}, currency: wc.currency });
  const canonical = validate(order);
  checkTotals(canonical);
  checkRefundTotals(canonical);
  return canonical;
}

type Charges = Pick<Order, 'shipping' | 'fees' | 'discounts' | 'taxes'>;

function mapCharges(wc: WcOrder, amount: Amount, taxes: (t: WcTaxes, f: string) => LineTax[], shippingMap: Record<string, string>): Charges {
  return {
    shipping: wc.shipping_lines.map((s) => ({
      wcLineId: s.id, methodId: s.method_id, title: s.method_title, total: amount(s.total, `shipping ${s.id} total`),
      totalTax: amount(s.total_tax, `shipping ${s.id} tax`, 'round'), taxes: taxes(s.taxes, `shipping ${s.id}`),
      ...(shippingMap[s.method_id] ? { erpRef: shippingMap[s.method_id] } : {}),
    })),
    fees: wc.fee_lines.map((f) => ({
      wcLineId: f.id, name: f.name, total: amount(f.total, `fee "${f.name}" total`),
      totalTax: amount(f.total_tax, `fee "${f.name}" tax`, 'round'), taxes: taxes(f.taxes, `fee "${f.name}"`),
    })),
    discounts: wc.coupon_lines.map((c) => ({
      code: c.code, amount: amount(c.discount, `coupon ${c.code} discount`), amountTax: amount(c.discount_tax, `coupon ${c.code} tax`, 'round'),
    })),
    taxes: wc.tax_lines.map((t) => ({
      rateId: t.rate_id, code: t.rate_code, label: t.label, ratePercent: t.rate_percent,
      taxTotal: amount(t.tax_total, `tax rate ${t.rate_code} total`, 'round'),
      shippingTaxTotal: amount(t.shipping_tax_total, `tax rate ${t.rate_code} shipping tax`, 'round'),
    })),
  };
}

function parseWc(raw: unknown): WcOrder {
  const parsed = WcOrder.safeParse(raw);
  if (parsed.success) return parsed.data;
  const id = raw !== null && typeof raw === 'object' ? (raw as { id?: unknown }).id : undefined;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  throw new NeedsHumanError('invalid_order', `Order #${String(id ?? '?')} could not be read: ${issues.slice(0, 3).join('; ')}.`, { issues });
}

function validate(order: Order): Order {
  const parsed = OrderSchema.safeParse(order);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  throw new NeedsHumanError('invalid_order', `Order #${order.number} cannot be pushed: ${issues.slice(0, 3).join('; ')}.`, { issues });
}

/** WooCommerce status → canonical status (`wc-` prefix dropped; custom statuses become `other`). */
export function mapStatus(status: string): OrderStatus {
  const parsed = OrderStatusSchema.safeParse(status.replace(/^wc-/, ''));
  return parsed.success ? parsed.data : 'other';
}

function requireSkus(wc: WcOrder): void {
  const missing = wc.line_items.filter((l) => !l.sku || l.sku.trim() === '');
  if (missing.length === 0) return;
  const names = missing.map((l) => `"${l.name}"`).join(', ');
  throw new NeedsHumanError('missing_sku', `Order #${wc.number ?? wc.id}: the product ${names} has no SKU, so it cannot be matched to an ERP product.`, {
    lines: missing.map((l) => ({ line_id: l.id, name: l.name, product_id: l.product_id, variation_id: l.variation_id })),
  });
}

function mapLine(l: WcLineItem, skuMap: Record<string, string>, amount: Amount, taxes: (t: WcTaxes, f: string) => LineTax[]): Order['lines'][number] {
  const sku = (l.sku ?? '').trim();
  return {
    wcLineId: l.id, sku, erpRef: skuMap[sku] ?? sku, name: l.name, quantity: l.quantity,
    subtotal: amount(l.subtotal, `line "${l.name}" subtotal`),
    total: amount(l.total, `line "${l.name}" total`),
    totalTax: amount(l.total_tax, `line "${l.name}" tax`, 'round'),
    taxes: taxes(l.taxes, `line "${l.name}"`),
  };
}

function mapCustomer(wc: WcOrder): Customer {
  const email = (wc.billing.email ?? '').trim();
  if (email === '') {
    throw new NeedsHumanError('missing_email', `Order #${wc.number ?? wc.id} has no billing email, so no ERP customer can be found or created.`, { customer_id: wc.customer_id });
  }
  const person = `${wc.billing.first_name} ${wc.billing.last_name}`.trim();
  return {
    wcId: wc.customer_id,
    email,
    name: person || wc.billing.company || email,
    billing: mapAddress(wc.billing),
    shipping: mapAddress(wc.shipping),
  };
}

function mapAddress(a: WcAddress): Address {
  const out: Address = {
    firstName: a.first_name, lastName: a.last_name, company: a.company, line1: a.address_1, line2: a.address_2,
    city: a.city, state: a.state, postcode: a.postcode, country: a.country, phone: a.phone,
  };
  if (a.email) out.email = a.email;
  return out;
}
