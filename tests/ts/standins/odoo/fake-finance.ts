/**
 * The Odoo stand-in's accounting (tests only): customer invoices made from a confirmed sales order by the
 * `sale.advance.payment.inv` wizard, `action_post`, credit notes by the `account.move.reversal` wizard
 * (`refund_moves`: a draft `out_refund` linked by `reversed_entry_id`, its `ref` "Reversal of: <name>, <reason>"),
 * `account.payment.register` (partial or full, `communication` → the payment's `ref`), line edits through
 * `invoice_line_ids` commands, and what they answer on the real Odoo 17 (checked by the contract suite): wizards answer
 * window actions, `action_post` answers false, and posting a credit note reconciles it with what is still open on the
 * invoice it reverses (Odoo's `_reconcile_reversed_moves`). Amounts are rounded per line half-up, as Odoo does by default.
 */
import { OdooFault, type Store } from './fake-store.js';
import { isM2O, m2o, type Rec, type Value } from './fake-domain.js';

export const FINANCE_FIELDS: Record<string, string[]> = {
  'account.journal': ['name', 'code', 'type', 'sequence', 'active'],
  'account.move': ['name', 'journal_id', 'move_type', 'state', 'partner_id', 'invoice_origin', 'ref', 'reversed_entry_id', 'invoice_date', 'amount_untaxed', 'amount_tax', 'amount_total',
    'amount_residual', 'payment_state', 'invoice_line_ids', 'write_date'],
  'account.move.line': ['move_id', 'product_id', 'name', 'quantity', 'price_unit', 'tax_ids', 'display_type', 'write_date'],
  'account.payment': ['name', 'amount', 'payment_type', 'ref', 'state', 'journal_id', 'partner_id', 'date', 'write_date'],
  'sale.advance.payment.inv': ['advance_payment_method'],
  'account.move.reversal': ['reason', 'date', 'journal_id'],
  'account.payment.register': ['amount', 'communication', 'journal_id', 'payment_date'],
};
export const FINANCE_COMPUTED = ['amount_untaxed', 'amount_tax', 'amount_total', 'amount_residual', 'payment_state'];

type Handler = (store: Store, args: Value[], kwargs: Record<string, Value>) => Value;

const round2 = (x: number): number => Math.sign(x) * Math.round(Math.abs(x) * 100 + 1e-7) / 100;
const year = '2026';
const action = (model: string, id: number): Record<string, Value> => ({ type: 'ir.actions.act_window', res_model: model, res_id: id, view_mode: 'form', context: {} });
const activeIds = (kwargs: Record<string, Value>): number[] => ((kwargs.context ?? {}) as Record<string, Value>).active_ids as number[] ?? [];
const linesOf = (store: Store, move: Rec): Rec[] => (move.invoice_line_ids as number[]).map((id) => store.get('account.move.line', id));

/** `amount_*`, `amount_residual` and `payment_state` of a move (what was paid is kept in `_paid`). */
export function moveAmounts(store: Store, move: Rec): Record<string, Value> {
  const sums = linesOf(store, move).map((l) => store.lineAmounts({ price_unit: l.price_unit, product_uom_qty: l.quantity, tax_id: l.tax_ids }))
    .reduce((s, a) => ({ subtotal: s.subtotal + a.subtotal, tax: s.tax + a.tax }), { subtotal: 0, tax: 0 });
  const total = round2(sums.subtotal + sums.tax);
  const paid = Number(move._paid ?? 0);
  const residual = move.state === 'posted' ? round2(total - paid) : total;
  const state = move.state !== 'posted' ? 'not_paid' : residual <= 0 ? 'paid' : paid > 0 ? 'partial' : 'not_paid';
  return { amount_untaxed: round2(sums.subtotal), amount_tax: round2(sums.tax), amount_total: total, amount_residual: residual, payment_state: state };
}

function addLine(store: Store, moveId: number, v: Record<string, Value>): number {
  const product = typeof v.product_id === 'number' ? store.get('product.product', v.product_id) : undefined;
  return store.insert('account.move.line', {
    move_id: m2o('account.move', moveId), product_id: product ? m2o('product.product', product.id) : false, name: v.name ?? (product ? store.displayName('product.product', product.id) : false),
    quantity: Number(v.quantity ?? 1), price_unit: round2(Number(v.price_unit ?? product?.list_price ?? 0)), tax_ids: commandIds(v.tax_ids), display_type: 'product',
  });
}

