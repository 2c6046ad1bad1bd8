/**
 * After a benchmark: counts, in the ERP itself (Dolibarr's REST API, read with no fault injected) and in
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

export async function audit(erp: ErpApi, db: string, fallbackUnits: Map<string, number>): Promise<Audit> {
  const woo = wooOrders(db).filter((o) => PUSHED.has(o.status));
  const erpOrders = await erpListAll(erp, '/orders', ErpOrder);
  const byRefExt = new Map<string, ErpOrder[]>();
  for (const o of erpOrders) byRefExt.set(o.ref_ext, [...(byRefExt.get(o.ref_ext) ?? []), o]);
  const validated = (o: ErpOrder): boolean => o.statut >= 1;

  const lostIds = woo.filter((o) => !o.correlation || !(byRefExt.get(o.correlation) ?? []).some(validated)).map((o) => o.id);
  const ours = woo.flatMap((o) => (o.correlation ? byRefExt.get(o.correlation) ?? [] : []));
  const dupRefs = [...new Set(woo.map((o) => o.correlation ?? ''))].filter((c) => (byRefExt.get(c)?.length ?? 0) > 1);
  const erpDuplicates = dupRefs.reduce((s, c) => s + (byRefExt.get(c)?.length ?? 1) - 1, 0);
  const validatedDuplicates = dupRefs.reduce((s, c) => s + Math.max(0, (byRefExt.get(c) ?? []).filter(validated).length - 1), 0);

  // ERP side: units the ERP's own stock movements took for our orders vs the units WooCommerce sold in them.
  const products = new Map((await erpListAll(erp, '/products', ErpProduct)).map((p) => [p.id, p.ref]));
  const ourOrderIds = new Set(ours.map((o) => o.id));
  const moved = new Map<string, number>();
  for (const m of await erpListAll(erp, '/stockmovements', ErpMovement)) {
    const origin = m.origin_id ?? m.fk_origin ?? 0;
    if (m.origin_type !== 'commande' || !ourOrderIds.has(origin)) continue;
    const ref = products.get(m.product_id) ?? `#${m.product_id}`;
    moved.set(ref, (moved.get(ref) ?? 0) - m.qty);
  }
  const validatedWoo = woo.filter((o) => o.correlation && (byRefExt.get(o.correlation) ?? []).some(validated)).map((o) => o.id);
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
      duplicate_ref_ext: dupRefs.slice(0, 10),
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
