/**
 * External-id links between WooCommerce and Odoo. Odoo has no uniqueness on `client_order_ref` or on a partner's
 * `ref` either, so these keys are what the adapter searches for before every create, and after a crash or a
 * timeout-after-commit:
 * - sale.order `origin` ("Source Document") = `syncline:<correlation id>`: the site-unique key (a UUID v5 in the
 *   site's namespace); `client_order_ref` (`WC-553`) is only a label for people.
 * - res.partner `ref` ("Reference") = the customer key, the same one the Dolibarr adapter uses (`wc-customer-<id>`,
 *   or a hash of the e-mail for guests).
 */
import { createHash } from 'node:crypto';
import type { Order } from '../../canonical/index.js';

export const ORDER_KEY_PREFIX = 'syncline:';

export function orderKey(order: Order): string {
  return `${ORDER_KEY_PREFIX}${order.correlationId}`;
}

export function clientOrderRef(order: Order, prefix: string): string {
  return `${prefix}${order.number}`;
}

export function customerKey(order: Order): string {
  if (order.customer.wcId > 0) return `wc-customer-${order.customer.wcId}`;
  return `wc-customer-${createHash('sha256').update(normalEmail(order.customer.email)).digest('hex').slice(0, 20)}`;
}

export function normalEmail(email: string): string {
  return email.trim().toLowerCase();
}
