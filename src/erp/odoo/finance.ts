/**
 * The finance documents of one WooCommerce order in Odoo 17 (ODOO.md, "JSON-RPC facts"): the customer invoice made
 * from the sales order (`sale.advance.payment.inv`, posted with `action_post`), payments through
 * `account.payment.register`, credit notes through `account.move.reversal` (linked to the invoice by
 * `reversed_entry_id`, then given the refund's own lines), their money paid back, and the cancellation of the sales
 * order (`action_cancel`: Odoo cancels its deliveries, so the reservation is released).
 *
 * Keys (Odoo has no uniqueness on any of them; every create is preceded by a lookup inside the write slot):
 * - invoices and credit notes: `invoice_origin` = the sales order's name (Odoo copies it from the order, and from the
 *   invoice onto its reversals); the sales order itself is found by the site-unique key (binder.ts);
 * - credit note: its reason (Odoo writes it into `ref` in the same transaction as the create) ends with
 *   `[syncline:<correlation id>/R<refund id>]` (or `/Rcancel`);
 * - payments: `ref` (the register wizard's `communication`) = `syncline:<correlation id>/P<tender>` for money in,
 *   `/R<refund id>` for money paid back.
 * Amounts are integer minor units up to the JSON-RPC values; Odoo's floats are rounded once back into minor units.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import { grossTotal, type Order } from '../../canonical/index.js';
import { NeedsHumanError, RetryableError } from '../../common/errors.js';
import { absorbedRefunds, CANCEL_KEY, cancelNoteOwed, refundedCreditNotes, wantedCreditNotes } from '../../engine/plan.js';
import { currencyExponent } from '../../engine/mapping/decimal.js';
import type { ErpCreditNote, ErpInvoice, ErpOrderState, ErpPayment } from '../../ports/erp.js';
import { creditNoteSpecs } from '../../engine/credit-notes.js';
import { minorText } from './amounts.js';
import { orderKey } from './binder.js';
import { CreatedId, Many2one, OdooChar, WriteOutcomeUnknownError, type OdooClient } from './client.js';
import { creditNoteLineValues, creditNoteNeeds } from './finance-mapper.js';
import type { OdooLookups } from './lookups.js';

const MoveRow = z.object({
  id: CreatedId, name: z.string(), move_type: z.string(), state: z.string(), amount_total: z.number(), amount_residual: z.number(),
  payment_state: z.string(), reversed_entry_id: Many2one, ref: OdooChar,
});
type MoveRow = z.infer<typeof MoveRow>;
const MOVE_FIELDS = ['name', 'move_type', 'state', 'amount_total', 'amount_residual', 'payment_state', 'reversed_entry_id', 'ref'];
const PaymentRow = z.object({ id: CreatedId, name: z.string(), amount: z.number(), payment_type: z.string(), ref: OdooChar, state: z.string() });
const JournalRow = z.object({ id: CreatedId, code: z.string(), type: z.string() });
const ActionResId = z.object({ res_id: z.number().int().positive() }).passthrough();

/** Settled in Odoo (`in_payment`: paid, the bank not reconciled yet). */
const settled = (m: MoveRow): boolean => ['paid', 'in_payment', 'reversed'].includes(m.payment_state);

export interface OdooFinanceConfig {
  shippingProductRef: string;
  feeProductRef?: string;
  /** How long after a create with unknown outcome Odoo may still commit it, in ms (the retry waits that long, then looks). */
  commitGraceMs: number;
}

export class OdooFinance {
  private journals: Promise<Array<z.infer<typeof JournalRow>>> | undefined;

  constructor(
    private readonly client: OdooClient,
    private readonly lookups: OdooLookups,
    private readonly cfg: OdooFinanceConfig,
    private readonly logger?: Logger,
  ) {}

