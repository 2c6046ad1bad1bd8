import type { Order } from '../canonical/index.js';
import type { StockReading } from '../canonical/stock.js';

/** A document the ERP holds for an order. */
export interface ErpDocument {
  type: 'customer' | 'sales_order' | 'invoice' | 'payment' | 'credit_note' | 'shipment';
  /** The ERP's own id (as a string, whatever the ERP uses). */
  id: string;
  /** The ERP's human reference, e.g. `CO2611-0001`. */
  ref: string;
  /** A link an admin can open, when the adapter can build one. */
  url?: string;
}

/**
 * What the ERP already has for one order, found by the order's external reference. The engine compares it
 * with the order as WooCommerce has it now and runs only the missing steps (state-based sync).
 */
export interface ErpOrderState {
  customer?: ErpDocument;
  salesOrder?: ErpDocument & { validated: boolean };
  /** Later issues add invoice, payments, credit notes and shipments here. */
}

/** The steps of one order, in the order they must happen. Later issues append payment, invoice, credit_note. */
export const ORDER_STEPS = ['customer', 'sales_order', 'validate_order'] as const;
export type OrderStep = (typeof ORDER_STEPS)[number];

/**
 * The port every ERP adapter implements. It promises:
 * - `findOrderState` only reads, and finds documents by the order's external reference (never by a local
 *   cache), so a replay after a crash or a timeout-after-commit sees what the ERP already committed.
 * - `runStep` performs exactly one step and returns the new state; it must itself look up before creating
 *   where the ERP has no uniqueness (Dolibarr's ref_client), so calling it twice never makes two documents.
 * - Errors are `RetryableError` (transient) or `NeedsHumanError` (data/settings); nothing else escapes on purpose.
 * It deliberately hides the wire protocol, authentication and the ERP's id formats.
 */
export interface ErpAdapter {
  /** `dolibarr`, `odoo`, … */
  readonly name: string;
  /** How many order pipelines may write to this ERP at once (Dolibarr: 1, it deadlocks under concurrency). */
  readonly maxConcurrency: number;
  /** Cheap authenticated call that proves the ERP is reachable (used by the circuit breaker's half-open probe). */
  ping(): Promise<{ version: string }>;
  findOrderState(order: Order): Promise<ErpOrderState>;
  runStep(step: OrderStep, order: Order, state: ErpOrderState): Promise<ErpOrderState>;
  /** ERP product references (from `erpRef` of the lines) that do not exist in the ERP. */
  findMissingProducts(refs: string[]): Promise<string[]>;
  /** The order step after which the ERP's stock includes the order (Dolibarr: `validate_order`). Optional. */
  readonly countsStockAt?: OrderStep;
  /** Stock per warehouse of every product (or of `refs`), for available-to-sell. Optional. */
  readStock?(refs?: string[]): Promise<StockReading[]>;
  /**
   * Product refs whose stock changed after `cursor` (an opaque position the adapter returned before; `null` =
   * start now: returns no refs, only the current position). Optional: without it only full pulls run.
   */
  readStockChanges?(cursor: string | null): Promise<StockChanges>;
  /** What this ERP does differently, for the engine to read instead of asking which ERP it is. Optional. */
  readonly capabilities?: ErpCapabilities;
}

/** Behaviour that differs between ERPs (additive: a missing flag means "unknown / not supported"). */
export interface ErpCapabilities {
  /** The step after which the ERP's stock includes the order (Dolibarr: validation; Odoo: confirmation). */
  stockCountedAt?: OrderStep;
  /** `readStockChanges` lists changes since a cursor (else only full pulls). */
  stockChangesSince?: boolean;
  /** Credit notes are linked to the invoice they refund (Odoo: `reversed_entry_id`). */
  creditNotesLinked?: boolean;
  /** The ERP enforces uniqueness of the order key itself (neither Dolibarr nor Odoo does: search before create). */
  orderKeyUnique?: boolean;
}

/** Stock changes since a cursor. */
export interface StockChanges {
  refs: string[];
  /** Pass back on the next call. */
  cursor: string;
  /** Too many changes to list: the caller should run a full pull instead. */
  overflow?: boolean;
}
