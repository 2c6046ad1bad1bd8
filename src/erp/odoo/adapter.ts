/**
 * ErpAdapter for Odoo 17 (JSON-RPC). Every order step Dolibarr has: customer (res.partner), sales_order (a
 * quotation, sale.order), validate_order (`action_confirm`, where Odoo reserves stock: `countsStockAt`), and the
 * finance steps in finance.ts (invoice, payment, credit notes, their money paid back, cancellation).
 * Orders are found by their key in `origin` only (binder.ts) and adopted only when provably ours
 * (sales-orders.ts). Writes go one at a time by default (`writeConcurrency`); reads run in parallel.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Order } from '../../canonical/index.js';
import type { StockReading } from '../../canonical/stock.js';
import { needsFinanceState } from '../../engine/plan.js';
import type { ErpAdapter, ErpCapabilities, ErpOrderState, OrderStep, ShipmentChanges, StockChanges } from '../../ports/erp.js';
import type { OdooClient } from './client.js';
import { OdooCustomers } from './customers.js';
import { OdooFinance } from './finance.js';
import { OdooLookups } from './lookups.js';
import { runOrderStep, type OrderStepRunners } from '../order-steps.js';
import { OdooSalesOrders, type SalesOrderConfig } from './sales-orders.js';
import { readOdooShipments, type OdooShipmentReadOptions } from './shipments.js';
import { readOdooStock, readOdooStockChanges } from './stock.js';

export interface OdooAdapterConfig extends SalesOrderConfig {
  concurrency: number;
  /** Shipments read back to WooCommerce (window, page size). @defaultValue see OdooShipmentReadOptions */
  shipments?: Partial<OdooShipmentReadOptions>;
}

export class OdooAdapter implements ErpAdapter {
  readonly name = 'odoo';
  readonly maxConcurrency: number;
  /** Odoo reserves (and counts in `outgoing_qty`) at `action_confirm`. */
  readonly countsStockAt = 'validate_order' as const;
  readonly capabilities: ErpCapabilities = { stockCountedAt: 'validate_order', stockChangesSince: true, creditNotesLinked: true, orderKeyUnique: false };
  private readonly lookups: OdooLookups;
  private readonly customers: OdooCustomers;
  private readonly salesOrders: OdooSalesOrders;
  private readonly finance: OdooFinance;
  private readonly steps: OrderStepRunners;

  private readonly shipmentOptions: Partial<OdooShipmentReadOptions>;

  constructor(private readonly client: OdooClient, cfg: OdooAdapterConfig, logger?: Logger) {
    this.shipmentOptions = cfg.shipments ?? {};
    this.lookups = new OdooLookups(client);
    this.customers = new OdooCustomers(client);
    this.salesOrders = new OdooSalesOrders(client, this.lookups, this.customers, cfg, logger);
    this.finance = new OdooFinance(client, this.lookups, {
      shippingProductRef: cfg.shippingProductRef, commitGraceMs: cfg.commitGraceMs, ...(cfg.feeProductRef === undefined ? {} : { feeProductRef: cfg.feeProductRef }),
    }, logger);
    this.steps = {
      customer: async (order) => {
        const p = await this.customers.ensure(order);
        return this.salesOrders.customerDoc(p.id, p.name);
      },
      salesOrder: (order, state) => this.salesOrders.ensure(order, state),
      validateOrder: (order, state) => this.salesOrders.confirm(order, state),
      finance: this.finance,
    };
    this.maxConcurrency = cfg.concurrency;
  }

  async ping(): Promise<{ version: string }> {
    const v = await this.client.version();
    // A version answer needs no login: prove the credentials and the database too (a cheap authenticated read).
    await this.client.call('res.company', 'search_count', [[]], {}, z.number().int().positive());
    return { version: v.server_version };
  }

  async findOrderState(order: Order): Promise<ErpOrderState> {
    const partner = await this.customers.find(order);
    if (!partner) return {};
    const state: ErpOrderState = { customer: this.salesOrders.customerDoc(partner.id, partner.name) };
    const { survivor } = this.salesOrders.survivor(order, await this.salesOrders.search(order, partner.id), partner.id);
    if (survivor) state.salesOrder = this.salesOrders.doc(survivor);
    // Invoices, credit notes and payments are looked up only for orders that can have them (paid, completed, refunded, withdrawn).
    return needsFinanceState(order, state) ? this.finance.findState(order, state) : state;
  }

  runStep(step: OrderStep, order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    return runOrderStep(step, order, state, this.steps);
  }

  async findMissingProducts(refs: string[]): Promise<string[]> {
    const ids = await this.lookups.productIds(refs);
    return [...new Set(refs)].filter((r) => !ids.has(r));
  }

  readStock(refs?: string[]): Promise<StockReading[]> {
    return readOdooStock(this.client, refs);
  }

  readStockChanges(cursor: string | null): Promise<StockChanges> {
    return readOdooStockChanges(this.client, cursor);
  }

  /** Done deliveries (`stock.picking`) changed since the cursor (`write_date`), with carrier and tracking reference. */
  readShipments(cursor: string | null): Promise<ShipmentChanges> {
    return readOdooShipments(this.client, cursor, { now: Date.now, ...this.shipmentOptions });
  }
}
