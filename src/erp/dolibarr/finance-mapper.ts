/**
 * Canonical refunds → Dolibarr credit-note lines. Pure. A credit note (type 2) is sent with positive lines (Dolibarr
 * stores it negative); each refunded product line names its product and quantity, shipping and fees are service
 * lines, tax per rate as on the order (one VAT rate per line, like the order's own lines), and a refund without line
 * detail is one untaxed line (WooCommerce reversed no tax for it either). The predicted total must equal the refund
 * to the cent, else the credit note is not sent (`totals_mismatch` with the difference).
 */
import type { Order } from '../../canonical/index.js';
import { NeedsHumanError } from '../../common/errors.js';
import type { CreditNoteSpec } from '../../engine/credit-notes.js';
import { currencyExponent, fraction, minorToDecimal, mul, parseDecimal, pow10, roundHalfAway } from './decimal.js';
import { taxRateFor, unitPrice, type DolibarrLine } from './mapper.js';
import { orderTotals } from './totals.js';

/** Dolibarr decimal text (`"-18.00000000"`) → minor units of the order's currency. */
export function decimalToMinor(text: string | null | undefined, exponent: number): number {
  if (text === null || text === undefined || text.trim() === '') return 0;
  return Number(roundHalfAway(mul(parseDecimal(text), fraction(pow10(exponent)))));
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
