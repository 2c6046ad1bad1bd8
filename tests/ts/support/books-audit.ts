/**
 * The books audit: per WooCommerce order, what WooCommerce says was paid, refunded and invoiced against what the
 * ERP holds (sales orders, invoices, credit notes and their links, payments, remaining to pay), to the cent.
 * Every figure comes from the two systems' state (WooCommerce's truth read inside WooCommerce by
 * tests/ts/support/lifecycle.ts; Dolibarr's documents read from Dolibarr), none from the engine's bookkeeping.
 *
 * `auditBooks` is pure (tested on its own in books-audit.test.ts); `readDolibarrBooks` reads a real Dolibarr 20:
 * its REST lists (documents, Dolibarr's own `remaintopay`) plus, in SQL on its database, the two things its REST
 * lists do not give: the payments per invoice and the links between documents (llx_element_element).
 *
 * What an order must have in the ERP, from WooCommerce's state (invoice point `capture`: when the payment is
 * captured, i.e. WooCommerce's paid date; `completion`: when the order is completed):
 * - a sales order, unless the order was never pushable or was withdrawn before its invoice (cancelled, or refunded
 *   in full): then the sales order is absent, cancelled (Dolibarr status -1) or back to draft (0: no stock held);
 * - once the invoice point is reached, one validated invoice, and credit notes linked to it (fk_facture_source)
 *   so that invoices + credit notes = order total - refunded (0 when cancelled);
 * - payments: received on invoices + refund payments on credit notes (stored negative) = paid - refunded;
 * - remaining to pay (Dolibarr's remaintopay, summed) = what the customer still owes (+) or is owed (-):
 *   expected net invoiced - (paid - refunded).
 * Findings: `unposted` (a document or payment missing), `duplicate` (a second sales order or invoice, a draft left
 * beside a validated one, more credit notes than refunds and cancellation), `unlinked_credit_note`, `cents_off`
 * (an amount off on an order whose documents are all there, in cents), `early` (an invoice before its point).
 */
import { z } from 'zod';
import { erpListAll } from '../../../bench/erp-audit.js';
import { formatMinor, toMinor } from '../../../src/engine/mapping/decimal.js';
import type { Truth } from './lifecycle.js';

export interface ErpSalesOrder { id: number; ref: string; ref_ext: string; statut: number; total: number }
export interface ErpInvoice {
  id: number;
  ref: string;
  ref_ext: string;
  /** Dolibarr's type: 0 standard, 2 credit note (1 replacement, 3 deposit). */
  type: number;
  /** 0 draft, 1 validated, 2 paid/closed, 3 abandoned. */
  statut: number;
  fkFactureSource: number | null;
  total: number;
  /** Σ llx_paiement_facture.amount for this document (a refund on a credit note is negative when right). */
  paid: number;
  /** Dolibarr's own remaintopay. */
  remain: number;
}
/** A link between documents (Dolibarr's llx_element_element), e.g. commande 12 → facture 30. */
export interface ErpLink { sourceType: string; sourceId: number; targetType: string; targetId: number }
export interface ErpBooks { orders: ErpSalesOrder[]; invoices: ErpInvoice[]; links: ErpLink[] }

export type FindingKind = 'unposted' | 'duplicate' | 'unlinked_credit_note' | 'cents_off' | 'early';
export interface Finding { order: number; kind: FindingKind; what: string; count: number }

export interface BooksAudit {
  orders: number;
  mismatched_orders: number;
  duplicate_documents: number;
  cents_off: number;
  unposted: number;
  unlinked_credit_notes: number;
  details: {
    unposted_orders: number;
    by_kind: Record<string, number>;
    by_scenario?: Record<string, Record<string, number>>;
    /** ERP documents no WooCommerce order accounts for (a credit note among them also counts as unlinked). */
    unattributed_documents: string[];
    findings: Finding[];
  };
}

export type InvoicePoint = 'capture' | 'completion';
const NEVER_PUSHED = new Set(['pending', 'failed', 'checkout-draft']);
const cents = (v: string, field: string): number => toMinor(v, 2, 'round', field);
const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);

