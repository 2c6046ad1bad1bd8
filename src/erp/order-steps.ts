/**
 * One order step to the adapter code that runs it: the same for every ERP. An adapter supplies how it makes the
 * customer, the sales order and its confirmation, and its finance documents (the five finance steps have the same
 * names in each adapter's finance class); `runOrderStep` picks the one the plan asked for.
 */
import type { Order } from '../canonical/index.js';
import type { ErpDocument, ErpOrderState, OrderStep } from '../ports/erp.js';

/** Runs one step for an order from the state found so far; returns the state with what the step made. */
export type StepRun = (order: Order, state: ErpOrderState) => Promise<ErpOrderState>;

/** The finance steps, as each adapter's finance class names them. */
export interface FinanceSteps {
  cancelOrder: StepRun;
  invoice: StepRun;
  payment: StepRun;
  creditNotes: StepRun;
  refundPayments: StepRun;
}

export interface OrderStepRunners {
  /** Finds or makes the ERP customer (asked only when the state has none). */
  customer: (order: Order) => Promise<ErpDocument>;
  salesOrder: StepRun;
  validateOrder: StepRun;
  finance: FinanceSteps;
}

export async function runOrderStep(step: OrderStep, order: Order, state: ErpOrderState, run: OrderStepRunners): Promise<ErpOrderState> {
  switch (step) {
    case 'customer': return state.customer ? state : { ...state, customer: await run.customer(order) };
    case 'sales_order': return run.salesOrder(order, state);
    case 'validate_order': return run.validateOrder(order, state);
    case 'cancel_order': return run.finance.cancelOrder(order, state);
    case 'invoice': return run.finance.invoice(order, state);
    case 'payment': return run.finance.payment(order, state);
    case 'credit_note': return run.finance.creditNotes(order, state);
    case 'refund_payment': return run.finance.refundPayments(order, state);
  }
}
