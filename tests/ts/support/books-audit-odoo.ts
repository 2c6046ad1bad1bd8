/**
 * The books audit's reader for Odoo 17 (issue 11): what a real Odoo holds, in the shape the auditor compares
 * (tests/ts/support/books-audit.ts, `ErpBooks`), so the same findings (mismatched, duplicates, cents off, unposted,
 * unlinked credit notes) come out for either ERP. Everything is read over JSON-RPC (`search_read`), nothing from the
 * engine's bookkeeping:
 * - sales orders: `sale.order` whose `origin` is Syncline's site-unique key `syncline:<correlation id>`
 *   (src/erp/odoo/binder.ts); state draft/sent → 0, sale/done → 1 (validated), cancel → -1;
 * - invoices and credit notes: `account.move` out_invoice / out_refund; linked to their sales order by
 *   `invoice_origin` (the order's name, which Odoo copies onto both), a credit note to its invoice by
 *   `reversed_entry_id`; state draft → 0, posted → 1, cancel → 3; a credit note's total and what remains on it are
 *   negative (money owed to the customer), as in Dolibarr; a credit note's external reference is the refund key
 *   Syncline writes into its `ref` (`…[syncline:<id>/R<key>]`), so two notes for one refund show as a duplicate;
 * - payments: posted `account.payment` whose `ref` is `syncline:<correlation id>/P…` (money in: on the order's
 *   invoice) or `/R<key>` (money out: on the credit note of that refund, else the order's first one, negative).
 *   Payments no document of their order can take are returned apart (`strayPayments`).
 */
import { z } from 'zod';
import { toMinor } from '../../../src/engine/mapping/decimal.js';
import type { ErpBooks, ErpInvoice, ErpLink } from './books-audit.js';

const KEY = 'syncline:';
/** Odoo's `false` for an empty char field. */
const Char = z.union([z.string(), z.literal(false)]).transform((v) => (v === false ? '' : v));
const Many2one = z.union([z.tuple([z.number(), z.string()]), z.literal(false)]);
const SaleOrderRow = z.object({ id: z.number().int(), name: z.string(), state: z.string(), origin: Char, amount_total: z.number() });
const MoveRow = z.object({
  id: z.number().int(), name: Char, move_type: z.enum(['out_invoice', 'out_refund']), state: z.string(), amount_total: z.number(), amount_residual: z.number(),
  reversed_entry_id: Many2one, ref: Char, invoice_origin: Char,
});
const PaymentRow = z.object({ id: z.number().int(), amount: z.number(), payment_type: z.enum(['inbound', 'outbound']), ref: Char, state: z.string() });
export type OdooSaleOrderRow = z.input<typeof SaleOrderRow>;
export type OdooMoveRow = z.input<typeof MoveRow>;
export type OdooPaymentRow = z.input<typeof PaymentRow>;

export const SALE_ORDER_FIELDS = ['name', 'state', 'origin', 'amount_total'];
export const MOVE_FIELDS = ['name', 'move_type', 'state', 'amount_total', 'amount_residual', 'reversed_entry_id', 'ref', 'invoice_origin'];
export const PAYMENT_FIELDS = ['amount', 'payment_type', 'ref', 'state'];

/** Odoo's floats to cents (the audited shops use 2-decimal currencies). */
const cents = (v: number, field: string): number => toMinor(v.toFixed(2), 2, 'round', field);
const SO_STATE: Record<string, number> = { draft: 0, sent: 0, sale: 1, done: 1, cancel: -1 };
const MOVE_STATE: Record<string, number> = { draft: 0, posted: 1, cancel: 3 };

