/**
 * Read-only lookups: the sales orders of a WooCommerce order (by `ref_ext` only, see ownership.ts), thirdparties,
 * product ids. Sales orders are always asked of Dolibarr (never a local record of what was created), so a replay
 * sees what was committed; lookups of different orders made within a few ms go out as one request.
 */
import type { ErpDocument } from '../../ports/erp.js';
import type { Order } from '../../canonical/index.js';
import { Batcher } from '../batcher.js';
import { eqFilter, inFilter, isSqlSafe, orderRefExt } from './binder.js';
import { type DolibarrClient, NOT_FOUND, segment } from './client.js';
import { OrderList, OrderSummary, ProductRef, ProductRefList, Thirdparty, ThirdpartyList } from './schemas.js';

export type SalesOrderDoc = ErpDocument & { validated: boolean };

const PRODUCT_CHUNK = 100;
/** Characters Dolibarr's injection protection refuses in a URL path (403 "SQL or Script injection protection"). */
const PATH_REFUSED = /['()]/;
/** Only what ownership and state need: a full order with its lines is ~25 times bigger. */
const ORDER_PROPERTIES = 'id,ref,ref_client,ref_ext,statut,socid,total_ttc';
/** Lookups of different orders within this many ms share one request. */
const BATCH_WINDOW_MS = 4;
const BATCH_MAX_KEYS = 40;
/** The re-lookup after a create waits up to this long for the next create's in-slot lookup to carry it. */
const PATIENT_WINDOW_MS = 40;

export class DolibarrLookups {
  /** ERP product ref → Dolibarr product id, for the life of this adapter (refs are unique in Dolibarr). */
  private readonly productIds = new Map<string, number>();
  private readonly ordersByRefExt = new Batcher<string, OrderSummary[]>((refs) => this.loadOrders(refs), { windowMs: BATCH_WINDOW_MS, maxKeys: BATCH_MAX_KEYS });

  constructor(private readonly client: DolibarrClient) {}

  orderDoc(o: OrderSummary): SalesOrderDoc {
    return { type: 'sales_order', id: String(o.id), ref: o.ref, url: `${this.client.webRoot}/commande/card.php?id=${o.id}`, validated: o.statut >= 1 };
  }

  customerDoc(t: Thirdparty): ErpDocument {
    const ref = t.code_client ?? t.name ?? String(t.id);
    return { type: 'customer', id: String(t.id), ref, url: `${this.client.webRoot}/societe/card.php?socid=${t.id}` };
  }

  /**
   * Every sales order carrying this order's `ref_ext`, lowest id first (batched with other orders' lookups).
   * `patient`: may wait a little longer, for the next in-slot lookup to carry it (the re-lookup after a create).
   */
  salesOrders(order: Order, patient = false): Promise<OrderSummary[]> {
    const refExt = orderRefExt(order);
    if (!isSqlSafe(refExt)) return this.orderByRefExtPath(refExt);
    return this.ordersByRefExt.get(refExt, patient ? PATIENT_WINDOW_MS : BATCH_WINDOW_MS);
  }

  /**
   * The same, sent at once (inside a write slot, where waiting for the window would hold the slot); lookups other
   * pipelines are waiting for (e.g. the re-lookup after the previous create) ride along in the same request.
   */
  salesOrdersNow(order: Order): Promise<OrderSummary[]> {
    const refExt = orderRefExt(order);
    return isSqlSafe(refExt) ? this.ordersByRefExt.getNow(refExt) : this.orderByRefExtPath(refExt);
  }

  private async loadOrders(refs: string[]): Promise<Map<string, OrderSummary[]>> {
    const limit = Math.max(20, refs.length * 4);
    const sqlfilters = refs.length === 1 ? eqFilter('ref_ext', refs[0] ?? '') : inFilter('ref_ext', refs);
    const list = await this.client.get('/orders', { sqlfilters, limit, sortfield: 't.rowid', sortorder: 'ASC', properties: ORDER_PROPERTIES }, OrderList);
    if (list.length >= limit && refs.length > 1) {
      // Unusually many matches: ask per order so none is cut off by the limit.
      const each = await Promise.all(refs.map(async (r) => [r, (await this.loadOrders([r])).get(r) ?? []] as const));
      return new Map(each);
    }
    const out = new Map<string, OrderSummary[]>(refs.map((r) => [r, []]));
    for (const o of list) out.get(o.ref_ext ?? '')?.push(o);
    return out;
  }

  /** `GET /orders/ref_ext/{x}` for references sqlfilters cannot quote (answers one order at most). */
  private async orderByRefExtPath(refExt: string): Promise<OrderSummary[]> {
    const one = await this.client.find(`/orders/ref_ext/${segment(refExt)}`, {}, OrderSummary);
    return one === NOT_FOUND ? [] : [one];
  }

  async orderById(id: string | number): Promise<OrderSummary> {
    return this.client.get(`/orders/${segment(id)}`, {}, OrderSummary);
  }

  /** Thirdparties whose `ref_ext` is `refExt`, lowest id first; Dolibarr answers 404 to a search without match (06e, 06f). */
  async thirdpartiesByRefExt(refExt: string): Promise<Thirdparty[]> {
    if (!isSqlSafe(refExt)) return [];
    const list = await this.client.find('/thirdparties', { sqlfilters: eqFilter('ref_ext', refExt), limit: 5 }, ThirdpartyList);
    return list === NOT_FOUND ? [] : [...list].sort((a, b) => a.id - b.id);
  }

  async thirdpartyByEmail(email: string): Promise<Thirdparty | undefined> {
    if (PATH_REFUSED.test(email)) return undefined;
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
    // Dolibarr's WAF refuses ' ( ) in a URL path (403): such a ref cannot be looked up, so it counts as missing.
    for (const ref of wanted.filter((r) => !isSqlSafe(r) && !PATH_REFUSED.test(r))) {
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
