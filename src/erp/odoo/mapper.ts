/**
 * Canonical Order → the values of Odoo's `sale.order.create`, and the totals Odoo will compute for them. Pure.
 *
 * - Product lines are on products found by `default_code` = the line's ERP ref; shipping on the mapped service
 *   product (`erpRef`, else the configured default delivery product), fees on the configured fee product.
 * - Prices go in as the shop has them: excluding tax, or including tax when the shop's prices include tax (then
 *   the line's taxes are Odoo taxes with "Included in price"). Coupons are folded into the unit price (WooCommerce
 *   already spread them over the lines). A unit price not expressible with Odoo's "Product Price" decimals is sent
 *   as two lines of the same product (the lower price and one step higher), whose sum is the line total exactly.
 * - Every line carries its taxes explicitly (`tax_id`), one Odoo sale tax per WooCommerce rate (lookups), so no
 *   product default tax is ever added.
 * - `predictTotals` computes Odoo's totals (tax rounded per line, half-up, Odoo's default): an order whose
 *   prediction differs from WooCommerce's by a cent is needs-human before anything is created.
 */
import { grossTotal, type LineTax, type Order } from '../../canonical/index.js';
import { NeedsHumanError } from '../../common/errors.js';
import { currencyExponent } from '../../engine/mapping/decimal.js';
import { minorText, parseRatio, pow10, roundHalfUp, splitUnitPrice } from './amounts.js';
import { clientOrderRef, orderKey } from './binder.js';

export interface OrderMapContext {
  partnerId: number;
  /** `default_code` → product.product id. */
  productIds: ReadonlyMap<string, number>;
  /** `taxKey(rate, included)` → account.tax id. */
  taxIds: ReadonlyMap<string, number>;
  /** Decimals of Odoo's "Product Price" precision (2 by default). */
  priceDigits: number;
  refPrefix: string;
  shippingProductRef: string;
  feeProductRef?: string;
}

/** One line as Odoo will hold it. `unit` is in units of 10^-priceDigits. */
export interface OdooLine {
  productId: number;
  qty: number;
  unit: bigint;
  rates: string[];
  name?: string;
}

export interface OdooOrderPlan {
  values: Record<string, unknown>;
  lines: OdooLine[];
  included: boolean;
  /** Odoo's totals for these lines, in minor units. */
  predicted: { untaxed: number; tax: number; total: number };
}

export function taxKey(rate: string, included: boolean): string {
  return `${parseRatio(rate).n * 1000000n / parseRatio(rate).d}|${included ? 'incl' : 'excl'}`;
}

/** The WooCommerce rates (percent text) a line is charged at (zero amounts ignored). */
export function ratesOf(taxes: readonly LineTax[], order: Order, what: string): string[] {
  return taxes.filter((t) => t.amount !== 0).map((t) => {
    const rate = order.taxes.find((r) => r.rateId === t.rateId);
    if (!rate) throw new NeedsHumanError('tax_mismatch', `${what} of order #${order.number} uses tax rate id ${t.rateId}, which is not among the order's taxes.`, { rateId: t.rateId });
    return rate.ratePercent;
  });
}

/** Every (rate, included) pair the order needs an Odoo tax for. */
export function neededTaxes(order: Order): Array<{ rate: string; included: boolean }> {
  const out = new Map<string, { rate: string; included: boolean }>();
  const all = [...order.lines.map((l) => l.taxes), ...order.shipping.map((s) => s.taxes), ...order.fees.map((f) => f.taxes)];
  for (const taxes of all) {
    for (const rate of ratesOf(taxes, order, 'A line')) out.set(taxKey(rate, order.pricesIncludeTax), { rate, included: order.pricesIncludeTax });
  }
  return [...out.values()];
}

/** Every product ref the order needs (lines, shipping product, fee product). */
export function neededProducts(order: Order, ctx: Pick<OrderMapContext, 'shippingProductRef' | 'feeProductRef'>): string[] {
  const refs = new Set(order.lines.map((l) => l.erpRef));
  for (const s of order.shipping) refs.add(s.erpRef ?? ctx.shippingProductRef);
  if (order.fees.length > 0 && ctx.feeProductRef !== undefined) refs.add(ctx.feeProductRef);
  return [...refs];
}

