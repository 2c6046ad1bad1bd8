/**
 * Canonical refunds → the lines of an Odoo credit note (`out_refund`, made by `account.move.reversal` and then given
 * the refund's own lines). Pure. Which credit notes an order needs, and what each gives back, is decided once for
 * every ERP (`creditNoteSpecs` in src/engine/credit-notes.ts, shared with Dolibarr); this module only says how Odoo holds them:
 * - a refunded product line names its product and quantity (the unit price split in two lines when it is not exact,
 *   as on the sales order), shipping and fees go on their mapped products, a refund without line detail is one line
 *   without product (Odoo books it on the journal's default income account), untaxed (WooCommerce reversed no tax);
 * - taxes per rate, the same Odoo taxes as the order's (`tax_ids`), prices incl. or excl. tax as the shop has them;
 * - the total Odoo will compute (tax per line, half-up) must equal the refund to the minor unit, else nothing is sent
 *   (`totals_mismatch` with the difference).
 * Amounts stay integer minor units up to the JSON-RPC values built here (decimal numbers from `minorText`).
 */
import type { Order } from '../../canonical/index.js';
import { NeedsHumanError } from '../../common/errors.js';
import { currencyExponent } from '../../engine/mapping/decimal.js';
import type { CreditNoteSpec } from '../../engine/credit-notes.js';
import { minorText } from './amounts.js';
import { linesFor, predictTotals, ratesOf, taxKey, type OdooLine } from './mapper.js';

export interface CreditNoteContext {
  /** `default_code` → product.product id. */
  productIds: ReadonlyMap<string, number>;
  /** `taxKey(rate, included)` → account.tax id. */
  taxIds: ReadonlyMap<string, number>;
  priceDigits: number;
  shippingProductRef: string;
  feeProductRef?: string;
}

/** The product refs and (rate, included) taxes the credit notes of `specs` need. */
export function creditNoteNeeds(order: Order, specs: readonly CreditNoteSpec[], ctx: Pick<CreditNoteContext, 'shippingProductRef' | 'feeProductRef'>): { refs: string[]; taxes: Array<{ rate: string; included: boolean }> } {
  const refs = new Set<string>();
  const taxes = new Map<string, { rate: string; included: boolean }>();
  for (const l of specs.flatMap((s) => s.lines)) {
    const ref = productRef(l.kind, l.erpRef, ctx);
    if (ref !== undefined) refs.add(ref);
    for (const rate of ratesOf(l.taxes, order, `Refunded "${l.name}"`)) taxes.set(taxKey(rate, order.pricesIncludeTax), { rate, included: order.pricesIncludeTax });
  }
  return { refs: [...refs], taxes: [...taxes.values()] };
}

function productRef(kind: string, erpRef: string | undefined, ctx: Pick<CreditNoteContext, 'shippingProductRef' | 'feeProductRef'>): string | undefined {
  if (kind === 'shipping') return erpRef ?? ctx.shippingProductRef;
  if (kind === 'fee') return ctx.feeProductRef;
  return kind === 'line' ? erpRef : undefined;
}

/** The credit note's `invoice_line_ids` values; checks Odoo's predicted total against the refund to the cent. */
export function creditNoteLineValues(order: Order, spec: CreditNoteSpec, ctx: CreditNoteContext): Array<Record<string, unknown>> {
  const exp = currencyExponent(order.currency);
  const lines: OdooLine[] = [];
  for (const l of spec.lines) {
    const ref = productRef(l.kind, l.erpRef, ctx);
    // 0: a line without product (a refund without line detail, or a product Odoo does not have any more).
    const productId = ref === undefined ? 0 : ctx.productIds.get(ref) ?? 0;
    if (ref !== undefined && productId === 0 && l.kind !== 'line') {
      throw new NeedsHumanError('unmapped_product', `The credit note for ${spec.label} needs the Odoo product with Internal Reference ${ref}, which does not exist in Odoo.`, { erpRef: ref });
    }
    const exact = l.kind === 'line' && productId !== 0 && l.quantity > 0;
    lines.push(...linesFor(order, ctx, {
      productId, qty: exact ? l.quantity : 1, total: l.total, tax: l.totalTax, rates: ratesOf(l.taxes, order, `Refunded "${l.name}"`),
      name: exact ? l.name : `${l.name}${l.kind === 'line' ? ' (amount refunded)' : ''}`,
    }));
  }
  const predicted = predictTotals(lines, order.pricesIncludeTax, ctx.priceDigits, exp);
  if (predicted.total !== spec.amount) {
    throw new NeedsHumanError('totals_mismatch',
      `The credit note for ${spec.label} would total ${minorText(BigInt(predicted.total), exp)} ${order.currency} in Odoo, ` +
      `but ${minorText(BigInt(spec.amount), exp)} ${order.currency} was refunded (difference ${minorText(BigInt(predicted.total - spec.amount), exp)}).`,
      { refund: spec.key, expected: spec.amount, predicted: predicted.total, difference: predicted.total - spec.amount, currency: order.currency });
  }
  return lines.map((l) => ({
    ...(l.productId === 0 ? {} : { product_id: l.productId }),
    ...(l.name === undefined ? {} : { name: l.name }),
    quantity: l.qty,
    price_unit: Number(minorText(l.unit, ctx.priceDigits)),
    tax_ids: [[6, 0, l.rates.map((r) => taxId(ctx, r, order.pricesIncludeTax))]],
  }));
}

function taxId(ctx: CreditNoteContext, rate: string, included: boolean): number {
  const id = ctx.taxIds.get(taxKey(rate, included));
  if (id === undefined) throw new Error(`tax ${rate}% ${included ? 'incl.' : 'excl.'} was not resolved`);
  return id;
}