  /** Invoice, its credit notes and the payments of ours on them (two reads). */
  async findState(order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    const out: ErpOrderState = { ...state };
    delete out.invoice;
    delete out.creditNotes;
    delete out.payments;
    const so = state.salesOrder;
    if (!so) return out;
    const exp = currencyExponent(order.currency);
    const moves = await this.movesOf(so.ref);
    const inv = this.pickInvoice(order, moves);
    if (!inv) return out;
    out.invoice = this.invoiceDoc(inv, exp);
    const notes = moves.filter((m) => m.move_type === 'out_refund' && m.state !== 'cancel' && m.reversed_entry_id !== false && m.reversed_entry_id[0] === inv.id);
    out.creditNotes = notes.flatMap((m) => {
      const key = this.noteKey(order, m);
      return key === undefined ? [] : [this.creditNoteDoc(m, exp, key)];
    });
    const byKey = new Map(out.creditNotes.map((c) => [c.refundKey, c.id]));
    const cancelNote = byKey.get(CANCEL_KEY);
    out.payments = (await this.paymentsOf(order)).map((p): ErpPayment => {
      const key = p.ref.slice(`${orderKey(order)}/`.length);
      const appliesTo = key.startsWith('P') ? String(inv.id) : byKey.get(key.slice(1)) ?? cancelNote ?? String(inv.id);
      const amount = Math.round(p.amount * 10 ** exp);
      return { type: 'payment', id: String(p.id), ref: p.name, appliesTo, amount: p.payment_type === 'outbound' ? -amount : amount, url: this.url('account.payment', p.id) };
    });
    return out;
  }

  /** Creates the invoice from the sales order (or adopts the one Odoo has for it), checks it to the cent, posts it. */
  async invoice(order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    const so = state.salesOrder;
    if (!so) throw new NeedsHumanError('step_order', `Order #${order.number} has no Odoo sales order to invoice yet.`, { step: 'invoice' });
    const exp = currencyExponent(order.currency);
    const inv = await this.client.withWriteSlot(async () => {
      let found = this.pickInvoice(order, await this.movesOf(so.ref));
      if (!found) {
        const context = { active_model: 'sale.order', active_ids: [Number(so.id)], active_id: Number(so.id) };
        const wizard = await this.client.call('sale.advance.payment.inv', 'create', [{ advance_payment_method: 'delivered' }], { context }, CreatedId);
        await this.creating(`the invoice of ${so.ref}`, () => this.client.call('sale.advance.payment.inv', 'create_invoices', [[wizard]], { context }, z.unknown()));
        found = this.pickInvoice(order, await this.movesOf(so.ref));
        if (!found) throw new RetryableError('erp_not_visible', `Odoo made no invoice visible for ${so.ref} yet; looking again.`);
      }
      if (found.state === 'posted') return found;
      const total = Math.round(found.amount_total * 10 ** exp);
      if (total !== grossTotal(order)) {
        throw new NeedsHumanError('totals_mismatch',
          `Odoo's invoice for ${so.ref} (WooCommerce order #${order.number}) totals ${found.amount_total.toFixed(exp)} ${order.currency}, the order ` +
          `${minorText(BigInt(grossTotal(order)), exp)}; it is left as a draft.`, { invoice: found.id, invoice_total: total, order_total: grossTotal(order), currency: order.currency });
      }
      await this.client.call('account.move', 'action_post', [[found.id]], {}, z.unknown());
      return this.move(found.id);
    });
    this.logger?.info({ correlationId: order.correlationId, invoiceId: inv.id, ref: inv.name }, 'odoo invoice posted');
    return { ...state, invoice: this.invoiceDoc(inv, exp) };
  }

  /**
   * The captured payment, and one per gift card / store credit, registered on the invoice (partial payments add up);
   * each tender keyed by its `ref` and registered only when Odoo has none with that key and the invoice is not paid.
   */
  async payment(order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    const invoice = state.invoice;
    if (!invoice?.validated) throw new NeedsHumanError('step_order', `Order #${order.number} has no posted Odoo invoice to pay yet.`, { step: 'payment' });
    const tenders = [
      { num: order.payment.transactionId || `WC-${order.number}`, amount: order.payment.amount, mode: order.payment.erpMode, what: order.payment.title || order.payment.method },
      ...order.credits.map((c) => ({ num: `${c.kind}-${c.code}`, amount: c.amount, mode: c.erpMode, what: c.kind })),
    ].filter((t) => t.amount > 0);
    for (const t of tenders) {
      const journal = await this.journalFor(order, t.what, t.mode);
      const key = `${orderKey(order)}/P${t.num}`;
      await this.client.withWriteSlot(async () => {
        if (settled(await this.move(Number(invoice.id)))) return;
        if ((await this.paymentsOf(order)).some((p) => p.ref === key)) return;
        await this.register(Number(invoice.id), t.amount, order, key, order.payment.paidAt ?? undefined, journal);
      });
    }
    this.logger?.info({ correlationId: order.correlationId, invoice: invoice.ref }, 'odoo payments registered');
    return this.findState(order, state);
  }

