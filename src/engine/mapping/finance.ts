/**
 * The financial part of the wc/v3 → canonical mapping: the gateway payment (captured or not), refunds with their
 * lines, shipping and fees and tax per rate, and gift cards / store credit. Every refund is checked to the minor
 * unit: its items must add up to its amount (an unexplained remainder becomes an explicit `amount` line; items
 * worth more than the refund are a `totals_mismatch`).
 */
import { grossTotal, type Credit, type LineTax, type Order, type Payment, type Refund, type RefundLine } from '../../canonical/index.js';
import { NeedsHumanError } from '../../common/errors.js';
import { formatMinor } from './decimal.js';
import type { WcOrder, WcRefundDetail } from './wc-order.js';

type Amount = (value: string, field: string, precision?: 'exact' | 'round') => number;

export interface FinanceContext {
  amount: Amount;
  /** Payment method id → `MODE` or `MODE:ACCOUNT` (admin → Mappings → Payment methods). */
  paymentMap: Record<string, string>;
  currency: string;
}

type Lines = Pick<Order, 'lines' | 'shipping' | 'fees'>;

/** The gateway payment: captured once WooCommerce has a paid date; the captured amount is the order total. */
/** `MODE` or `MODE:ACCOUNT` → the parts that are set. */
function erpTender(mapped: string | undefined): { erpMode?: string; erpAccount?: string } {
  const [mode, account] = (mapped ?? '').trim() === '' ? [] : (mapped ?? '').split(':', 2).map((v) => v.trim());
  return { ...(mode ? { erpMode: mode } : {}), ...(account ? { erpAccount: account } : {}) };
}

export function mapPayment(wc: WcOrder, total: number, paymentMap: Record<string, string>): Payment {
  const captured = typeof wc.date_paid_gmt === 'string' && wc.date_paid_gmt !== '';
  return {
    method: wc.payment_method,
    title: wc.payment_method_title,
    captured,
    paidAt: captured ? `${wc.date_paid_gmt ?? ''}Z` : null,
    transactionId: wc.transaction_id,
    amount: captured ? total : 0,
    ...erpTender(paymentMap[wc.payment_method]),
  };
}

/** Gift cards / store credit; their ERP payment mode comes from the payment-method mapping of `gift_card` / `store_credit`. */
export function mapCredits(wc: WcOrder, amount: Amount, paymentMap: Record<string, string>): Credit[] {
  return wc.credits_detail.map((c) => ({ kind: c.kind, code: c.code, amount: amount(c.amount, `${c.kind} ${c.code}`), ...erpTender(paymentMap[c.kind]) }));
}

/**
 * Refunds, oldest first. With `refunds_detail` (Syncline's seam) each refund carries its items; without it (an
 * older plugin) only wc/v3's summary is known and each refund is one `amount` line.
 */
export function mapRefunds(wc: WcOrder, order: Lines, ctx: FinanceContext): Refund[] {
  const number = wc.number ?? String(wc.id);
  if (wc.refunds_detail === undefined) {
    return wc.refunds.map((r) => {
      const amount = -ctx.amount(r.total, `refund ${r.id} total`);
      return { wcRefundId: r.id, createdAt: '', amount, reason: r.reason, refundedPayment: false, lines: [amountLine(amount)] };
    }).sort((a, b) => a.wcRefundId - b.wcRefundId);
  }
  return wc.refunds_detail.map((r) => mapRefund(r, order, ctx, number)).sort((a, b) => a.wcRefundId - b.wcRefundId);
}

function amountLine(amount: number): RefundLine {
  return { kind: 'amount', wcLineId: 0, name: 'Refund', quantity: 0, total: amount, totalTax: 0, taxes: [] };
}

function mapRefund(r: WcRefundDetail, order: Lines, ctx: FinanceContext, number: string): Refund {
  const amount = ctx.amount(r.amount, `refund ${r.id} amount`);
  const neg = (v: string, field: string, precision: 'exact' | 'round' = 'exact'): number => -ctx.amount(v, `refund ${r.id} ${field}`, precision);
  const item = (kind: RefundLine['kind'], erpRefOf: (id: number) => string | undefined) => (i: WcRefundDetail['line_items'][number]): RefundLine => {
    const erpRef = erpRefOf(i.refunded_item_id);
    const taxes: LineTax[] = i.taxes.map((t) => ({ rateId: t.id, amount: neg(t.total, `${i.name} tax ${t.id}`, 'round') })).filter((t) => t.amount !== 0);
    return {
      kind, wcLineId: i.refunded_item_id, name: i.name, quantity: Math.abs(i.quantity),
      total: neg(i.total, `${i.name} total`), totalTax: neg(i.total_tax, `${i.name} tax`, 'round'), taxes, ...(erpRef ? { erpRef } : {}),
    };
  };
  const lines = [
    ...r.line_items.map(item('line', (id) => order.lines.find((l) => l.wcLineId === id)?.erpRef)),
    ...r.shipping_lines.map(item('shipping', (id) => order.shipping.find((s) => s.wcLineId === id)?.erpRef)),
    ...r.fee_lines.map(item('fee', () => undefined)),
  ].filter((l) => l.total !== 0 || l.totalTax !== 0 || l.quantity !== 0);
  const itemized = lines.reduce((a, l) => a + l.total + l.totalTax, 0);
  const rest = amount - itemized;
  const problems: string[] = [];
  if (rest < 0) problems.push(`its items add up to ${formatMinor(itemized, ctx.currency)} but it refunded only ${formatMinor(amount, ctx.currency)}`);
  for (const l of lines) {
    const perRate = l.taxes.reduce((a, t) => a + t.amount, 0);
    if (l.taxes.length > 0 && perRate !== l.totalTax) problems.push(`item ${l.name} has taxes per rate of ${perRate} but a tax of ${l.totalTax} (minor units)`);
  }
  if (problems.length > 0) {
    throw new NeedsHumanError('totals_mismatch', `Order #${number}: refund ${r.id} does not add up: ${problems.join('; ')}.`, {
      refund_id: r.id, amount, itemized, difference: rest, problems,
    });
  }
  if (rest > 0) lines.push(amountLine(rest));
  return {
    wcRefundId: r.id, createdAt: r.date_created_gmt ? `${r.date_created_gmt}Z` : '', amount, reason: r.reason,
    refundedPayment: r.refunded_payment, lines: lines.length > 0 ? lines : [amountLine(amount)],
  };
}

/** Refunds may not exceed what was paid (the order total plus credits); throws `totals_mismatch` with the difference. */
export function checkRefundTotals(o: Order): void {
  const refunded = o.refunds.reduce((a, r) => a + r.amount, 0);
  const paid = grossTotal(o);
  if (refunded <= paid) return;
  throw new NeedsHumanError('totals_mismatch',
    `Order #${o.number} has refunds of ${formatMinor(refunded, o.currency)}, more than its total of ${formatMinor(paid, o.currency)} (${formatMinor(refunded - paid, o.currency)} too much).`,
    { currency: o.currency, refunded, total: paid, difference: refunded - paid });
}
