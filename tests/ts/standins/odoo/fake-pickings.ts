/**
 * The Odoo stand-in's deliveries (tests only): the outgoing `stock.picking` `action_confirm` makes for a sales order's
 * storable lines (`WH/OUT/0000n`, its moves reserved), `button_validate` (moves done, stock out of WH/Stock, the
 * picking `done` with `date_done`), the carrier (`delivery.carrier` "Standard delivery", a fixed carrier: no
 * tracking URL) and `carrier_tracking_ref` written before or after validation, as on the real Odoo 17.
 */
import { OdooFault, type Store } from './fake-store.js';
import { isM2O, m2o, type Rec, type Value } from './fake-domain.js';

export const PICKING_FIELDS: Record<string, string[]> = {
  'stock.picking': ['name', 'state', 'origin', 'sale_id', 'picking_type_code', 'carrier_id', 'carrier_tracking_ref', 'carrier_tracking_url', 'date_done', 'write_date'],
  'delivery.carrier': ['name', 'delivery_type', 'active'],
};

type Handler = (store: Store, args: Value[], kwargs: Record<string, Value>) => Value;

export function seedCarriers(store: Store): void {
  store.insert('delivery.carrier', { name: 'Standard delivery', delivery_type: 'fixed', active: true });
}

/** After confirmation: one outgoing picking for the order's new moves (none when it has no storable line). */
export function createPicking(store: Store, so: Rec): void {
  const moves = [...store.table('stock.move').values()].filter((m) => m.origin === so.name && (m.picking_id === undefined || m.picking_id === false));
  if (moves.length === 0) return;
  const n = store.table('stock.picking').size + 1;
  const id = store.insert('stock.picking', {
    name: `WH/OUT/${String(n).padStart(5, '0')}`, state: moves.every((m) => m.state === 'assigned') ? 'assigned' : 'confirmed', origin: so.name, sale_id: m2o('sale.order', so.id),
    picking_type_code: 'outgoing', carrier_id: false, carrier_tracking_ref: false, carrier_tracking_url: false, date_done: false,
  });
  for (const m of moves) m.picking_id = m2o('stock.picking', id);
}

/** The order's open pickings are cancelled with it. */
export function cancelPickings(store: Store, origin: string): void {
  for (const p of store.table('stock.picking').values()) if (p.origin === origin && p.state !== 'done') store.touch(p, { state: 'cancel' });
}

export const PICKING_METHODS: Record<string, Handler> = {
  'stock.picking.button_validate'(store, args) {
    for (const id of args[0] as number[]) {
      const p = store.get('stock.picking', id);
      if (p.state === 'done' || p.state === 'cancel') throw new OdooFault('odoo.exceptions.UserError', 'You cannot validate a transfer if no quantities are reserved nor done.');
      for (const m of [...store.table('stock.move').values()].filter((x) => isM2O(x.picking_id) && x.picking_id.m2o[1] === id && x.state !== 'cancel')) {
        let out = Number(m.quantity) > 0 ? Number(m.quantity) : Number(m.product_uom_qty);
        const reserved = Number(m.quantity);
        for (const q of [...store.table('stock.quant').values()].filter((x) => isM2O(x.product_id) && isM2O(m.product_id) && x.product_id.m2o[1] === m.product_id.m2o[1])) {
          const take = Math.min(out, Number(q.quantity));
          store.touch(q, { quantity: Number(q.quantity) - take, reserved_quantity: Math.max(0, Number(q.reserved_quantity) - Math.min(take, reserved)) });
          out -= take;
        }
        store.touch(m, { state: 'done', quantity: Number(m.product_uom_qty) });
      }
      store.touch(p, { state: 'done' });
      store.touch(p, { date_done: p.write_date });
    }
    return true;
  },
  'stock.picking.write'(store, args) {
    const [ids, values] = args as [number[], Record<string, Value>];
    for (const f of Object.keys(values)) if (!['carrier_id', 'carrier_tracking_ref'].includes(f)) throw new OdooFault('builtins.ValueError', `Invalid field '${f}' on model 'stock.picking'`);
    for (const id of ids) {
      const p = store.get('stock.picking', id);
      store.touch(p, { ...values, ...(typeof values.carrier_id === 'number' ? { carrier_id: m2o('delivery.carrier', values.carrier_id) } : {}) });
    }
    return true;
  },
};
