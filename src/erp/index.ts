/**
 * ERP adapter registry: the one place the sidecar turns its `erp.type` setting into an ErpAdapter.
 * `fake` is an in-memory adapter for engine tests that need no HTTP at all; adapter tests use the
 * protocol-level Dolibarr fake (src/erp/dolibarr/fake.ts) instead.
 */
import type { Order } from '../canonical/index.js';
import type { ErpAdapter, ErpOrderState, OrderStep } from '../ports/erp.js';
import { createDolibarrAdapter, type DolibarrAdapterOptions } from './dolibarr/index.js';

export type ErpType = 'dolibarr' | 'fake';

export interface FakeAdapterOptions {
  /** Product refs that exist (default: every ref exists). */
  products?: string[];
}

export function createAdapter(type: 'dolibarr', opts: DolibarrAdapterOptions): ErpAdapter;
export function createAdapter(type: 'fake', opts?: FakeAdapterOptions): ErpAdapter;
export function createAdapter(type: ErpType, opts?: DolibarrAdapterOptions | FakeAdapterOptions): ErpAdapter {
  if (type === 'dolibarr') return createDolibarrAdapter(opts as DolibarrAdapterOptions);
  return new InMemoryErpAdapter((opts as FakeAdapterOptions | undefined)?.products);
}

/** Keeps documents per correlation id; every step is idempotent, like the port requires. */
export class InMemoryErpAdapter implements ErpAdapter {
  readonly name = 'fake';
  readonly maxConcurrency = 4;
  readonly documents = new Map<string, ErpOrderState>();
  private seq = 0;

  constructor(private readonly products?: string[]) {}

  async ping(): Promise<{ version: string }> {
    return { version: 'in-memory' };
  }

  async findOrderState(order: Order): Promise<ErpOrderState> {
    return structuredClone(this.documents.get(order.correlationId) ?? {});
  }

  async runStep(step: OrderStep, order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    const current = { ...(this.documents.get(order.correlationId) ?? {}), ...state };
    const id = (): string => String(++this.seq);
    if (step === 'customer' && !current.customer) current.customer = { type: 'customer', id: id(), ref: order.customer.email };
    if (step === 'sales_order' && !current.salesOrder) current.salesOrder = { type: 'sales_order', id: id(), ref: `(PROV${this.seq})`, validated: false };
    if (step === 'validate_order' && current.salesOrder && !current.salesOrder.validated) {
      current.salesOrder = { ...current.salesOrder, ref: `SO-${current.salesOrder.id}`, validated: true };
    }
    this.documents.set(order.correlationId, structuredClone(current));
    return current;
  }

  async findMissingProducts(refs: string[]): Promise<string[]> {
    const known = this.products;
    return known === undefined ? [] : [...new Set(refs)].filter((r) => !known.includes(r));
  }
}
