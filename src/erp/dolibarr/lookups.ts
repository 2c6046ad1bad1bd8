/**
 * Read-only lookups by external reference: the sales order of a WooCommerce order, its customer, product ids.
 * Always asks Dolibarr (never a local record of what was created), so a replay sees what was committed.
 */
import type { Order } from '../../canonical/index.js';
import type { ErpDocument } from '../../ports/erp.js';
import { NeedsHumanError } from '../../common/errors.js';
import { anyOf, customerRefExt, eqFilter, inFilter, isSqlSafe, orderRefClient, orderRefExt } from './binder.js';
import { type DolibarrClient, NOT_FOUND, segment } from './client.js';
import { OrderList, OrderSummary, ProductRef, ProductRefList, Thirdparty, ThirdpartyList } from './schemas.js';

export type SalesOrderDoc = ErpDocument & { validated: boolean };

const PRODUCT_CHUNK = 100;

export class DolibarrLookups {
  /** ERP product ref → Dolibarr product id, for the life of this adapter (refs are unique in Dolibarr). */
  private readonly productIds = new Map<string, number>();

  constructor(private readonly client: DolibarrClient, private readonly refClientPrefix: string) {}

  orderDoc(o: OrderSummary): SalesOrderDoc {
    return { type: 'sales_order', id: String(o.id), ref: o.ref, url: `${this.client.webRoot}/commande/card.php?id=${o.id}`, validated: o.statut >= 1 };
  }

  customerDoc(t: Thirdparty): ErpDocument {
    const ref = t.code_client ?? t.name ?? String(t.id);
    return { type: 'customer', id: String(t.id), ref, url: `${this.client.webRoot}/societe/card.php?socid=${t.id}` };
  }

  /** The order's sales order, by ref_ext or ref_client; more than one match is a human's problem. */
  async salesOrder(order: Order): Promise<OrderSummary | undefined> {
    const matches = await this.ordersMatching(orderRefExt(order), orderRefClient(order, this.refClientPrefix));
    if (matches.length > 1) {
      const refs = matches.map((m) => `${m.ref} (id ${m.id}, ref_client ${m.ref_client ?? '-'})`);
      throw new NeedsHumanError('erp_duplicate',
        `Dolibarr already has ${matches.length} sales orders for WooCommerce order #${order.number}: ${refs.join(' and ')}. ` +
        'Delete or cancel the extra ones in Dolibarr, then retry.',
        { orderNumber: order.number, refs: matches.map((m) => m.ref), ids: matches.map((m) => m.id) });
    }
    return matches[0];
  }

  private async ordersMatching(refExt: string, refClient: string): Promise<OrderSummary[]> {
    const filters: string[] = [];
    if (isSqlSafe(refExt)) filters.push(eqFilter('ref_ext', refExt));
    if (isSqlSafe(refClient)) filters.push(eqFilter('ref_client', refClient));
    const found: OrderSummary[] = filters.length === 0 ? [] : await this.client.get('/orders', { sqlfilters: anyOf(...filters), limit: 10 }, OrderList);
    if (!isSqlSafe(refExt)) {
      const one = await this.client.find(`/orders/ref_ext/${segment(refExt)}`, {}, OrderSummary);
      if (one !== NOT_FOUND) found.push(one);
    }
    const byId = new Map(found.map((o) => [o.id, o]));
    return [...byId.values()].sort((a, b) => a.id - b.id);
  }

  async orderById(id: string): Promise<OrderSummary> {
    return this.client.get(`/orders/${segment(id)}`, {}, OrderSummary);
  }

  /** The customer: thirdparty with our ref_ext first, then by email. */
  async customer(order: Order): Promise<Thirdparty | undefined> {
    const refExt = customerRefExt(order);
    if (isSqlSafe(refExt)) {
      // A thirdparties search that matches nothing answers 404 "Thirdparties not found" (fixtures 06e, 06f).
      const list = await this.client.find('/thirdparties', { sqlfilters: eqFilter('ref_ext', refExt), limit: 5 }, ThirdpartyList);
      const first = list === NOT_FOUND ? undefined : [...list].sort((a, b) => a.id - b.id)[0];
      if (first) return first;
    }
    return this.customerByEmail(order.customer.email);
  }

  async customerByEmail(email: string): Promise<Thirdparty | undefined> {
    const found = await this.client.find(`/thirdparties/email/${segment(email.trim())}`, {}, Thirdparty);
    return found === NOT_FOUND ? undefined : found;
  }

  async thirdpartyById(id: string | number): Promise<Thirdparty | undefined> {
    const found = await this.client.find(`/thirdparties/${segment(id)}`, {}, Thirdparty);
    return found === NOT_FOUND ? undefined : found;
  }

  /** Resolves refs to product ids (cached); refs absent from Dolibarr are simply missing from the map. */
  async productIdsFor(refs: readonly string[]): Promise<Map<string, number>> {
    const wanted = [...new Set(refs)].filter((r) => !this.productIds.has(r));
    const safe = wanted.filter(isSqlSafe);
    for (let i = 0; i < safe.length; i += PRODUCT_CHUNK) {
      const chunk = safe.slice(i, i + PRODUCT_CHUNK);
      const list = await this.client.get('/products', { sqlfilters: inFilter('ref', chunk), properties: 'id,ref', limit: chunk.length }, ProductRefList);
      for (const p of list) this.productIds.set(p.ref, p.id);
    }
    for (const ref of wanted.filter((r) => !isSqlSafe(r))) {
      const p = await this.client.find(`/products/ref/${segment(ref)}`, {}, ProductRef);
      if (p !== NOT_FOUND) this.productIds.set(p.ref, p.id);
    }
    const out = new Map<string, number>();
    for (const r of refs) {
      const id = this.productIds.get(r);
      if (id !== undefined) out.set(r, id);
    }
    return out;
  }
}
