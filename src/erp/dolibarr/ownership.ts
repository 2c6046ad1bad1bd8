/**
 * Which Dolibarr sales orders are this WooCommerce order's, and which one survives. The site-unique key is
 * `ref_ext` = the order's correlation id (a UUID v5 in the site's namespace, includes/Outbox/OutboxWriter.php);
 * `ref_client` (`WC-553`) is only a label: another shop, or this one after its numbers restarted, can carry it.
 * A document found with our `ref_ext` is ours only if its customer is ours and its total is ours to the cent;
 * anything else is a human's call, never adopted. Pure: no I/O.
 */
import type { Order } from '../../canonical/index.js';
import { NeedsHumanError } from '../../common/errors.js';
import { orderRefExt } from './binder.js';
import type { OrderSummary } from './schemas.js';
import { orderTotalText, sameTotalTtc } from './totals.js';

export interface Resolution {
  /** The one order to keep (validated if one is, else the draft with the lowest id). */
  survivor?: OrderSummary;
  /** Drafts of ours besides the survivor: safe to delete (drafts hold no stock). */
  extras: OrderSummary[];
}

const isDraft = (o: OrderSummary): boolean => o.statut === 0;

/** Why `o` is not ours, or undefined when it is. */
function notOurs(order: Order, o: OrderSummary, customerId: number | undefined): string | undefined {
  const reasons: string[] = [];
  const socid = o.socid ?? undefined;
  if (customerId === undefined) reasons.push(`its customer (thirdparty ${socid ?? '?'}) is not the customer Syncline knows for this order`);
  else if (socid !== customerId) reasons.push(`its customer is thirdparty ${socid ?? '?'}, this order's customer is thirdparty ${customerId}`);
  if (!sameTotalTtc(order, o.total_ttc)) reasons.push(`its total is ${o.total_ttc === null || o.total_ttc === undefined ? 'unknown' : Number(o.total_ttc).toFixed(2)} incl. tax, this order's is ${orderTotalText(order)}`);
  return reasons.length === 0 ? undefined : reasons.join(' and ');
}

/**
 * Sorts the orders found with this order's `ref_ext` (lowest id first). Throws NeedsHumanError
 * `erp_foreign_document` when one of them is not provably ours, `erp_duplicate` when more than one of ours is past
 * the draft stage (validated documents are never deleted by Syncline).
 */
export function resolveOurs(order: Order, found: readonly OrderSummary[], customerId: number | undefined): Resolution {
  const sorted = [...found].sort((a, b) => a.id - b.id);
  for (const o of sorted) {
    const why = notOurs(order, o, customerId);
    if (why === undefined) continue;
    throw new NeedsHumanError('erp_foreign_document',
      `Dolibarr order ${o.ref} (id ${o.id}) carries the external reference of WooCommerce order #${order.number} ` +
      `(${orderRefExt(order)}) but does not match it: ${why}. Syncline did not adopt it and sent nothing. ` +
      'In Dolibarr, either correct that order if it is this one (customer, lines), or clear its external reference ' +
      '(ref_ext) if it belongs elsewhere; then retry this order.',
      { orderNumber: order.number, refExt: orderRefExt(order), dolibarrId: o.id, dolibarrRef: o.ref, socid: o.socid ?? null, customerId: customerId ?? null, totalTtc: o.total_ttc ?? null, reason: why });
  }
  const kept = sorted.filter((o) => !isDraft(o));
  if (kept.length > 1) {
    const refs = kept.map((m) => `${m.ref} (id ${m.id})`);
    throw new NeedsHumanError('erp_duplicate',
      `Dolibarr already has ${kept.length} validated sales orders for WooCommerce order #${order.number}: ${refs.join(' and ')}. ` +
      'Cancel the extra ones in Dolibarr (and restore their stock), then retry.',
      { orderNumber: order.number, refs: kept.map((m) => m.ref), ids: kept.map((m) => m.id) });
  }
  const drafts = sorted.filter(isDraft);
  const survivor = kept[0] ?? drafts[0];
  return survivor === undefined ? { extras: [] } : { survivor, extras: drafts.filter((d) => d.id !== survivor.id) };
}
