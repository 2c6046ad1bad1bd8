/**
 * ErpAdapter for Dolibarr 20 (REST API). Writes are serialised by the client (`writeConcurrency`, default 1):
 * Dolibarr deadlocks and races for the next order number under concurrent writes (fixtures README,
 * "Throughput"); reads (the lookups that make sync state-based) run in parallel across pipelines.
 * Every create is preceded by a lookup by external reference, because Dolibarr has no uniqueness on
 * ref_client / ref_ext: a replay after a timeout-after-commit finds the committed document instead of
 * creating a second one.
 */
import type { Logger } from 'pino';
import type { Order } from '../../canonical/index.js';
import type { StockReading } from '../../canonical/stock.js';
import { NeedsHumanError } from '../../common/errors.js';
import { KeyedMutex } from '../../common/keyed-mutex.js';
import type { ErpAdapter, ErpOrderState, OrderStep, StockChanges } from '../../ports/erp.js';
import { type DolibarrClient, NOT_MODIFIED, segment } from './client.js';
import { CountryIds } from './countries.js';
import { DolibarrLookups } from './lookups.js';
import { toOrderBody, toThirdpartyBody } from './mapper.js';
import { CreatedId, OrderSummary, Status } from './schemas.js';
import { readDolibarrStock } from './stock.js';
import { readDolibarrStockChanges } from './stock-changes.js';

export interface DolibarrAdapterConfig {
  /** Warehouse whose stock is decremented when an order is validated. */
  warehouseId: number;
  /** Bank account for payments (used by later steps). */
  bankAccountId?: number;
  /** Prefix of `ref_client`, e.g. `WC-` → `WC-1001`. */
  refClientPrefix: string;
  /** Order pipelines at once. */
  concurrency: number;
}

export class DolibarrAdapter implements ErpAdapter {
  readonly name = 'dolibarr';
  readonly maxConcurrency: number;
  readonly countsStockAt = 'validate_order' as const;
  private readonly lookups: DolibarrLookups;
  private readonly countries: CountryIds;
  /** Customer find-or-create per e-mail, so two pipelines of one customer never both create a thirdparty. */
  private readonly customerLock = new KeyedMutex();

  constructor(private readonly client: DolibarrClient, private readonly cfg: DolibarrAdapterConfig, private readonly logger?: Logger) {
    this.lookups = new DolibarrLookups(client, cfg.refClientPrefix);
    this.countries = new CountryIds(client, logger);
    this.maxConcurrency = cfg.concurrency;
  }

  readStock(refs?: string[]): Promise<StockReading[]> {
    return readDolibarrStock(this.client, refs ? { refs } : {});
  }

  readStockChanges(cursor: string | null): Promise<StockChanges> {
    return readDolibarrStockChanges(this.client, cursor);
  }

  async ping(): Promise<{ version: string }> {
    return { version: await this.client.get('/status', {}, Status) };
  }

  async findOrderState(order: Order): Promise<ErpOrderState> {
    const so = await this.lookups.salesOrder(order);
    let customer = await this.lookups.customer(order);
    if (!customer && so?.socid) customer = await this.lookups.thirdpartyById(so.socid);
    const state: ErpOrderState = {};
    if (customer) state.customer = this.lookups.customerDoc(customer);
    if (so) state.salesOrder = this.lookups.orderDoc(so);
    return state;
  }

  async runStep(step: OrderStep, order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    switch (step) {
      case 'customer': return this.ensureCustomer(order, state);
      case 'sales_order': return this.ensureSalesOrder(order, state);
      case 'validate_order': return this.ensureValidated(order, state);
    }
  }

  async findMissingProducts(refs: string[]): Promise<string[]> {
    const ids = await this.lookups.productIdsFor(refs);
    return [...new Set(refs)].filter((r) => !ids.has(r));
  }

  private async ensureCustomer(order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    if (state.customer) return state;
    return this.customerLock.run(order.customer.email.toLowerCase(), () => this.findOrCreateCustomer(order, state));
  }

