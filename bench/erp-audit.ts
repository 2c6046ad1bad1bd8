/**
 * After a benchmark: counts, in the ERP itself (Dolibarr's REST API or Odoo's JSON-RPC, read with no fault injected) and in
 * WooCommerce's own tables, what the run left behind: orders lost, ERP duplicates, stock counted twice and
 * events waiting for a human. Every figure comes from the systems' state after the run, none from the bench's
 * own bookkeeping.
 */
import { z } from 'zod';
import { sql } from '../scripts/env/wp-env.js';

const Id = z.union([z.string(), z.number()]).transform((v) => Number(v));
const NullableStr = z.string().nullish().transform((v) => v ?? '');
const ErpOrder = z.object({
  id: Id,
  ref_ext: NullableStr,
  ref_client: NullableStr,
  statut: Id,
  socid: Id.nullish(),
  lines: z.array(z.object({ fk_product: Id.nullish(), qty: Id })).default([]),
});
const ErpMovement = z.object({ id: Id, product_id: Id, qty: Id, origin_type: NullableStr, origin_id: Id.nullish(), fk_origin: Id.nullish() });
const ErpProduct = z.object({ id: Id, ref: z.string() });
type ErpOrder = z.infer<typeof ErpOrder>;

export interface ErpApi { url: string; key: string }

