/**
 * Dolibarr product master data → canonical products (ERP → WooCommerce master data sync).
 * - changed since a cursor: `GET /products` with `sqlfilters=(t.tms:>=:'<cursor>')`, sorted by `t.tms` then rowid,
 *   paged. The cursor is the newest `tms` read (Dolibarr's database time, `YYYY-MM-DD HH:MM:SS`); the bound is
 *   inclusive because `tms` has one-second resolution (a product changed in the same second after the read must
 *   not be skipped): products of the cursor's second are read again, and the WordPress route writes nothing for
 *   an unchanged product, so a re-read costs a comparison, never a write;
 * - a first call (cursor null) is a full scan and returns the newest `tms` as the cursor;
 * - targeted reads by refs or by ERP ids (webhooks name Dolibarr rowids), 100 per request.
 * Units: Dolibarr `weight_units` (0 kg, -3 g, -6 mg, 3 t, 98 oz, 99 lb) and `length_units` / `width_units` /
 * `height_units` (0 m, -1 dm, -2 cm, -3 mm, 98 ft, 99 in) → grams and millimetres; prices (HT and TTC, 8 decimals)
 * → integer minor units, rounded half away from zero; `status` 1 = on sale.
 * Sale price: Dolibarr 20.0.2 has none (checked on the real one: a product carries price/price_ttc, price_min,
 * price levels `multiprices*` with PRODUIT_MULTIPRICES, `prices_by_qty`, a customer `remise_percent`; nothing dated
 * or promotional): `salePrice` stays absent, so the store's is kept.
 * Categories (`query.categories`, when the store lets the ERP own them; module Categories on): the product
 * categories (`GET /categories?type=product`, paged) and, per category, its products' ids (`GET /products?category=
 * <id>&ids_only=true`, paged; an empty category answers 200 []); each product read gets the labels of its
 * categories (sorted; [] for none). Linking a category does not move the product's `tms`, so a category change
 * reaches WooCommerce with the next full scan (the scheduled `products.sync`), not the changed-since pass.
 */
import { z } from 'zod';
import { type Product, ProductSchema } from '../../canonical/product.js';
import type { ProductChanges, ProductQuery } from '../../ports/erp.js';
import { type DolibarrClient, NOT_FOUND } from './client.js';
import { fraction, mul, parseDecimal, pow10, roundHalfAway } from './decimal.js';

const text = z.union([z.string(), z.number()]).nullish().transform((v) => (v === null || v === undefined ? undefined : String(v)));

export const DolibarrProductRow = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  ref: z.string().min(1),
  label: z.string().nullish(),
  status: text,
  price: text,
  price_ttc: text,
  tva_tx: text,
  weight: text,
  weight_units: text,
  length: text,
  length_units: text,
  width: text,
  width_units: text,
  height: text,
  height_units: text,
  date_modification: z.union([z.string(), z.number()]).nullish(),
});
export type DolibarrProductRow = z.infer<typeof DolibarrProductRow>;
const Page = z.array(DolibarrProductRow);

const Id = z.union([z.string(), z.number()]).transform(String);
const CategoryPage = z.array(z.object({ id: Id, label: z.string() }));
const IdPage = z.array(Id);

const PROPERTIES = 'id,ref,label,status,price,price_ttc,tva_tx,weight,weight_units,length,length_units,width,width_units,height,height_units,date_modification';
const TMS = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** Grams per unit of Dolibarr's weight_units (exact fractions). */
const WEIGHT: Record<string, [bigint, bigint]> = { '0': [1000n, 1n], '-3': [1n, 1n], '-6': [1n, 1000n], '3': [1_000_000n, 1n], '98': [28_349_523_125n, 1_000_000_000n], '99': [45_359_237n, 100_000n] };
/** Millimetres per unit of Dolibarr's length units. */
const LENGTH: Record<string, [bigint, bigint]> = { '0': [1000n, 1n], '-1': [100n, 1n], '-2': [10n, 1n], '-3': [1n, 1n], '98': [3048n, 10n], '99': [254n, 10n] };

export interface DolibarrProductsOptions {
  /** Products per page. @defaultValue 500 */
  pageSize?: number;
  /** Minor-unit exponent of the ERP's currency. @defaultValue 2 */
  exponent?: number;
}

/** A decimal in `unit` (a [num, den] factor to the canonical unit) → a non-negative integer, or undefined. */
function scaled(value: string | undefined, factor: [bigint, bigint] | undefined): number | undefined {
  if (value === undefined || value === '' || factor === undefined) return undefined;
  let f;
  try { f = parseDecimal(value); } catch { return undefined; }
  const n = Number(roundHalfAway(mul(f, fraction(factor[0], factor[1]))));
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** `"20.0000"` → `"20"`, `"5.500"` → `"5.5"`. */
export function normaliseRate(rate: string | undefined): string | undefined {
  if (rate === undefined || !/^\d+(\.\d+)?$/.test(rate)) return undefined;
  const [whole = '0', frac = ''] = rate.split('.');
  const f = frac.replace(/0+$/, '').slice(0, 4);
  return `${String(Number(whole))}${f ? `.${f}` : ''}`;
}

/** Dolibarr's `tms` (a `Y-m-d H:i:s` string, or Unix seconds in some answers) as its database-time string. */
export function tmsOf(row: DolibarrProductRow): string | undefined {
  const v = row.date_modification;
  if (typeof v === 'string' && TMS.test(v)) return v;
  if (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v))) {
    return new Date(Number(v) * 1000).toISOString().slice(0, 19).replace('T', ' ');
  }
  return undefined;
}