/** The ERP documents of one order: by ref_ext (the correlation id, or refs that start with it), then by links. */
function documentsOf(correlation: string, books: ErpBooks, claimed: Set<string>): { orders: ErpSalesOrder[]; invoices: ErpInvoice[]; creditNotes: ErpInvoice[] } {
  const ours = (refExt: string): boolean => refExt !== '' && (refExt === correlation || refExt.startsWith(correlation));
  const orders = books.orders.filter((o) => ours(o.ref_ext));
  const orderIds = new Set(orders.map((o) => o.id));
  const linkedFrom = (type: string, ids: Set<number>): Set<number> =>
    new Set(books.links.filter((l) => l.sourceType === type && ids.has(l.sourceId) && l.targetType === 'facture').map((l) => l.targetId));
  const fromOrders = linkedFrom('commande', orderIds);
  const invoices = books.invoices.filter((i) => i.type !== 2 && (ours(i.ref_ext) || (i.ref_ext === '' && fromOrders.has(i.id))));
  const invoiceIds = new Set(invoices.map((i) => i.id));
  const fromInvoices = linkedFrom('facture', invoiceIds);
  const creditNotes = books.invoices.filter((i) => i.type === 2 && (ours(i.ref_ext)
    || (i.ref_ext === '' && (fromOrders.has(i.id) || fromInvoices.has(i.id) || (i.fkFactureSource !== null && invoiceIds.has(i.fkFactureSource))))));
  for (const o of orders) claimed.add(`commande:${o.id}`);
  for (const i of [...invoices, ...creditNotes]) claimed.add(`facture:${i.id}`);
  return { orders, invoices, creditNotes };
}

