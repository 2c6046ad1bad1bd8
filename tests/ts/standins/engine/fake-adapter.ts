import type { Order } from '../../../../src/canonical/index.js';
import { RetryableError } from '../../../../src/common/errors.js';
import type { ErpAdapter, ErpDocument, ErpOrderState, OrderStep } from '../../../../src/ports/erp.js';

type Method = 'ping' | 'findOrderState' | 'runStep' | 'findMissingProducts';

/** A scripted failure: `after_commit` applies the step, then throws (a timeout after the ERP committed). */
export interface FakeFault {
  method: Method;
  error: Error;
  afterCommit?: boolean;
  /** Only this step (runStep faults). */
  step?: OrderStep;
  times?: number;
}

/**
 * An in-memory ERP behind the ErpAdapter port, for engine tests. Finds documents by the
 * order's WooCommerce id (its "external reference"), records every call and injects faults.
 */
export class FakeErpAdapter implements ErpAdapter {
  readonly name = 'fake';
  /** No finance documents: a withdrawn order's sales order is cancelled, nothing else. */
  readonly supportedSteps: readonly OrderStep[] = ['customer', 'sales_order', 'validate_order', 'cancel_order'];
  readonly calls: Array<{ method: Method; step?: OrderStep; wcId?: number }> = [];
  readonly faults: FakeFault[] = [];
  readonly customers = new Map<string, ErpDocument>();
  readonly orders = new Map<number, ErpDocument & { validated: boolean; cancelled?: boolean }>();
  private seq = 0;

  constructor(
    /** Known product references; undefined means every reference exists. */
    private readonly products?: Set<string>,
    readonly maxConcurrency = 1,
  ) {}

  async ping(): Promise<{ version: string }> {
    this.hit('ping');
    return { version: 'fake-1' };
  }

  async findMissingProducts(refs: string[]): Promise<string[]> {
    this.hit('findMissingProducts');
    return this.products ? refs.filter((r) => !this.products?.has(r)) : [];
  }

  async findOrderState(order: Order): Promise<ErpOrderState> {
    this.hit('findOrderState', order.wcId);
    return this.stateOf(order);
  }

  async runStep(step: OrderStep, order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    const fault = this.takeFault('runStep', step);
    this.calls.push({ method: 'runStep', step, wcId: order.wcId });
    if (fault && !fault.afterCommit) throw fault.error;
    this.apply(step, order, state);
    if (fault) throw fault.error;
    return this.stateOf(order);
  }

  /** Number of ERP sales orders per WooCommerce order id. */
  orderCount(): number {
    return this.orders.size;
  }

  private apply(step: OrderStep, order: Order, state: ErpOrderState): void {
    if (step === 'customer' && !this.customers.has(order.customer.email)) {
      this.customers.set(order.customer.email, { type: 'customer', id: String(++this.seq), ref: `CU-${this.seq}` });
    } else if (step === 'sales_order' && !this.orders.has(order.wcId)) {
      if (!state.customer) throw new RetryableError('fake_no_customer', 'sales order before customer');
      this.orders.set(order.wcId, { type: 'sales_order', id: String(++this.seq), ref: `SO-${order.wcId}`, validated: false });
    } else if (step === 'validate_order') {
      const so = this.orders.get(order.wcId);
      if (so) so.validated = true;
    } else if (step === 'cancel_order') {
      const so = this.orders.get(order.wcId);
      if (so) Object.assign(so, { validated: false, cancelled: true });
    }
  }

  private stateOf(order: Order): ErpOrderState {
    const state: ErpOrderState = {};
    const customer = this.customers.get(order.customer.email);
    const salesOrder = this.orders.get(order.wcId);
    if (customer) state.customer = { ...customer };
    if (salesOrder) state.salesOrder = { ...salesOrder };
    return state;
  }

  private hit(method: Method, wcId?: number): void {
    this.calls.push(wcId === undefined ? { method } : { method, wcId });
    const fault = this.takeFault(method);
    if (fault) throw fault.error;
  }

  private takeFault(method: Method, step?: OrderStep): FakeFault | undefined {
    const i = this.faults.findIndex((f) => f.method === method && (f.step === undefined || f.step === step));
    const fault = this.faults[i];
    if (!fault) return undefined;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.faults.splice(i, 1);
    return fault;
  }
}
