/** The wire shape of `POST /syncline/v1/shipments/apply` (docs/ARCHITECTURE.md, "Shipments"). */
import { z } from 'zod';

export const SHIPMENTS_ROUTE = '/syncline/v1/shipments/apply';
/** Most shipments per request (the route's limit). */
export const SHIPMENTS_PER_REQUEST = 100;

export interface ShipmentApplyItem {
  /** The ERP's shipment id: WordPress applies each (erp, shipment_id) once. */
  shipment_id: string;
  ref: string;
  /** The WooCommerce order id; WordPress checks it against `correlation_id`. */
  order_id: number;
  /** The ERP order's external reference: the order's correlation id. */
  correlation_id: string;
  state: 'validated' | 'closed';
  carrier: string | null;
  tracking_number: string | null;
  tracking_url: string | null;
  /** Unix seconds. */
  shipped_at: number | null;
  /** ERP product references and quantities (WordPress maps them to the order's lines through the SKU map). */
  lines: Array<{ ref: string; qty: number }>;
}

export interface ShipmentApplyRequest {
  erp: string;
  shipments: ShipmentApplyItem[];
}

/** What WordPress did with one shipment. */
export const ShipmentOutcome = z.enum(['applied', 'unchanged', 'tracking_updated', 'unknown_order', 'not_ours', 'order_closed']);
export type ShipmentOutcome = z.infer<typeof ShipmentOutcome>;

export const ShipmentApplyResponse = z.object({
  results: z.array(z.object({
    shipment_id: z.string(),
    order_id: z.number().int(),
    outcome: ShipmentOutcome,
    /** The order's status after the apply (bare, e.g. `completed`), when the order exists. */
    status: z.string().optional(),
    /** Units still to ship on the order. */
    remaining: z.number().int().optional(),
  })),
});
export type ShipmentApplyResponse = z.infer<typeof ShipmentApplyResponse>;
