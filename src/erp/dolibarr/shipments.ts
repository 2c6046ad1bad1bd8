/**
 * Dolibarr shipments (expeditions) changed since a cursor, for the shipments flow back to WooCommerce.
 *
 * What the real Dolibarr 20.0.2 offers (docs/ARCHITECTURE.md, "Shipments"): `GET /shipments` lists expeditions
 * with `sqlfilters` on `llx_expedition` (alias `t`) and answers `200 []` when nothing matches. An expedition has no
 * modification time in the answer, but its table has `tms` (updated by MariaDB on every change: create, validate,
 * a tracking number set later), which the filter can use. `tms` is the database server's local time: the cursor
 * is the sidecar's clock shifted by `dbUtcOffsetMinutes`, and every call re-reads `lookbackSeconds` before it, so
 * clock skew and commits that land late are read again (WordPress applies each shipment once).
 * Each expedition carries `origin_id` (its sales order's id), `tracking_number`, `shipping_method` (the carrier's
 * label), `tracking_url` (an HTML link) and its lines (`product_ref`, `qty_shipped`); the sales orders' `ref_ext`
 * (our correlation id) and `ref_client` are read in one `GET /orders?sqlfilters=(t.rowid:in:…)` per 100 orders.
 */
import { z } from 'zod';
import type { ErpShipment, ErpShipmentLine, ShipmentChanges } from '../../ports/erp.js';
import { type DolibarrClient, NOT_FOUND } from './client.js';

const id = z.union([z.string(), z.number()]).transform((v) => String(v));
const optText = z.union([z.string(), z.number(), z.null()]).optional().transform((v) => (v === undefined || v === null || v === '' ? null : String(v)));
const optTime = z.union([z.string(), z.number(), z.null()]).optional().transform((v) => {
  const n = Number(v);
  return v === undefined || v === null || v === '' || !Number.isFinite(n) || n <= 0 ? null : Math.trunc(n);
});

const ShipmentLineSchema = z.object({
  product_ref: optText,
  qty_shipped: z.union([z.string(), z.number(), z.null()]).optional(),
  qty: z.union([z.string(), z.number(), z.null()]).optional(),
});

const ShipmentSchema = z.object({
  id,
  ref: z.string(),
  statut: z.union([z.string(), z.number()]).transform((v) => Number(v)),
  origin_id: optText,
  origin_type: optText,
  tracking_number: optText,
  tracking_url: optText,
  shipping_method: optText,
  date_valid: optTime,
  date_shipping: optTime,
  lines: z.array(ShipmentLineSchema).nullish().transform((v) => v ?? []),
});
type DolibarrShipment = z.output<typeof ShipmentSchema>;

const ShipmentPage = z.array(ShipmentSchema);
const OrderRefPage = z.array(z.object({ id, ref_ext: optText, ref_client: optText }));

/** Dolibarr's expedition statuses: 0 draft, 1 validated, 2 closed (delivered). */
const STATES: Record<number, ErpShipment['state']> = { 1: 'validated', 2: 'closed' };

export interface ShipmentReadOptions {
  /** Sidecar clock, Unix ms. */
  now: () => number;
  /** Seconds re-read before the cursor at every call. @defaultValue 3600 */
  lookbackSeconds?: number;
  /** How far back the first call (no cursor) reads, in seconds. @defaultValue 604800 (7 days) */
  startLookbackSeconds?: number;
  /** Offset of Dolibarr's database clock from UTC, in minutes (Europe/Paris in winter: 60). @defaultValue 0 */
  dbUtcOffsetMinutes?: number;
  /** Shipments per page. @defaultValue 100 */
  pageSize?: number;
  /** Most pages per call; more → `overflow`, the cursor stays. @defaultValue 20 */
  maxPages?: number;
}

/** `YYYY-MM-DD HH:MM:SS` of a Unix ms time shifted by `offsetMinutes` (the database's local time). */
export function dbTime(ms: number, offsetMinutes: number): string {
  return new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

const CURSOR = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** The time the window starts at: the cursor minus the lookback, or now minus the start lookback. */
function windowStart(cursor: string | null, o: Required<Omit<ShipmentReadOptions, 'now'>>, nowMs: number): string {
  const at = cursor !== null && CURSOR.test(cursor) ? Date.parse(`${cursor.replace(' ', 'T')}Z`) : Number.NaN;
  if (Number.isNaN(at)) return dbTime(nowMs - o.startLookbackSeconds * 1000, o.dbUtcOffsetMinutes);
  return dbTime(at - o.lookbackSeconds * 1000, 0);
}

/** The href of Dolibarr's tracking link (`<a … href="…">`), or the value itself when it is a plain URL. */
export function trackingHref(html: string | null): string | null {
  if (html === null) return null;
  const href = /href="([^"]+)"/i.exec(html)?.[1] ?? html;
  const url = href.replace(/&amp;/g, '&').trim();
  return /^https?:\/\/[^\s<>"]+$/i.test(url) ? url : null;
}

