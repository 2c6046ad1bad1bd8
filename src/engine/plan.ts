import type { Order } from '../canonical/index.js';
import { ORDER_STEPS, type ErpOrderState, type OrderStep } from '../ports/erp.js';

/**
 * The steps still missing for this order, in ORDER_STEPS order (state-based sync: a replay after a crash or a
 * timeout-after-commit finds what the ERP already has and runs only the rest). Pure.
 */
export function planSteps(order: Order, state: ErpOrderState): OrderStep[] {
  return ORDER_STEPS.filter((step) => !isDone(step, order, state));
}

function isDone(step: OrderStep, _order: Order, state: ErpOrderState): boolean {
  switch (step) {
    case 'customer':
      return state.customer !== undefined;
    case 'sales_order':
      return state.salesOrder !== undefined;
    case 'validate_order':
      return state.salesOrder?.validated === true;
    default: {
      // A new step in ORDER_STEPS must say here when it is done.
      const unknown: never = step;
      throw new Error(`planSteps does not know step ${String(unknown)}`);
    }
  }
}
