/**
 * External-id links between WooCommerce and Dolibarr, and the `sqlfilters` that find them.
 * Dolibarr has no uniqueness on `ref_client` / `ref_ext` (fixture 09d), so these references are how the
 * adapter finds what it already created after a crash or a timeout-after-commit.
 */
import { createHash } from 'node:crypto';
import type { Order } from '../../canonical/index.js';

/** Order → `ref_ext` on the Dolibarr order: the correlation id, one id for the order everywhere. */
export function orderRefExt(order: Order): string {
  return order.correlationId;
}

/** Order → `ref_client` ("customer reference") on the Dolibarr order, e.g. `WC-1001`. */
export function orderRefClient(order: Order, prefix: string): string {
  return `${prefix}${order.number}`;
}

/** Customer → `ref_ext` on the thirdparty: the WooCommerce customer id, or a hash of the email for guests. */
export function customerRefExt(order: Order): string {
  if (order.customer.wcId > 0) return `wc-customer-${order.customer.wcId}`;
  const hash = createHash('sha256').update(order.customer.email.trim().toLowerCase()).digest('hex').slice(0, 20);
  return `wc-customer-${hash}`;
}

/**
 * Values that can be placed inside `'…'` in a Dolibarr 20 sqlfilter without any escaping. Dolibarr's
 * sqlfilters parser splits on `:`, `(`, `)` and quotes, and an `in` list on `','`; a wrongly quoted value
 * produces a 400 or a 503 SQL error (fixtures 92c, 92i). Anything outside this set is looked up another way.
 */
const SAFE_VALUE = /^[A-Za-z0-9 ._@+#/-]+$/;

export function isSqlSafe(value: string): boolean {
  return SAFE_VALUE.test(value) && value.length <= 128;
}

function quote(value: string): string {
  if (!isSqlSafe(value)) throw new Error(`unsafe sqlfilters value`);
  return `'${value}'`;
}

/** `(t.field:=:'value')` */
export function eqFilter(field: string, value: string): string {
  return `(t.${field}:=:${quote(value)})`;
}

/** `(t.field:in:'A','B')` — each value quoted separately (fixture 01e, not 92i). */
export function inFilter(field: string, values: readonly string[]): string {
  return `(t.${field}:in:${values.map(quote).join(',')})`;
}

/** `(a) or (b)` */
export function anyOf(...filters: string[]): string {
  return filters.join(' or ');
}
