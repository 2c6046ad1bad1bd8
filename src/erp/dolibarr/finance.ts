/**
 * The finance documents of one WooCommerce order in Dolibarr 20: the invoice (created from the sales order,
 * validated), the payment attached to it, credit notes (type 2, linked to the invoice by `fk_facture_source`), their
 * refund payments, and the cancellation of a sales order before invoice.
 *
 * Keys (Dolibarr has no uniqueness; every create is preceded by a lookup inside the write slot):
 * - invoice `ref_ext` = the order's correlation id (createfromorder does not copy it: set by PUT right after; an
 *   invoice linked to the sales order without it is adopted before any new one is made);
 * - credit note `ref_ext` = `<correlation id>/R<refund id>` (or `/Rcancel`);
 * - payments: an invoice or credit note already paid (`paye`, remaining 0) gets none.
 * Refund payments go through `POST /invoices/paymentsdistributed` with the POSITIVE amount paid back and
 * `accepthigherpayment`: Dolibarr 20.0.2's API negates amounts for credit notes, so this is the one way its payment
 * is stored negative and the credit note's remaining amount ends at 0 (`POST /invoices/{id}/payments` on a credit
 * note stores it positive, fixtures 12d/13).
 * Cancellation before invoice: `POST /orders/{id}/settodraft` with the warehouse: Dolibarr books the stock back (a
 * movement "go back to draft status"); the draft keeps its final ref, which is how a cancelled order is recognised.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import { grossTotal, type Order } from '../../canonical/index.js';
import { NeedsHumanError, RetryableError } from '../../common/errors.js';
import type { ErpCreditNote, ErpInvoice, ErpOrderState, ErpPayment } from '../../ports/erp.js';
import { absorbedRefunds, CANCEL_KEY, cancelNoteOwed, refundedCreditNotes, wantedCreditNotes } from '../../engine/plan.js';
import { isSqlSafe, orderRefClient, orderRefExt } from './binder.js';
import { type DolibarrClient, NOT_FOUND, NOT_MODIFIED, segment } from './client.js';
import { currencyExponent, minorToDecimal } from './decimal.js';
import { creditNoteSpecs, type CreditNoteSpec } from '../../engine/credit-notes.js';
import { creditNoteLines, decimalToMinor } from './finance-mapper.js';
import type { DolibarrLookups } from './lookups.js';
import { unixSeconds } from './mapper.js';
import { CreatedId, Decimal, NumericId } from './schemas.js';

export const InvoiceSummary = z.object({
  id: NumericId,
  ref: z.string(),
  ref_ext: z.string().nullable().optional(),
  type: NumericId,
  statut: NumericId,
  paye: NumericId.nullable().optional(),
  socid: NumericId.nullable().optional(),
  total_ttc: Decimal.nullable().optional(),
  remaintopay: Decimal.nullable().optional(),
  fk_facture_source: NumericId.nullable().optional(),
});
export type InvoiceSummary = z.infer<typeof InvoiceSummary>;
const InvoiceList = z.array(InvoiceSummary);
const PaymentList = z.array(z.object({ amount: Decimal, type: z.string().nullable().optional(), num: z.string().nullable().optional(), ref: z.string() }));
const PaymentTypes = z.array(z.object({ id: NumericId, code: z.string() }));
const OrderLinks = z.object({ linkedObjectsIds: z.union([z.record(z.string(), z.record(z.string(), z.union([z.string(), z.number()]))), z.array(z.unknown())]).nullable().optional() });

const TYPE_STANDARD = 0;
const TYPE_CREDIT_NOTE = 2;

export interface FinanceConfig {
  warehouseId: number;
  /** Bank account for payments when the payment-method mapping names none. */
  bankAccountId?: number;
  refClientPrefix: string;
}

export class DolibarrFinance {
  private paymentTypes: Map<string, number> | undefined;

  constructor(
    private readonly client: DolibarrClient,
    private readonly lookups: DolibarrLookups,
    private readonly cfg: FinanceConfig,
    private readonly logger?: Logger,
  ) {}

  /** Whether the state lookup needs the finance documents: only orders whose sales order exists and that moved on. */
  static relevant(order: Order, state: ErpOrderState): boolean {
    if (!state.salesOrder) return false;
    return order.payment.captured || order.status === 'completed' || order.refunds.length > 0 || ['cancelled', 'trash', 'refunded'].includes(order.status);
  }