/** Lines of a sales order or an invoice copied onto move `moveId` (their quantity and tax fields named as on the source). */
function copyLines(store: Store, moveId: number, from: readonly Rec[], qty: string, taxes: string): number[] {
  return from.map((l) => addLine(store, moveId, {
    product_id: isM2O(l.product_id) ? l.product_id.m2o[1] : undefined, name: l.name, quantity: l[qty], price_unit: l.price_unit, tax_ids: [[6, 0, l[taxes]]],
  }));
}

function commandIds(v: Value): number[] {
  if (!Array.isArray(v)) return [];
  const c = v.find((x) => Array.isArray(x) && x[0] === 6) as [number, number, number[]] | undefined;
  return c ? [...c[2]] : [];
}

/** Draft invoices of a sales order are cancelled with it (Odoo's `_action_cancel`). */
export function cancelDraftInvoices(store: Store, origin: string): void {
  for (const m of store.table('account.move').values()) if (m.invoice_origin === origin && m.state === 'draft') store.touch(m, { state: 'cancel' });
}

const sequences = new WeakMap<Store, Map<string, number>>();
function nextName(store: Store, prefix: string): string {
  const numbers = sequences.get(store) ?? new Map<string, number>();
  sequences.set(store, numbers);
  const n = (numbers.get(prefix) ?? 0) + 1;
  numbers.set(prefix, n);
  return `${prefix}/${year}/${String(n).padStart(5, '0')}`;
}

/** The generic chart's journals (called once by the stand-in's constructor). */
export function seedJournals(store: Store): void {
  for (const [name, code, type, sequence] of [['Customer Invoices', 'INV', 'sale', 5], ['Bank', 'BNK1', 'bank', 10], ['Cash', 'CSH1', 'cash', 10]] as const) {
    store.insert('account.journal', { name, code, type, sequence, active: true });
  }
}

function wizard(store: Store, model: string, args: Value[], kwargs: Record<string, Value>): number {
  const values = (args[0] ?? {}) as Record<string, Value>;
  for (const f of Object.keys(values)) if (!(FINANCE_FIELDS[model] ?? []).includes(f)) throw new OdooFault('builtins.ValueError', `Invalid field '${f}' on model '${model}'`);
  return store.insert(model, { ...values, _active: activeIds(kwargs) });
}

