/** One ERP stock reading of a SKU: per-warehouse quantities at the time the ERP was read. */
import { z } from 'zod';
import { SKU_MAX_LEN } from './sku.js';

const qty = z.number().int();

export const WarehouseStockSchema = z.object({
  id: z.string().min(1),
  onHand: qty,
  /** Units the ERP itself holds for its own orders (not yet shipped). */
  reserved: qty.nonnegative(),
  incoming: qty.nonnegative().optional(),
});

export const StockReadingSchema = z.object({
  sku: z.string().min(1).max(SKU_MAX_LEN),
  warehouses: z.array(WarehouseStockSchema),
  /** ISO 8601: when the read request was sent to the ERP (conservative: the reading reflects at least this moment). */
  readAt: z.iso.datetime({ offset: true }),
});

export type WarehouseStock = z.infer<typeof WarehouseStockSchema>;
export type StockReading = z.infer<typeof StockReadingSchema>;
