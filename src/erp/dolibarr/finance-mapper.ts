/**
 * Canonical refunds → Dolibarr credit-note lines. Pure. A credit note (type 2) is sent with positive lines (Dolibarr
 * stores it negative); each refunded product line names its product and quantity, shipping and fees are service
 * lines, tax per rate as on the order (one VAT rate per line, like the order's own lines), and a refund without line
 * detail is one untaxed line (WooCommerce reversed no tax for it either). The predicted total must equal the refund
 * to the cent, else the credit note is not sent (`totals_mismatch` with the difference).
 */
import type { LineTax, Order, Refund, RefundLine } from '../../canonical/index.js';
import { NeedsHumanError } from '../../common/errors.js';
import { CANCEL_KEY, refundedTotal } from '../../engine/plan.js';
import { currencyExponent, fraction, minorToDecimal, mul, parseDecimal, pow10, roundHalfAway } from './decimal.js';
import { taxRateFor, unitPrice, type DolibarrLine } from './mapper.js';
import { orderTotals } from './totals.js';

/** Dolibarr decimal text (`"-18.00000000"`) → minor units of the order's currency. */
export function decimalToMinor(text: string | null | undefined, exponent: number): number {
  if (text === null || text === undefined || text.trim() === '') return 0;
  return Number(roundHalfAway(mul(parseDecimal(text), fraction(pow10(exponent)))));
}

/** What a credit note gives back: the refund's lines, or for a cancellation everything the refunds have not. */
export interface CreditNoteSpec {
  key: string;
  /** Total including tax, positive minor units. */
  amount: number;
  lines: RefundLine[];
  label: string;
}

export function creditNoteSpecs(order: Order, keys: readonly string[], invoiceTotal: number): CreditNoteSpec[] {
  return keys.map((key) => {
    if (key === CANCEL_KEY) {
      return { key, amount: invoiceTotal - refundedTotal(order), lines: unrefundedItems(order), label: `cancellation of WooCommerce order #${order.number}` };
    }
    const refund = order.refunds.find((r) => String(r.wcRefundId) === key);
    if (!refund) throw new NeedsHumanError('refund_missing', `Order #${order.number} has no refund ${key} any more in WooCommerce, but a credit note for it is due.`, { refund: key });
    return { key, amount: refund.amount, lines: refund.lines, label: refundLabel(order, refund) };
  });
}

function refundLabel(order: Order, r: Refund): string {
  return `refund ${r.wcRefundId} of WooCommerce order #${order.number}${r.reason ? ` (${r.reason})` : ''}`;
}

/** Each item of the order minus what refunds gave back of it; refunds without detail as one negative line. */
function unrefundedItems(order: Order): RefundLine[] {
  const refunded = order.refunds.flatMap((r) => r.lines);
  const taken = (kind: RefundLine['kind'], id: number) => refunded.filter((l) => l.kind === kind && l.wcLineId === id);
  const rest = (kind: RefundLine['kind'], id: number, name: string, quantity: number, total: number, totalTax: number, taxes: LineTax[], erpRef?: string): RefundLine => {
    const t = taken(kind, id);
    const perRate = taxes.map((x) => ({ rateId: x.rateId, amount: x.amount - t.flatMap((l) => l.taxes).filter((y) => y.rateId === x.rateId).reduce((a, y) => a + y.amount, 0) }));
    return {
      kind, wcLineId: id, name, quantity: quantity - t.reduce((a, l) => a + l.quantity, 0),
      total: total - t.reduce((a, l) => a + l.total, 0), totalTax: totalTax - t.reduce((a, l) => a + l.totalTax, 0), taxes: perRate, ...(erpRef ? { erpRef } : {}),
    };
  };
  const items = [
    ...order.lines.map((l) => rest('line', l.wcLineId, l.name, l.quantity, l.total, l.totalTax, l.taxes, l.erpRef)),
    ...order.shipping.map((s) => rest('shipping', s.wcLineId, s.title || s.methodId, 1, s.total, s.totalTax, s.taxes, s.erpRef)),
    ...order.fees.map((f) => rest('fee', f.wcLineId, f.name, 1, f.total, f.totalTax, f.taxes)),
  ].filter((l) => l.total !== 0 || l.totalTax !== 0);
  const amountOnly = refunded.filter((l) => l.kind === 'amount').reduce((a, l) => a + l.total, 0);
  if (amountOnly !== 0) items.push({ kind: 'amount', wcLineId: 0, name: 'Refunded before (without line detail)', quantity: 0, total: -amountOnly, totalTax: 0, taxes: [] });
  return items;
}

/** The credit note's lines for Dolibarr; checks their predicted total against the spec's amount to the cent. */
export function creditNoteLines(order: Order, spec: CreditNoteSpec, productIds: ReadonlyMap<string, number>): DolibarrLine[] {
  const exp = currencyExponent(order.currency);
  const lines = spec.lines.map((l): DolibarrLine => {
    const what = `${spec.label}: "${l.name}"`;
    const tva_tx = taxRateFor(l.taxes, order, what);
    const id = l.erpRef === undefined ? undefined : productIds.get(l.erpRef);
    if (l.kind === 'line' && id !== undefined && l.quantity > 0) {
      return { fk_product: id, qty: l.quantity, subprice: unitPrice(l.total, l.quantity, exp), tva_tx, product_type: 0 };
    }
    return { desc: l.kind === 'line' ? `${l.name} (amount refunded)` : l.name, qty: 1, subprice: minorToDecimal(l.total, exp), tva_tx, product_type: l.kind === 'line' ? 0 : 1, ...(id === undefined ? {} : { fk_product: id }) };
  });
  const predicted = orderTotals(lines).ttc;
  if (predicted * pow10(exp) !== BigInt(spec.amount) * 100n) {
    const predictedMinor = Number((predicted * pow10(exp)) / 100n);
    throw new NeedsHumanError('totals_mismatch',
      `The credit note for ${spec.label} would total ${minorToDecimal(predictedMinor, exp)} ${order.currency} in Dolibarr, ` +
      `but ${minorToDecimal(spec.amount, exp)} ${order.currency} was refunded (difference ${minorToDecimal(predictedMinor - spec.amount, exp)}).`,
      { refund: spec.key, expected: spec.amount, predicted: predictedMinor, difference: predictedMinor - spec.amount, currency: order.currency });
  }
  return lines;
}