  /** One posted credit note per wanted refund key, linked to the invoice, with the refund's lines, checked to the cent. */
  async creditNotes(order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    const invoice = state.invoice;
    if (!invoice?.validated) throw new NeedsHumanError('step_order', `Order #${order.number} has no posted Odoo invoice to credit yet.`, { step: 'credit_note' });
    const have = new Set((state.creditNotes ?? []).filter((c) => c.validated).map((c) => c.refundKey));
    const specs = creditNoteSpecs(order, wantedCreditNotes(order, state).filter((k) => !have.has(k)), invoice.total);
    if (specs.length === 0) return state;
    const needs = creditNoteNeeds(order, specs, this.cfg);
    const [facts, productIds, taxIds] = await Promise.all([this.lookups.companyFacts(), this.lookups.productIds(needs.refs), this.lookups.taxIds(needs.taxes, order.number)]);
    const exp = currencyExponent(order.currency);
    for (const spec of specs) {
      const lines = creditNoteLineValues(order, spec, { ...this.cfg, productIds, taxIds, priceDigits: facts.priceDigits });
      await this.client.withWriteSlot(async () => {
        const moves = await this.movesOf(state.salesOrder?.ref ?? '');
        const existing = moves.find((m) => m.move_type === 'out_refund' && m.state !== 'cancel' && m.reversed_entry_id !== false && m.reversed_entry_id[0] === Number(invoice.id) && this.noteKey(order, m) === spec.key);
        if (existing?.state === 'posted') return;
        const id = existing?.id ?? await this.reverse(Number(invoice.id), `${spec.label} [${orderKey(order)}/R${spec.key}]`);
        const old = await this.client.call('account.move.line', 'search', [[['move_id', '=', id], ['display_type', '=', 'product']]], {}, z.array(CreatedId));
        await this.client.call('account.move', 'write', [[id], { invoice_line_ids: [...old.map((l) => [2, l]), ...lines.map((v) => [0, 0, v])] }], {}, z.unknown());
        const note = await this.move(id);
        const total = Math.round(note.amount_total * 10 ** exp);
        if (total !== spec.amount) {
          throw new NeedsHumanError('totals_mismatch',
            `Odoo's credit note ${note.name} for ${spec.label} totals ${note.amount_total.toFixed(exp)} ${order.currency}, ${minorText(BigInt(spec.amount), exp)} was refunded; it is left as a draft.`,
            { refund: spec.key, expected: spec.amount, got: total, currency: order.currency });
        }
        await this.client.call('account.move', 'action_post', [[id]], {}, z.unknown());
      });
      this.logger?.info({ correlationId: order.correlationId, refund: spec.key }, 'odoo credit note posted');
    }
    return this.findState(order, state);
  }

  /** Each refund's credit note settled by the money paid back; refunds absorbed by a cancellation paid back against its note. */
  async refundPayments(order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    const wanted = new Set(refundedCreditNotes(order, state));
    for (const note of (state.creditNotes ?? []).filter((c) => wanted.has(c.refundKey) && c.validated && !c.paid)) {
      const refund = order.refunds.find((r) => String(r.wcRefundId) === note.refundKey);
      const journal = await this.journalFor(order, order.payment.title || order.payment.method, order.payment.erpMode);
      await this.payBack(order, note.id, `${orderKey(order)}/R${note.refundKey}`, refund?.createdAt, journal, (remaining) => remaining);
    }
    const cancel = (state.creditNotes ?? []).find((c) => c.refundKey === CANCEL_KEY);
    const last = absorbedRefunds(order, state).at(-1);
    if (cancel && last && cancelNoteOwed(order, state) > 0) {
      const journal = await this.journalFor(order, order.payment.title || order.payment.method, order.payment.erpMode);
      await this.payBack(order, cancel.id, `${orderKey(order)}/R${last.wcRefundId}`, last.createdAt, journal, (remaining) => {
        const fresh: ErpCreditNote = { ...cancel, remaining };
        return cancelNoteOwed(order, { ...state, creditNotes: (state.creditNotes ?? []).map((c) => (c.refundKey === CANCEL_KEY ? fresh : c)) });
      });
    }
    return this.findState(order, state);
  }

