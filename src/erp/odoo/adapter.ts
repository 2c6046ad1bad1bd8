/**
 * ErpAdapter for Odoo 17 (JSON-RPC). The same three order steps as Dolibarr: customer (res.partner), sales_order
 * (a quotation, sale.order) and validate_order (`action_confirm`, where Odoo reserves stock: `countsStockAt`).
 * Orders are found by their key in `origin` only (binder.ts) and adopted only when provably ours
 * (sales-orders.ts). Writes go one at a time by default (`writeConcurrency`); reads run in parallel.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Order } from '../../canonical/index.js';
import type { StockReading } from '../../canonical/stock.js';
import type { ErpAdapter, ErpCapabilities, ErpOrderState, OrderStep, StockChanges } from '../../ports/erp.js';
import type { OdooClient } from './client.js';
import { OdooCustomers } from './customers.js';
import { OdooLookups } from './lookups.js';
import { OdooSalesOrders, type SalesOrderConfig } from './sales-orders.js';
import { readOdooStock, readOdooStockChanges } from './stock.js';

export interface OdooAdapterConfig extends SalesOrderConfig {
  concurrency: number;
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

  constructor(private readonly client: OdooClient, cfg: OdooAdapterConfig, logger?: Logger) {
    this.lookups = new OdooLookups(client);
    this.customers = new OdooCustomers(client);
    this.salesOrders = new OdooSalesOrders(client, this.lookups, this.customers, cfg, logger);
    this.maxConcurrency = cfg.concurrency;
  }

  async ping(): Promise<{ version: string }> {
    const v = await this.client.version();
    // A version answer needs no login: prove the credentials and the database too (a cheap authenticated read).
    await this.client.call('res.company', 'search_count', [[]], {}, z.number().int().positive());
    return { version: v.server_version };
  }

  /** The finance steps (invoice, payment, credit notes, cancellation) are not built for Odoo yet. */
  readonly supportedSteps: readonly OrderStep[] = ['customer', 'sales_order', 'validate_order'];

  async findOrderState(order: Order): Promise<ErpOrderState> {
    const partner = await this.customers.find(order);
    if (!partner) return {};
    const state: ErpOrderState = { customer: this.salesOrders.customerDoc(partner.id, partner.name) };
    const { survivor } = this.salesOrders.survivor(order, await this.salesOrders.search(order, partner.id), partner.id);
    if (survivor) state.salesOrder = this.salesOrders.doc(survivor);
    return state;
  }

  async runStep(step: OrderStep, order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    switch (step) {
      case 'customer': {
        if (state.customer) return state;
        const p = await this.customers.ensure(order);
        return { ...state, customer: this.salesOrders.customerDoc(p.id, p.name) };
      }
      case 'sales_order': return this.salesOrders.ensure(order, state);
      case 'validate_order': return this.salesOrders.confirm(order, state);
      default:
        // Invoices, payments, credit notes and cancellation are not built for Odoo yet (see supportedSteps).
        throw new Error(`the Odoo adapter does not support step ${step}`);
    }
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
}
