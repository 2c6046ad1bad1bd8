import { z } from 'zod';

/** Request and response shapes of `syncline/v1` (docs/ARCHITECTURE.md). */

/** PHP encodes an empty array as `[]`, so an empty payload object can arrive as a list. */
const jsonObject = <T extends z.ZodRawShape>(shape: T) =>
  z.preprocess((v) => (Array.isArray(v) && v.length === 0 ? {} : v), z.object(shape));

/** A string → string map that PHP may send as `[]` when empty. */
const stringMap = z.preprocess((v) => (Array.isArray(v) && v.length === 0 ? {} : v), z.record(z.string(), z.string()));

/** A pending event of the same order and the write version the lease saw. */
export const Cover = z.object({ id: z.number().int().positive(), version: z.number().int().nonnegative() });
export type Cover = z.infer<typeof Cover>;

export const LeasedEvent = z.object({
  id: z.number().int().positive(),
  topic: z.string().min(1),
  object_type: z.string().min(1),
  object_id: z.number().int().nonnegative(),
  correlation_id: z.string().min(1),
  /** Counts this lease. */
  attempts: z.number().int().nonnegative(),
  lease_token: z.string().regex(/^[A-Za-z0-9]{32}$/),
  /** Unix seconds, server clock. */
  leased_until: z.number().int(),
  created_at: z.number().int(),
  /**
   * Order events: the order's other pending events and their write versions, read before the payload was built.
   * A done ack echoes them and WordPress closes those still at that version (this push covered them); a write
   * after the payload was read bumps the version, so that event is pushed again. Absent from older plugins.
   */
  covers: z.array(Cover).optional(),
  payload: jsonObject({
    /** The wc/v3 order as WooCommerce shows it now; null when deleted or unavailable. Parsed by src/engine/mapping. */
    order: z.unknown().optional(),
    /**
     * Order events: `found` (order is the order), `deleted` (WooCommerce confirms it is gone: no order object and no
     * row), `unavailable` (WooCommerce could not load it now: given back untried, never treated as deleted).
     * Absent from older WordPress plugins: then `order: null` means deleted.
     */
    order_state: z.enum(['found', 'deleted', 'unavailable']).optional(),
    /** WooCommerce SKU → ERP product reference, for this order's SKUs that have a mapping. */
    sku_map: z.preprocess((v) => (Array.isArray(v) && v.length === 0 ? {} : v), z.record(z.string(), z.string())).optional(),
    /**
     * Order events: the operator's other mappings (admin → Mappings), each WooCommerce key → ERP value:
     * order_status (push|skip), payment_method ("MODE" or "MODE:ACCOUNT"), tax_rate (VAT rate/code),
     * shipping_method (ERP service product ref). Optional and additive.
     */
    mappings: z
      .object({
        order_status: stringMap.optional(),
        payment_method: stringMap.optional(),
        tax_rate: stringMap.optional(),
        shipping_method: stringMap.optional(),
      })
      .passthrough()
      .optional(),
    /** `stock.resync`: the SKUs to pull, when not every one. */
    skus: z.array(z.string().min(1)).optional(),
  }),
});
export type LeasedEvent = z.infer<typeof LeasedEvent>;

/** WordPress's answer for one ack: `syncline_lease_lost` (the token no longer holds it), `syncline_invalid_ack`. */
export const AckItemResult = z.object({ id: z.number().int(), ok: z.boolean(), code: z.string().optional(), message: z.string().optional() });
export type AckItemResult = z.infer<typeof AckItemResult>;

export const LeaseResponse = z.object({
  events: z.array(z.unknown()),
  server_time: z.number().int(),
  /** One answer per ack the request carried, in order; absent when it carried none (or from older plugins). */
  acks: z.array(AckItemResult).optional(),
});

export interface LeaseRequest {
  worker: string;
  limit: number;
  lease_seconds: number;
  wait_seconds: number;
  /** Event ids this worker holds already: WordPress never leases them to it again. */
  exclude?: number[];
  /** Acks carried (0..100): applied before the lease claims, each exactly as `POST /ack` would. */
  acks?: AckResult[];
}

/** `POST /events/renew`: extend the leases this worker still holds with these tokens. */
export interface RenewRequest {
  worker: string;
  leases: { id: number; lease_token: string }[];
  lease_seconds: number;
}