/** The findings of one order. */
function auditOrder(t: Truth, books: ErpBooks, invoiceAt: InvoicePoint, claimed: Set<string>): Finding[] {
  const out: Finding[] = [];
  const add = (kind: FindingKind, what: string, count = 1): void => { if (count !== 0) out.push({ order: t.id, kind, what, count }); };
  const total = cents(t.total, 'total');
  const refunded = cents(t.total_refunded, 'total_refunded');
  const paid = t.date_paid ? total : 0;
  const cancelled = t.status === 'cancelled';
  const invoiceDue = invoiceAt === 'capture' ? paid > 0 : t.date_completed !== null;
  if (NEVER_PUSHED.has(t.status) && !invoiceDue) return out;
  if (!t.correlation_id) {
    add('unposted', 'no Syncline event (no correlation id): the order never entered the outbox');
    return out;
  }
  const docs = documentsOf(t.correlation_id, books, claimed);

  // Invoices.
  const validated = docs.invoices.filter((i) => i.statut >= 1 && i.statut !== 3);
  const drafts = docs.invoices.filter((i) => i.statut === 0);

  // Sales order. Withdrawn before any invoice (cancelled, or refunded in full): the ERP's sales order is cancelled
  // (status -1) or back to draft (no stock held), or was never made.
  const liveOrders = docs.orders.filter((o) => o.statut >= 1);
  const withdrawn = (cancelled || (refunded >= total && total > 0)) && validated.length === 0;
  if (docs.orders.length > 1) add('duplicate', `${docs.orders.length} sales orders (${docs.orders.map((o) => o.ref).join(', ')})`, docs.orders.length - 1);
  if (!withdrawn && !cancelled && liveOrders.length === 0) add('unposted', 'sales order (validated)');
  if (withdrawn && liveOrders.length > 0) add('unposted', `cancellation: sales order ${liveOrders.map((o) => `${o.ref} status ${o.statut}`).join(', ')} still holds the order`);
  if (validated.length > 1) add('duplicate', `${validated.length} invoices (${validated.map((i) => i.ref).join(', ')})`, validated.length - 1);
  if (drafts.length > 0 && validated.length > 0) add('duplicate', `draft invoice(s) ${drafts.map((i) => i.ref).join(', ')} beside a validated one`, drafts.length);
  if (invoiceDue && !withdrawn && validated.length === 0) add('unposted', drafts.length > 0 ? 'invoice (left draft)' : 'invoice');
  if (!invoiceDue && validated.length > 0) add('early', `invoice ${validated.map((i) => i.ref).join(', ')} before the invoice point (${invoiceAt})`);

  // Credit notes: linked to one of this order's validated invoices, no more than the refunds (+ a cancellation).
  const notes = docs.creditNotes.filter((i) => i.statut >= 1 && i.statut !== 3);
  const invoiceIds = new Set(validated.map((i) => i.id));
  const unlinked = notes.filter((n) => n.fkFactureSource === null || !invoiceIds.has(n.fkFactureSource));
  if (unlinked.length > 0) add('unlinked_credit_note', `credit note(s) ${unlinked.map((n) => `${n.ref} → ${n.fkFactureSource ?? 'nothing'}`).join(', ')}`, unlinked.length);
  const allowedNotes = t.refunds.length + (cancelled ? 1 : 0);
  if (notes.length > allowedNotes) add('duplicate', `${notes.length} credit notes for ${t.refunds.length} refund(s)${cancelled ? ' and a cancellation' : ''}`, notes.length - allowedNotes);
  const refExts = notes.map((n) => n.ref_ext).filter((r) => r !== '');
  const repeated = refExts.length - new Set(refExts).size;
  if (repeated > 0 && notes.length <= allowedNotes) add('duplicate', 'two credit notes with the same external reference', repeated);

  // Amounts, only where the documents are there (a missing one is `unposted`, its cents are a consequence).
  if (validated.length === 0) {
    // Not invoiced yet: the sales order carries the order, at its total, or adjusted by a refund made before the
    // invoice (an engine may also keep the refund for a credit note once the invoice exists).
    const so = liveOrders[0];
    if (so && !withdrawn && out.length === 0 && so.total !== total && so.total !== total - refunded) {
      add('cents_off', `sales order ${so.ref} ${formatMinor(so.total, t.currency)} vs ${formatMinor(total, t.currency)}${refunded ? ` (or ${formatMinor(total - refunded, t.currency)} after refunds)` : ''}`, Math.abs(so.total - (total - refunded)));
    }
    return out;
  }
  const expectedNet = cancelled ? 0 : total - refunded;
  const net = sum(validated.map((i) => i.total)) + sum(notes.map((n) => n.total));
  const expectedReceived = paid - refunded;
  const received = sum(validated.map((i) => i.paid)) + sum(notes.map((n) => n.paid));
  if (paid > 0 && sum(validated.map((i) => i.paid)) === 0) add('unposted', 'payment on the invoice');
  if (net > expectedNet && notes.length < allowedNotes) add('unposted', `credit note(s): invoiced ${formatMinor(net, t.currency)}, WooCommerce ${formatMinor(expectedNet, t.currency)}`);
  if (refunded > 0 && notes.length > 0 && sum(notes.map((n) => n.paid)) === 0 && received !== expectedReceived) add('unposted', 'refund payment on the credit note(s)');
  if (out.some((f) => f.kind === 'unposted' || f.kind === 'duplicate')) return out;
  const remain = sum(validated.map((i) => i.remain)) + sum(notes.map((n) => n.remain));
  const expectedRemain = expectedNet - expectedReceived;
  const off = (what: string, erp: number, woo: number): void => add('cents_off', `${what}: ERP ${formatMinor(erp, t.currency)}, WooCommerce ${formatMinor(woo, t.currency)}`, Math.abs(erp - woo));
  off('invoiced net of credit notes', net, expectedNet);
  off('received net of refunds', received, expectedReceived);
  off('remaining to pay', remain, expectedRemain);
  return out;
}