/** One Dolibarr product as canonical master data. */
export function toProduct(row: DolibarrProductRow, exponent = 2): Product {
  const money = (v: string | undefined): number | undefined => scaled(v, [pow10(exponent), 1n]);
  const net = money(row.price);
  const gross = money(row.price_ttc);
  const lengthUnit = row.length_units ?? '0';
  const tms = tmsOf(row);
  const candidate = {
    ref: row.ref,
    erpId: row.id,
    ...(row.label ? { name: row.label.slice(0, 255) } : {}),
    ...(net !== undefined && gross !== undefined ? { regularPrice: { net, gross } } : {}),
    ...(normaliseRate(row.tva_tx) === undefined ? {} : { vatRate: normaliseRate(row.tva_tx) }),
    ...opt('weightG', scaled(row.weight, WEIGHT[row.weight_units ?? '0'])),
    ...opt('lengthMm', scaled(row.length, LENGTH[lengthUnit])),
    ...opt('widthMm', scaled(row.width, LENGTH[row.width_units ?? lengthUnit])),
    ...opt('heightMm', scaled(row.height, LENGTH[row.height_units ?? lengthUnit])),
    ...(row.status === undefined ? {} : { active: row.status === '1' }),
    ...(tms ? { modifiedAt: `${tms.replace(' ', 'T')}Z` } : {}),
  };
  return ProductSchema.parse(candidate);
}

function opt<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

const quoted = (values: readonly string[]): string => values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',');

/** Pages through `/products` with `sqlfilters`, sorted by tms then rowid. */
async function pages(client: DolibarrClient, sqlfilters: string | undefined, pageSize: number): Promise<DolibarrProductRow[]> {
  const out: DolibarrProductRow[] = [];
  for (let page = 0; ; page++) {
    const rows = await client.find('/products', {
      limit: pageSize, page, sortfield: 't.tms,t.rowid', sortorder: 'ASC', properties: PROPERTIES, ...(sqlfilters ? { sqlfilters } : {}),
    }, Page);
    if (rows === NOT_FOUND) return out;
    out.push(...rows);
    if (rows.length < pageSize) return out;
  }
}

/** Every page of a list route (sorted by rowid); a 404 is an empty list. */
async function allPages<S extends z.ZodType<unknown[]>>(client: DolibarrClient, path: string, query: Record<string, string | number>, schema: S, pageSize: number): Promise<z.output<S>> {
  const out: unknown[] = [];
  for (let page = 0; ; page++) {
    const rows = await client.find(path, { ...query, sortfield: 't.rowid', sortorder: 'ASC', limit: pageSize, page }, schema);
    if (rows === NOT_FOUND) break;
    out.push(...rows);
    if (rows.length < pageSize) break;
  }
  return out as z.output<S>;
}

/** Dolibarr product id → the labels of its product categories (sorted). */
export async function readDolibarrProductCategories(client: DolibarrClient, pageSize = 500): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const categories = await allPages(client, '/categories', { type: 'product', properties: 'id,label' }, CategoryPage, pageSize);
  for (const c of categories) {
    if (c.label.trim() === '') continue;
    for (const id of await allPages(client, '/products', { category: c.id, ids_only: 'true' }, IdPage, pageSize)) {
      out.set(id, [...(out.get(id) ?? []), c.label]);
    }
  }
  for (const labels of out.values()) labels.sort();
  return out;
}

/** Reads products changed since the cursor (inclusive), every product (cursor null), or by refs / ids. */
export async function readDolibarrProducts(client: DolibarrClient, q: ProductQuery, opts: DolibarrProductsOptions = {}): Promise<ProductChanges> {
  const pageSize = opts.pageSize ?? 500;
  const rows: DolibarrProductRow[] = [];
  const cursor = q.cursor && TMS.test(q.cursor) ? q.cursor : null;
  if (q.refs || q.ids) {
    const list = q.refs ?? q.ids ?? [];
    const field = q.refs ? 't.ref' : 't.rowid';
    for (let i = 0; i < list.length; i += 100) rows.push(...await pages(client, `(${field}:in:${quoted(list.slice(i, i + 100))})`, pageSize));
  } else {
    rows.push(...await pages(client, cursor ? `(t.tms:>=:'${cursor}')` : undefined, pageSize));
  }
  let newest = cursor ?? '';
  for (const r of rows) {
    const t = tmsOf(r);
    if (t && t > newest) newest = t;
  }
  const categories = q.categories && rows.length > 0 ? await readDolibarrProductCategories(client, pageSize) : undefined;
  const products = rows.map((r) => {
    const p = toProduct(r, opts.exponent);
    return categories ? { ...p, categories: categories.get(r.id) ?? [] } : p;
  });
  return { products, cursor: newest || (q.cursor ?? '') };
}
