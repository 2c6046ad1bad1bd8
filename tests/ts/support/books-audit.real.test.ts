/**
 * The books auditor reading a real Dolibarr 20.0.2 (scripts/env/dolibarr.ts, its own instance): documents made
 * through Dolibarr's own API, read back by readDolibarrBooks, judged by auditBooks. Clean books pass; a missing
 * credit note, an unlinked one, a cent off, a duplicate invoice and a refund payment through the API (stored
 * with the wrong sign by 20.0.2) are flagged. Without ../shared/realstack it is skipped, except under CI=true
 * where it fails.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDolibarr, type Dolibarr } from '../../../scripts/env/dolibarr.js';
import { realstack } from '../../../scripts/env/realstack.js';
import { auditBooks, readDolibarrBooks, type ErpBooks } from './books-audit.js';
import type { Truth } from './lifecycle.js';

const available = (await realstack()) !== null;
if (!available && process.env.CI === 'true') throw new Error('CI=true: ../shared/realstack is missing, the books auditor cannot be tested on the real Dolibarr');

let d: Dolibarr;
let socid = 0;
let productId = 0;
let books: ErpBooks;
const truths: Truth[] = [];

const truth = (id: number, total: string, refunds: string[] = [], status = 'completed'): Truth => ({
  id, status, currency: 'EUR', total, total_tax: '0.00', prices_include_tax: false, payment_method: 'stripe', transaction_id: `txn_${id}`,
  date_paid: '2026-11-30T10:00:00+00:00', date_completed: '2026-11-30T11:00:00+00:00',
  refunds: refunds.map((amount, k) => ({ id: id * 10 + k, amount })),
  total_refunded: refunds.reduce((s, r) => s + Math.round(Number(r) * 100), 0) / 100 + '', correlation_id: `books-audit-${id}`,
});

/** A validated sales order (one product line, 10.00 excl. 20 % VAT × qty), its validated invoice, paid in full. */
async function invoicedOrder(id: number, qty: number, o: { secondInvoice?: boolean } = {}): Promise<number> {
  const order = Number((await d.api<number>('POST', '/orders', {
    socid, date: Math.floor(Date.now() / 1000), ref_client: `WC-${id}`, ref_ext: `books-audit-${id}`,
    lines: [{ fk_product: productId, qty, subprice: 10, tva_tx: 20, product_type: 0 }],
  })).body);
  await d.api('POST', `/orders/${order}/validate`, { idwarehouse: 1 });
  const invoices: number[] = [];
  for (let k = 0; k < (o.secondInvoice ? 2 : 1); k++) {
    const inv = (await d.api<{ id: number | string }>('POST', `/invoices/createfromorder/${order}`)).body;
    await d.api('POST', `/invoices/${inv.id}/validate`, {});
    invoices.push(Number(inv.id));
  }
  const invoiceId = invoices[0] as number;
  await d.api('POST', `/invoices/${invoiceId}/payments`, { datepaye: Math.floor(Date.now() / 1000), paymentid: 6, closepaidinvoices: 'yes', accountid: 1, num_payment: `txn_${id}` });
  return invoiceId;
}

/** A validated credit note of `amount` (incl. 20 % VAT), linked to `source` or not. */
async function creditNote(id: number, source: number | null, amountExcl: number, refExt: string): Promise<number> {
  const cn = Number((await d.api<number>('POST', '/invoices', {
    socid, type: 2, ...(source !== null ? { fk_facture_source: source } : {}), date: Math.floor(Date.now() / 1000), ref_ext: refExt,
    lines: [{ fk_product: productId, qty: 1, subprice: amountExcl, tva_tx: 20, product_type: 0 }],
  })).body);
  await d.api('POST', `/invoices/${cn}/validate`, {});
  return cn;
}