function productId(order: Order, ctx: OrderMapContext, ref: string, what: string, code: string): number {
  const id = ctx.productIds.get(ref);
  if (id === undefined) {
    throw new NeedsHumanError(code, `${what} of order #${order.number} needs the Odoo product with Internal Reference ${ref}, which does not exist in Odoo.`, { erpRef: ref });
  }
  return id;
}

/** Lines for one WooCommerce item: its total (minor units, as the shop prices it) spread over `qty`. */
export function linesFor(order: Order, ctx: Pick<OrderMapContext, 'priceDigits'>, item: { productId: number; qty: number; total: number; tax: number; rates: string[]; name?: string }): OdooLine[] {
  const exp = currencyExponent(order.currency);
  if (ctx.priceDigits < exp) {
    throw new NeedsHumanError('erp_settings', `Odoo's "Product Price" precision has ${ctx.priceDigits} decimals, fewer than ${order.currency} needs (${exp}).`, { priceDigits: ctx.priceDigits });
  }
  const shopTotal = BigInt(order.pricesIncludeTax ? item.total + item.tax : item.total) * pow10(ctx.priceDigits - exp);
  const candidates = unitSplits(shopTotal, item.qty).map((split) => split.map((p): OdooLine => ({
    productId: item.productId, qty: p.qty, unit: p.unit, rates: item.rates, ...(item.name === undefined ? {} : { name: item.name }),
  })));
  // Odoo rounds the tax per line: of the splits that give the total, the first whose taxes are the shop's.
  return candidates.find((c) => predictTotals(c, order.pricesIncludeTax, ctx.priceDigits, exp).tax === item.tax) ?? candidates[0] ?? [];
}

/**
 * Ways to spread `total` over `qty` units at the price precision, each summing to `total` exactly: the even split
 * (splitUnitPrice) first, then qty − 1 units a step or two above or below it with one unit carrying the rest. Two
 * lines round their tax apart, so the even split can lose a cent of tax the shop has (3 × 19.99 incl. 20 % whose
 * line total WooCommerce rounded to 59.98: 39.98 + 20.00 gives 6.66 + 3.33 of tax, 40.00 + 19.98 gives 6.67 + 3.33 =
 * WooCommerce's 10.00).
 */
function unitSplits(total: bigint, qty: number): Array<Array<{ qty: number; unit: bigint }>> {
  const even = splitUnitPrice(total, qty);
  const base = even[0]?.unit;
  if (even.length < 2 || base === undefined || total <= 0n) return [even];
  const others = [1n, -1n, 2n, -2n].map((step) => ({ unit: base + step, rest: total - (base + step) * BigInt(qty - 1) }))
    .filter((o) => o.unit > 0n && o.rest > 0n)
    .map((o) => [{ qty: qty - 1, unit: o.unit }, { qty: 1, unit: o.rest }]);
  return [even, ...others];
}

