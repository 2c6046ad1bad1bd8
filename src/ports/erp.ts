import type { Order } from '../canonical/index.js';
import type { Product } from '../canonical/product.js';
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

/** A financial document: amounts in minor units of the order's currency, as the ERP holds them. */
export interface ErpMoneyDocument extends ErpDocument {
  /** Validated (numbered, booked); a draft is not. */
  validated: boolean;
  /** Total including tax, minor units (a credit note's is positive: what it gives back). */
  total: number;
  /** What is still to pay (invoice) or to pay back (credit note), minor units; 0 when settled. */
  remaining: number;
  /** Settled in the ERP (Dolibarr: paye = 1). */
  paid: boolean;
}

export interface ErpInvoice extends ErpMoneyDocument { type: 'invoice' }

/** A credit note of one refund (or of a cancellation after invoice: `refundKey` `cancel`), linked to the invoice. */
export interface ErpCreditNote extends ErpMoneyDocument {
  type: 'credit_note';
  /** The WooCommerce refund id as a string, or `cancel`. */
  refundKey: string;
  /** The invoice it credits (its ERP id). */
  sourceInvoiceId: string;
}

/** A payment (or a refund payment) registered against an invoice or a credit note. */
export interface ErpPayment extends ErpDocument {
  type: 'payment';
  /** The ERP id of the invoice or credit note it settles. */
  appliesTo: string;
  /** Minor units; positive for money in, negative for money paid back. */
  amount: number;
}

/**
 * What the ERP already has for one order, found by the order's external reference. The engine compares it
 * with the order as WooCommerce has it now and runs only the missing steps (state-based sync).
 */
export interface ErpOrderState {
  customer?: ErpDocument;
  /** `cancelled`: withdrawn in the ERP (Dolibarr: set back to draft with its stock returned, or status cancelled). */
  salesOrder?: ErpDocument & { validated: boolean; cancelled?: boolean };
  /** The invoice made from the sales order (keyed by the same ref_ext). */
  invoice?: ErpInvoice;
  /** Payments on the invoice and refund payments on credit notes. */
  payments?: ErpPayment[];
  /** Credit notes linked to the invoice, one per refund key. */
  creditNotes?: ErpCreditNote[];
}

/**
 * The steps of one order, in the order they must happen. A plan (src/engine/plan.ts) picks the missing ones:
 * - customer, sales_order, validate_order: every pushed order;
 * - cancel_order: the order was withdrawn (cancelled; or refunded in full before any invoice): the ERP's sales order is
 *   withdrawn and its stock comes back (after invoice a credit note follows);
 * - invoice: created from the sales order and validated, at the point the settings choose (capture or completion);
 * - payment: the captured payment attached to the invoice (never on mere authorization), so it ends paid;
 * - credit_note: one credit note per refund (and one for a cancellation after invoice), linked to the invoice;
 * - refund_payment: each credit note's money paid back, so it ends settled (remaining 0).
 */
export const ORDER_STEPS = ['customer', 'sales_order', 'validate_order', 'cancel_order', 'invoice', 'payment', 'credit_note', 'refund_payment'] as const;
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
  /**
   * The steps this adapter can run (absent: all of ORDER_STEPS). An adapter without finance support lists only
   * customer, sales_order, validate_order: the plan then never asks it for invoices.
   */
  readonly supportedSteps?: readonly OrderStep[];
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
  /** Product master data (ProductChanges below). Optional: without it master data sync is off. */
  readProducts?(query: ProductQuery): Promise<ProductChanges>;
  /** Reconciliation: sales orders by external reference (ErpReconcileReader). Optional. */
  findOrdersByRefExt?(refExts: string[]): Promise<Map<string, ErpOrderSummary[]>>;
  /** ERP shipments changed since `cursor` (see ShipmentReader). Optional: without it no shipment flows back. */
  readShipments?(cursor: string | null): Promise<ShipmentChanges>;
  /** What this ERP does differently, for the engine to read instead of asking which ERP it is. Optional. */
  readonly capabilities?: ErpCapabilities;
}

/** A sales order as reconciliation sees it (found by the order's external reference). */
export interface ErpOrderSummary {
  id: string;
  ref: string;
  /** draft: not validated (holds no stock); validated: validated, shipping or closed; cancelled. */
  status: 'draft' | 'validated' | 'cancelled';
  /** Total including tax as the ERP shows it, a decimal string (e.g. `12.50000000`); null when the ERP gave none. */
  total: string | null;
}

/** Reconciliation's optional read of the ERP (an additive port member). */
export interface ErpReconcileReader {
  /**
   * Every sales order carrying each of these external references (at most 100 per call): the map has one entry per
   * asked reference, an empty list when the ERP has none.
   */
  findOrdersByRefExt(refExts: string[]): Promise<Map<string, ErpOrderSummary[]>>;
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

/**
 * Product master data changed after a cursor (Dolibarr: `tms`). Optional port member `readProducts`:
 * `cursor` null = every product (a full scan); `refs` = just those products (a targeted read, e.g. from a webhook).
 */
export interface ProductChanges {
  products: Product[];
  /** Pass back on the next call (the position after the newest change read). */
  cursor: string;
}

/** What to read: changed after `cursor` (null or absent: every product), or just `refs`, or just the ERP `ids`. */
export interface ProductQuery {
  cursor?: string | null;
  refs?: string[];
  ids?: string[];
  /** Also read each product's category labels (the store lets the ERP own categories). Optional. */
  categories?: boolean;
}

/** One product line of an ERP shipment: how many units of an ERP product reference left in it. */
export interface ErpShipmentLine {
  /** ERP product reference (the SKU, or what the SKU map maps it to). */
  ref: string;
  qty: number;
}

/**
 * A shipment the ERP has validated (or closed) for a sales order. Only shipments of orders Syncline pushed carry
 * `order.refExt` (the order's correlation id); WordPress applies each shipment once, keyed by `id`.
 */
export interface ErpShipment {
  /** The ERP's own id of the shipment (the idempotency key). */
  id: string;
  /** The ERP's human reference, e.g. `SH2611-0001`. */
  ref: string;
  /** `validated` (sent) or `closed` (delivered). Drafts are never returned. */
  state: 'validated' | 'closed';
  /** The sales order it ships: the ERP's id, its external reference (our correlation id) and its customer label. */
  order: { erpId: string; refExt: string | null; refClient: string | null };
  /** Carrier (the ERP's shipping method label), when set. */
  carrier: string | null;
  trackingNumber: string | null;
  /** The carrier's tracking page for this parcel, when the ERP knows one (http/https only). */
  trackingUrl: string | null;
  /** When it left (Unix seconds): the shipping date, else the validation date. */
  shippedAt: number | null;
  /** Product lines (services and free-text lines are left out), one per ERP product reference. */
  lines: ErpShipmentLine[];
}

/** Shipments changed since a cursor. */
export interface ShipmentChanges {
  shipments: ErpShipment[];
  /** Pass back on the next call. */
  cursor: string;
  /** More changes than one call reads: the caller should call again soon (the cursor did not move past them). */
  overflow?: boolean;
}

/**
 * The optional shipments port (issue 8): ERP shipments created, validated or changed since `cursor` (an opaque
 * position this method returned before; `null` = the adapter's start window). Overlapping windows are expected:
 * the caller and WordPress drop what was already applied.
 */
export interface ShipmentReader {
  readShipments(cursor: string | null): Promise<ShipmentChanges>;
}
