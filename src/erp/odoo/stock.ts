/**
 * Stock from Odoo, per warehouse: one `product.product.search_read` per warehouse with the `warehouse` context
 * (Odoo then computes the quantities over that warehouse's locations).
 * - onHand = `qty_available`;
 * - reserved = max(`outgoing_qty`, `qty_available − free_qty`): Odoo reserves at `action_confirm` when it can, and
 *   an order it could not reserve for (not enough on hand) still counts in `outgoing_qty`, so a confirmed order
 *   is always held back whether or not its units are reserved;
 * - incoming = `incoming_qty`.
 * Odoo's quantities are floats (units of measure): on-hand is rounded down, reserved and incoming up.
 *
 * Changed-since: products whose `stock.quant` or `stock.move` rows were written after the cursor (`write_date`,
 * Odoo's UTC `YYYY-MM-DD HH:MM:SS`). `write_date` is the writing transaction's start, so a transaction that
 * commits late can carry an earlier time: every pass looks back OVERLAP_S seconds before the cursor (a product seen
 * twice is only read twice).
 */
import { z } from 'zod';
import type { StockReading } from '../../canonical/stock.js';
import type { StockChanges } from '../../ports/erp.js';
import { CreatedId, Many2one, OdooChar, type OdooClient } from './client.js';

const Warehouse = z.object({ id: CreatedId, code: OdooChar });
const ProductStock = z.object({
  id: CreatedId, default_code: OdooChar, qty_available: z.number(), free_qty: z.number(), outgoing_qty: z.number(), incoming_qty: z.number(),
});
const Written = z.object({ product_id: Many2one, write_date: z.string() });

const OVERLAP_S = 60;
const MAX_CHANGES = 500;
const PAGE = 2000;

export async function readOdooStock(client: OdooClient, refs?: readonly string[]): Promise<StockReading[]> {
  const readAt = new Date().toISOString();
  const warehouses = await client.call('stock.warehouse', 'search_read', [[]], { fields: ['code'], order: 'id asc' }, z.array(Warehouse));
  const domain: unknown[] = [['type', '=', 'product'], ['default_code', '!=', false]];
  if (refs) domain.push(['default_code', 'in', [...refs]]);
  const bySku = new Map<string, StockReading>();
  for (const wh of warehouses) {
    for (let offset = 0; ; offset += PAGE) {
      const rows = await client.call('product.product', 'search_read', [domain], {
        fields: ['default_code', 'qty_available', 'free_qty', 'outgoing_qty', 'incoming_qty'], order: 'id asc', offset, limit: PAGE, context: { warehouse: wh.id },
      }, z.array(ProductStock));
      for (const p of rows) {
        const reading = bySku.get(p.default_code) ?? { sku: p.default_code, warehouses: [], readAt };
        const onHand = Math.floor(p.qty_available + 1e-9);
        const reserved = Math.max(0, Math.ceil(Math.max(p.outgoing_qty, p.qty_available - p.free_qty) - 1e-9));
        reading.warehouses.push({ id: String(wh.id), onHand, reserved, incoming: Math.max(0, Math.ceil(p.incoming_qty - 1e-9)) });
        bySku.set(p.default_code, reading);
      }
      if (rows.length < PAGE) break;
    }
  }
  return [...bySku.values()];
}

function shift(odooTime: string, seconds: number): string {
  const ms = Date.parse(`${odooTime.replace(' ', 'T')}Z`) + seconds * 1000;
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export async function readOdooStockChanges(client: OdooClient, cursor: string | null): Promise<StockChanges> {
  const since = cursor === null ? null : shift(cursor, -OVERLAP_S);
  const domain = since === null ? [] : [['write_date', '>=', since]];
  const kwargs = { fields: ['product_id', 'write_date'], order: 'write_date desc', limit: since === null ? 1 : MAX_CHANGES + 1 };
  const [moves, quants] = await Promise.all([
    client.call('stock.move', 'search_read', [domain], kwargs, z.array(Written)),
    client.call('stock.quant', 'search_read', [domain], kwargs, z.array(Written)),
  ]);
  const rows = [...moves, ...quants];
  const latest = rows.reduce((m, r) => (r.write_date > m ? r.write_date : m), cursor ?? '1970-01-01 00:00:00');
  if (since === null) return { refs: [], cursor: latest };
  const overflow = moves.length > MAX_CHANGES || quants.length > MAX_CHANGES;
  const ids = [...new Set(rows.map((r) => (r.product_id === false ? 0 : r.product_id[0])).filter((id) => id > 0))];
  if (overflow) return { refs: [], cursor: latest, overflow: true };
  const products = ids.length === 0 ? [] : await client.call('product.product', 'search_read', [[['id', 'in', ids], ['default_code', '!=', false]]],
    { fields: ['default_code'], context: { active_test: false } }, z.array(z.object({ id: CreatedId, default_code: OdooChar })));
  return { refs: [...new Set(products.map((p) => p.default_code).filter((c) => c !== ''))].sort(), cursor: latest };
}
