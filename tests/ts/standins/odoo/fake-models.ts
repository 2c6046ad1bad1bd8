/**
 * The Odoo 17 stand-in's models: what a clean Odoo (60 modules, no demo data, generic chart of accounts, USD)
 * holds, and the methods Syncline's adapter and tests call, with Odoo's own behaviour where the adapter depends on
 * it: `action_confirm` reserves what is free and counts the rest in `outgoing_qty`, amounts are rounded per line
 * half-up, `create` refuses unknown fields, private methods are refused. Checked against the real Odoo by
 * tests/ts/contract/odoo-contract.test.ts. Tests only.
 */
import { cancelPickings, createPicking, PICKING_FIELDS, PICKING_METHODS, seedCarriers } from './fake-pickings.js';
import { cancelDraftInvoices, seedJournals, FINANCE_COMPUTED, FINANCE_FIELDS, FINANCE_METHODS, moveAmounts } from './fake-finance.js';
import { OdooFault, type Store } from './fake-store.js';
import { DomainError, isM2O, m2o, matches, project, sortBy, type Rec, type Value } from './fake-domain.js';

export { OdooFault };

const FIELDS: Record<string, string[]> = {
  'res.partner': ['name', 'email', 'ref', 'street', 'street2', 'city', 'zip', 'phone', 'country_id', 'customer_rank', 'is_company', 'parent_id', 'write_date', 'active'],
  'res.country': ['name', 'code'],
  'res.company': ['name', 'currency_id'],
  'res.currency': ['name'],
  'decimal.precision': ['name', 'digits'],
  'account.tax': ['name', 'amount', 'amount_type', 'type_tax_use', 'price_include', 'company_id', 'sequence', 'active'],
  'product.product': ['name', 'default_code', 'type', 'detailed_type', 'list_price', 'taxes_id', 'write_date', 'active', 'qty_available', 'free_qty', 'virtual_available', 'outgoing_qty', 'incoming_qty'],
  'stock.warehouse': ['name', 'code', 'lot_stock_id'],
  'stock.location': ['name', 'complete_name', 'usage'],
  'stock.quant': ['product_id', 'location_id', 'quantity', 'reserved_quantity', 'inventory_quantity', 'write_date'],
  'stock.move': ['product_id', 'product_uom_qty', 'quantity', 'state', 'location_id', 'origin', 'write_date', 'sale_line_id', 'picking_id'],
  'sale.order': ['name', 'state', 'partner_id', 'client_order_ref', 'origin', 'date_order', 'order_line', 'amount_untaxed', 'amount_tax', 'amount_total', 'write_date'],
  ...FINANCE_FIELDS,
  ...PICKING_FIELDS,
  'sale.order.line': ['order_id', 'product_id', 'product_uom_qty', 'price_unit', 'tax_id', 'name', 'price_subtotal', 'price_tax', 'price_total'],
};
const COMPUTED = new Set([...FINANCE_COMPUTED, 'qty_available', 'free_qty', 'virtual_available', 'outgoing_qty', 'incoming_qty', 'amount_untaxed', 'amount_tax', 'amount_total', 'price_subtotal', 'price_tax', 'price_total', 'write_date', 'detailed_type']);
const READS = new Set(['search_read', 'search', 'search_count', 'read']);

const round = (x: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.sign(x) * Math.round(Math.abs(x) * f + 1e-7) / f;
};

export class FakeOdooModels implements Store {
  private readonly tables = new Map<string, Map<number, Rec>>();
  private readonly seq = new Map<string, number>();
  /** `write_date` clock: the real UTC time, strictly increasing by at least a second per write (readers use windows by time). */
  private clock = Date.now() - 3_600_000;
  private soNumber = 0;
  /** `execute_kw` calls in order (model.method), for tests. */
  readonly calls: string[] = [];

