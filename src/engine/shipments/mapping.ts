/**
 * ERP shipment → the `shipments/apply` wire item (pure). Only shipments of orders Syncline pushed are sent: the
 * ERP order carries our correlation id in its external reference and `<prefix><WooCommerce order id>` as its
 * customer reference. WordPress checks that the two agree before it touches the order.
 */
import type { ErpShipment } from '../../ports/erp.js';
import type { ShipmentApplyItem } from '../../wp/shipments.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The longest text WordPress keeps for a carrier, a tracking number or a reference. */
export const MAX_TEXT = 191;
export const MAX_URL = 2048;

export type WireDecision =
  | { kind: 'send'; item: ShipmentApplyItem }
  /** `foreign_order`: the ERP order was not pushed by Syncline; `no_product_lines`: nothing a store line can match. */
  | { kind: 'skip'; reason: 'foreign_order' | 'no_product_lines' };

function text(v: string | null, max = MAX_TEXT): string | null {
  const t = [...(v ?? '')].filter((c) => c.charCodeAt(0) > 0x1f && c.charCodeAt(0) !== 0x7f).join('').trim();
  return t === '' ? null : t.slice(0, max);
}

/** The WooCommerce order id in a customer reference `<prefix><id>`, or null. */
export function orderIdOf(refClient: string | null, prefix: string): number | null {
  if (refClient === null || !refClient.startsWith(prefix)) return null;
  const rest = refClient.slice(prefix.length);
  if (!/^[1-9]\d{0,17}$/.test(rest)) return null;
  const id = Number(rest);
  return Number.isSafeInteger(id) ? id : null;
}

export function toWire(s: ErpShipment, refClientPrefix: string): WireDecision {
  const orderId = orderIdOf(s.order.refClient, refClientPrefix);
  if (orderId === null || s.order.refExt === null || !UUID.test(s.order.refExt)) return { kind: 'skip', reason: 'foreign_order' };
  // WooCommerce counts whole units: a fractional quantity (a product sold by weight) cannot match a store line.
  const lines = s.lines.filter((l) => Number.isInteger(l.qty) && l.qty > 0 && l.ref.length <= MAX_TEXT).map((l) => ({ ref: l.ref, qty: l.qty }));
  if (lines.length === 0) return { kind: 'skip', reason: 'no_product_lines' };
  const url = s.trackingUrl !== null && s.trackingUrl.length <= MAX_URL ? s.trackingUrl : null;
  return {
    kind: 'send',
    item: {
      shipment_id: s.id, ref: text(s.ref) ?? s.id, order_id: orderId, correlation_id: s.order.refExt.toLowerCase(), state: s.state,
      carrier: text(s.carrier), tracking_number: text(s.trackingNumber), tracking_url: url,
      shipped_at: s.shippedAt, lines,
    },
  };
}

/** What identifies the content of an item, to send a shipment again only when it changed. */
export function fingerprint(item: ShipmentApplyItem): string {
  return JSON.stringify([item.order_id, item.state, item.carrier, item.tracking_number, item.tracking_url, item.lines]);
}
