/**
 * The Odoo reader of the books audit (books-audit-odoo.ts) on rows in the shapes Odoo 17's `search_read` answers
 * (../shared/fixtures/odoo/: ids, Many2one as [id, name], `false` for an empty char): clean books pass, and each
 * thing the audit must catch on Odoo is caught through the reader: a credit note not linked by
 * `reversed_entry_id`, a second posted invoice, a cent off, a refund paid back twice, a refund payment missing, a
 * sales order left confirmed after a cancellation, a payment no document takes.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { z } from 'zod';
import { auditBooks } from './books-audit.js';
import { odooBooks, type OdooMoveRow, type OdooPaymentRow, type OdooSaleOrderRow } from './books-audit-odoo.js';
import type { Truth } from './lifecycle.js';

/** `shared/fixtures/odoo/<file>` in the nearest ancestor that has it (../shared next to a clone or a worktree). */
function fixture(file: string): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'fixtures', 'odoo', file);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`no shared/fixtures/odoo/${file} above ${fileURLToPath(import.meta.url)} (the recorded Odoo answers, ../shared)`);
  }
}
const recorded = z.object({ response: z.object({ body: z.object({ result: z.array(z.record(z.string(), z.unknown())) }) }) })
  .parse(JSON.parse(readFileSync(fixture('09_search_order_by_client_ref.json'), 'utf8')));

const truth = (id: number, o: Partial<Truth> = {}): Truth => ({
  id, status: 'completed', currency: 'EUR', total: '120.00', total_tax: '20.00', prices_include_tax: false, payment_method: 'stripe',
  transaction_id: `txn_${id}`, date_paid: '2026-11-30T10:00:00+00:00', date_completed: '2026-11-30T11:00:00+00:00', refunds: [],
  total_refunded: '0.00', correlation_id: `corr-${id}`, ...o,
});

/** Odoo's rows for order `id`: the recorded sale.order row made ours, a posted paid invoice, per refund a linked paid credit note. */
function rows(id: number, refunds: number[] = [], o: { so?: Partial<OdooSaleOrderRow>; invoice?: Partial<OdooMoveRow>; note?: Partial<OdooMoveRow>; extraPayments?: OdooPaymentRow[] } = {}) {
  const so = { ...recorded.response.body.result[0], id, name: `S0${id}`, origin: `syncline:corr-${id}`, amount_total: 120, state: 'sale', ...o.so } as OdooSaleOrderRow;
  const inv: OdooMoveRow = {
    id: id * 10, name: `INV/2026/0${id}`, move_type: 'out_invoice', state: 'posted', amount_total: 120, amount_residual: 0, reversed_entry_id: false, ref: false, invoice_origin: so.name, ...o.invoice,
  };
  const notes = refunds.map((r, k): OdooMoveRow => ({
    id: id * 10 + 1 + k, name: `RINV/2026/0${id}${k}`, move_type: 'out_refund', state: 'posted', amount_total: r, amount_residual: 0,
    reversed_entry_id: [inv.id, inv.name as string], ref: `Reversal of: ${String(inv.name)}, Refund [syncline:corr-${id}/R${id}${k}]`, invoice_origin: so.name, ...o.note,
  }));
  const payments: OdooPaymentRow[] = [
    { id: id * 100, amount: 120, payment_type: 'inbound', ref: `syncline:corr-${id}/P0`, state: 'posted' },
    ...refunds.map((r, k): OdooPaymentRow => ({ id: id * 100 + 1 + k, amount: r, payment_type: 'outbound', ref: `syncline:corr-${id}/R${id}${k}`, state: 'posted' })),
    ...(o.extraPayments ?? []),
  ];
  return { saleOrders: [so], moves: [inv, ...notes], payments };
}
const refunded = (id: number, amount: string, o: Partial<Truth> = {}): Truth => truth(id, { refunds: [{ id: id * 10, amount }], total_refunded: amount, ...o });
const audit = (t: Truth, r: ReturnType<typeof rows>) => {
  const b = odooBooks(r);
  return { ...auditBooks([t], b.books, { invoiceAt: 'completion' }), stray: b.strayPayments };
};

test('the reader: documents, signs, links and payments in the auditor\'s shape', () => {
  const { books, strayPayments } = odooBooks(rows(7, [24]));
  assert.deepEqual(books.orders, [{ id: 7, ref: 'S07', ref_ext: 'corr-7', statut: 1, total: 12000 }]);
  assert.deepEqual(books.invoices.map((i) => [i.type, i.statut, i.total, i.paid, i.remain, i.fkFactureSource, i.ref_ext]),
    [[0, 1, 12000, 12000, 0, null, ''], [2, 1, -2400, -2400, 0, 70, 'corr-7/R70']]);
  assert.deepEqual(books.links.map((l) => `${l.sourceType}:${l.sourceId}→${l.targetType}:${l.targetId}`), ['commande:7→facture:70', 'commande:7→facture:71']);
  assert.deepEqual(strayPayments, []);
});

test('clean books pass: paid order, partial refund', () => {
  assert.deepEqual(audit(truth(1), rows(1)).details.findings, []);
  assert.deepEqual(audit(refunded(2, '24.00'), rows(2, [24])).details.findings, []);
});

test('a credit note not linked by reversed_entry_id is flagged', () => {
  const a = audit(refunded(3, '24.00'), rows(3, [24], { note: { reversed_entry_id: false } }));
  assert.equal(a.unlinked_credit_notes, 1, JSON.stringify(a.details.findings));
});

test('a second posted invoice is a duplicate; two credit notes for one refund too', () => {
  const r = rows(4);
  r.moves.push({ ...(r.moves[0] as OdooMoveRow), id: 41, name: 'INV/2026/041' });
  assert.equal(audit(truth(4), r).duplicate_documents, 1);
  const twice = rows(5, [24, 24], { note: { ref: 'Refund [syncline:corr-5/R50]' } });
  assert.ok(audit(refunded(5, '24.00'), twice).duplicate_documents >= 1);
});

test('a cent off is counted', () => {
  const a = audit(truth(6), rows(6, [], { invoice: { amount_total: 119.99, amount_residual: 0 } }));
  assert.ok(a.cents_off >= 1, JSON.stringify(a.details.findings));
  assert.equal(a.unposted, 0);
});

test('a refund not paid back, a cancellation left confirmed, a draft invoice: unposted', () => {
  const noPayBack = rows(8, [24]);
  noPayBack.payments = noPayBack.payments.filter((p) => p.payment_type === 'inbound');
  noPayBack.moves = noPayBack.moves.map((m) => (m.move_type === 'out_refund' ? { ...m, amount_residual: 24 } : m));
  assert.equal(audit(refunded(8, '24.00'), noPayBack).unposted, 1);
  const cancelled = { ...rows(9), moves: [], payments: [] };
  assert.equal(audit(truth(9, { status: 'cancelled', date_completed: null }), cancelled).unposted, 1);
  assert.equal(audit(truth(9, { status: 'cancelled', date_completed: null }), { ...cancelled, saleOrders: cancelled.saleOrders.map((s) => ({ ...s, state: 'cancel' })) }).unposted, 0);
  assert.equal(audit(truth(10), rows(10, [], { invoice: { state: 'draft' } })).unposted, 1);
});

test('a payment under the order\'s key that no document takes is returned apart', () => {
  const r = rows(11);
  r.moves = [];
  assert.deepEqual(odooBooks(r).strayPayments, ['inbound payment 1100 syncline:corr-11/P0 120.00']);
});