  constructor() {
    this.insert('res.currency', { name: 'USD' });
    this.insert('res.company', { name: 'My Company', currency_id: m2o('res.currency', 1) });
    this.insert('decimal.precision', { name: 'Product Price', digits: 2 });
    for (const [code, name] of [['US', 'United States'], ['FR', 'France'], ['DE', 'Germany'], ['GB', 'United Kingdom']] as const) this.insert('res.country', { name, code });
    this.insert('account.tax', { name: '15%', amount: 15, amount_type: 'percent', type_tax_use: 'sale', price_include: false, company_id: m2o('res.company', 1), sequence: 1, active: true });
    this.insert('account.tax', { name: '15%', amount: 15, amount_type: 'percent', type_tax_use: 'purchase', price_include: false, company_id: m2o('res.company', 1), sequence: 1, active: true });
    for (let i = 0; i < 7; i++) this.insert('stock.location', { name: `L${i}`, complete_name: `Virtual/L${i}`, usage: 'view' });
    this.insert('stock.location', { name: 'Stock', complete_name: 'WH/Stock', usage: 'internal' }); // id 8, as on the real one
    this.insert('stock.location', { name: 'Customers', complete_name: 'Partners/Customers', usage: 'customer' });
    this.insert('stock.warehouse', { name: 'My Company', code: 'WH', lot_stock_id: m2o('stock.location', 8) });
    this.insert('product.product', { name: 'Standard delivery', default_code: 'Delivery_007', type: 'service', list_price: 0, taxes_id: [], active: true });
    seedJournals(this);
    seedCarriers(this);
  }

  table(model: string): Map<number, Rec> {
    if (!FIELDS[model]) throw new OdooFault('builtins.KeyError', model);
    let t = this.tables.get(model);
    if (!t) { t = new Map(); this.tables.set(model, t); }
    return t;
  }

  private now(): string {
    this.clock = Math.max(this.clock + 1000, Date.now());
    return new Date(this.clock).toISOString().slice(0, 19).replace('T', ' ');
  }

  insert(model: string, values: Record<string, Value>): number {
    const id = (this.seq.get(model) ?? 0) + 1;
    this.seq.set(model, id);
    this.table(model).set(id, { ...values, id, write_date: this.now() });
    return id;
  }

  touch(rec: Rec, values: Record<string, Value>): void {
    Object.assign(rec, values, { write_date: this.now() });
  }

  get(model: string, id: number): Rec {
    const r = this.table(model).get(id);
    if (!r) throw new OdooFault('odoo.exceptions.MissingError', `Record does not exist or has been deleted.\n(Record: ${model}(${id},), User: 2)`);
    return r;
  }

  displayName = (model: string, id: number): string => {
    const r = this.table(model).get(id);
    if (!r) return '';
    if (model === 'stock.location') return String(r.complete_name);
    if (model === 'product.product' && r.default_code) return `[${String(r.default_code)}] ${String(r.name)}`;
    return String(r.name ?? '');
  };

  private checkFields(model: string, values: Record<string, Value>): void {
    for (const f of Object.keys(values)) {
      if (!(FIELDS[model] ?? []).includes(f) || COMPUTED.has(f)) throw new OdooFault('builtins.ValueError', `Invalid field '${f}' on model '${model}'`);
    }
  }

  /** Product quantities over one location set (the warehouse's stock location, or all internal ones). */
  private productQty(id: number, locations: ReadonlySet<number>): Record<string, number> {
    const quants = [...this.table('stock.quant').values()].filter((q) => isM2O(q.product_id) && q.product_id.m2o[1] === id && isM2O(q.location_id) && locations.has(q.location_id.m2o[1]));
    const qty = quants.reduce((s, q) => s + Number(q.quantity), 0);
    const reserved = quants.reduce((s, q) => s + Number(q.reserved_quantity), 0);
    const outgoing = [...this.table('stock.move').values()]
      .filter((m) => isM2O(m.product_id) && m.product_id.m2o[1] === id && !['done', 'cancel'].includes(String(m.state)))
      .reduce((s, m) => s + Number(m.product_uom_qty), 0);
    return { qty_available: qty, free_qty: qty - reserved, outgoing_qty: outgoing, incoming_qty: 0, virtual_available: qty - outgoing };
  }

