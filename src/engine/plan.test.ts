import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ErpCreditNote, ErpInvoice, ErpOrderState } from '../ports/erp.js';
import { mapOrder } from './mapping/index.js';
import { wcOrder } from './mapping/testing.js';
import { cancelNoteOwed, planSteps, wantedCreditNotes, type FinanceSettings } from './plan.js';

const customer = { type: 'customer' as const, id: '1', ref: 'CU1' };
const so = (validated: boolean, cancelled = false) => ({ type: 'sales_order' as const, id: '2', ref: 'SO2', validated, cancelled });
const invoice = (o: Partial<ErpInvoice> = {}): ErpInvoice => ({ type: 'invoice', id: '3', ref: 'FA3', validated: true, total: 2000, remaining: 2000, paid: false, ...o });
const note = (refundKey: string, o: Partial<ErpCreditNote> = {}): ErpCreditNote => ({
  type: 'credit_note', id: `cn${refundKey}`, ref: `AV${refundKey}`, refundKey, sourceInvoiceId: '3', validated: true, total: 500, remaining: 500, paid: false, ...o,
});
const pushed: ErpOrderState = { customer, salesOrder: so(true) };
const capture: FinanceSettings = { invoiceAt: 'capture' };
const completion: FinanceSettings = { invoiceAt: 'completion' };
const refund = (id: number, amount: string) => ({ id, date_created_gmt: '2026-11-24T10:00:00', amount, reason: '', refunded_payment: true, line_items: [], shipping_lines: [], fee_lines: [] });
const order = (o: Record<string, unknown> = {}) => mapOrder(wcOrder(o), { correlationId: 'c' });
const unpaid = { date_paid_gmt: null };

describe('planSteps: the finance steps (issue 8)', () => {
  const cases: Array<[string, ReturnType<typeof order>, ErpOrderState, FinanceSettings, string[]]> = [
    ['a new paid order, invoice at capture', order(), {}, capture, ['customer', 'sales_order', 'validate_order', 'invoice']],
    ['a new paid order, invoice at completion', order(), {}, completion, ['customer', 'sales_order', 'validate_order']],
    ['authorised only (no paid date), invoice at capture', order(unpaid), pushed, capture, []],
    ['completed but not paid (bank transfer), at completion', order({ ...unpaid, status: 'completed' }), pushed, completion, ['invoice']],
    ['invoiced, paid in WooCommerce, not in the ERP', order(), { ...pushed, invoice: invoice() }, capture, ['payment']],
    ['invoiced and paid', order(), { ...pushed, invoice: invoice({ paid: true, remaining: 0 }) }, capture, []],
    ['a draft invoice is validated by the invoice step', order(), { ...pushed, invoice: invoice({ validated: false }) }, capture, ['invoice']],
    ['a refund after invoice', order({ refunds_detail: [refund(9, '5.00')] }), { ...pushed, invoice: invoice({ paid: true }) }, capture, ['credit_note', 'refund_payment']],
    ['a credit note not yet settled', order({ refunds_detail: [refund(9, '5.00')] }), { ...pushed, invoice: invoice({ paid: true }), creditNotes: [note('9')] }, capture, ['refund_payment']],
    ['two refunds, one credited', order({ refunds_detail: [refund(9, '5.00'), refund(10, '1.00')] }), { ...pushed, invoice: invoice({ paid: true }), creditNotes: [note('9', { paid: true })] }, capture, ['credit_note', 'refund_payment']],
    ['a partial refund before invoice waits for the invoice', order({ refunds_detail: [refund(9, '5.00')] }), pushed, completion, []],
    ['a full refund before invoice cancels the sales order', order({ status: 'refunded', refunds_detail: [refund(9, '20.00')] }), pushed, completion, ['cancel_order']],
    ['cancelled before invoice', order({ status: 'cancelled' }), pushed, capture, ['cancel_order']],
    ['cancelled, the sales order withdrawn already', order({ status: 'cancelled' }), { customer, salesOrder: so(false, true) }, capture, []],
    ['cancelled before the ERP had it', order({ status: 'cancelled' }), { customer }, capture, []],
    // Cancelling returns no money in WooCommerce: the cancellation's credit note is never settled by a payment out.
    ['cancelled after invoice: a credit note for all of it, no refund payment', order({ status: 'cancelled' }), { ...pushed, invoice: invoice({ paid: true }) }, capture, ['cancel_order', 'credit_note']],
    ['cancelled after invoice and a partial refund', order({ status: 'cancelled', refunds_detail: [refund(9, '5.00')] }), { ...pushed, invoice: invoice({ paid: true }), creditNotes: [note('9', { paid: true })] }, capture, ['cancel_order', 'credit_note']],
    ['cancelled after invoice, its credit note made: nothing left (no refund payment for it)', order({ status: 'cancelled' }), { ...pushed, invoice: invoice({ paid: true }), creditNotes: [note('cancel')] }, capture, ['cancel_order']],
    // A refund after the cancellation's credit note: that note credits its money already; the refund is paid back against it.
    ['a refund after the cancellation credit note: no second credit note, paid back against it', order({ status: 'cancelled', refunds_detail: [refund(9, '5.00')] }), { customer, salesOrder: so(false, true), invoice: invoice({ paid: true }), creditNotes: [note('cancel', { total: 2000, remaining: 2000 })] }, capture, ['refund_payment']],
    ['a refund after the cancellation credit note, paid back against it: nothing left', order({ status: 'cancelled', refunds_detail: [refund(9, '5.00')] }), { customer, salesOrder: so(false, true), invoice: invoice({ paid: true }), creditNotes: [note('cancel', { total: 2000, remaining: 1500 })] }, capture, []],
    ['an earlier refund keeps its own note beside the cancellation, a later one is absorbed', order({ status: 'cancelled', refunds_detail: [refund(9, '5.00'), refund(10, '3.00')] }), { customer, salesOrder: so(false, true), invoice: invoice({ paid: true }), creditNotes: [note('9', { paid: true }), note('cancel', { total: 1500, remaining: 1500 })] }, capture, ['refund_payment']],
    ['cancelled after a full refund was credited', order({ status: 'cancelled', refunds_detail: [refund(9, '20.00')] }), { customer, salesOrder: so(false, true), invoice: invoice({ paid: true }), creditNotes: [note('9', { paid: true })] }, capture, []],
  ];
  for (const [name, o, state, settings, steps] of cases) {
    it(`${name} → ${JSON.stringify(steps)}`, () => assert.deepEqual(planSteps(o, state, settings), steps));
  }

  it('a refund after the cancellation credit note owes only its own amount against it, never more than the note', () => {
    const cancelled = order({ status: 'cancelled', refunds_detail: [refund(9, '5.00'), refund(10, '10.00')] });
    const state: ErpOrderState = { customer, salesOrder: so(false, true), invoice: invoice({ paid: true }), creditNotes: [note('cancel', { total: 1000, remaining: 1000 })] };
    assert.deepEqual(wantedCreditNotes(cancelled, state), ['cancel']);
    assert.equal(cancelNoteOwed(cancelled, state), 1000);
    assert.equal(cancelNoteOwed(order({ status: 'cancelled', refunds_detail: [refund(9, '5.00')] }), state), 500);
  });

  it('never plans a step the adapter does not support', () => {
    assert.deepEqual(planSteps(order(), {}, capture, ['customer', 'sales_order', 'validate_order']), ['customer', 'sales_order', 'validate_order']);
  });
});