  /** Withdraws the sales order: `action_cancel` (its deliveries cancelled, the reservation released; draft invoices cancelled). */
  async cancelOrder(order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    const so = state.salesOrder;
    if (!so) return state;
    await this.client.withWriteSlot(async () => {
      try {
        await this.client.call('sale.order', 'action_cancel', [[Number(so.id)]], { context: { disable_cancel_warning: true } }, z.unknown());
      } catch (e) {
        const now = await this.client.call('sale.order', 'search_read', [[['id', '=', Number(so.id)]]], { fields: ['state'] }, z.array(z.object({ state: z.string() })));
        if (now[0]?.state !== 'cancel') throw e;
      }
    });
    this.logger?.info({ correlationId: order.correlationId, orderId: so.id, ref: so.ref }, 'odoo sales order cancelled (reservation released)');
    return { ...state, salesOrder: { ...so, validated: false, cancelled: true } };
  }

  /** Money paid back on a credit note, re-read in the write slot: `amount(remaining)` minor units, none when 0 or already keyed. */
  private async payBack(order: Order, noteId: string, key: string, at: string | undefined, journal: number, amount: (remaining: number) => number): Promise<void> {
    const exp = currencyExponent(order.currency);
    await this.client.withWriteSlot(async () => {
      const note = await this.move(Number(noteId));
      const owed = amount(settled(note) ? 0 : Math.round(note.amount_residual * 10 ** exp));
      if (owed <= 0) return;
      if ((await this.paymentsOf(order)).some((p) => p.ref === key)) return;
      await this.register(note.id, owed, order, key, at, journal);
    });
    this.logger?.info({ correlationId: order.correlationId, creditNote: noteId, key }, 'odoo money paid back on a credit note');
  }

  /** `account.payment.register` on one invoice or credit note: `minor` units (less than what is due: a partial payment). */
  private async register(moveId: number, minor: number, order: Order, key: string, at: string | undefined, journal: number): Promise<void> {
    const exp = currencyExponent(order.currency);
    const context = { active_model: 'account.move', active_ids: [moveId] };
    const values = { amount: Number(minorText(BigInt(minor), exp)), communication: key, journal_id: journal, ...(at ? { payment_date: at.slice(0, 10) } : {}) };
    const wizard = await this.client.call('account.payment.register', 'create', [values], { context }, CreatedId);
    await this.creating(`the payment ${key}`, () => this.client.call('account.payment.register', 'action_create_payments', [[wizard]], { context }, z.unknown()));
  }

  /** `account.move.reversal` → `refund_moves` on the posted invoice: a draft credit note linked by `reversed_entry_id`. */
  private async reverse(invoiceId: number, reason: string): Promise<number> {
    const context = { active_model: 'account.move', active_ids: [invoiceId] };
    // The wizard's journal is required over RPC (no onchange fills it): the invoice's own.
    const [inv] = await this.client.call('account.move', 'search_read', [[['id', '=', invoiceId]]], { fields: ['journal_id'] }, z.array(z.object({ journal_id: Many2one })));
    const journal = inv?.journal_id === undefined || inv.journal_id === false ? {} : { journal_id: inv.journal_id[0] };
    const wizard = await this.client.call('account.move.reversal', 'create', [{ reason, ...journal }], { context }, CreatedId);
    const action = await this.creating(`a credit note (${reason})`, () => this.client.call('account.move.reversal', 'refund_moves', [[wizard]], { context }, ActionResId));
    return action.res_id;
  }