  private locationsFor(context: Record<string, Value>): Set<number> {
    const wh = typeof context.warehouse === 'number' ? this.table('stock.warehouse').get(context.warehouse) : undefined;
    if (wh && isM2O(wh.lot_stock_id)) return new Set([wh.lot_stock_id.m2o[1]]);
    return new Set([...this.table('stock.location').values()].filter((l) => l.usage === 'internal').map((l) => l.id));
  }

  private computed(model: string, rec: Rec, context: Record<string, Value>): Rec {
    if (model === 'product.product') return { ...rec, detailed_type: rec.type, ...this.productQty(rec.id, this.locationsFor(context)) };
    if (model === 'sale.order') return { ...rec, ...this.orderAmounts(rec) };
    if (model === 'account.move') return { ...rec, ...moveAmounts(this, rec) };
    return rec;
  }

  lineAmounts(line: Record<string, Value>): { subtotal: number; tax: number } {
    const amount = round(Number(line.price_unit) * Number(line.product_uom_qty));
    const taxes = (line.tax_id as number[]).map((t) => this.get('account.tax', t));
    const included = taxes.filter((t) => t.price_include === true).reduce((s, t) => s + Number(t.amount), 0);
    const base = included > 0 ? amount / (1 + included / 100) : amount;
    const tax = taxes.reduce((s, t) => s + round((base * Number(t.amount)) / 100), 0);
    return { subtotal: included > 0 ? round(amount - tax) : amount, tax: round(tax) };
  }

  private orderAmounts(so: Rec): Record<string, number> {
    const lines = (so.order_line as number[]).map((id) => this.get('sale.order.line', id));
    const sums = lines.map((l) => this.lineAmounts(l)).reduce((s, a) => ({ subtotal: s.subtotal + a.subtotal, tax: s.tax + a.tax }), { subtotal: 0, tax: 0 });
    return { amount_untaxed: round(sums.subtotal), amount_tax: round(sums.tax), amount_total: round(sums.subtotal + sums.tax) };
  }

  /** `execute_kw`; `undefined` = Odoo returned None (no `result` key). */
  execute(model: string, method: string, args: Value[], kwargs: Record<string, Value>): Value {
    this.calls.push(`${model}.${method}`);
    if (method.startsWith('_')) throw new OdooFault('odoo.exceptions.AccessError', `Private methods (such as ${method}) cannot be called remotely.`);
    const t = this.table(model);
    const context = (kwargs.context ?? {}) as Record<string, Value>;
    if (READS.has(method)) {
      const domain = method === 'read' ? [['id', 'in', args[0]]] : (args[0] ?? []) as Value[];
      const known = new Set(['id', ...(FIELDS[model] ?? [])]);
      let recs: Rec[];
      try {
        recs = [...t.values()].filter((r) => (context.active_test === false || r.active !== false) && matches(this.computed(model, r, context), domain as Value[], (m, id) => this.table(m).get(id), known));
      } catch (e) {
        if (e instanceof DomainError) throw new OdooFault('builtins.ValueError', e.message);
        throw e;
      }
      recs = sortBy(recs.map((r) => this.computed(model, r, context)), kwargs.order as string | undefined);
      const offset = Number(kwargs.offset ?? 0);
      recs = recs.slice(offset, kwargs.limit ? offset + Number(kwargs.limit) : undefined);
      if (method === 'search') return recs.map((r) => r.id);
      if (method === 'search_count') return recs.length;
      const fields = (method === 'read' ? args[1] ?? kwargs.fields : kwargs.fields) as string[] | undefined;
      for (const f of fields ?? []) if (f !== 'id' && !(FIELDS[model] ?? []).includes(f)) throw new OdooFault('builtins.ValueError', `Invalid field '${f}' on model '${model}'`);
      return recs.map((r) => project(r, fields, this.displayName));
    }
    const finance = FINANCE_METHODS[`${model}.${method}`] ?? PICKING_METHODS[`${model}.${method}`];
    if (finance) return finance(this, args, kwargs);
    const handler = this.methods[`${model}.${method}`] ?? (method === 'create' ? this.create : method === 'write' ? this.write : undefined);
    if (!handler) throw new OdooFault('builtins.AttributeError', `The method '${method}' does not exist on the model '${model}'`);
    return handler.call(this, model, args, kwargs);
  }