  /** Invoice, credit notes and their payments, by ref_ext (one list request, plus one per document for payments). */
  async findState(order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    const docs = await this.invoicesOf(order);
    const exp = currencyExponent(order.currency);
    const refExt = orderRefExt(order);
    const invoices = docs.filter((d) => d.type === TYPE_STANDARD && d.ref_ext === refExt);
    if (invoices.filter((d) => d.statut >= 1).length > 1) {
      throw new NeedsHumanError('erp_duplicate', `Dolibarr holds ${invoices.length} validated invoices for WooCommerce order #${order.number} (${invoices.map((d) => d.ref).join(', ')}); cancel the extra one there, then retry.`,
        { invoices: invoices.map((d) => d.ref) });
    }
    const inv = invoices.find((d) => d.statut >= 1) ?? invoices[0];
    const out: ErpOrderState = { ...state };
    delete out.invoice;
    delete out.creditNotes;
    delete out.payments;
    if (!inv) return out;
    out.invoice = this.invoiceDoc(inv, exp);
    const prefix = `${refExt}/R`;
    out.creditNotes = docs.filter((d) => d.type === TYPE_CREDIT_NOTE && (d.ref_ext ?? '').startsWith(prefix) && d.fk_facture_source === inv.id)
      .map((d) => this.creditNoteDoc(d, exp, (d.ref_ext ?? '').slice(prefix.length)));
    const paid = [out.invoice, ...out.creditNotes].filter((d) => d.validated && d.remaining !== d.total);
    out.payments = (await Promise.all(paid.map((d) => this.paymentsOf(d.id, exp)))).flat();
    return out;
  }

  /** Creates the invoice from the sales order (or adopts the one already linked to it), checks it to the cent, validates it. */
  async invoice(order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    const so = state.salesOrder;
    if (!so) throw new NeedsHumanError('step_order', `Order #${order.number} has no Dolibarr sales order to invoice yet.`, { step: 'invoice' });
    const exp = currencyExponent(order.currency);
    const inv = await this.client.withWriteSlot(async () => {
      const existing = state.invoice ? await this.invoiceById(state.invoice.id) : await this.linkedInvoice(so.id);
      const draft = existing ?? await this.client.post(`/invoices/createfromorder/${segment(so.id)}`, undefined, InvoiceSummary);
      if ((draft.ref_ext ?? '') !== orderRefExt(order)) await this.client.put(`/invoices/${segment(draft.id)}`, { ref_ext: orderRefExt(order) });
      if (draft.statut >= 1) return draft;
      this.checkInvoiceTotal(order, draft, exp);
      const validated = await this.client.postIdempotent(`/invoices/${segment(draft.id)}/validate`, { idwarehouse: 0, notrigger: 0 }, InvoiceSummary);
      return validated === NOT_MODIFIED ? this.invoiceById(String(draft.id)) : validated;
    });
    this.logger?.info({ correlationId: order.correlationId, invoiceId: inv.id, ref: inv.ref }, 'dolibarr invoice validated');
    return { ...state, invoice: this.invoiceDoc({ ...inv, ref_ext: orderRefExt(order) }, exp) };
  }

  /**
   * The captured payment on the invoice, and one payment per gift card / store credit (their own payment modes), so
   * the invoice ends paid. Each tender is keyed by its payment number (`num_payment`) and posted only when the
   * invoice does not list it yet.
   */
  async payment(order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    const invoice = state.invoice;
    if (!invoice?.validated) throw new NeedsHumanError('step_order', `Order #${order.number} has no validated Dolibarr invoice to pay yet.`, { step: 'payment' });
    const exp = currencyExponent(order.currency);
    const tenders = [
      { num: order.payment.transactionId || `WC-${order.number}`, amount: order.payment.amount, mode: order.payment.erpMode, account: order.payment.erpAccount, what: order.payment.title || order.payment.method },
      ...order.credits.map((c) => ({ num: `WC-${order.number}-${c.kind}-${c.code}`, amount: c.amount, mode: c.erpMode, account: c.erpAccount, what: c.kind })),
    ].filter((t) => t.amount > 0);
    for (const t of tenders) {
      const how = await this.paymentMode(order, t.what, t.mode, t.account);
      await this.client.withWriteSlot(async () => {
        const now = await this.invoiceById(invoice.id);
        if (now.paye === 1 || now.statut === 2) return;
        const posted = await this.client.get(`/invoices/${segment(invoice.id)}/payments`, {}, PaymentList);
        if (posted.some((p) => p.num === t.num)) return;
        await this.client.post('/invoices/paymentsdistributed', {
          arrayofamounts: { [invoice.id]: { amount: minorToDecimal(t.amount, exp), multicurrency_amount: '' } },
          datepaye: unixSeconds(order.payment.paidAt ?? new Date().toISOString()), paymentid: how.paymentId, closepaidinvoices: 'yes', accountid: how.accountId,
          num_payment: t.num, comment: `WooCommerce order #${order.number}: ${t.what} (${order.correlationId})`,
        }, CreatedId);
      });
    }
    this.logger?.info({ correlationId: order.correlationId, invoiceId: invoice.id, tenders: tenders.length }, 'dolibarr invoice paid');
    return this.findState(order, state);
  }

