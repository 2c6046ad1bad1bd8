/**
 * What each due credit note gives back, for every ERP: a refund's own lines, or for a cancellation everything the
 * refunds have not given back yet. The adapters only say how their ERP holds these lines.
 */
import type { LineTax, Order, Refund, RefundLine } from '../canonical/index.js';
import { NeedsHumanError } from '../common/errors.js';
import { CANCEL_KEY, refundedTotal } from './plan.js';

/** What a credit note gives back: the refund's lines, or for a cancellation everything the refunds have not. */
export interface CreditNoteSpec {
  key: string;
  /** Total including tax, positive minor units. */
  amount: number;
  lines: RefundLine[];
  label: string;
}

/** The specs of the credit notes with these keys (refund ids, or the cancellation's key). */
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