  private create(model: string, args: Value[]): Value {
    const many = Array.isArray(args[0]);
    const list = (many ? args[0] : [args[0]]) as Array<Record<string, Value>>;
    const ids = list.map((v) => this.createOne(model, v));
    return many ? ids : ids[0];
  }

  private createOne(model: string, values: Record<string, Value>): number {
    this.checkFields(model, values);
    const v: Record<string, Value> = { active: true, ...values };
    for (const [k, val] of Object.entries(values)) {
      if (typeof val === 'number' && /_id$/.test(k) && k !== 'sale_line_id') v[k] = m2o(this.relation(model, k), val);
      if (k === 'taxes_id' || k === 'tax_id') v[k] = commandIds(val);
    }
    if (model === 'product.product' && values.taxes_id === undefined) v.taxes_id = [1];
    if (model === 'sale.order') {
      if (!values.partner_id) throw new OdooFault('odoo.exceptions.ValidationError', 'The operation cannot be completed: Missing required value for the field \'Customer\' (partner_id)');
      v.name = `S${String(++this.soNumber).padStart(5, '0')}`;
      v.state = 'draft';
      v.origin = values.origin ?? false;
      const lines = (values.order_line ?? []) as Array<[number, number, Record<string, Value>]>;
      const id = this.insertWith(model, { ...v, order_line: [] });
      const so = this.get(model, id);
      so.order_line = lines.map(([, , lv]) => this.createLine(id, lv));
      return id;
    }
    if (model === 'stock.quant') Object.assign(v, { quantity: 0, reserved_quantity: 0 });
    if (model === 'account.tax') v.company_id ??= m2o('res.company', 1);
    if (model === 'account.tax') v.sequence ??= 1;
    if (model === 'res.partner') Object.assign(v, { parent_id: v.parent_id ?? false, customer_rank: v.customer_rank ?? 0 });
    return this.insertWith(model, v);
  }

  private insertWith(model: string, v: Record<string, Value>): number {
    return this.insert(model, v);
  }

  private createLine(orderId: number, lv: Record<string, Value>): number {
    this.checkFields('sale.order.line', lv);
    const product = this.get('product.product', Number(lv.product_id));
    return this.insert('sale.order.line', {
      order_id: m2o('sale.order', orderId), product_id: m2o('product.product', product.id), product_uom_qty: Number(lv.product_uom_qty ?? 1),
      price_unit: round(Number(lv.price_unit ?? product.list_price), 2), tax_id: lv.tax_id === undefined ? product.taxes_id : commandIds(lv.tax_id), name: lv.name ?? this.displayName('product.product', product.id),
    });
  }

  private relation(model: string, field: string): string {
    const rel: Record<string, string> = {
      partner_id: 'res.partner', country_id: 'res.country', currency_id: 'res.currency', company_id: 'res.company', product_id: 'product.product',
      location_id: 'stock.location', lot_stock_id: 'stock.location', parent_id: 'res.partner', order_id: 'sale.order',
    };
    return rel[field] ?? model;
  }

  private write(model: string, args: Value[]): boolean {
    const [ids, values] = args as [number[], Record<string, Value>];
    this.checkFields(model, values);
    for (const id of ids) this.touch(this.get(model, id), values);
    return true;
  }

