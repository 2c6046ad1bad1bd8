/**
 * The books auditor must be able to fail: on books it must flag a missing credit note, an unlinked one, a cent
 * off, a duplicate, a refund payment with the wrong sign, an order only sales-ordered, a cancellation not
 * posted; and pass clean books.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditBooks, type ErpBooks, type ErpInvoice } from './books-audit.js';
import type { Truth } from './lifecycle.js';

const truth = (id: number, o: Partial<Truth> = {}): Truth => ({
  id, status: 'completed', currency: 'EUR', total: '100.00', total_tax: '16.67', prices_include_tax: false, payment_method: 'stripe',
  transaction_id: `txn_${id}`, date_paid: '2026-11-30T10:00:00+00:00', date_completed: '2026-11-30T11:00:00+00:00', refunds: [],
  total_refunded: '0.00', correlation_id: `corr-${id}`, ...o,
});
const refunded = (id: number, amount: string, o: Partial<Truth> = {}): Truth =>
  truth(id, { refunds: [{ id: id * 10, amount }], total_refunded: amount, ...o });

/** A sales order, its invoice (paid in full) and, per refund, a linked, settled credit note: books as they should be. */
function books(id: number, refunds: number[] = [], o: { invoice?: Partial<ErpInvoice>; note?: Partial<ErpInvoice> } = {}): ErpBooks {
  const inv: ErpInvoice = { id: id * 100, ref: `FA-${id}`, ref_ext: '', type: 0, statut: 2, fkFactureSource: null, total: 10000, paid: 10000, remain: 0, ...o.invoice };
  const notes = refunds.map((r, k): ErpInvoice => ({
    id: id * 100 + 1 + k, ref: `AV-${id}-${k}`, ref_ext: `corr-${id}-refund-${id * 10 + k}`, type: 2, statut: 2, fkFactureSource: inv.id, total: -r, paid: -r, remain: 0, ...o.note,
  }));
  return {
    orders: [{ id, ref: `CO-${id}`, ref_ext: `corr-${id}`, statut: 1, total: 10000 }],
    invoices: [inv, ...notes],
    links: [{ sourceType: 'commande', sourceId: id, targetType: 'facture', targetId: inv.id }],
  };
}
const merge = (...all: ErpBooks[]): ErpBooks => ({ orders: all.flatMap((b) => b.orders), invoices: all.flatMap((b) => b.invoices), links: all.flatMap((b) => b.links) });
const audit = (truths: Truth[], b: ErpBooks) => auditBooks(truths, b, { invoiceAt: 'capture' });
const zero = { mismatched_orders: 0, duplicate_documents: 0, cents_off: 0, unposted: 0, unlinked_credit_notes: 0 };
const figures = (a: ReturnType<typeof audit>) => ({ mismatched_orders: a.mismatched_orders, duplicate_documents: a.duplicate_documents, cents_off: a.cents_off, unposted: a.unposted, unlinked_credit_notes: a.unlinked_credit_notes });

test('clean books pass: paid order, refund as a linked, settled credit note, cancellation before invoice', () => {
  const cancelled = truth(3, { status: 'cancelled', date_paid: null, date_completed: null });
  const b = merge(books(1), books(2, [2500]), { orders: [{ id: 3, ref: 'CO-3', ref_ext: 'corr-3', statut: -1, total: 10000 }], invoices: [], links: [] });
  const a = audit([truth(1), refunded(2, '25.00'), cancelled], b);
  assert.deepEqual(figures(a), zero, JSON.stringify(a.details.findings));
  assert.equal(a.orders, 3);
});

test('a missing credit note is unposted', () => {
  const a = audit([refunded(1, '25.00')], books(1));
  assert.deepEqual(figures(a), { ...zero, mismatched_orders: 1, unposted: 1 });
  assert.match(a.details.findings[0]?.what ?? '', /credit note/);
});

test('a credit note not linked to the invoice is flagged, and one nobody accounts for too', () => {
  const a = audit([refunded(1, '25.00')], books(1, [2500], { note: { fkFactureSource: null } }));
  assert.equal(a.unlinked_credit_notes, 1);
  assert.equal(a.mismatched_orders, 1);
  const stray: ErpInvoice = { id: 999, ref: 'AV-stray', ref_ext: '', type: 2, statut: 1, fkFactureSource: null, total: -500, paid: 0, remain: -500 };
  const b = books(2);
  const withStray = audit([truth(2)], { ...b, invoices: [...b.invoices, stray] });
  assert.equal(withStray.unlinked_credit_notes, 1);
  assert.deepEqual(withStray.details.unattributed_documents, ['credit note AV-stray (ref_ext -)']);
});

