import { grossTotal, type Order, type Refund } from '../canonical/index.js';
import { ORDER_STEPS, type ErpOrderState, type OrderStep } from '../ports/erp.js';

/** When the invoice is made (admin setting, carried in the lease payload's `mappings.settings.invoice_at`). */
export type InvoiceAt = 'capture' | 'completion';

export interface FinanceSettings {
  /** `capture`: once the payment is captured; `completion`: once the order is completed. @defaultValue completion */
  invoiceAt: InvoiceAt;
}

export const DEFAULT_FINANCE: FinanceSettings = { invoiceAt: 'completion' };

/** The key of the credit note that a cancellation after invoice makes. */
export const CANCEL_KEY = 'cancel';

/**
 * Withdrawn: cancelled or trashed, or refunded in full before any invoice exists (a refund before invoicing
 * cancels the sales order instead of crediting an invoice that is not there).
 */
export function isWithdrawn(order: Order, state: ErpOrderState): boolean {
  if (order.status === 'cancelled' || order.status === 'trash') return true;
  if (state.invoice) return false;
  return order.status === 'refunded' || (order.refunds.length > 0 && refundedTotal(order) >= grossTotal(order));
}

export const refundedTotal = (o: Order): number => o.refunds.reduce((a, r) => a + r.amount, 0);

/**
 * Whether an adapter's state lookup needs the order's finance documents (invoice, credit notes, payments): only when
 * its sales order exists and the order moved on (paid, completed, refunded or withdrawn). Every ERP's `findOrderState`.
 */
export function needsFinanceState(order: Order, state: ErpOrderState): boolean {
  if (!state.salesOrder) return false;
  return order.payment.captured || order.status === 'completed' || order.refunds.length > 0 || ['cancelled', 'trash', 'refunded'].includes(order.status);
}

/** Whether the settings want an invoice for this order now. */
export function wantsInvoice(order: Order, settings: FinanceSettings): boolean {
  return settings.invoiceAt === 'capture' ? order.payment.captured : order.status === 'completed';
}

/**
 * Refunds made after the cancellation's credit note: that note already credits everything the earlier refunds had
 * not, these refunds' money included, so they get no credit note of their own (a second one would credit the same
 * money twice); the money they paid back settles the cancellation's note instead (`refundPayments`).
 */
export function absorbedRefunds(order: Order, state: ErpOrderState): Refund[] {
  const notes = state.creditNotes ?? [];
  if (!notes.some((c) => c.refundKey === CANCEL_KEY)) return [];
  const own = new Set(notes.map((c) => c.refundKey));
  return order.refunds.filter((r) => !own.has(String(r.wcRefundId)));
}

/**
 * The credit notes the order needs once invoiced: one per refund, and after a cancellation one for what the
 * refunds have not credited yet (refunds after it are absorbed by it). Keys are the refund ids (as strings) and `cancel`.
 */
export function wantedCreditNotes(order: Order, state: ErpOrderState): string[] {
  if (!state.invoice) return [];
  const absorbed = new Set(absorbedRefunds(order, state).map((r) => r.wcRefundId));
  const own = order.refunds.filter((r) => !absorbed.has(r.wcRefundId));
  const keys = own.map((r) => String(r.wcRefundId));
  const cancelled = order.status === 'cancelled' || order.status === 'trash';
  const noted = (state.creditNotes ?? []).some((c) => c.refundKey === CANCEL_KEY);
  if (cancelled && (noted || own.reduce((a, r) => a + r.amount, 0) < state.invoice.total)) keys.push(CANCEL_KEY);
  return keys;
}

/**
 * The credit notes whose money went back to the customer: one per WooCommerce refund. A cancellation's credit
 * note is not among them: cancelling a paid order returns no money in WooCommerce (the customer is owed it until
 * a refund is made), so the ERP must not record a payment out for it; it stays open with what is owed, and only
 * the refunds made after it (`absorbedRefunds`) are paid back against it (`cancelNoteOwed`).
 */
export function refundedCreditNotes(order: Order, state: ErpOrderState): string[] {
  return wantedCreditNotes(order, state).filter((k) => k !== CANCEL_KEY);
}

/** Minor units still to pay back against the cancellation's credit note for the refunds it absorbed (0: none). */
export function cancelNoteOwed(order: Order, state: ErpOrderState): number {
  const note = (state.creditNotes ?? []).find((c) => c.refundKey === CANCEL_KEY);
  if (!note?.validated) return 0;
  const absorbed = absorbedRefunds(order, state).reduce((a, r) => a + r.amount, 0);
  return Math.max(0, Math.min(absorbed, note.total) - (note.total - note.remaining));
}

/**
 * The steps still missing for this order, in ORDER_STEPS order (state-based sync: a replay after a crash or a
 * timeout-after-commit finds what the ERP already has and runs only the rest). Pure. `supported`: the adapter's
 * steps (others are never planned).
 */
export function planSteps(order: Order, state: ErpOrderState, settings: FinanceSettings = DEFAULT_FINANCE, supported?: readonly OrderStep[]): OrderStep[] {
  const withdrawn = isWithdrawn(order, state);
  // A withdrawn order the ERP never had stays out of it.
  if (withdrawn && !state.salesOrder && !state.invoice) return [];
  return ORDER_STEPS.filter((step) => (supported ?? ORDER_STEPS).includes(step) && !isDone(step, order, state, settings, withdrawn));
}

function isDone(step: OrderStep, order: Order, state: ErpOrderState, settings: FinanceSettings, withdrawn: boolean): boolean {
  switch (step) {
    case 'customer':
      return state.customer !== undefined;
    case 'sales_order':
      return state.salesOrder !== undefined || state.invoice !== undefined;
    case 'validate_order':
      // A withdrawn order is never validated again; an invoiced one was validated before.
      return withdrawn || state.invoice !== undefined || state.salesOrder?.validated === true;
    case 'cancel_order':
      // Before and after invoice the sales order gives its stock back; after invoice a credit note follows.
      return !withdrawn || state.salesOrder?.validated !== true;
    case 'invoice':
      return state.invoice?.validated === true || withdrawn || !wantsInvoice(order, settings);
    // The next three wait for the invoice: the pipeline plans again after every step, so they follow it in one run.
    case 'payment':
      return !order.payment.captured || state.invoice?.validated !== true || paidEnough(order, state);
    case 'credit_note': {
      const have = new Set((state.creditNotes ?? []).filter((c) => c.validated).map((c) => c.refundKey));
      return wantedCreditNotes(order, state).every((k) => have.has(k));
    }
    case 'refund_payment': {
      if (!order.payment.captured) return true;
      const notes = new Map((state.creditNotes ?? []).map((c) => [c.refundKey, c]));
      return refundedCreditNotes(order, state).every((k) => notes.get(k)?.paid === true) && cancelNoteOwed(order, state) === 0;
    }
    default: {
      // A new step in ORDER_STEPS must say here when it is done.
      const unknown: never = step;
      throw new Error(`planSteps does not know step ${String(unknown)}`);
    }
  }
}

function paidEnough(order: Order, state: ErpOrderState): boolean {
  const inv = state.invoice;
  if (!inv) return false;
  return inv.paid || (state.payments ?? []).filter((p) => p.appliesTo === inv.id && p.amount > 0).reduce((a, p) => a + p.amount, 0) >= grossTotal(order);
}