export const RenewResponse = z.object({
  /** Leases extended, with their new end (Unix seconds, server clock). */
  renewed: z.array(z.object({ id: z.number().int(), leased_until: z.number().int() })),
  /** Ids no longer held with the given token (expired, taken by another worker, or acked). */
  lost: z.array(z.number().int()),
  server_time: z.number().int(),
});
export type RenewResponse = z.infer<typeof RenewResponse>;

export interface AckError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export interface AckDocument {
  type: string;
  id: string;
  ref: string;
  url?: string;
}

/** What a `done` ack stores on the order (`_syncline_erp_refs`) and the event. */
export interface AckRefs {
  erp: string;
  documents: AckDocument[];
  /** Steps run by this attempt, in order. */
  steps: string[];
  /** Why nothing was pushed, when nothing was (skipped status, deleted order). */
  reason?: string;
  /**
   * The ERP's stock now includes this order (Dolibarr: its sales order is validated), whatever steps this attempt
   * ran: WordPress marks the order's in-flight stock counted. Absent: unknown (WordPress falls back to `steps`).
   */
  erp_counted?: boolean;
  /** `erp.ping`: the ERP's version and the round trip in milliseconds. */
  version?: string;
  ms?: number;
}

export type AckResult =
  | { id: number; lease_token: string; outcome: 'done'; refs: AckRefs; covers?: Cover[] }
  | { id: number; lease_token: string; outcome: 'retry'; retry_after_seconds: number; error: AckError }
  | { id: number; lease_token: string; outcome: 'needs_human'; error: AckError };

export const AckResponse = z.object({ results: z.array(AckItemResult) });
export type AckResponse = z.infer<typeof AckResponse>;

export type CircuitStateName = 'closed' | 'open' | 'half_open';

export interface HeartbeatRequest {
  worker: string;
  version: string;
  /** `stopped`: the last heartbeat of a sidecar that shut down (WordPress no longer lists it as live). */
  state?: 'running' | 'stopped';
  uptime_seconds: number;
  counters: Record<string, number>;
  erp: {
    /** The configured ERP (`dolibarr`, `odoo`). */
    type?: string;
    /** The ERP's version as its ping answered (`20.0.2`, `17.0`); null until a ping answered. */
    version?: string | null;
    reachable: boolean; circuit: CircuitStateName; last_success_at: number | null;
    /** Unix seconds since when the ERP has not answered; null while it answers. */
    unreachable_since?: number | null;
    /** Stock sync: true when the ERP could not be read for longer than `stock.stale_after_seconds`. */
    stale?: boolean;
    /** Stock sync: Unix seconds of the last successful ERP stock read. */
    last_read_at?: number | null;
    /** Stock sync: `stock.degraded_cap_percent`, when configured (applied while `stale`). */
    stock_cap_percent?: number;
  };
}

export const HeartbeatResponse = z.object({ ok: z.boolean(), server_time: z.number().int() });

/** One ATS value sent to `POST /stock/apply`. */
export interface StockApplyItem {
  sku: string;
  ats: number;
  /** ISO 8601 with a zone, or Unix milliseconds. */
  read_at: string | number;
}

const skuList = z.array(z.string());
export const StockApplyResponse = z.object({
  applied: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  skipped_stale: z.number().int().nonnegative(),
  /** SKUs the ERP has and the store does not. */
  unknown_in_store: skuList,
  /** SKUs whose store product does not manage stock. */
  not_managed: skuList,
});
export type StockApplyResponse = z.infer<typeof StockApplyResponse>;

export const StockMissingResponse = z.object({
  recorded: z.number().int().nonnegative(),
  already_open: z.number().int().nonnegative(),
  not_in_store: z.number().int().nonnegative(),
});
export type StockMissingResponse = z.infer<typeof StockMissingResponse>;

/** Answer of `POST /stock/pull-complete`: store SKUs no reading of the full pull reached, and events recorded. */
export const StockPullCompleteResponse = z.object({
  missing: z.number().int().nonnegative(),
  recorded: z.number().int().nonnegative(),
  already_open: z.number().int().nonnegative(),
});
export type StockPullCompleteResponse = z.infer<typeof StockPullCompleteResponse>;

/** Error body of a WordPress REST failure. */
export const WpErrorBody = z.object({ code: z.string(), message: z.string().optional() }).loose();
export type WpErrorBody = z.infer<typeof WpErrorBody>;
