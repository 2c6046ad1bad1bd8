import { z } from 'zod';

const positiveInt = z.number().int().positive();

/** Shipments back to WooCommerce (docs/ARCHITECTURE.md, "Shipments"): the `shipments` block of the sidecar config. */
export const ShipmentsConfig = z.object({
  /** Poll the ERP's shipments and apply them to WooCommerce orders (when the adapter can read them). @defaultValue true */
  enabled: z.boolean().default(true),
  /** Seconds between two polls. @defaultValue 60 */
  interval_seconds: positiveInt.max(86_400).default(60),
  /** Seconds every poll reads again before the last one (late commits, clock skew). @defaultValue 3600 */
  lookback_seconds: positiveInt.max(30 * 86_400).default(3600),
  /** How far back the first poll after a start reads, in seconds. @defaultValue 604800 (7 days) */
  start_lookback_seconds: positiveInt.max(366 * 86_400).default(604_800),
  /**
   * Offset of the ERP database's clock from UTC, in minutes (Dolibarr stores change times in the database server's
   * local time; Europe/Paris in winter: 60). @defaultValue 0
   */
  erp_db_utc_offset_minutes: z.number().int().min(-840).max(840).default(0),
});
export type ShipmentsConfig = z.output<typeof ShipmentsConfig>;
