/**
 * ErpAdapter for Dolibarr 20 (REST API). Writes are serialised by the client (`writeConcurrency`, default 1):
 * Dolibarr deadlocks and races for the next order number under concurrent writes (fixtures README,
 * "Throughput"); reads (the lookups that make sync state-based) run in parallel across pipelines, and lookups of
 * different orders made at the same moment share one request. Orders are found by `ref_ext` (the correlation id)
 * only, and adopted only when provably ours (ownership.ts); sales orders are created as drafts and deduplicated
 * before validation (sales-orders.ts).
 */
import type { Logger } from 'pino';
import type { Order } from '../../canonical/index.js';
import type { StockReading } from '../../canonical/stock.js';
import type { ErpAdapter, ErpOrderState, ErpOrderSummary, OrderStep, ProductChanges, ProductQuery, ShipmentChanges, StockChanges } from '../../ports/erp.js';
import type { DolibarrClient } from './client.js';
import { CountryIds } from './countries.js';
import { readDolibarrProducts } from './products.js';
import { DolibarrCustomers } from './customers.js';
import { DolibarrFinance } from './finance.js';
import { DolibarrLookups } from './lookups.js';
import { runOrderStep, type OrderStepRunners } from '../order-steps.js';
import { resolveOurs } from './ownership.js';
import { DolibarrSalesOrders } from './sales-orders.js';
import { Status } from './schemas.js';
import { readDolibarrStock } from './stock.js';
import { readDolibarrStockChanges } from './stock-changes.js';
import { readDolibarrShipments, type ShipmentReadOptions } from './shipments.js';

export interface DolibarrAdapterConfig {
  /** Warehouse whose stock is decremented when an order is validated. */
  warehouseId: number;
  /** Bank account for payments when the payment-method mapping names none. */
  bankAccountId?: number;
  /** Prefix of `ref_client`, e.g. `WC-` → `WC-1001` (a label for people; orders are found by `ref_ext`). */
  refClientPrefix: string;
  /** Order pipelines at once. */
  concurrency: number;
  /** How long after a create with unknown outcome Dolibarr may still commit it, in ms. */
  commitGraceMs: number;
  /** Shipments read back to WooCommerce (window, clock offset). @defaultValue see ShipmentReadOptions */
  shipments?: Partial<ShipmentReadOptions>;
}

export class DolibarrAdapter implements ErpAdapter {
  readonly name = 'dolibarr';
  readonly maxConcurrency: number;
  readonly countsStockAt = 'validate_order' as const;
  private readonly lookups: DolibarrLookups;
  private readonly customers: DolibarrCustomers;
  private readonly salesOrders: DolibarrSalesOrders;
  private readonly finance: DolibarrFinance;
  private readonly steps: OrderStepRunners;

  private readonly shipmentOptions: Partial<ShipmentReadOptions>;

  constructor(private readonly client: DolibarrClient, cfg: DolibarrAdapterConfig, logger?: Logger) {
    this.shipmentOptions = cfg.shipments ?? {};
    this.lookups = new DolibarrLookups(client);
    this.customers = new DolibarrCustomers(client, this.lookups, new CountryIds(client, logger), logger);
    this.salesOrders = new DolibarrSalesOrders(client, this.lookups, this.customers, cfg, logger);
    this.finance = new DolibarrFinance(client, this.lookups, cfg, logger);
    this.steps = {
      customer: async (order) => this.lookups.customerDoc(await this.customers.ensure(order)),
      salesOrder: (order, state) => this.salesOrders.ensure(order, state),
      validateOrder: (order, state) => this.salesOrders.validate(order, state),
      finance: this.finance,
    };
    this.maxConcurrency = cfg.concurrency;
  }

  readStock(refs?: string[]): Promise<StockReading[]> {
    return readDolibarrStock(this.client, refs ? { refs } : {});
  }

  readStockChanges(cursor: string | null): Promise<StockChanges> {
    return readDolibarrStockChanges(this.client, cursor);
  }

  /** Reconciliation: sales orders by `ref_ext` (statut -1 cancelled, 0 draft, 1–3 validated/shipping/closed). */
  async findOrdersByRefExt(refExts: string[]): Promise<Map<string, ErpOrderSummary[]>> {
    const found = await this.lookups.ordersByRefExts(refExts);
    const out = new Map<string, ErpOrderSummary[]>();
    for (const [ref, list] of found) {
      out.set(ref, list.map((o) => ({
        id: String(o.id), ref: o.ref, status: o.statut < 0 ? 'cancelled' : o.statut === 0 ? 'draft' : 'validated',
        total: o.total_ttc === null || o.total_ttc === undefined ? null : String(o.total_ttc),
      })));
    }
    return out;
  }

  readProducts(query: ProductQuery): Promise<ProductChanges> {
    return readDolibarrProducts(this.client, query);
  }

  readShipments(cursor: string | null): Promise<ShipmentChanges> {
    return readDolibarrShipments(this.client, cursor, { now: Date.now, ...this.shipmentOptions });
  }

  async ping(): Promise<{ version: string }> {
    return { version: await this.client.get('/status', {}, Status) };
  }

  /**
   * The customer (remembered, or looked up) and our sales order (batched lookup by ref_ext). Without a customer
   * there is no order of ours to find (ours are created after their customer), so the order lookup is left to the
   * sales-order step, which looks up inside the write slot before creating anyway (and names a foreign one).
   */
  async findOrderState(order: Order): Promise<ErpOrderState> {
    const customer = await this.customers.find(order);
    if (!customer) return {};
    const state: ErpOrderState = { customer: this.lookups.customerDoc(customer) };
    const { survivor } = resolveOurs(order, await this.lookups.salesOrders(order), customer.id);
    if (survivor) state.salesOrder = this.lookups.orderDoc(survivor);
    // Invoices, credit notes and payments are looked up only for orders that can have them (paid, completed, refunded, withdrawn).
    return DolibarrFinance.relevant(order, state) ? this.finance.findState(order, state) : state;
  }

  runStep(step: OrderStep, order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    return runOrderStep(step, order, state, this.steps);
  }

  async findMissingProducts(refs: string[]): Promise<string[]> {
    const ids = await this.lookups.productIdsFor(refs);
    return [...new Set(refs)].filter((r) => !ids.has(r));
  }
}