/** `syncline:<id>/R<key>` → `{ correlation: id, tail: 'R<key>' }`; undefined when the text is not one of ours. */
function parseKey(text: string): { correlation: string; tail: string } | undefined {
  if (!text.startsWith(KEY)) return undefined;
  const rest = text.slice(KEY.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? { correlation: rest, tail: '' } : { correlation: rest.slice(0, slash), tail: rest.slice(slash + 1) };
}

/** The refund key marker in a credit note's `ref` (`…[syncline:<id>/R<key>]`) as `<id>/R<key>`, or ''. */
function noteRefExt(ref: string): string {
  const at = ref.lastIndexOf(`[${KEY}`);
  if (at < 0) return '';
  const end = ref.indexOf(']', at);
  const k = parseKey(ref.slice(at + 1, end < 0 ? undefined : end));
  return k && k.tail.startsWith('R') ? `${k.correlation}/${k.tail}` : '';
}

export interface OdooBooks { books: ErpBooks; strayPayments: string[] }

/** Odoo's rows (as `search_read` answers them) → the auditor's books. Pure; tested on recorded shapes. */
export function odooBooks(rows: { saleOrders: unknown[]; moves: unknown[]; payments: unknown[] }): OdooBooks {
  const sos = z.array(SaleOrderRow).parse(rows.saleOrders).filter((s) => s.origin.startsWith(KEY));
  const moves = z.array(MoveRow).parse(rows.moves);
  const payments = z.array(PaymentRow).parse(rows.payments).filter((p) => p.state === 'posted');
  const soByName = new Map(sos.map((s) => [s.name, s]));
  const links: ErpLink[] = [];
  const correlationOf = new Map<number, string>();
  for (const m of moves) {
    for (const name of m.invoice_origin.split(',').map((n) => n.trim()).filter(Boolean)) {
      const so = soByName.get(name);
      if (!so) continue;
      links.push({ sourceType: 'commande', sourceId: so.id, targetType: 'facture', targetId: m.id });
      correlationOf.set(m.id, so.origin.slice(KEY.length));
    }
  }
  const invoices: ErpInvoice[] = moves.map((m) => {
    const signed = (v: number, field: string): number => (m.move_type === 'out_refund' ? -cents(v, field) : cents(v, field)) + 0; // + 0: no -0
    return {
      id: m.id, ref: m.name, ref_ext: m.move_type === 'out_refund' ? noteRefExt(m.ref) : '', type: m.move_type === 'out_refund' ? 2 : 0,
      statut: MOVE_STATE[m.state] ?? 0, fkFactureSource: m.reversed_entry_id === false ? null : m.reversed_entry_id[0],
      total: signed(m.amount_total, `${m.name} amount_total`), paid: 0, remain: signed(m.amount_residual, `${m.name} amount_residual`),
    };
  });
  // Payments onto the documents of their order.
  const strayPayments: string[] = [];
  const posted = (corr: string, type: number): ErpInvoice[] => invoices.filter((i) => i.type === type && i.statut === 1 && correlationOf.get(i.id) === corr);
  for (const p of payments) {
    const k = parseKey(p.ref);
    const amount = cents(p.amount, `payment ${p.id}`);
    if (!k) continue;
    const target = p.payment_type === 'inbound'
      ? posted(k.correlation, 0)[0]
      : (posted(k.correlation, 2).find((n) => n.ref_ext === `${k.correlation}/${k.tail}`) ?? posted(k.correlation, 2)[0]);
    if (!target) {
      strayPayments.push(`${p.payment_type} payment ${p.id} ${p.ref} ${(amount / 100).toFixed(2)}`);
      continue;
    }
    target.paid += p.payment_type === 'inbound' ? amount : -amount;
  }
  return {
    books: {
      orders: sos.map((s) => ({ id: s.id, ref: s.name, ref_ext: s.origin.slice(KEY.length), statut: SO_STATE[s.state] ?? 0, total: cents(s.amount_total, `${s.name} amount_total`) })),
      invoices,
      links,
    },
    strayPayments,
  };
}

/** `execute_kw` on the Odoo to audit (read with no fault injected: call Odoo itself, not the proxy). */
export type OdooCall = (model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>) => Promise<unknown>;

/** Reads everything the audit needs from a real Odoo 17. */
export async function readOdooBooks(call: OdooCall): Promise<OdooBooks> {
  const [saleOrders, moves, payments] = await Promise.all([
    call('sale.order', 'search_read', [[['origin', '=like', `${KEY}%`]]], { fields: SALE_ORDER_FIELDS, order: 'id asc' }),
    call('account.move', 'search_read', [[['move_type', 'in', ['out_invoice', 'out_refund']]]], { fields: MOVE_FIELDS, order: 'id asc' }),
    call('account.payment', 'search_read', [[['ref', '=like', `${KEY}%`]]], { fields: PAYMENT_FIELDS, order: 'id asc' }),
  ]);
  return odooBooks({ saleOrders: z.array(z.unknown()).parse(saleOrders), moves: z.array(z.unknown()).parse(moves), payments: z.array(z.unknown()).parse(payments) });
}