  /** Every credit note due (one per refund, or the cancellation's), linked to the invoice and validated. */
  async creditNotes(order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    const invoice = state.invoice;
    if (!invoice) throw new NeedsHumanError('step_order', `Order #${order.number} has no Dolibarr invoice to credit yet.`, { step: 'credit_note' });
    const have = new Map((state.creditNotes ?? []).map((c) => [c.refundKey, c]));
    const due = wantedCreditNotes(order, state).filter((k) => have.get(k)?.validated !== true);
    const specs = creditNoteSpecs(order, due, invoice.total);
    const refs = specs.flatMap((s) => s.lines.flatMap((l) => (l.erpRef ? [l.erpRef] : [])));
    const productIds = await this.lookups.productIdsFor(refs);
    const socid = Number(state.customer?.id ?? NaN);
    for (const spec of specs) {
      const lines = creditNoteLines(order, spec, productIds);
      await this.client.withWriteSlot(async () => {
        const refExt = `${orderRefExt(order)}/R${spec.key}`;
        const found = (await this.invoicesOf(order)).find((d) => d.type === TYPE_CREDIT_NOTE && d.ref_ext === refExt);
        const id = found?.id ?? await this.client.post('/invoices', {
          socid: Number.isFinite(socid) ? socid : undefined, type: TYPE_CREDIT_NOTE, fk_facture_source: Number(invoice.id), ref_ext: refExt,
          ref_client: `${orderRefClient(order, this.cfg.refClientPrefix)}-R${spec.key}`, date: unixSeconds(this.dateOf(order, spec)),
          note_private: `Credit note for ${spec.label}; invoice ${invoice.ref}; correlation id ${order.correlationId}.`, lines,
        }, CreatedId);
        if (found && found.statut >= 1) return;
        await this.client.postIdempotent(`/invoices/${segment(id)}/validate`, { idwarehouse: 0, notrigger: 0 }, InvoiceSummary);
      });
      this.logger?.info({ correlationId: order.correlationId, refund: spec.key }, 'dolibarr credit note validated');
    }
    return this.findState(order, state);
  }

  /** Pays back every refund's credit note not yet settled, so each ends with nothing remaining; a cancellation's only for refunds made after it. */
  async refundPayments(order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    const exp = currencyExponent(order.currency);
    const how = await this.paymentMode(order, order.payment.title || order.payment.method, order.payment.erpMode, order.payment.erpAccount);
    const wanted = new Set(refundedCreditNotes(order, state));
    for (const note of (state.creditNotes ?? []).filter((c) => wanted.has(c.refundKey) && c.validated && !c.paid)) {
      await this.client.withWriteSlot(async () => {
        const now = await this.invoiceById(note.id);
        const remaining = -decimalToMinor(now.remaintopay ?? now.total_ttc, exp);
        if (now.paye === 1 || remaining <= 0) return;
        const refund = order.refunds.find((r) => String(r.wcRefundId) === note.refundKey);
        await this.payBack(note.id, minorToDecimal(remaining, exp), refund?.createdAt, how, `WC-${order.number}-R${note.refundKey}`,
          `Refund of WooCommerce order #${order.number} (${order.correlationId})`);
      });
      this.logger?.info({ correlationId: order.correlationId, creditNote: note.ref }, 'dolibarr credit note settled');
    }
    await this.payBackAgainstCancellation(order, state, exp, how);
    return this.findState(order, state);
  }