/** Audits every order; `scenarioOf` (order id → scenario) adds a per-scenario breakdown. */
export function auditBooks(truths: Truth[], books: ErpBooks, o: { invoiceAt: InvoicePoint; scenarioOf?: (orderId: number) => string }): BooksAudit {
  const claimed = new Set<string>();
  const findings = truths.flatMap((t) => auditOrder(t, books, o.invoiceAt, claimed));
  const unattributed = [
    ...books.orders.filter((d) => !claimed.has(`commande:${d.id}`)).map((d) => `sales order ${d.ref} (ref_ext ${d.ref_ext || '-'})`),
    ...books.invoices.filter((d) => !claimed.has(`facture:${d.id}`)).map((d) => `${d.type === 2 ? 'credit note' : 'invoice'} ${d.ref} (ref_ext ${d.ref_ext || '-'})`),
  ];
  const strayNotes = books.invoices.filter((d) => d.type === 2 && d.statut >= 1 && !claimed.has(`facture:${d.id}`)).length;
  const total = (k: FindingKind): number => sum(findings.filter((f) => f.kind === k).map((f) => f.count));
  const byKind: Record<string, number> = {};
  const byScenario: Record<string, Record<string, number>> = {};
  for (const f of findings) {
    byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
    if (o.scenarioOf) {
      const s = (byScenario[o.scenarioOf(f.order)] ??= {});
      s[f.kind] = (s[f.kind] ?? 0) + 1;
    }
  }
  return {
    orders: truths.length,
    mismatched_orders: new Set(findings.map((f) => f.order)).size,
    duplicate_documents: total('duplicate'),
    cents_off: total('cents_off'),
    unposted: total('unposted'),
    unlinked_credit_notes: total('unlinked_credit_note') + strayNotes,
    details: {
      unposted_orders: new Set(findings.filter((f) => f.kind === 'unposted').map((f) => f.order)).size,
      by_kind: byKind,
      ...(o.scenarioOf ? { by_scenario: byScenario } : {}),
      unattributed_documents: unattributed,
      findings,
    },
  };
}

// ---- reading a real Dolibarr 20 --------------------------------------------------------------------------------

const Num = z.union([z.string(), z.number()]).transform((v) => Number(v));
const Str = z.union([z.string(), z.number()]).nullish().transform((v) => (v === null || v === undefined ? '' : String(v)));
const Money = z.union([z.string(), z.number()]).nullish().transform((v) => cents(v === null || v === undefined ? '0' : String(v), 'ERP amount'));
const OrderRow = z.object({ id: Num, ref: Str, ref_ext: Str, statut: Num, total_ttc: Money });
const InvoiceRow = z.object({
  id: Num, ref: Str, ref_ext: Str, type: Num, statut: Num, fk_facture_source: Str, total_ttc: Money, remaintopay: Money,
});

export interface DolibarrAccess {
  url: string;
  key: string;
  /** Runs SQL on Dolibarr's database, tab-separated rows (tests/ts/support/erp.ts: `dolibarr.sql`). */
  sql: (statement: string) => string;
}

const tsv = (out: string): string[][] => out.split('\n').filter(Boolean).map((l) => l.split('\t'));

/** Everything the audit needs from a Dolibarr 20 (read with no fault injected: pass Dolibarr's own URL). */
export async function readDolibarrBooks(d: DolibarrAccess): Promise<ErpBooks> {
  const [orders, invoices] = await Promise.all([erpListAll(d, '/orders', OrderRow), erpListAll(d, '/invoices', InvoiceRow)]);
  const paid = new Map(tsv(d.sql('SELECT fk_facture, SUM(amount) FROM llx_paiement_facture GROUP BY fk_facture'))
    .map(([id, amount]) => [Number(id), cents(amount ?? '0', 'payment')]));
  const links = tsv(d.sql('SELECT sourcetype, fk_source, targettype, fk_target FROM llx_element_element'))
    .map(([sourceType, sourceId, targetType, targetId]) => ({ sourceType: sourceType ?? '', sourceId: Number(sourceId), targetType: targetType ?? '', targetId: Number(targetId) }));
  return {
    orders: orders.map((o) => ({ id: o.id, ref: o.ref, ref_ext: o.ref_ext, statut: o.statut, total: o.total_ttc })),
    invoices: invoices.map((i) => ({
      id: i.id, ref: i.ref, ref_ext: i.ref_ext, type: i.type, statut: i.statut, fkFactureSource: Number(i.fk_facture_source) > 0 ? Number(i.fk_facture_source) : null,
      total: i.total_ttc, paid: paid.get(i.id) ?? 0, remain: i.remaintopay,
    })),
    links,
  };
}