export const FINANCE_METHODS: Record<string, Handler> = {
  'sale.advance.payment.inv.create': (store, args, kwargs) => wizard(store, 'sale.advance.payment.inv', args, kwargs),
  'sale.advance.payment.inv.create_invoices'(store, args) {
    const w = store.get('sale.advance.payment.inv', (args[0] as number[])[0] ?? 0);
    let last = 0;
    for (const soId of w._active as number[]) {
      const so = store.get('sale.order', soId);
      const invoiced = [...store.table('account.move').values()].some((m) => m.invoice_origin === so.name && m.move_type === 'out_invoice' && m.state !== 'cancel');
      if (so.state !== 'sale' || invoiced) {
        throw new OdooFault('odoo.exceptions.UserError', 'There is no invoiceable line. If a product has a Delivered quantities invoicing policy, please make sure that a quantity has been delivered.');
      }
      last = store.insert('account.move', {
        name: nextName(store, 'INV'), move_type: 'out_invoice', state: 'draft', journal_id: m2o('account.journal', 1), partner_id: so.partner_id, invoice_origin: so.name, ref: so.client_order_ref ?? false,
        reversed_entry_id: false, invoice_date: false, invoice_line_ids: [], _paid: 0,
      });
      const move = store.get('account.move', last);
      move.invoice_line_ids = copyLines(store, last, (so.order_line as number[]).map((id) => store.get('sale.order.line', id)), 'product_uom_qty', 'tax_id');
    }
    return action('account.move', last);
  },
  'account.move.action_post'(store, args) {
    for (const id of args[0] as number[]) {
      const m = store.get('account.move', id);
      if (m.state !== 'draft') throw new OdooFault('odoo.exceptions.UserError', 'The entry is not in draft.');
      store.touch(m, { state: 'posted', invoice_date: '2026-11-30' });
      // Odoo's _post reconciles a reversal with what is still open on the entry it reverses.
      const source = isM2O(m.reversed_entry_id) ? store.get('account.move', m.reversed_entry_id.m2o[1]) : undefined;
      if (source?.state === 'posted') {
        const offset = Math.min(Number(moveAmounts(store, m).amount_residual), Number(moveAmounts(store, source).amount_residual));
        if (offset > 0) for (const x of [m, source]) store.touch(x, { _paid: round2(Number(x._paid ?? 0) + offset) });
      }
    }
    return false;
  },
  'account.move.write'(store, args) {
    const [ids, values] = args as [number[], Record<string, Value>];
    for (const id of ids) {
      const m = store.get('account.move', id);
      const { invoice_line_ids: commands, ...rest } = values;
      for (const f of Object.keys(rest)) if (!(FINANCE_FIELDS['account.move'] ?? []).includes(f) || FINANCE_COMPUTED.includes(f)) throw new OdooFault('builtins.ValueError', `Invalid field '${f}' on model 'account.move'`);
      if (Array.isArray(commands)) {
        if (m.state !== 'draft') throw new OdooFault('odoo.exceptions.UserError', 'You cannot modify a posted entry of this journal.');
        let lines = [...(m.invoice_line_ids as number[])];
        for (const c of commands as Array<[number, number, Record<string, Value>?]>) {
          if (c[0] === 2) { lines = lines.filter((l) => l !== c[1]); store.table('account.move.line').delete(c[1]); }
          if (c[0] === 0) lines.push(addLine(store, id, c[2] ?? {}));
        }
        m.invoice_line_ids = lines;
      }
      store.touch(m, rest);
    }
    return true;
  },
  'account.move.reversal.create'(store, args, kwargs) {
    for (const id of activeIds(kwargs)) if (store.get('account.move', id).state !== 'posted') throw new OdooFault('odoo.exceptions.UserError', 'You can only reverse posted moves.');
    if (typeof ((args[0] ?? {}) as Record<string, Value>).journal_id !== 'number') {
      throw new OdooFault('odoo.exceptions.ValidationError', 'The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: Account Move Reversal (account.move.reversal)\nField: Journal (journal_id)\n');
    }
    return wizard(store, 'account.move.reversal', args, kwargs);
  },
  'account.move.reversal.refund_moves'(store, args) {
    const w = store.get('account.move.reversal', (args[0] as number[])[0] ?? 0);
    let last = 0;
    for (const id of w._active as number[]) {
      const inv = store.get('account.move', id);
      const reason = typeof w.reason === 'string' && w.reason !== '' ? `, ${w.reason}` : '';
      last = store.insert('account.move', {
        name: nextName(store, 'RINV'), move_type: 'out_refund', state: 'draft', journal_id: inv.journal_id, partner_id: inv.partner_id, invoice_origin: inv.invoice_origin, ref: `Reversal of: ${String(inv.name)}${reason}`,
        reversed_entry_id: m2o('account.move', id), invoice_date: false, invoice_line_ids: [], _paid: 0,
      });
      store.get('account.move', last).invoice_line_ids = copyLines(store, last, linesOf(store, inv), 'quantity', 'tax_ids');
    }
    return { ...action('account.move', last), name: 'Reverse Moves', context: { default_move_type: 'out_refund' } };
  },
  'account.payment.register.create'(store, args, kwargs) {
    for (const id of activeIds(kwargs)) {
      const m = store.get('account.move', id);
      if (m.state !== 'posted') throw new OdooFault('odoo.exceptions.UserError', 'You can only register payment for posted journal entries.');
    }
    return wizard(store, 'account.payment.register', args, kwargs);
  },
  'account.payment.register.action_create_payments'(store, args) {
    const w = store.get('account.payment.register', (args[0] as number[])[0] ?? 0);
    let last = 0;
    for (const id of w._active as number[]) {
      const m = store.get('account.move', id);
      const due = Number(moveAmounts(store, m).amount_residual);
      if (due <= 0) throw new OdooFault('odoo.exceptions.UserError', 'You can\'t register a payment because there is nothing left to pay on the selected journal items.');
      const amount = w.amount === undefined ? due : round2(Number(w.amount));
      const journal = typeof w.journal_id === 'number' ? w.journal_id : 2;
      const code = String(store.get('account.journal', journal).code);
      last = store.insert('account.payment', {
        name: nextName(store, `P${code}`), amount, payment_type: m.move_type === 'out_refund' ? 'outbound' : 'inbound', ref: w.communication ?? m.name, state: 'posted',
        journal_id: m2o('account.journal', journal), partner_id: m.partner_id, date: w.payment_date ?? '2026-11-30',
      });
      store.touch(m, { _paid: round2(Number(m._paid ?? 0) + Math.min(amount, due)) });
    }
    return action('account.payment', last);
  },
};
