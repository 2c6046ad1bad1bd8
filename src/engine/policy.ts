import type { OrderStatus } from '../canonical/index.js';
import type { ErpOrderState } from '../ports/erp.js';

/** Whether an order in this status goes to the ERP. */
export type PushDecision =
  | { kind: 'push' }
  | { kind: 'skip'; reason: string }
  /** Depends on what the ERP already has: ask again with the state. */
  | { kind: 'need_state' };

/** Not (yet) real sales: never pushed. */
const NEVER: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['pending', 'failed', 'checkout-draft']);
/** Withdrawn: pushed never if the ERP has nothing yet; else the ERP withdraws what it has (cancel, or credit note). */
const WITHDRAWN: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['cancelled', 'trash']);

/**
 * The push policy. `pending`, `failed`, `checkout-draft` are skipped; `cancelled` / `trash` are skipped when the
 * ERP has no document of the order, and pushed when it has (the plan cancels the sales order before invoice, and
 * credits the invoice after it); everything else (processing, on-hold, completed, refunded, custom statuses) is
 * pushed.
 */
export function pushPolicy(status: OrderStatus, state?: ErpOrderState): PushDecision {
  if (NEVER.has(status)) return { kind: 'skip', reason: `status_${status}` };
  if (!WITHDRAWN.has(status)) return { kind: 'push' };
  if (state === undefined) return { kind: 'need_state' };
  // The customer may be shared with other orders; only this order's own documents count.
  return state.salesOrder || state.invoice ? { kind: 'push' } : { kind: 'skip', reason: `${status}_before_erp` };
}

/**
 * The operator's order-status mapping (admin → Mappings → Order statuses): a WooCommerce status mapped to `skip`
 * is never pushed. It only ever adds skips: `push` does not override the policy above.
 */
export function operatorSkip(wcStatus: string | undefined, statusMap: Record<string, string> | undefined): PushDecision | null {
  if (wcStatus === undefined || statusMap === undefined) return null;
  const bare = wcStatus.startsWith('wc-') ? wcStatus.slice(3) : wcStatus;
  return statusMap[bare] === 'skip' ? { kind: 'skip', reason: `status_${bare}_mapped_skip` } : null;
}
