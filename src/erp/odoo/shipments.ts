/**
 * Odoo deliveries (`stock.picking`, outgoing, done) changed since a cursor, for the shipments flow back to
 * WooCommerce (the port's `readShipments`, as for Dolibarr).
 *
 * Odoo keeps `write_date` in UTC and bumps it on every change of the picking (validation, a tracking reference set
 * later), so the cursor is the sidecar's UTC clock and every call re-reads `lookbackSeconds` before it (a transaction
 * stamps `write_date` when it starts, and may commit later; WordPress applies each shipment once). A picking names its
 * sales order (`sale_id`, from sale_stock), whose `origin` is our key (`syncline:<correlation id>`, binder.ts) and
 * `client_order_ref` the shop's label; the carrier is `carrier_id` (delivery), the parcel `carrier_tracking_ref`, the
 * carrier's page `carrier_tracking_url` (computed; empty for fixed-price carriers). Lines are the picking's done
 * moves (`quantity`, Odoo 17), summed per product `default_code`.
 */
import { z } from 'zod';
import type { ErpShipment, ErpShipmentLine, ShipmentChanges } from '../../ports/erp.js';
import { ORDER_KEY_PREFIX } from './binder.js';
import { CreatedId, Many2one, OdooChar, type OdooClient } from './client.js';

const PickingRow = z.object({
  id: CreatedId, name: z.string(), state: z.string(), sale_id: Many2one, carrier_id: Many2one, carrier_tracking_ref: OdooChar,
  carrier_tracking_url: OdooChar, date_done: z.union([z.string(), z.literal(false)]), write_date: z.string(),
});
const MoveRow = z.object({ picking_id: Many2one, product_id: Many2one, quantity: z.number() });
const OrderRow = z.object({ id: CreatedId, origin: OdooChar, client_order_ref: OdooChar });
const ProductRow = z.object({ id: CreatedId, default_code: OdooChar });

export interface OdooShipmentReadOptions {
  /** Sidecar clock, Unix ms. */
  now: () => number;
  /** Seconds re-read before the cursor at every call. @defaultValue 3600 */
  lookbackSeconds?: number;
  /** How far back the first call (no cursor) reads, in seconds. @defaultValue 604800 (7 days) */
  startLookbackSeconds?: number;
  /** Pickings per call; more → `overflow`, the cursor stays. @defaultValue 500 */
  limit?: number;
}

/** `YYYY-MM-DD HH:MM:SS` (UTC), with `!` after an overflow: read from exactly there, without the lookback. */
const CURSOR = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(!?)$/;
const utc = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

function windowStart(cursor: string | null, lookback: number, startLookback: number, nowMs: number): string {
  const m = cursor === null ? null : CURSOR.exec(cursor);
  const at = m?.[1] === undefined ? Number.NaN : Date.parse(`${m[1].replace(' ', 'T')}Z`);
  if (Number.isNaN(at)) return utc(nowMs - startLookback * 1000);
  return m?.[2] === '!' ? utc(at) : utc(at - lookback * 1000);
}

const httpUrl = (v: string): string | null => (/^https?:\/\/[^\s<>"]+$/i.test(v.trim()) ? v.trim() : null);
const unix = (v: string | false): number | null => (v === false ? null : Math.trunc(Date.parse(`${v.replace(' ', 'T')}Z`) / 1000) || null);
const idOf = (m: z.infer<typeof Many2one>): number => (m === false ? 0 : m[0]);

/** Done deliveries of sales orders changed since the cursor, with their orders' keys and their product lines. */
export async function readOdooShipments(client: OdooClient, cursor: string | null, opts: OdooShipmentReadOptions): Promise<ShipmentChanges> {
  const limit = opts.limit ?? 500;
  const startedAt = opts.now();
  const since = windowStart(cursor, opts.lookbackSeconds ?? 3600, opts.startLookbackSeconds ?? 604_800, startedAt);
  const pickings = await client.call('stock.picking', 'search_read', [[
    ['picking_type_code', '=', 'outgoing'], ['state', '=', 'done'], ['sale_id', '!=', false], ['write_date', '>=', since],
  ]], { fields: ['name', 'state', 'sale_id', 'carrier_id', 'carrier_tracking_ref', 'carrier_tracking_url', 'date_done', 'write_date'], order: 'write_date asc, id asc', limit: limit + 1 },
  z.array(PickingRow));
  const page = pickings.slice(0, limit);
  const ids = page.map((p) => p.id);
  const orderIds = [...new Set(page.map((p) => idOf(p.sale_id)))];
  const [moves, orders] = await Promise.all([
    ids.length === 0 ? [] : client.call('stock.move', 'search_read', [[['picking_id', 'in', ids], ['state', '=', 'done']]], { fields: ['picking_id', 'product_id', 'quantity'] }, z.array(MoveRow)),
    orderIds.length === 0 ? [] : client.call('sale.order', 'search_read', [[['id', 'in', orderIds]]], { fields: ['origin', 'client_order_ref'] }, z.array(OrderRow)),
  ]);
  const productIds = [...new Set(moves.map((m) => idOf(m.product_id)))];
  const products = productIds.length === 0 ? [] : await client.call('product.product', 'search_read', [[['id', 'in', productIds]]], { fields: ['default_code'], context: { active_test: false } }, z.array(ProductRow));
  const codes = new Map(products.filter((p) => p.default_code !== '').map((p) => [p.id, p.default_code]));
  const byOrder = new Map(orders.map((o) => [o.id, o]));
  const shipments = page.map((p): ErpShipment => {
    const order = byOrder.get(idOf(p.sale_id));
    const key = order?.origin ?? '';
    return {
      id: String(p.id), ref: p.name, state: 'validated',
      order: { erpId: String(idOf(p.sale_id)), refExt: key.startsWith(ORDER_KEY_PREFIX) ? key.slice(ORDER_KEY_PREFIX.length) : null, refClient: order?.client_order_ref || null },
      carrier: p.carrier_id === false ? null : p.carrier_id[1], trackingNumber: p.carrier_tracking_ref || null, trackingUrl: httpUrl(p.carrier_tracking_url),
      shippedAt: unix(p.date_done), lines: linesOf(moves.filter((m) => idOf(m.picking_id) === p.id), codes),
    };
  });
  // An incomplete read goes on from the last picking read (the same second is read again: overlap is harmless).
  const complete = pickings.length <= limit;
  return { shipments, cursor: complete ? utc(startedAt) : `${page.at(-1)?.write_date ?? since}!`, ...(complete ? {} : { overflow: true }) };
}

function linesOf(moves: ReadonlyArray<z.infer<typeof MoveRow>>, codes: ReadonlyMap<number, string>): ErpShipmentLine[] {
  const qty = new Map<string, number>();
  for (const m of moves) {
    const ref = codes.get(idOf(m.product_id));
    if (ref === undefined || m.quantity <= 0) continue;
    qty.set(ref, (qty.get(ref) ?? 0) + m.quantity);
  }
  return [...qty].map(([ref, n]) => ({ ref, qty: n }));
}