  /**
   * Refunds made after the cancellation's credit note have no note of their own (it credits their money already):
   * what they paid back is recorded against it, re-read inside the write slot so a replay pays nothing twice.
   */
  private async payBackAgainstCancellation(order: Order, state: ErpOrderState, exp: number, how: { paymentId: number; accountId: number }): Promise<void> {
    const note = (state.creditNotes ?? []).find((c) => c.refundKey === CANCEL_KEY);
    if (!note || cancelNoteOwed(order, state) === 0) return;
    await this.client.withWriteSlot(async () => {
      const fresh = this.creditNoteDoc(await this.invoiceById(note.id), exp, CANCEL_KEY);
      const owed = cancelNoteOwed(order, { ...state, creditNotes: (state.creditNotes ?? []).map((c) => (c.refundKey === CANCEL_KEY ? fresh : c)) });
      if (owed <= 0) return;
      const last = absorbedRefunds(order, state).at(-1);
      await this.payBack(note.id, minorToDecimal(owed, exp), last?.createdAt, how, `WC-${order.number}-R${last?.wcRefundId ?? CANCEL_KEY}`,
        `Refund of cancelled WooCommerce order #${order.number} (${order.correlationId})`);
    });
    this.logger?.info({ correlationId: order.correlationId, creditNote: note.ref }, 'dolibarr refund paid back against the cancellation credit note');
  }

  /**
   * Records money paid back on a credit note: the POSITIVE amount through `paymentsdistributed` with
   * `accepthigherpayment` (Dolibarr stores it negative, the bank line is money out; see the header).
   */
  private async payBack(noteId: string, amount: string, at: string | undefined, how: { paymentId: number; accountId: number }, num: string, comment: string): Promise<void> {
    await this.client.post('/invoices/paymentsdistributed', {
      arrayofamounts: { [noteId]: { amount, multicurrency_amount: '' } },
      datepaye: unixSeconds(at || new Date().toISOString()), paymentid: how.paymentId, closepaidinvoices: 'yes', accountid: how.accountId,
      num_payment: num, comment, accepthigherpayment: true,
    }, CreatedId);
  }

  /** Withdraws the validated sales order: back to draft with its stock booked back into the warehouse. */
  async cancelOrder(order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    const so = state.salesOrder;
    if (!so) return state;
    await this.client.withWriteSlot(async () => {
      const res = await this.client.postIdempotent(`/orders/${segment(so.id)}/settodraft`, { idwarehouse: this.cfg.warehouseId }, z.unknown());
      if (res === NOT_MODIFIED) this.logger?.info({ correlationId: order.correlationId, orderId: so.id }, 'dolibarr sales order was a draft already');
    });
    this.logger?.info({ correlationId: order.correlationId, orderId: so.id, ref: so.ref }, 'dolibarr sales order withdrawn (stock booked back)');
    return { ...state, salesOrder: { ...so, validated: false, cancelled: true } };
  }

  private dateOf(order: Order, spec: CreditNoteSpec): string {
    const refund = spec.key === CANCEL_KEY ? undefined : order.refunds.find((r) => String(r.wcRefundId) === spec.key);
    return refund?.createdAt || new Date().toISOString();
  }

  private checkInvoiceTotal(order: Order, inv: InvoiceSummary, exp: number): void {
    const total = decimalToMinor(inv.total_ttc, exp);
    const gross = grossTotal(order);
    if (total === gross) return;
    throw new NeedsHumanError('totals_mismatch',
      `Dolibarr's invoice ${inv.ref} for WooCommerce order #${order.number} totals ${minorToDecimal(total, exp)} ${order.currency}, ` +
      `the order ${minorToDecimal(gross, exp)} (difference ${minorToDecimal(total - gross, exp)}); it is left as a draft.`,
      { invoice: inv.ref, invoice_total: total, order_total: gross, difference: total - gross, currency: order.currency });
  }