/** Every item of a Dolibarr list route, page by page (a 404 "not found" is an empty list, as on /thirdparties). */
export async function erpListAll<T>(erp: ErpApi, path: string, schema: z.ZodType<T>, query: Record<string, string> = {}): Promise<T[]> {
  const out: T[] = [];
  for (let page = 0; ; page++) {
    const qs = new URLSearchParams({ limit: '100', page: String(page), sortfield: 't.rowid', sortorder: 'ASC', ...query });
    const res = await fetch(`${erp.url}${path}?${qs.toString()}`, { headers: { DOLAPIKEY: erp.key, Accept: 'application/json' } });
    if (res.status === 404) break;
    if (!res.ok) throw new Error(`ERP audit: GET ${path} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    const items = z.array(schema).parse(await res.json());
    out.push(...items);
    if (items.length < 100) break;
  }
  return out;
}

export interface WooOrder { id: number; status: string; correlation: string | null }

const rows = (q: string): string[][] => sql(q).split('\n').filter(Boolean).map((l) => l.split('\t'));

/** WooCommerce's orders (HPOS table, or the stand-in's) with the correlation id of their outbox events. */
export function wooOrders(db: string): WooOrder[] {
  const hpos = rows(`SHOW TABLES FROM \`${db}\` LIKE 'wp_wc_orders'`).length > 0;
  const table = hpos ? 'wp_wc_orders' : 'wp_wcstandin_orders';
  return rows(`SELECT o.id, o.status, (SELECT e.correlation_id FROM \`${db}\`.wp_syncline_events e WHERE e.object_type = 'order' AND e.object_id = o.id LIMIT 1)
    FROM \`${db}\`.${table} o WHERE o.type = 'shop_order' ORDER BY o.id`)
    .map(([id, status, corr]) => ({ id: Number(id), status: (status ?? '').replace(/^wc-/, ''), correlation: corr && corr !== 'NULL' ? corr : null }));
}

/** Units per SKU of the given orders' line items, from WooCommerce's order item tables (real WooCommerce only). */
export function wooUnitsBySku(db: string, orderIds: number[]): Map<string, number> | null {
  if (rows(`SHOW TABLES FROM \`${db}\` LIKE 'wp_woocommerce_order_items'`).length === 0 || orderIds.length === 0) return null;
  const out = new Map<string, number>();
  for (const [sku, qty] of rows(`SELECT l.sku, SUM(CAST(q.meta_value AS SIGNED)) FROM \`${db}\`.wp_woocommerce_order_items i
      JOIN \`${db}\`.wp_woocommerce_order_itemmeta p ON p.order_item_id = i.order_item_id AND p.meta_key = '_product_id'
      JOIN \`${db}\`.wp_woocommerce_order_itemmeta q ON q.order_item_id = i.order_item_id AND q.meta_key = '_qty'
      JOIN \`${db}\`.wp_wc_product_meta_lookup l ON l.product_id = p.meta_value
      WHERE i.order_item_type = 'line_item' AND i.order_id IN (${orderIds.join(',')}) GROUP BY l.sku`)) {
    out.set(sku ?? '', Number(qty));
  }
  return out;
}

export interface Audit {
  orders: number;
  lost: number;
  erp_duplicates: number;
  stock_double_counted: number;
  needs_human: number;
  details: Record<string, unknown>;
}

/** Statuses whose orders Syncline must push (paid and being handled). */
const PUSHED = new Set(['processing', 'completed']);

/** One ERP sales order as the audit sees it: its site-unique key and whether the ERP counted it (validated / confirmed). */
export interface ErpOrderRow { id: number; key: string; validated: boolean }

/** How the audit reads one ERP: what it reads there is the ERP's own state, never through the fault injection. */
export interface ErpAuditReader {
  /** The key under which the ERP holds the order of this outbox correlation id. */
  keyOf(correlation: string): string;
  /** Every sales order that carries a Syncline key. */
  orders(): Promise<ErpOrderRow[]>;
  /** Units the ERP's stock took for these of its orders, per product ref (its stock movements / moves). */
  unitsMoved(orderIds: Set<number>): Promise<Map<string, number>>;
}

/** Dolibarr 20's REST: orders by `ref_ext`, validated at `statut` ≥ 1; stock movements with origin `commande`. */
export function dolibarrAuditReader(erp: ErpApi): ErpAuditReader {
  return {
    keyOf: (correlation) => correlation,
    orders: async () => (await erpListAll(erp, '/orders', ErpOrder)).map((o: ErpOrder) => ({ id: o.id, key: o.ref_ext, validated: o.statut >= 1 })),
    unitsMoved: async (orderIds) => {
      const products = new Map((await erpListAll(erp, '/products', ErpProduct)).map((p) => [p.id, p.ref]));
      const moved = new Map<string, number>();
      for (const m of await erpListAll(erp, '/stockmovements', ErpMovement)) {
        const origin = m.origin_id ?? m.fk_origin ?? 0;
        if (m.origin_type !== 'commande' || !orderIds.has(origin)) continue;
        const ref = products.get(m.product_id) ?? `#${m.product_id}`;
        moved.set(ref, (moved.get(ref) ?? 0) - m.qty);
      }
      return moved;
    },
  };
}

export async function audit(erp: ErpAuditReader, db: string, fallbackUnits: Map<string, number>): Promise<Audit> {
  const woo = wooOrders(db).filter((o) => PUSHED.has(o.status));
  const erpOrders = await erp.orders();
  const byKey = new Map<string, ErpOrderRow[]>();
  for (const o of erpOrders) byKey.set(o.key, [...(byKey.get(o.key) ?? []), o]);
  const of = (o: WooOrder): ErpOrderRow[] => (o.correlation ? byKey.get(erp.keyOf(o.correlation)) ?? [] : []);

  const lostIds = woo.filter((o) => !of(o).some((x) => x.validated)).map((o) => o.id);
  const dupKeys = [...new Set(woo.filter((o) => of(o).length > 1).map((o) => erp.keyOf(o.correlation ?? '')))];
  const erpDuplicates = dupKeys.reduce((s, k) => s + (byKey.get(k)?.length ?? 1) - 1, 0);
  const validatedDuplicates = dupKeys.reduce((s, k) => s + Math.max(0, (byKey.get(k) ?? []).filter((x) => x.validated).length - 1), 0);

  // ERP side: units the ERP's own stock took for our orders vs the units WooCommerce sold in them.
  const moved = await erp.unitsMoved(new Set(woo.flatMap((o) => of(o).map((x) => x.id))));
  const validatedWoo = woo.filter((o) => of(o).some((x) => x.validated)).map((o) => o.id);
  const sold = wooUnitsBySku(db, validatedWoo) ?? fallbackUnits;
  const overMoved = [...moved.entries()].map(([ref, units]) => ({ ref, moved: units, sold: sold.get(ref) ?? 0 })).filter((r) => r.moved > r.sold);
  const erpOver = overMoved.reduce((s, r) => s + r.moved - r.sold, 0);

  // WooCommerce side: in-flight reductions still held for orders the ERP has already counted.
  const inflightTable = rows(`SHOW TABLES FROM \`${db}\` LIKE 'wp_syncline_inflight'`).length > 0;
  const stillReduced = inflightTable && validatedWoo.length > 0
    ? Number(rows(`SELECT COALESCE(SUM(qty), 0) FROM \`${db}\`.wp_syncline_inflight WHERE state = 'reduced' AND order_id IN (${validatedWoo.join(',')})`)[0]?.[0] ?? 0)
    : 0;

  const states = Object.fromEntries(rows(`SELECT state, COUNT(*) FROM \`${db}\`.wp_syncline_events GROUP BY state`).map(([s, c]) => [s ?? '', Number(c)]));
  const humanCodes = Object.fromEntries(rows(`SELECT COALESCE(last_error_code, '-'), COUNT(*) FROM \`${db}\`.wp_syncline_events WHERE state = 'needs_human' GROUP BY last_error_code`).map(([s, c]) => [s ?? '', Number(c)]));
  return {
    orders: woo.length,
    lost: lostIds.length,
    erp_duplicates: erpDuplicates,
    stock_double_counted: erpOver + stillReduced,
    needs_human: states['needs_human'] ?? 0,
    details: {
      erp_orders_total: erpOrders.length,
      lost_order_ids: lostIds.slice(0, 20),
      validated_duplicates: validatedDuplicates,
      duplicate_keys: dupKeys.slice(0, 10),
      erp_units_moved_for_our_orders: [...moved.values()].reduce((x, y) => x + y, 0),
      woo_units_sold_in_validated_orders: [...sold.values()].reduce((x, y) => x + y, 0),
      erp_units_over_sold: erpOver,
      over_moved: overMoved.slice(0, 10),
      woo_inflight_units_still_reduced: stillReduced,
      outbox_states: states,
      needs_human_codes: humanCodes,
    },
  };
}

/** A JSON-RPC `execute_kw` on Odoo (tests/ts/support/books-audit-odoo.ts has the same shape). */
export type OdooCall = (model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>) => Promise<unknown>;

const OdooId = z.number().int();
const OdooMany2one = z.union([z.tuple([OdooId, z.string()]), z.literal(false)]);
const OdooOrder = z.object({ id: OdooId, origin: z.union([z.string(), z.literal(false)]), state: z.string() });
const OdooMove = z.object({ product_id: OdooMany2one, product_uom_qty: z.number() });
const OdooProduct = z.object({ id: OdooId, default_code: z.union([z.string(), z.literal(false)]) });

/**
 * Odoo 17's JSON-RPC (src/erp/odoo/binder.ts): orders by `origin` = `syncline:<correlation id>`, counted once
 * confirmed (state `sale` or `done`: Odoo reserves at `action_confirm`); the units its stock took are the
 * quantities of the non-cancelled `stock.move`s of those orders' lines (the delivery `action_confirm` makes).
 */
export function odooAuditReader(call: OdooCall): ErpAuditReader {
  return {
    keyOf: (correlation) => `syncline:${correlation}`,
    orders: async () => z.array(OdooOrder).parse(await call('sale.order', 'search_read', [[['origin', '=like', 'syncline:%']]], { fields: ['origin', 'state'], order: 'id asc' }))
      .map((o) => ({ id: o.id, key: o.origin === false ? '' : o.origin, validated: o.state === 'sale' || o.state === 'done' })),
    unitsMoved: async (orderIds) => {
      const moved = new Map<string, number>();
      if (orderIds.size === 0) return moved;
      const moves = z.array(OdooMove).parse(await call('stock.move', 'search_read',
        [[['sale_line_id.order_id', 'in', [...orderIds]], ['state', '!=', 'cancel']]], { fields: ['product_id', 'product_uom_qty'] }));
      const productIds = [...new Set(moves.map((m) => (m.product_id === false ? 0 : m.product_id[0])).filter((id) => id > 0))];
      const refs = new Map(z.array(OdooProduct).parse(await call('product.product', 'read', [productIds], { fields: ['default_code'], context: { active_test: false } }))
        .map((p) => [p.id, p.default_code === false ? `#${p.id}` : p.default_code]));
      for (const m of moves) {
        const id = m.product_id === false ? 0 : m.product_id[0];
        const ref = refs.get(id) ?? `#${id}`;
        moved.set(ref, (moved.get(ref) ?? 0) + m.product_uom_qty);
      }
      return moved;
    },
  };
}
