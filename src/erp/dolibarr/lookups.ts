/**
 * Read-only lookups: the sales orders of a WooCommerce order (by `ref_ext` only, see ownership.ts), thirdparties,
 * product ids. Sales orders are always asked of Dolibarr (never a local record of what was created), so a replay
 * sees what was committed; lookups of different orders made within a few ms go out as one request.
 */
import type { ErpDocument } from '../../ports/erp.js';
import type { Order } from '../../canonical/index.js';
import { WindowedLookups } from '../windowed-lookups.js';
import { anyOf, eqFilter, inFilter, isSqlSafe, orderRefExt } from './binder.js';
import { type DolibarrClient, NOT_FOUND, segment } from './client.js';
import { OrderList, OrderSummary, ProductRef, ProductRefList, Thirdparty, ThirdpartyList } from './schemas.js';

export type SalesOrderDoc = ErpDocument & { validated: boolean; cancelled?: boolean };

const PRODUCT_CHUNK = 100;
/** Characters Dolibarr's injection protection refuses in a URL path (403 "SQL or Script injection protection"). */
const PATH_REFUSED = /['()]/;
/** Only what ownership and state need: a full order with its lines is ~25 times bigger. */
const ORDER_PROPERTIES = 'id,ref,ref_client,ref_ext,statut,socid,total_ttc';
/** The order lookups' window while no write runs (windowed-lookups.ts). */
const IDLE_WINDOW_MS = 10;

export class DolibarrLookups {
  /** ERP product ref → Dolibarr product id, for the life of this adapter (refs are unique in Dolibarr). */
  private readonly productIds = new Map<string, number>();
  private readonly ordersByRefExt: WindowedLookups<OrderSummary[]>;
  /** Customer lookups in flight: pipelines of one customer's orders started together share one request. */
  private readonly customerLookups = new Map<string, Promise<unknown>>();
  /** Product ref → the request in flight that resolves it: pipelines started together ask for a SKU once. */
  private readonly productLoads = new Map<string, Promise<void>>();

  constructor(private readonly client: DolibarrClient) {
    this.ordersByRefExt = new WindowedLookups((refs) => this.loadOrders(refs), client.writeSlots, IDLE_WINDOW_MS);
  }

  orderDoc(o: OrderSummary): SalesOrderDoc {
    // Withdrawn (issue 8): cancelled, or set back to draft after validation (a draft with a final ref, not `(PROV…)`).
    const cancelled = o.statut === -1 || (o.statut === 0 && !o.ref.startsWith('(PROV'));
    return { type: 'sales_order', id: String(o.id), ref: o.ref, url: `${this.client.webRoot}/commande/card.php?id=${o.id}`, validated: o.statut >= 1, ...(cancelled ? { cancelled } : {}) };
  }

  customerDoc(t: Thirdparty): ErpDocument {
    const ref = t.code_client ?? t.name ?? String(t.id);
    return { type: 'customer', id: String(t.id), ref, url: `${this.client.webRoot}/societe/card.php?socid=${t.id}` };
  }

  /**
   * Every sales order carrying this order's `ref_ext`, lowest id first (batched with other orders' lookups, always
   * asked of Dolibarr). `patient`: may wait a little longer for the next in-slot lookup to carry it (the re-lookup
   * after a create).
   */
  salesOrders(order: Order, patient = false): Promise<OrderSummary[]> {
    const refExt = orderRefExt(order);
    if (!isSqlSafe(refExt)) return this.orderByRefExtPath(refExt);
    return this.ordersByRefExt.get(refExt, patient);
  }

  /**
   * The same, sent at once (inside a write slot, where waiting for the window would hold the slot); lookups other
   * pipelines are waiting for (e.g. the re-lookup after the previous create) ride along in the same request.
   */
  async salesOrdersNow(order: Order): Promise<OrderSummary[]> {
    const refExt = orderRefExt(order);
    if (!isSqlSafe(refExt)) return this.orderByRefExtPath(refExt);
    return this.ordersByRefExt.getNow(refExt);
  }

  /** Reconciliation: every sales order of each reference, in one request per call (not batched with pipelines). */
  async ordersByRefExts(refs: string[]): Promise<Map<string, OrderSummary[]>> {
    const safe = refs.filter(isSqlSafe);
    const out = safe.length > 0 ? await this.loadOrders(safe) : new Map<string, OrderSummary[]>();
    for (const r of refs.filter((x) => !isSqlSafe(x))) out.set(r, await this.orderByRefExtPath(r));
    return out;
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
  thirdpartiesByRefExt(refExt: string): Promise<Thirdparty[]> {
    if (!isSqlSafe(refExt)) return Promise.resolve([]);
    return this.sharedCustomerLookup(`ref_ext:${refExt}`, async () => {
      const list = await this.client.find('/thirdparties', { sqlfilters: eqFilter('ref_ext', refExt), limit: 5 }, ThirdpartyList);
      return list === NOT_FOUND ? [] : [...list].sort((a, b) => a.id - b.id);
    });
  }

  /**
   * The thirdparty carrying the customer key `refExt`, else one with this e-mail (lowest id first): one search,
   * `(t.ref_ext:=:…) or (t.email:=:…)`, where both values can be quoted; else the two lookups one after the other.
   * A new customer costs one lookup instead of two.
   */
  async thirdpartyByRefExtOrEmail(refExt: string, email: string): Promise<Thirdparty | undefined> {
    const mail = email.trim();
    if (!isSqlSafe(refExt) || !isSqlSafe(mail)) return (await this.thirdpartiesByRefExt(refExt))[0] ?? this.thirdpartyByEmail(mail);
    return this.sharedCustomerLookup(`either:${refExt}\n${mail.toLowerCase()}`, async () => {
      const sqlfilters = anyOf(eqFilter('ref_ext', refExt), eqFilter('email', mail));
      const list = await this.client.find('/thirdparties', { sqlfilters, limit: 50, sortfield: 't.rowid', sortorder: 'ASC' }, ThirdpartyList);
      if (list === NOT_FOUND) return undefined;
      const sorted = [...list].sort((a, b) => a.id - b.id);
      return sorted.find((t) => t.ref_ext === refExt) ?? sorted.find((t) => (t.email ?? '').trim().toLowerCase() === mail.toLowerCase());
    });
  }

  thirdpartyByEmail(email: string): Promise<Thirdparty | undefined> {
    if (PATH_REFUSED.test(email)) return Promise.resolve(undefined);
    return this.sharedCustomerLookup(`email:${email.trim()}`, async () => {
      const found = await this.client.find(`/thirdparties/email/${segment(email.trim())}`, {}, Thirdparty);
      return found === NOT_FOUND ? undefined : found;
    });
  }

  /**
   * One request for every caller that asks while it is in flight (the orders of one customer leased together each
   * look the customer up before any of them remembers it). A caller that asks after it answered asks again.
   */
  private sharedCustomerLookup<T>(key: string, load: () => Promise<T>): Promise<T> {
    const running = this.customerLookups.get(key) as Promise<T> | undefined;
    if (running) return running;
    const p = load().finally(() => this.customerLookups.delete(key));
    this.customerLookups.set(key, p);
    return p;
  }

  async thirdpartyById(id: string | number): Promise<Thirdparty | undefined> {
    const found = await this.client.find(`/thirdparties/${segment(id)}`, {}, Thirdparty);
    return found === NOT_FOUND ? undefined : found;
  }

  /** Resolves refs to product ids (cached); refs absent from Dolibarr are simply missing from the map. */
  async productIdsFor(refs: readonly string[]): Promise<Map<string, number>> {
    const wanted = [...new Set(refs)].filter((r) => !this.productIds.has(r));
    // A ref another pipeline is resolving right now is awaited, not asked again (a lease's orders share SKUs).
    const inFlight = wanted.flatMap((r) => this.productLoads.get(r) ?? []);
    const load = this.loadProducts(wanted.filter((r) => !this.productLoads.has(r)));
    await Promise.all([...new Set(inFlight), load]);
    const out = new Map<string, number>();
    for (const r of refs) {
      const id = this.productIds.get(r);
      if (id !== undefined) out.set(r, id);
    }
    return out;
  }

  /** Asks Dolibarr for the ids of `refs` (none of them known or in flight), noting the request as in flight for each. */
  private loadProducts(refs: string[]): Promise<void> {
    if (refs.length === 0) return Promise.resolve();
    const run = async (): Promise<void> => {
      const safe = refs.filter(isSqlSafe);
      for (let i = 0; i < safe.length; i += PRODUCT_CHUNK) {
        const chunk = safe.slice(i, i + PRODUCT_CHUNK);
        const list = await this.client.get('/products', { sqlfilters: inFilter('ref', chunk), properties: 'id,ref', limit: chunk.length }, ProductRefList);
        for (const p of list) this.productIds.set(p.ref, p.id);
      }
      // Dolibarr's WAF refuses ' ( ) in a URL path (403): such a ref cannot be looked up, so it counts as missing.
      for (const ref of refs.filter((r) => !isSqlSafe(r) && !PATH_REFUSED.test(r))) {
        const p = await this.client.find(`/products/ref/${segment(ref)}`, {}, ProductRef);
        if (p !== NOT_FOUND) this.productIds.set(p.ref, p.id);
      }
    };
    const p = run().finally(() => { for (const r of refs) if (this.productLoads.get(r) === p) this.productLoads.delete(r); });
    for (const r of refs) this.productLoads.set(r, p);
    return p;
  }
}