export function planOrder(order: Order, ctx: OrderMapContext): OdooOrderPlan {
  const exp = currencyExponent(order.currency);
  const lines: OdooLine[] = [];
  for (const l of order.lines) {
    const what = `Line "${l.name}" (SKU ${l.sku})`;
    const coupon = l.total !== l.subtotal ? `${l.name} (coupon discount ${minorText(BigInt(l.subtotal - l.total), exp)} ${order.currency} included in the unit price)` : undefined;
    lines.push(...linesFor(order, ctx, {
      productId: productId(order, ctx, l.erpRef, what, 'unmapped_sku'), qty: l.quantity, total: l.total, tax: l.totalTax, rates: ratesOf(l.taxes, order, what),
      ...(coupon === undefined ? {} : { name: coupon }),
    }));
  }
  for (const s of order.shipping) {
    const what = `Shipping "${s.title}"`;
    lines.push(...linesFor(order, ctx, {
      productId: productId(order, ctx, s.erpRef ?? ctx.shippingProductRef, what, 'unmapped_shipping'), qty: 1, total: s.total, tax: s.totalTax,
      rates: ratesOf(s.taxes, order, what), name: s.title || s.methodId,
    }));
  }
  for (const f of order.fees) {
    const what = `Fee "${f.name}"`;
    if (ctx.feeProductRef === undefined) {
      throw new NeedsHumanError('unmapped_fee', `${what} of order #${order.number} cannot be sent: no Odoo fee product is configured (erp.fee_product_ref).`, { fee: f.name });
    }
    lines.push(...linesFor(order, ctx, {
      productId: productId(order, ctx, ctx.feeProductRef, what, 'unmapped_fee'), qty: 1, total: f.total, tax: f.totalTax, rates: ratesOf(f.taxes, order, what), name: f.name,
    }));
  }
  const predicted = predictTotals(lines, order.pricesIncludeTax, ctx.priceDigits, exp);
  // The goods' total: gift cards and store credit are tenders (payments), not discounts (grossTotal).
  const gross = grossTotal(order);
  if (predicted.total !== gross || predicted.tax !== order.totalTax) {
    throw new NeedsHumanError('totals_mismatch',
      `Odoo would total order #${order.number} at ${minorText(BigInt(predicted.total), exp)} ${order.currency} (tax ${minorText(BigInt(predicted.tax), exp)}), ` +
      `WooCommerce has ${minorText(BigInt(gross), exp)} (tax ${minorText(BigInt(order.totalTax), exp)}): nothing was sent. Check the tax settings (rounding, prices incl. tax) on both sides.`,
      { orderNumber: order.number, odooTotal: predicted.total, odooTax: predicted.tax, wcTotal: gross, wcTax: order.totalTax });
  }
  const values = {
    partner_id: ctx.partnerId,
    client_order_ref: clientOrderRef(order, ctx.refPrefix),
    origin: orderKey(order),
    date_order: odooDatetime(order.createdAt),
    order_line: lines.map((l) => [0, 0, {
      product_id: l.productId,
      product_uom_qty: l.qty,
      price_unit: Number(minorText(l.unit, ctx.priceDigits)),
      tax_id: [[6, 0, l.rates.map((r) => taxIdFor(ctx, r, order.pricesIncludeTax))]],
      ...(l.name === undefined ? {} : { name: l.name }),
    }]),
  };
  return { values, lines, included: order.pricesIncludeTax, predicted };
}

function taxIdFor(ctx: OrderMapContext, rate: string, included: boolean): number {
  const id = ctx.taxIds.get(taxKey(rate, included));
  if (id === undefined) throw new Error(`tax ${rate}% ${included ? 'incl.' : 'excl.'} was not resolved`);
  return id;
}

/** Odoo's totals for `lines` (tax per line, half-up; included taxes taken out of the price), in minor units. */
export function predictTotals(lines: readonly OdooLine[], included: boolean, priceDigits: number, exp: number): { untaxed: number; tax: number; total: number } {
  let untaxed = 0n;
  let tax = 0n;
  const scale = pow10(priceDigits - exp);
  for (const l of lines) {
    const amount = roundHalfUp({ n: l.unit * BigInt(l.qty), d: scale });
    const rates = l.rates.map(parseRatio);
    if (included && rates.length > 0) {
      // base = amount / (1 + Σr); each tax = round(base × r); the untaxed part is what is left.
      const sumN = rates.reduce((s, r) => s + (r.n * 1000000n) / r.d, 0n);
      const denom = 100n * 1000000n + sumN;
      const taxes = rates.map((r) => roundHalfUp({ n: amount * ((r.n * 1000000n) / r.d), d: denom }));
      const t = taxes.reduce((s, x) => s + x, 0n);
      tax += t;
      untaxed += amount - t;
    } else {
      for (const r of rates) tax += roundHalfUp({ n: amount * r.n, d: 100n * r.d });
      untaxed += amount;
    }
  }
  return { untaxed: Number(untaxed), tax: Number(tax), total: Number(untaxed + tax) };
}

/** ISO 8601 → Odoo's `YYYY-MM-DD HH:MM:SS` in UTC; a date without a zone is read as UTC. */
export function odooDatetime(iso: string): string {
  const hasZone = /[zZ]$|[+-]\d\d:?\d\d$/.test(iso);
  const ms = Date.parse(hasZone ? iso : `${iso}Z`);
  if (Number.isNaN(ms)) throw new NeedsHumanError('bad_order_date', `Order date "${iso}" is not a valid date.`, { createdAt: iso });
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
