/**
 * Dolibarr stock reader: the paged product list with includestockdata=1 (10 pages of 100 read 1,000 products in
 * 0.7 s on the recorded Dolibarr 20.0.2, against 11 s one product at a time). Dolibarr has no reservation figure
 * in this list: `reserved` is 0 here and orders the ERP validated are already out of `real`
 * (STOCK_CALCULATE_ON_VALIDATE_ORDER=1).
 */
import { z } from 'zod';
import type { DolibarrClient } from './client.js';
import type { StockReading } from '../../canonical/stock.js';

const num = z.union([z.string(), z.number()]).transform((v) => Math.trunc(Number(v)));
const ProductStockSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  ref: z.string(),
  stock_warehouse: z.union([z.array(z.unknown()).length(0).transform((): Record<string, { real: number }> => ({})), z.record(z.string(), z.object({ real: num }))]).optional(),
});
const PageSchema = z.array(ProductStockSchema);

export interface DolibarrStockOptions {
  pageSize?: number;
  /** Refs to read (sqlfilters on t.ref); all products when absent. */
  refs?: string[];
  now?: () => Date;
}

function refFilter(refs: string[]): string {
  return `(t.ref:in:${refs.map((r) => `'${r.replace(/'/g, "''")}'`).join(',')})`;
}

/** Reads every product's stock per warehouse; `readAt` is taken before the first request (conservative). */
export async function readDolibarrStock(client: DolibarrClient, opts: DolibarrStockOptions = {}): Promise<StockReading[]> {
  const pageSize = opts.pageSize ?? 100;
  const readAt = (opts.now ?? (() => new Date()))().toISOString();
  const out: StockReading[] = [];
  for (let page = 0; ; page++) {
    const rows = await client.get('/products', {
      limit: pageSize, page, includestockdata: 1, sortfield: 't.rowid', sortorder: 'ASC',
      ...(opts.refs && opts.refs.length > 0 ? { sqlfilters: refFilter(opts.refs) } : {}),
    }, PageSchema);
    for (const p of rows) {
      const warehouses = Object.entries(p.stock_warehouse ?? {}).map(([id, w]) => ({ id, onHand: w.real, reserved: 0 }));
      out.push({ sku: p.ref, warehouses, readAt });
    }
    if (rows.length < pageSize) return out;
  }
}