  private async findOrCreateCustomer(order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    const existing = await this.lookups.customer(order);
    if (existing) return { ...state, customer: this.lookups.customerDoc(existing) };
    const countryId = await this.countries.idFor(order.customer.billing.country);
    const id = await this.client.post('/thirdparties', toThirdpartyBody(order, countryId), CreatedId);
    this.logger?.info({ correlationId: order.correlationId, thirdpartyId: id }, 'dolibarr customer created');
    const created = await this.lookups.thirdpartyById(id);
    const doc = created ? this.lookups.customerDoc(created) : this.lookups.customerDoc({ id, name: order.customer.name });
    return { ...state, customer: doc };
  }

  private async ensureSalesOrder(order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    if (state.salesOrder) return state;
    const withCustomer = await this.ensureCustomer(order, state);
    // Look up immediately before creating: the previous attempt may have committed and then timed out.
    const existing = await this.lookups.salesOrder(order);
    if (existing) return { ...withCustomer, salesOrder: this.lookups.orderDoc(existing) };
    const body = toOrderBody(order, {
      socid: Number(withCustomer.customer?.id),
      productIds: await this.resolveProducts(order),
      refClientPrefix: this.cfg.refClientPrefix,
    });
    const id = await this.client.post('/orders', body, CreatedId);
    this.logger?.info({ correlationId: order.correlationId, orderId: id }, 'dolibarr sales order created');
    const draft: OrderSummary = { id, ref: `(PROV${id})`, statut: 0, ref_client: body.ref_client, ref_ext: body.ref_ext };
    return { ...withCustomer, salesOrder: this.lookups.orderDoc(draft) };
  }

  private async resolveProducts(order: Order): Promise<Map<string, number>> {
    const services = order.shipping.flatMap((s) => (s.erpRef === undefined ? [] : [s.erpRef]));
    const refs = [...order.lines.map((l) => l.erpRef), ...services];
    const ids = await this.lookups.productIdsFor(refs);
    const missingServices = order.shipping.filter((s) => s.erpRef !== undefined && !ids.has(s.erpRef));
    if (missingServices.length > 0) {
      const list = missingServices.map((s) => `${s.methodId} → ${s.erpRef ?? ''}`).join(', ');
      throw new NeedsHumanError('unmapped_shipping', `Order #${order.number} maps shipping to Dolibarr services that do not exist: ${list}. Create them in Dolibarr or fix the shipping mapping.`,
        { methodIds: missingServices.map((s) => s.methodId), erpRefs: missingServices.map((s) => s.erpRef) });
    }
    const missing = order.lines.filter((l) => !ids.has(l.erpRef));
    if (missing.length > 0) {
      const list = missing.map((l) => (l.sku === l.erpRef ? l.sku : `${l.sku} (Dolibarr ref ${l.erpRef})`)).join(', ');
      throw new NeedsHumanError('unmapped_sku', `Order #${order.number} has products that do not exist in Dolibarr: ${list}. Create them in Dolibarr or map the SKUs.`,
        { skus: missing.map((l) => l.sku), erpRefs: missing.map((l) => l.erpRef) });
    }
    return ids;
  }

  private async ensureValidated(order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    const so = state.salesOrder;
    if (!so) throw new NeedsHumanError('step_order', `Order #${order.number} has no Dolibarr sales order to validate yet.`, { step: 'validate_order' });
    if (so.validated) return state;
    const res = await this.client.postIdempotent(`/orders/${segment(so.id)}/validate`, { idwarehouse: this.cfg.warehouseId, notrigger: 0 }, OrderSummary);
    // 304: validated already (e.g. an earlier attempt committed and timed out); fetch the final ref.
    const validated = res === NOT_MODIFIED ? await this.lookups.orderById(so.id) : res;
    this.logger?.info({ correlationId: order.correlationId, orderId: so.id, ref: validated.ref }, 'dolibarr sales order validated');
    return { ...state, salesOrder: this.lookups.orderDoc(validated) };
  }
}
