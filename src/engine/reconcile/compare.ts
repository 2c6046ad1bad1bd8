/**
 * Pure comparisons of reconciliation (no I/O): WooCommerce's orders against the ERP's sales orders found by external
 * reference, and WooCommerce's stock against freshly computed available-to-sell.
 */
import type { ErpOrderSummary } from '../../ports/erp.js';
import { currencyExponent, toMinor } from '../mapping/index.js';
import { mapStatus } from '../mapping/index.js';
import { pushPolicy } from '../policy.js';
import type { ReconcileItem, StoreOrder, StoreStock } from './schemas.js';

/** Orders in these statuses are withdrawn: the ERP should hold no validated order for them. */
const WITHDRAWN = new Set(['cancelled', 'trash']);

/**
 * The discrepancies of one order, at most one item (the most basic explanation wins):
 * - pending/failed/draft orders are never pushed: nothing to compare;
 * - an order with a pending or leased event is in flight: not judged now;
 * - withdrawn (cancelled) in WooCommerce but validated in the ERP → status_mismatch (a person decides);
 * - pushed statuses: no ERP order and no outbox event at all → no_outbox_event (the hook write failed; repair:
 *   resync); no ERP order → missing_in_erp (repair: resync), or status_mismatch when the ERP's only orders are
 *   cancelled; two or more live ERP orders → duplicated_in_erp; one: total_mismatch (to the cent, with the
 *   difference), else a draft → status_mismatch (repair: the resync validates it).
 */
export function compareOrder(o: StoreOrder, erp: ErpOrderSummary[], skipStatuses: ReadonlySet<string> = new Set()): ReconcileItem | null {
  const status = mapStatus(o.status);
  if (pushPolicy(status).kind === 'skip' || skipStatuses.has(o.status) || o.open_events > 0) return null;
  const live = erp.filter((d) => d.status !== 'cancelled');
  const base = { object_type: 'order' as const, object_key: String(o.id), object_time: o.created_at };
  const refs = erp.map((d) => ({ id: d.id, ref: d.ref, status: d.status, total: d.total }));
  if (WITHDRAWN.has(status)) {
    const validated = live.filter((d) => d.status === 'validated');
    if (validated.length === 0) return null;
    return { ...base, class: 'status_mismatch', repairable: false, message: `Order ${o.id} is ${o.status} in WooCommerce but ${validated.map((d) => d.ref).join(', ')} is validated in the ERP: cancel it there (cancellations are not synced).`, details: { wc_status: o.status, erp: refs } };
  }
  if (live.length === 0) {
    if (o.events === 0) return { ...base, class: 'no_outbox_event', repairable: true, message: `Order ${o.id} (${o.status}) has no outbox event and is not in the ERP: the hook's write failed. Repair queues it.`, details: { wc_status: o.status } };
    if (erp.length > 0) return { ...base, class: 'status_mismatch', repairable: false, message: `Order ${o.id} is ${o.status} in WooCommerce but its ERP order ${erp.map((d) => d.ref).join(', ')} is cancelled.`, details: { wc_status: o.status, erp: refs } };
    return { ...base, class: 'missing_in_erp', repairable: true, message: `Order ${o.id} (${o.status}) is not in the ERP. Repair queues it.`, details: { wc_status: o.status, events: o.events } };
  }
  if (live.length > 1) {
    return { ...base, class: 'duplicated_in_erp', repairable: false, message: `Order ${o.id} is in the ERP ${live.length} times: ${live.map((d) => d.ref).join(', ')}. Keep one, cancel or delete the others there.`, details: { erp: refs } };
  }
  const doc = live[0] as ErpOrderSummary;
  const exp = currencyExponent(o.currency);
  const wcMinor = toMinor(o.total, exp, 'round', 'total');
  const erpMinor = doc.total === null ? null : toMinor(doc.total, exp, 'round', 'total_ttc');
  if (erpMinor !== null && erpMinor !== wcMinor) {
    const diff = wcMinor - erpMinor;
    return { ...base, class: 'total_mismatch', repairable: false, diff_minor: diff, message: `Order ${o.id}: WooCommerce total ${o.total} ${o.currency}, ERP ${doc.ref} total ${doc.total}: difference ${(diff / 10 ** exp).toFixed(exp)} ${o.currency}.`, details: { wc_total: o.total, erp_total: doc.total, erp: refs, currency: o.currency } };
  }
  if (doc.status === 'draft') {
    return { ...base, class: 'status_mismatch', repairable: true, message: `Order ${o.id} is ${o.status} in WooCommerce but ${doc.ref} is still a draft in the ERP. Repair queues a resync, which validates it.`, details: { wc_status: o.status, erp: refs } };
  }
  return null;
}

/** The items of a page of orders. */
export function compareOrders(orders: StoreOrder[], erp: Map<string, ErpOrderSummary[]>, skipStatuses?: ReadonlySet<string>): ReconcileItem[] {
  const out: ReconcileItem[] = [];
  for (const o of orders) {
    const item = compareOrder(o, erp.get(o.correlation_id) ?? [], skipStatuses);
    if (item) out.push(item);
  }
  return out;
}

/**
 * Stock drift of one SKU. WooCommerce should show `ats − in_flight` (the units it sold that the ERP has not counted
 * yet are the explained part of any difference); anything else is drift (repair: forget the SKU's apply state and
 * pull, which sets it absolutely). SKUs the ERP does not have are left to the unknown-SKU exceptions.
 */
export function compareStock(s: StoreStock, ats: number | undefined): ReconcileItem | null {
  if (ats === undefined) return null;
  const expected = ats - s.in_flight;
  const drift = s.stock - expected;
  if (drift === 0) return null;
  const flight = s.in_flight > 0 ? ` minus ${s.in_flight} in flight` : '';
  return {
    class: 'stock_drift', object_type: 'sku', object_key: s.sku, repairable: true,
    message: `SKU ${s.sku}: WooCommerce shows ${s.stock}, the ERP's available-to-sell is ${ats}${flight} = ${expected} (drift ${drift > 0 ? '+' : ''}${drift}). Repair resets it on the next pull.`,
    details: { wc_stock: s.stock, erp_ats: ats, in_flight: s.in_flight, expected, drift, last_erp_ats: s.last_erp_ats },
  };
}
