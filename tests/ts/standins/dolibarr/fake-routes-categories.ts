/**
 * Fake Dolibarr /categories (module Categories), product categories only, as the real Dolibarr 20.0.2 answers:
 * `POST /categories {label, type: 'product'}` → the new id; `POST /categories/{id}/objects/product/{pid}` links;
 * `GET /categories?type=product` lists `{id: "1", fk_parent: 0, label, type: "0"}` (paged, `properties`, an empty
 * page is 200 []). Products of a category: `GET /products?category=<id>&ids_only=true` (fake-routes-catalog.ts).
 */
import { pick } from './fake-render.js';
import { type FakeRequest, type FakeResponse, ok, pageList, restlerError } from './fake-protocol.js';
import type { FakeState } from './fake-state.js';

export function categoriesRoute(state: FakeState, req: FakeRequest): FakeResponse {
  const [, a, b, c, d] = req.parts;
  if (req.method === 'POST' && a === undefined) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body['label'] === undefined) return restlerError(400, 'label field missing');
    if (body['type'] !== 'product') return restlerError(400, 'the stand-in knows product categories only');
    return ok(state.addCategory(String(body['label']), Number(body['fk_parent'] ?? 0)));
  }
  if (req.method === 'POST' && b === 'objects' && c === 'product') {
    const category = state.categories.find((x) => String(x.id) === a);
    if (!category) return restlerError(404, 'Category not found');
    if (!state.products.some((p) => String(p.id) === d)) return restlerError(404, 'Product not found');
    state.linkCategory(category.id, Number(d));
    return ok({ success: { code: 200, message: 'Objects successfully linked to the category' } });
  }
  if (req.method !== 'GET' || a !== undefined) return restlerError(501, 'API not found');
  if (req.query.get('type') !== 'product') return ok([]);
  const rows = state.categories.map((x) => ({ id: String(x.id), fk_parent: x.fk_parent, label: x.label, type: '0' }));
  return ok((pageList(rows, req.query) as Array<Record<string, unknown>>).map((r) => pick(r, req.query.get('properties'))));
}
