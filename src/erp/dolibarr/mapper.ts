/**
 * Canonical Order → Dolibarr request bodies. Pure: no I/O, no clock.
 *
 * Coupon discounts: WooCommerce already spreads every coupon over the lines (`subtotal` before, `total` after
 * the discount, both excluding tax). Each product line is sent with `subprice = total / qty` (exact decimal
 * string, up to 8 places), so the coupon is folded into the unit price. This is the only representation that
 * balances to the cent per line and per tax rate: a separate negative discount line would need one line per
 * tax rate and would move VAT rounding to a different line, and `remise_percent` is stored by Dolibarr as a
 * float and rarely expresses a fixed-amount coupon exactly. The coupons (code and amount) are listed in the
 * order's `note_private`, and the line description names the coupon-reduced price, so nothing is hidden.
 * Shipping and fees are service lines (product_type 1) with their method title / fee name as `desc`.
 * After mapping, totals.ts predicts Dolibarr's totals and refuses the order if they differ from WooCommerce's.
 */
import type { Fee, LineTax, Order, Shipping } from '../../canonical/index.js';
import { NeedsHumanError } from '../../common/errors.js';
import { orderRefClient, orderRefExt, customerRefExt } from './binder.js';
import { currencyExponent, fraction, minorToDecimal, pow10, sumDecimals, toDecimal } from './decimal.js';
import { assertTotalsMatch, lineTotals, type PricedLine } from './totals.js';

export interface DolibarrLine extends PricedLine {
  fk_product?: number;
  desc?: string;
  product_type: 0 | 1;
}

export interface DolibarrOrderBody {
  socid: number;
  date: number;
  ref_client: string;
  ref_ext: string;
  note_private: string;
  lines: DolibarrLine[];
}

export interface OrderMapContext {
  socid: number;
  /** ERP product ref → Dolibarr product id. */
  productIds: ReadonlyMap<string, number>;
  refClientPrefix: string;
}

const MAX_UNIT_DECIMALS = 8;

/** Unit price excluding tax from a line total in minor units: exact when possible, else rounded to 8 places. */
export function unitPrice(totalMinor: number, qty: number, exponent: number): string {
  return toDecimal(fraction(BigInt(totalMinor), BigInt(qty) * pow10(exponent)), MAX_UNIT_DECIMALS).text;
}

/** The VAT rate for one line's taxes (amounts of zero are ignored; no tax → "0"). */
export function taxRateFor(taxes: readonly LineTax[], order: Order, what: string): string {
  const charged = taxes.filter((t) => t.amount !== 0);
  if (charged.length === 0) return '0';
  const rates = charged.map((t) => {
    const rate = order.taxes.find((r) => r.rateId === t.rateId);
    if (!rate) {
      throw new NeedsHumanError('tax_mismatch', `${what} of order #${order.number} uses tax rate id ${t.rateId}, which is not among the order's taxes.`, { rateId: t.rateId });
    }
    return rate.ratePercent;
  });
  return rates.length === 1 ? rates[0] ?? '0' : sumDecimals(rates);
}

/** A line with several tax rates can only be sent as one combined rate when the amounts come out the same. */
function assertTaxExpressible(line: DolibarrLine, taxes: readonly LineTax[], order: Order, what: string): void {
  const charged = taxes.filter((t) => t.amount !== 0);
  if (charged.length < 2) return;
  const exp = currencyExponent(order.currency);
  const wcTax = BigInt(charged.reduce((s, t) => s + t.amount, 0));
  if (lineTotals(line).tva * pow10(exp) === wcTax * 100n) return;
  throw new NeedsHumanError('tax_mismatch',
    `${what} of order #${order.number} is taxed at several rates (${charged.map((t) => t.rateId).join(', ')}); ` +
    `Dolibarr allows one VAT rate per line and the combined rate ${line.tva_tx}% does not give the same tax.`,
    { rateIds: charged.map((t) => t.rateId), combinedRate: line.tva_tx });
}

function productLines(order: Order, ctx: OrderMapContext): DolibarrLine[] {
  const exp = currencyExponent(order.currency);
  return order.lines.map((l) => {
    const id = ctx.productIds.get(l.erpRef);
    if (id === undefined) {
      throw new NeedsHumanError('unmapped_sku', `SKU ${l.sku} (Dolibarr ref ${l.erpRef}) of order #${order.number} does not exist in Dolibarr.`, { sku: l.sku, erpRef: l.erpRef });
    }
    const what = `Line "${l.name}" (SKU ${l.sku})`;
    const line: DolibarrLine = { fk_product: id, qty: l.quantity, subprice: unitPrice(l.total, l.quantity, exp), tva_tx: taxRateFor(l.taxes, order, what), product_type: 0 };
    if (l.total !== l.subtotal) {
      line.desc = `${l.name} — coupon discount ${minorToDecimal(l.subtotal - l.total, exp)} ${order.currency} included in the unit price`;
    }
    assertTaxExpressible(line, l.taxes, order, what);
    return line;
  });
}