/** Product lines summed per reference (a line split over warehouses or batches comes back as several rows). */
function productLines(rows: DolibarrShipment['lines']): ErpShipmentLine[] {
  const qty = new Map<string, number>();
  for (const l of rows) {
    const n = Number(l.qty_shipped ?? l.qty ?? 0);
    if (l.product_ref === null || !Number.isFinite(n) || n <= 0) continue;
    qty.set(l.product_ref, (qty.get(l.product_ref) ?? 0) + n);
  }
  return [...qty].map(([ref, n]) => ({ ref, qty: n }));
}

async function changedShipments(client: DolibarrClient, since: string, pageSize: number, maxPages: number): Promise<{ rows: DolibarrShipment[]; complete: boolean }> {
  const rows: DolibarrShipment[] = [];
  for (let page = 0; page < maxPages; page++) {
    const got = await client.find('/shipments', {
      sortfield: 't.rowid', sortorder: 'ASC', limit: pageSize, page, sqlfilters: `(t.fk_statut:>:0) and (t.tms:>=:'${since}')`,
    }, ShipmentPage);
    if (got === NOT_FOUND) return { rows, complete: true };
    rows.push(...got);
    if (got.length < pageSize) return { rows, complete: true };
  }
  return { rows, complete: false };
}

/** `ref_ext` and `ref_client` of sales orders by id, 100 per request. */
async function orderRefs(client: DolibarrClient, ids: string[]): Promise<Map<string, { refExt: string | null; refClient: string | null }>> {
  const out = new Map<string, { refExt: string | null; refClient: string | null }>();
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100);
    const rows = await client.find('/orders', {
      limit: chunk.length, properties: 'id,ref_ext,ref_client', sqlfilters: `(t.rowid:in:${chunk.map((n) => `'${n}'`).join(',')})`,
    }, OrderRefPage);
    if (rows !== NOT_FOUND) for (const r of rows) out.set(r.id, { refExt: r.ref_ext, refClient: r.ref_client });
  }
  return out;
}

/** Validated and closed shipments of sales orders changed since the cursor, with their orders' references. */
export async function readDolibarrShipments(client: DolibarrClient, cursor: string | null, opts: ShipmentReadOptions): Promise<ShipmentChanges> {
  const o = {
    lookbackSeconds: opts.lookbackSeconds ?? 3600, startLookbackSeconds: opts.startLookbackSeconds ?? 604_800,
    dbUtcOffsetMinutes: opts.dbUtcOffsetMinutes ?? 0, pageSize: opts.pageSize ?? 100, maxPages: opts.maxPages ?? 20,
  };
  const startedAt = opts.now();
  const since = windowStart(cursor, o, startedAt);
  const found = await changedShipments(client, since, o.pageSize, o.maxPages);
  const ofOrders = found.rows.filter((s) => STATES[s.statut] !== undefined && s.origin_id !== null && /^\d+$/.test(s.origin_id)
    && (s.origin_type === null || s.origin_type === 'commande' || s.origin_type === 'order'));
  const refs = await orderRefs(client, [...new Set(ofOrders.map((s) => s.origin_id ?? ''))]);
  const shipments = ofOrders.map((s): ErpShipment => {
    const orderId = s.origin_id ?? '';
    const order = refs.get(orderId);
    return {
      id: s.id, ref: s.ref, state: STATES[s.statut] ?? 'validated',
      order: { erpId: orderId, refExt: order?.refExt ?? null, refClient: order?.refClient ?? null },
      carrier: s.shipping_method, trackingNumber: s.tracking_number, trackingUrl: trackingHref(s.tracking_url),
      shippedAt: s.date_shipping ?? s.date_valid, lines: productLines(s.lines),
    };
  });
  // An incomplete read keeps the cursor: the next call reads the same window again (overlap is harmless).
  const next = found.complete ? dbTime(startedAt, o.dbUtcOffsetMinutes) : cursor ?? since;
  return { shipments, cursor: next, ...(found.complete ? {} : { overflow: true }) };
}