  private async paymentMode(order: Order, what: string, code: string | undefined, account: string | undefined): Promise<{ paymentId: number; accountId: number }> {
    if (!code) {
      throw new NeedsHumanError('unmapped_payment_method', `Payment method "${what}" of order #${order.number} has no ERP payment mode: map it in Syncline → Mappings → Payment methods (e.g. CB or VIR:1), then retry.`,
        { payment_method: what });
    }
    this.paymentTypes ??= new Map((await this.client.get('/setup/dictionary/payment_types', { limit: 200 }, PaymentTypes)).map((t) => [t.code.toUpperCase(), t.id]));
    const paymentId = this.paymentTypes.get(code.toUpperCase()) ?? (/^\d+$/.test(code) ? Number(code) : undefined);
    if (paymentId === undefined) {
      throw new NeedsHumanError('unmapped_payment_method', `Dolibarr has no payment mode "${code}" (mapped from ${what}); use one of ${[...this.paymentTypes.keys()].join(', ')}.`, { payment_method: what, mode: code });
    }
    const accountId = account !== undefined && /^\d+$/.test(account) ? Number(account) : this.cfg.bankAccountId;
    if (accountId === undefined) {
      throw new NeedsHumanError('no_bank_account', `No Dolibarr bank account for payments of "${what}": map it as MODE:ACCOUNT (e.g. CB:1) or set erp.bank_account_id.`, { payment_method: what });
    }
    return { paymentId, accountId };
  }

  private async invoicesOf(order: Order): Promise<InvoiceSummary[]> {
    const refExt = orderRefExt(order);
    if (!isSqlSafe(refExt)) throw new NeedsHumanError('erp_refused_value', `Order #${order.number}'s correlation id cannot be searched in Dolibarr.`, { refExt });
    const list = await this.client.get('/invoices', { sqlfilters: `(t.ref_ext:like:'${refExt}%')`, limit: 100, sortfield: 't.rowid', sortorder: 'ASC' }, InvoiceList);
    return list.filter((d) => d.ref_ext === refExt || (d.ref_ext ?? '').startsWith(`${refExt}/`));
  }

  private async invoiceById(id: string | number): Promise<InvoiceSummary> {
    return this.client.get(`/invoices/${segment(id)}`, {}, InvoiceSummary);
  }

  /** An invoice (not a credit note) Dolibarr links to the sales order: one made before its ref_ext was set. */
  private async linkedInvoice(orderId: string): Promise<InvoiceSummary | undefined> {
    const so = await this.client.find(`/orders/${segment(orderId)}`, {}, OrderLinks);
    if (so === NOT_FOUND) throw new RetryableError('erp_order_vanished', `Dolibarr no longer has sales order ${orderId}; it will be looked up again.`, { erpDown: false });
    const links = so.linkedObjectsIds;
    const ids = links && !Array.isArray(links) ? Object.values(links['facture'] ?? {}).map(Number) : [];
    for (const id of ids.sort((a, b) => a - b)) {
      const inv = await this.invoiceById(id);
      if (inv.type === TYPE_STANDARD && inv.statut !== 3) return inv;
    }
    return undefined;
  }

  private async paymentsOf(invoiceId: string, exp: number): Promise<ErpPayment[]> {
    const list = await this.client.get(`/invoices/${segment(invoiceId)}/payments`, {}, PaymentList);
    return list.map((p) => ({
      type: 'payment' as const, id: p.ref, ref: p.ref, appliesTo: invoiceId, amount: decimalToMinor(p.amount, exp),
      url: `${this.client.webRoot}/compta/paiement/card.php?ref=${encodeURIComponent(p.ref)}`,
    }));
  }

  private invoiceDoc(d: InvoiceSummary, exp: number): ErpInvoice {
    const total = decimalToMinor(d.total_ttc, exp);
    const paid = d.paye === 1 || d.statut === 2;
    return {
      type: 'invoice', id: String(d.id), ref: d.ref, url: `${this.client.webRoot}/compta/facture/card.php?id=${d.id}`,
      validated: d.statut >= 1, total, remaining: paid ? 0 : d.remaintopay === null || d.remaintopay === undefined ? total : decimalToMinor(d.remaintopay, exp), paid,
    };
  }

  private creditNoteDoc(d: InvoiceSummary, exp: number, refundKey: string): ErpCreditNote {
    const total = -decimalToMinor(d.total_ttc, exp);
    const paid = d.paye === 1 || d.statut === 2;
    const remaining = paid ? 0 : d.remaintopay === null || d.remaintopay === undefined ? total : -decimalToMinor(d.remaintopay, exp);
    return {
      type: 'credit_note', id: String(d.id), ref: d.ref, url: `${this.client.webRoot}/compta/facture/card.php?id=${d.id}`,
      validated: d.statut >= 1, total, remaining, paid, refundKey, sourceInvoiceId: String(d.fk_facture_source ?? ''),
    };
  }
}