  /**
   * A create whose answer was lost may still commit in Odoo: the retry waits out the commit grace before it looks
   * for the document by its key again (as for sales orders), so it does not make a second one.
   */
  private async creating<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const t0 = Date.now();
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof WriteOutcomeUnknownError)) throw e;
      throw new RetryableError('erp_outcome_unknown', `${e.message}; Odoo may still create ${what}, looking again after ${this.cfg.commitGraceMs} ms`,
        { retryAfterMs: Math.max(0, this.cfg.commitGraceMs - (Date.now() - t0)) });
    }
  }

  /**
   * The payment journal: the mapping's mode is an Odoo journal code (`BNK1`, `CSH1`, …) of a bank or cash journal;
   * an unmapped payment method is needs-human, as for Dolibarr.
   */
  private async journalFor(order: Order, what: string, code: string | undefined): Promise<number> {
    if (!code) {
      throw new NeedsHumanError('unmapped_payment_method', `Payment method "${what}" of order #${order.number} has no ERP payment mode: map it in Syncline → Mappings → Payment methods to an Odoo journal code (e.g. BNK1), then retry.`,
        { payment_method: what });
    }
    this.journals ??= this.client.call('account.journal', 'search_read', [[['type', 'in', ['bank', 'cash']]]], { fields: ['code', 'type'], order: 'sequence asc, id asc' }, z.array(JournalRow));
    const list = await this.journals.catch((e: unknown) => { this.journals = undefined; throw e; });
    const hit = list.find((j) => j.code.toUpperCase() === code.toUpperCase());
    if (!hit) {
      throw new NeedsHumanError('unmapped_payment_method', `Odoo has no bank or cash journal with code "${code}" (mapped from ${what}); use one of ${list.map((j) => j.code).join(', ')}.`,
        { payment_method: what, mode: code });
    }
    return hit.id;
  }

  /** Customer invoices and credit notes Odoo made from the sales order (their `invoice_origin`). */
  private movesOf(soName: string): Promise<MoveRow[]> {
    return this.client.call('account.move', 'search_read', [[['invoice_origin', '=', soName], ['move_type', 'in', ['out_invoice', 'out_refund']]]],
      { fields: MOVE_FIELDS, order: 'id asc' }, z.array(MoveRow));
  }

  private async move(id: number): Promise<MoveRow> {
    const [m] = await this.client.call('account.move', 'search_read', [[['id', '=', id]]], { fields: MOVE_FIELDS }, z.array(MoveRow));
    if (!m) throw new RetryableError('erp_not_visible', `Odoo journal entry ${id} is gone; looking again`);
    return m;
  }

  private paymentsOf(order: Order): Promise<Array<z.infer<typeof PaymentRow>>> {
    return this.client.call('account.payment', 'search_read', [[['ref', '=like', `${orderKey(order)}/%`], ['state', '=', 'posted']]],
      { fields: ['name', 'amount', 'payment_type', 'ref', 'state'], order: 'id asc' }, z.array(PaymentRow));
  }

  /** The order's invoice: the posted one (two posted ones are needs-human), else a draft. */
  private pickInvoice(order: Order, moves: readonly MoveRow[]): MoveRow | undefined {
    const invoices = moves.filter((m) => m.move_type === 'out_invoice' && m.state !== 'cancel');
    const posted = invoices.filter((m) => m.state === 'posted');
    if (posted.length > 1) {
      throw new NeedsHumanError('erp_duplicate', `Odoo holds ${posted.length} posted invoices for WooCommerce order #${order.number} (${posted.map((m) => m.name).join(', ')}); reverse the extra one there, then retry.`,
        { invoices: posted.map((m) => m.name) });
    }
    return posted[0] ?? invoices[0];
  }

  /** The refund key in a credit note's `ref` (`…[syncline:<id>/R<key>]`), or undefined when it is not one of ours. */
  private noteKey(order: Order, m: MoveRow): string | undefined {
    const marker = `[${orderKey(order)}/R`;
    const at = m.ref.lastIndexOf(marker);
    if (at < 0) return undefined;
    const rest = m.ref.slice(at + marker.length);
    const end = rest.indexOf(']');
    return end < 0 ? undefined : rest.slice(0, end);
  }

  private url(model: string, id: number): string {
    return `${this.client.webRoot}/web#id=${id}&model=${model}&view_type=form`;
  }

  private invoiceDoc(m: MoveRow, exp: number): ErpInvoice {
    const total = Math.round(m.amount_total * 10 ** exp);
    const paid = settled(m);
    return { type: 'invoice', id: String(m.id), ref: m.name, url: this.url('account.move', m.id), validated: m.state === 'posted', total, remaining: paid ? 0 : Math.round(m.amount_residual * 10 ** exp), paid };
  }

  private creditNoteDoc(m: MoveRow, exp: number, refundKey: string): ErpCreditNote {
    const doc = this.invoiceDoc(m, exp);
    return { ...doc, type: 'credit_note', refundKey, sourceInvoiceId: m.reversed_entry_id === false ? '' : String(m.reversed_entry_id[0]) };
  }
}
