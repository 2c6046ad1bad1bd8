/**
 * The ERP's own ceiling for order pushes: a bare sequential client doing only what a correct push needs,
 * nothing Syncline adds (no lookups, no re-checks): create the sales order with its lines for an existing
 * customer, then validate it (which books the stock). Run against the same Dolibarr, in the same run, as the
 * benchmark it is compared with.
 */
import { z } from 'zod';
import type { ErpApi } from './erp-audit.js';

const IdAnswer = z.union([z.number(), z.string().regex(/^\d+$/)]).transform(Number);
const Products = z.array(z.object({ id: z.union([z.string(), z.number()]).transform(Number), ref: z.string() }));

async function call(erp: ErpApi, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${erp.url}${path}`, {
    method, headers: { DOLAPIKEY: erp.key, Accept: 'application/json', 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok && res.status !== 304) throw new Error(`ERP ceiling: ${method} ${path} answered ${res.status}: ${text.slice(0, 200)}`);
  return text === '' ? null : JSON.parse(text) as unknown;
}

export interface Ceiling { orders: number; seconds: number; orders_per_s: number }

/** Pushes `orders` orders (lines: [ERP product ref, qty, unit price]) one after the other; measures the rate. */
export async function erpCeiling(erp: ErpApi, orders: number, lines: Array<[string, number, number]>, warehouseId = 1): Promise<Ceiling> {
  const socid = IdAnswer.parse(await call(erp, 'POST', '/thirdparties', { name: `Ceiling bench ${Date.now()}`, client: '1', code_client: '-1', country_id: 1 }));
  const filter = lines.map(([ref]) => `(t.ref:=:'${ref}')`).join(' or ');
  const products = new Map(Products.parse(await call(erp, 'GET', `/products?limit=100&sqlfilters=${encodeURIComponent(filter)}`)).map((p) => [p.ref, p.id]));
  const body = {
    socid, date: Math.floor(Date.now() / 1000),
    lines: lines.map(([ref, qty, price]) => ({ fk_product: products.get(ref), qty, subprice: price, tva_tx: 0, product_type: 0 })),
  };
  const t0 = performance.now();
  for (let i = 0; i < orders; i++) {
    const id = IdAnswer.parse(await call(erp, 'POST', '/orders', body));
    await call(erp, 'POST', `/orders/${id}/validate`, { idwarehouse: warehouseId, notrigger: 0 });
  }
  const seconds = (performance.now() - t0) / 1000;
  return { orders, seconds: Number(seconds.toFixed(2)), orders_per_s: Number((orders / seconds).toFixed(2)) };
}