function serviceLine(order: Order, item: Shipping | Fee, desc: string, what: string): DolibarrLine {
  const exp = currencyExponent(order.currency);
  const line: DolibarrLine = { desc, qty: 1, subprice: minorToDecimal(item.total, exp), tva_tx: taxRateFor(item.taxes, order, what), product_type: 1 };
  assertTaxExpressible(line, item.taxes, order, what);
  return line;
}

/** A mapped shipping method becomes a line on its ERP service product (the adapter resolved the ref). */
function withServiceProduct(line: DolibarrLine, s: Shipping, ctx: OrderMapContext): DolibarrLine {
  if (s.erpRef === undefined) return line;
  const id = ctx.productIds.get(s.erpRef);
  if (id === undefined) {
    throw new NeedsHumanError('unmapped_shipping', `Shipping method ${s.methodId} is mapped to Dolibarr service ${s.erpRef}, which does not exist in Dolibarr.`, { methodId: s.methodId, erpRef: s.erpRef });
  }
  return { ...line, fk_product: id };
}

/** `createdAt` → unix seconds; a date without a zone is read as UTC (WooCommerce `date_created_gmt`). */
export function unixSeconds(iso: string): number {
  const hasZone = /[zZ]$|[+-]\d\d:?\d\d$/.test(iso);
  const ms = Date.parse(hasZone ? iso : `${iso}Z`);
  if (Number.isNaN(ms)) throw new NeedsHumanError('bad_order_date', `Order date "${iso}" is not a valid date.`, { createdAt: iso });
  return Math.floor(ms / 1000);
}

function notePrivate(order: Order): string {
  const exp = currencyExponent(order.currency);
  const parts = [`WooCommerce order #${order.number} (id ${order.wcId}), correlation id ${order.correlationId}.`];
  if (order.paymentMethodTitle !== '') parts.push(`Payment: ${order.paymentMethodTitle}.`);
  for (const d of order.discounts) parts.push(`Coupon ${d.code}: -${minorToDecimal(d.amount, exp)} ${order.currency} excl. tax.`);
  return parts.join('\n');
}

/** The body for `POST /orders`. Throws NeedsHumanError for unmapped SKUs, inexpressible taxes or totals that would differ. */
export function toOrderBody(order: Order, ctx: OrderMapContext): DolibarrOrderBody {
  const lines = [
    ...productLines(order, ctx),
    ...order.shipping.map((s) => withServiceProduct(serviceLine(order, s, s.title || s.methodId, `Shipping "${s.title}"`), s, ctx)),
    ...order.fees.map((f) => serviceLine(order, f, f.name, `Fee "${f.name}"`)),
  ];
  assertTotalsMatch(order, lines);
  return {
    socid: ctx.socid,
    date: unixSeconds(order.createdAt),
    ref_client: orderRefClient(order, ctx.refClientPrefix),
    ref_ext: orderRefExt(order),
    note_private: notePrivate(order),
    lines,
  };
}

export interface ThirdpartyBody {
  name: string;
  email: string;
  client: 1;
  code_client: '-1';
  address: string;
  zip: string;
  town: string;
  /** Ignored by Dolibarr 20 (kept for other versions); `country_id` is what it stores. */
  country_code: string;
  country_id?: number;
  phone: string;
  ref_ext: string;
}

/**
 * The body for `POST /thirdparties`: a customer with an automatic customer code. `countryId` is the Dolibarr id of
 * the billing country (countries.ts); without it the customer is created without a country.
 */
export function toThirdpartyBody(order: Order, countryId?: number): ThirdpartyBody {
  const b = order.customer.billing;
  return {
    ...(countryId === undefined ? {} : { country_id: countryId }),
    name: b.company.trim() !== '' ? b.company.trim() : order.customer.name,
    email: order.customer.email,
    client: 1,
    code_client: '-1',
    address: [b.line1, b.line2].filter((s) => s.trim() !== '').join('\n'),
    zip: b.postcode,
    town: b.city,
    country_code: b.country,
    phone: b.phone,
    ref_ext: customerRefExt(order),
  };
}
