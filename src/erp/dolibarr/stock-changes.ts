/**
 * Dolibarr changed-since stock pass: `GET /stockmovements` sorted by rowid descending, newer than the last seen
 * movement id, then the moved products' refs (`GET /products` by rowid). The caller re-reads only those refs.
 * The cursor is the highest movement id seen (as a string). A first call (`null`) only finds the current
 * highest id: what happened before is covered by the full pull.
 */
import { z } from 'zod';
import type { StockChanges } from '../../ports/erp.js';
import { type DolibarrClient, NOT_FOUND } from './client.js';

const id = z.union([z.string(), z.number()]).transform((v) => Number(v));
const MovementSchema = z.object({ id, product_id: id });
const MovementPage = z.array(MovementSchema);
const ProductRefPage = z.array(z.object({ id, ref: z.string() }));

export interface StockChangesOptions {
  /** Movements per page. @defaultValue 500 */
  pageSize?: number;
  /** Most pages per call; more movements than that → `overflow` (the caller runs a full pull). @defaultValue 20 */
  maxPages?: number;
}

/** Movements newer than `after`, newest first, paged; Dolibarr answers 404 for an empty list in some versions. */
async function movementsAfter(client: DolibarrClient, after: number, pageSize: number, maxPages: number): Promise<{ ids: number[]; products: Set<number>; complete: boolean }> {
  const ids: number[] = [];
  const products = new Set<number>();
  for (let page = 0; page < maxPages; page++) {
    const rows = await client.find('/stockmovements', {
      sortfield: 't.rowid', sortorder: 'DESC', limit: pageSize, page, sqlfilters: `(t.rowid:>:${after})`,
    }, MovementPage);
    if (rows === NOT_FOUND) return { ids, products, complete: true };
    for (const m of rows) {
      ids.push(m.id);
      products.add(m.product_id);
    }
    if (rows.length < pageSize) return { ids, products, complete: true };
  }
  return { ids, products, complete: false };
}

/** Product refs of product rowids, 100 per request. */
async function refsOf(client: DolibarrClient, productIds: number[]): Promise<string[]> {
  const refs: string[] = [];
  for (let i = 0; i < productIds.length; i += 100) {
    const chunk = productIds.slice(i, i + 100);
    const rows = await client.find('/products', {
      limit: chunk.length, properties: 'id,ref', sqlfilters: `(t.rowid:in:${chunk.map((n) => `'${n}'`).join(',')})`,
    }, ProductRefPage);
    if (rows !== NOT_FOUND) refs.push(...rows.map((r) => r.ref));
  }
  return refs;
}

/** The highest movement id now (0 when there is none). */
async function latestMovementId(client: DolibarrClient): Promise<number> {
  const rows = await client.find('/stockmovements', { sortfield: 't.rowid', sortorder: 'DESC', limit: 1 }, MovementPage);
  return rows === NOT_FOUND ? 0 : rows[0]?.id ?? 0;
}

export async function readDolibarrStockChanges(client: DolibarrClient, cursor: string | null, opts: StockChangesOptions = {}): Promise<StockChanges> {
  const after = cursor === null ? Number.NaN : Number(cursor);
  if (!Number.isInteger(after) || after < 0) return { refs: [], cursor: String(await latestMovementId(client)) };
  const found = await movementsAfter(client, after, opts.pageSize ?? 500, opts.maxPages ?? 20);
  if (found.ids.length === 0) return { refs: [], cursor: String(after) };
  const next = String(Math.max(...found.ids));
  if (!found.complete) return { refs: [], cursor: next, overflow: true };
  const refs = await refsOf(client, [...found.products]);
  return { refs: [...new Set(refs)], cursor: next };
}
