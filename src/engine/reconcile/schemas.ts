import { z } from 'zod';

/** Reconciliation routes of `syncline/v1` (includes/Reconcile/ReconcileController.php). */

export const RECONCILE_TOPIC = 'reconcile.run';

export const ReconcileRun = z.object({
  id: z.number().int().positive(),
  state: z.string(),
  window_from: z.number().int(),
  window_to: z.number().int(),
  repair: z.boolean(),
  /** WooCommerce statuses the operator mapped to `skip`: such orders are never expected in the ERP. */
  skip_statuses: z.array(z.string()).default([]),
});
export type ReconcileRun = z.infer<typeof ReconcileRun>;

export const StoreOrder = z.object({
  id: z.number().int().positive(),
  correlation_id: z.string().min(1),
  /** WooCommerce status without `wc-`. */
  status: z.string(),
  currency: z.string(),
  /** Decimal string as WooCommerce stores it. */
  total: z.string(),
  created_at: z.number().int(),
  /** Outbox events of the order, any state. */
  events: z.number().int().nonnegative(),
  /** Of which pending or leased (the order is in flight: not judged). */
  open_events: z.number().int().nonnegative(),
});
export type StoreOrder = z.infer<typeof StoreOrder>;

export const OrdersPage = z.object({ orders: z.array(StoreOrder), next_after_id: z.number().int().nullable() });

export const StoreStock = z.object({
  sku: z.string().min(1),
  /** WooCommerce's `_stock`. */
  stock: z.number().int(),
  /** Units WooCommerce took that the ERP has not counted yet (in-flight rows still `reduced`). */
  in_flight: z.number().int().nonnegative(),
  last_erp_ats: z.number().int().nullable(),
});
export type StoreStock = z.infer<typeof StoreStock>;

export const StockPage = z.object({ items: z.array(StoreStock), next_after_sku: z.string().nullable() });

export const CLASSES = ['missing_in_erp', 'duplicated_in_erp', 'total_mismatch', 'status_mismatch', 'no_outbox_event', 'stock_drift'] as const;
export type DiscrepancyClass = (typeof CLASSES)[number];

/** One discrepancy, as `POST /reconcile/report` takes it. */
export interface ReconcileItem {
  class: DiscrepancyClass;
  object_type: 'order' | 'sku';
  object_key: string;
  repairable: boolean;
  /** Money difference in minor units (WooCommerce − ERP), total mismatches only. */
  diff_minor?: number;
  message: string;
  details: Record<string, unknown>;
  /** Orders: created_at (WordPress clears an earlier item only when a later run's window covered the order). */
  object_time?: number;
}

export const ReportResponse = z.object({
  added: z.number().int(),
  run: z.object({ id: z.number().int(), found: z.number().int(), repaired: z.number().int(), cleared: z.number().int() }).passthrough().optional(),
});