  private readonly methods: Record<string, (this: FakeOdooModels, model: string, args: Value[], kwargs: Record<string, Value>) => Value> = {
    'stock.quant.action_apply_inventory'(_m, args) {
      for (const id of args[0] as number[]) {
        const q = this.get('stock.quant', id);
        const existing = [...this.table('stock.quant').values()].find((o) => o.id !== id && isM2O(o.product_id) && isM2O(q.product_id) && o.product_id.m2o[1] === q.product_id.m2o[1]
          && isM2O(o.location_id) && isM2O(q.location_id) && o.location_id.m2o[1] === q.location_id.m2o[1]);
        if (existing) {
          this.touch(existing, { quantity: Number(q.inventory_quantity) });
          this.table('stock.quant').delete(id);
        } else this.touch(q, { quantity: Number(q.inventory_quantity), inventory_quantity: 0 });
      }
      return undefined;
    },
    'sale.order.action_confirm'(_m, args) {
      for (const id of args[0] as number[]) {
        const so = this.get('sale.order', id);
        if (!['draft', 'sent'].includes(String(so.state))) {
          throw new OdooFault('odoo.exceptions.UserError', 'Some orders are not in a state requiring confirmation.\n' + String(so.name));
        }
        this.touch(so, { state: 'sale' });
        for (const lineId of so.order_line as number[]) this.reserve(so, this.get('sale.order.line', lineId));
        createPicking(this, so);
      }
      return true;
    },
    'sale.order.action_cancel'(_m, args, kwargs) {
      const context = (kwargs.context ?? {}) as Record<string, Value>;
      const orders = (args[0] as number[]).map((id) => this.get('sale.order', id));
      // Odoo shows its cancel wizard (an action) for confirmed orders unless the context says not to.
      if (context.disable_cancel_warning !== true && orders.some((so) => so.state !== 'draft')) {
        return { type: 'ir.actions.act_window', res_model: 'sale.order.cancel', view_mode: 'form', target: 'new' };
      }
      for (const so of orders) {
        this.release(String(so.name));
        cancelPickings(this, String(so.name));
        cancelDraftInvoices(this, String(so.name));
        this.touch(so, { state: 'cancel' });
      }
      return true;
    },
    'sale.order.unlink'(_m, args) {
      for (const id of args[0] as number[]) {
        const so = this.get('sale.order', id);
        if (so.state !== 'draft' && so.state !== 'cancel') throw new OdooFault('odoo.exceptions.UserError', 'You can not delete a sent quotation or a confirmed sales order. You must first cancel it.');
        this.table('sale.order').delete(id);
      }
      return true;
    },
  };

  /** Cancels the order's open stock moves and gives their reservation back to the quants. */
  private release(origin: string): void {
    for (const m of [...this.table('stock.move').values()].filter((x) => x.origin === origin && !['done', 'cancel'].includes(String(x.state)))) {
      let give = Number(m.quantity);
      for (const q of [...this.table('stock.quant').values()].filter((x) => isM2O(x.product_id) && isM2O(m.product_id) && x.product_id.m2o[1] === m.product_id.m2o[1])) {
        const back = Math.min(give, Number(q.reserved_quantity));
        if (back > 0) { this.touch(q, { reserved_quantity: Number(q.reserved_quantity) - back }); give -= back; }
      }
      this.touch(m, { state: 'cancel', quantity: 0 });
    }
  }

  /** A confirmed line of a storable product: one outgoing move, reserved from WH/Stock as far as the free quantity goes. */
  private reserve(so: Rec, line: Rec): void {
    const productId = isM2O(line.product_id) ? line.product_id.m2o[1] : 0;
    if (this.get('product.product', productId).type !== 'product') return;
    let need = Number(line.product_uom_qty);
    for (const q of [...this.table('stock.quant').values()].filter((x) => isM2O(x.product_id) && x.product_id.m2o[1] === productId)) {
      const take = Math.max(0, Math.min(need, Number(q.quantity) - Number(q.reserved_quantity)));
      if (take > 0) { this.touch(q, { reserved_quantity: Number(q.reserved_quantity) + take }); need -= take; }
    }
    this.insert('stock.move', {
      product_id: m2o('product.product', productId), product_uom_qty: Number(line.product_uom_qty), quantity: Number(line.product_uom_qty) - need,
      state: need === 0 ? 'assigned' : 'confirmed', location_id: m2o('stock.location', 8), origin: so.name, sale_line_id: line.id,
    });
  }
}

/** `[[6, 0, ids]]` → ids; a plain id list as is. */
function commandIds(v: Value): number[] {
  if (!Array.isArray(v)) return [];
  const out: number[] = [];
  for (const c of v) {
    if (typeof c === 'number') out.push(c);
    else if (Array.isArray(c) && c[0] === 6) { out.length = 0; out.push(...(c[2] as number[])); }
    else if (Array.isArray(c) && c[0] === 4) out.push(Number(c[1]));
    else if (Array.isArray(c) && c[0] === 5) out.length = 0;
  }
  return out;
}