test('a cent off is counted in cents', () => {
  const a = audit([truth(1)], books(1, [], { invoice: { total: 10001, paid: 10000, remain: 1 } }));
  assert.equal(a.mismatched_orders, 1);
  assert.equal(a.unposted, 0);
  assert.equal(a.cents_off, 2, JSON.stringify(a.details.findings)); // invoiced 1 cent over, 1 cent left to pay
});

test('a second invoice, a second sales order and a draft left beside a validated invoice are duplicates', () => {
  const b = books(1);
  const second: ErpInvoice = { ...(b.invoices[0] as ErpInvoice), id: 101, ref: 'FA-1b' };
  const draft: ErpInvoice = { ...(b.invoices[0] as ErpInvoice), id: 102, ref: 'FA-1c', statut: 0, paid: 0, remain: 10000 };
  const a = audit([truth(1)], {
    orders: [...b.orders, { id: 2, ref: 'CO-1b', ref_ext: 'corr-1', statut: 1, total: 10000 }],
    invoices: [...b.invoices, second, draft],
    links: [...b.links, { sourceType: 'commande', sourceId: 1, targetType: 'facture', targetId: 101 }, { sourceType: 'commande', sourceId: 2, targetType: 'facture', targetId: 102 }],
  });
  assert.equal(a.duplicate_documents, 3, JSON.stringify(a.details.findings));
  assert.equal(a.mismatched_orders, 1);
  assert.equal(a.cents_off, 0);
});

test('two credit notes for one refund are a duplicate', () => {
  const a = audit([refunded(1, '25.00')], books(1, [2500, 2500]));
  assert.ok(a.duplicate_documents >= 1, JSON.stringify(a.details.findings));
});

test('a refund payment stored with the wrong sign (Dolibarr 20.0.2 API) leaves money off and the credit note unsettled', () => {
  const a = audit([refunded(1, '25.00')], books(1, [2500], { note: { paid: 2500, remain: -5000 } }));
  assert.equal(a.unposted, 0);
  assert.equal(a.cents_off, 10000, JSON.stringify(a.details.findings)); // received 50.00 off, remaining 50.00 off
});

test('an order that only has its sales order (the engine before issue 8) is unposted, not cents off', () => {
  const b = books(1);
  const a = audit([truth(1)], { ...b, invoices: [], links: [] });
  assert.deepEqual(figures(a), { ...zero, mismatched_orders: 1, unposted: 1 });
  assert.equal(a.details.findings[0]?.what, 'invoice');
});

test('a cancellation before invoice that left the sales order validated is unposted', () => {
  const t = truth(1, { status: 'cancelled', date_paid: null, date_completed: null });
  const a = audit([t], { orders: [{ id: 1, ref: 'CO-1', ref_ext: 'corr-1', statut: 1, total: 10000 }], invoices: [], links: [] });
  assert.deepEqual(figures(a), { ...zero, mismatched_orders: 1, unposted: 1 });
});

test('a cancellation after invoice needs a linked credit note; the money stays owed to the customer', () => {
  const t = truth(1, { status: 'cancelled' });
  assert.equal(audit([t], books(1)).unposted, 1);
  const ok = audit([t], books(1, [10000], { note: { paid: 0, remain: -10000 } }));
  assert.deepEqual(figures(ok), zero, JSON.stringify(ok.details.findings));
});

test('invoice at completion: a paid, processing order has no invoice yet; its sales order is at the total, or adjusted by a refund', () => {
  const t = refunded(1, '25.00', { status: 'processing', date_completed: null });
  const so = (total: number): ErpBooks => ({ orders: [{ id: 1, ref: 'CO-1', ref_ext: 'corr-1', statut: 1, total }], invoices: [], links: [] });
  assert.deepEqual(figures(auditBooks([t], so(7500), { invoiceAt: 'completion' })), zero);
  assert.deepEqual(figures(auditBooks([t], so(10000), { invoiceAt: 'completion' })), zero);
  assert.equal(auditBooks([t], so(9000), { invoiceAt: 'completion' }).cents_off, 1500);
});

test('withdrawn before invoice: a sales order back to draft or cancelled passes; a validated one is unposted', () => {
  const cancelled = truth(1, { status: 'cancelled', date_paid: null, date_completed: null });
  const fullRefund = refunded(2, '100.00', { status: 'refunded' });
  const so = (id: number, statut: number): ErpBooks['orders'][number] => ({ id, ref: `CO-${id}`, ref_ext: `corr-${id}`, statut, total: 10000 });
  assert.deepEqual(figures(audit([cancelled, fullRefund], { orders: [so(1, 0), so(2, -1)], invoices: [], links: [] })), zero);
  assert.deepEqual(figures(audit([cancelled, fullRefund], { orders: [so(1, 1), so(2, 1)], invoices: [], links: [] })), { ...zero, mismatched_orders: 2, unposted: 2 });
});