before(async () => {
  if (!available) return;
  d = await startDolibarr({ name: 'booksaudit', port: Number(process.env.SYNCLINE_DOLIBARR_PORT ?? 8091) + 4 });
  productId = (await d.addProducts(['BOOKS-AUDIT-P'], 100))[0]?.id ?? 0;
  socid = Number((await d.api<number>('POST', '/thirdparties', { name: 'Books Audit', email: 'books-audit@example.test', client: 1, code_client: 'auto', country_id: 1 })).body);

  // 1: clean (paid, invoiced). 2: refunded 12.00, no credit note. 3: refunded 12.00, credit note not linked.
  // 4: WooCommerce total one cent above the ERP's. 5: two invoices. 6: refunded, credit note linked, refund paid
  // through the API (stored positive by Dolibarr 20.0.2).
  await invoicedOrder(1, 2);
  truths.push(truth(1, '24.00'));
  await invoicedOrder(2, 2);
  truths.push(truth(2, '24.00', ['12.00']));
  await invoicedOrder(3, 2);
  await creditNote(3, null, 10, 'books-audit-3-refund-30');
  truths.push(truth(3, '24.00', ['12.00']));
  await invoicedOrder(4, 1);
  truths.push(truth(4, '12.01'));
  await invoicedOrder(5, 1, { secondInvoice: true });
  truths.push(truth(5, '12.00'));
  const six = await invoicedOrder(6, 2);
  const cn6 = await creditNote(6, six, 10, 'books-audit-6-refund-60');
  await d.api('POST', `/invoices/${cn6}/payments`, { datepaye: Math.floor(Date.now() / 1000), paymentid: 6, closepaidinvoices: 'no', accountid: 1, num_payment: 'refund-6' });
  truths.push(truth(6, '24.00', ['12.00']));
  books = await readDolibarrBooks({ url: d.url, key: d.apiKey, sql: (q) => d.sql(q) });
});

after(async () => {
  if (available) await d.stop();
});

/** The audit of all six orders at once (as the benchmark runs it), one order's figures. */
const findingsOf = (order: number) => {
  const all = auditBooks(truths, books, { invoiceAt: 'capture' }).details.findings.filter((f) => f.order === order);
  const count = (k: string): number => all.filter((f) => f.kind === k).reduce((s, f) => s + f.count, 0);
  return { findings: all, unposted: count('unposted'), duplicate_documents: count('duplicate'), cents_off: count('cents_off'), unlinked_credit_notes: count('unlinked_credit_note') };
};

test('the whole audit: five of six orders mismatched, every credit note accounted for', { skip: !available }, () => {
  const a = auditBooks(truths, books, { invoiceAt: 'capture' });
  assert.equal(a.mismatched_orders, 5, JSON.stringify(a.details.findings));
  assert.deepEqual(a.details.unattributed_documents, []);
});

test('the reader sees Dolibarr\'s documents, payments, links and remaining to pay', { skip: !available }, () => {
  assert.equal(books.orders.length, 6);
  assert.equal(books.invoices.filter((i) => i.type === 0).length, 7);
  assert.equal(books.invoices.filter((i) => i.type === 2).length, 2);
  const first = books.invoices.find((i) => i.type === 0);
  assert.deepEqual([first?.total, first?.paid, first?.remain, first?.statut], [2400, 2400, 0, 2]);
  assert.ok(books.links.some((l) => l.sourceType === 'commande' && l.targetType === 'facture' && l.targetId === first?.id));
});

test('clean books pass on the real Dolibarr', { skip: !available }, () => {
  assert.deepEqual(findingsOf(1).findings, []);
});

test('a missing credit note is unposted', { skip: !available }, () => {
  assert.equal(findingsOf(2).unposted, 1);
});

test('an unlinked credit note is flagged', { skip: !available }, () => {
  assert.equal(findingsOf(3).unlinked_credit_notes, 1);
});

test('a cent off is counted', { skip: !available }, () => {
  const a = findingsOf(4);
  assert.equal(a.cents_off, 2, JSON.stringify(a.findings)); // invoiced and received each 0.01 below WooCommerce
  assert.equal(a.unposted, 0);
});

test('a second invoice is a duplicate', { skip: !available }, () => {
  assert.equal(findingsOf(5).duplicate_documents, 1);
});

test('a refund payment through Dolibarr 20.0.2\'s API (stored positive) leaves the money off', { skip: !available }, () => {
  const a = findingsOf(6);
  assert.equal(a.unlinked_credit_notes, 0);
  assert.equal(a.cents_off, 4800, JSON.stringify(a.findings)); // received 24.00 off, remaining to pay -24.00 instead of 0
});
