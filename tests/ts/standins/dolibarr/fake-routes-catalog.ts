/** Fake Dolibarr routes for /status, /products, /warehouses, /stockmovements and /bankaccounts. */
import { renderMovement, renderProduct, renderWarehouse, pick, stockWarehouses } from './fake-render.js';
import { applyFilter, type FakeRequest, type FakeResponse, isResponse, ok, pageList, parseSqlFilters, restlerError, unknownResource } from './fake-protocol.js';
import type { FakeProduct, FakeState } from './fake-state.js';

type Body = Record<string, unknown>;
const asBody = (b: unknown): Body => (b !== null && typeof b === 'object' && !Array.isArray(b) ? (b as Body) : {});
const str = (v: unknown, d = ''): string => (v === undefined || v === null ? d : String(v));

export function statusRoute(): FakeResponse {
  return ok({ success: { code: 200, dolibarr_version: '20.0.2', access_locked: '0' } });
}

export function productsRoute(state: FakeState, req: FakeRequest): FakeResponse {
  const [, a, b] = req.parts;
  if (req.method === 'POST' && a === undefined) return createProduct(state, asBody(req.body));
  if (req.method !== 'GET') return restlerError(405, 'Method not allowed');
  if (a === undefined) return listProducts(state, req.query);
  const product = a === 'ref' ? state.products.find((p) => p.ref === b) : state.products.find((p) => String(p.id) === a);
  if (!product) return restlerError(404, 'Product not found');
  if (a !== 'ref' && b === 'stock') {
    const only = req.query.get('selected_warehouse_id');
    return ok({ stock_warehouses: stockWarehouses(state, product.id, only === null ? undefined : Number(only)) });
  }
  return ok(renderProduct(product, state, false));
}

function createProduct(state: FakeState, body: Body): FakeResponse {
  if (body['ref'] === undefined || body['label'] === undefined) return restlerError(400, 'ref field missing');
  const id = state.addProduct({ ref: str(body['ref']), label: str(body['label']), price: str(body['price'], '0'), tva_tx: str(body['tva_tx'], '0'), type: Number(body['type'] ?? 0) });
  if (id === 'duplicate') return restlerError(500, 'Error creating product', 'ErrorProductAlreadyExists');
  return ok(id);
}

function productField(p: FakeProduct, field: string): unknown {
  if (field === 'rowid') return p.id;
  return (p as unknown as Record<string, unknown>)[field];
}

function listProducts(state: FakeState, q: URLSearchParams): FakeResponse {
  let items = state.products;
  const category = q.get('category');
  if (category !== null && Number(category) > 0) {
    const members = state.categories.find((c) => String(c.id) === category)?.products ?? [];
    items = items.filter((p) => members.includes(p.id));
  }
  const filter = q.get('sqlfilters');
  if (filter !== null) {
    const parsed = parseSqlFilters(filter, 'product');
    if (isResponse(parsed)) return parsed;
    items = applyFilter(items, parsed, productField);
  }
  if (q.get('ids_only') === 'true' || q.get('ids_only') === '1') {
    const page = pageList(items.map((p) => ({ id: String(p.id) })), new URLSearchParams({ sortfield: 't.rowid', ...Object.fromEntries(q) }));
    return ok((page as Array<{ id: string }>).map((r) => r.id));
  }
  const withStock = q.get('includestockdata') === '1';
  const query = new URLSearchParams({ sortfield: 't.ref', ...Object.fromEntries(q) });
  const render = (p: FakeProduct): Record<string, unknown> => pick(renderProduct(p, state, withStock), q.get('properties'));
  // Sorting by rowid or ref needs no rendering: page on light rows, render only the page (10,000-product benches).
  if (/^t\.(rowid|ref)$/.test(query.get('sortfield') ?? '') && query.get('pagination_data') !== 'true') {
    const light = items.map((p, i) => ({ id: String(p.id), ref: p.ref, i }));
    const page = pageList(light, query) as Array<{ i: number }>;
    return ok(page.map((row) => render(items[row.i] as FakeProduct)));
  }
  return ok(pageList(items.map(render), query));
}

export function warehousesRoute(state: FakeState, req: FakeRequest): FakeResponse {
  const [, a] = req.parts;
  if (req.method === 'POST' && a === undefined) {
    const body = asBody(req.body);
    if (body['label'] === undefined) return restlerError(400, 'label field missing');
    return ok(state.addWarehouse(str(body['label']), str(body['lieu'])));
  }
  if (a === undefined) return ok(pageList(state.warehouses.map(renderWarehouse), req.query));
  const w = state.warehouses.find((x) => String(x.id) === a);
  return w ? ok(renderWarehouse(w)) : restlerError(404, 'warehouse not found');
}

export function stockMovementsRoute(state: FakeState, req: FakeRequest): FakeResponse {
  if (req.parts.length > 1) return restlerError(404, 'Not Found');
  if (req.method === 'POST') return createMovement(state, asBody(req.body));
  let items = state.movements;
  const filter = req.query.get('sqlfilters');
  if (filter !== null) {
    const parsed = parseSqlFilters(filter, 'stock movement');
    if (isResponse(parsed)) return parsed;
    items = applyFilter(items, parsed, (m, f) => (f === 'fk_product' ? m.product_id : f === 'fk_entrepot' ? m.warehouse_id : f === 'rowid' ? m.id : undefined));
  }
  return ok(pageList(items.map(renderMovement), req.query));
}

function createMovement(state: FakeState, body: Body): FakeResponse {
  for (const k of ['product_id', 'warehouse_id', 'qty']) {
    if (body[k] === undefined) return restlerError(400, `\`${k}\` is required.`);
  }
  const productId = Number(body['product_id']);
  const warehouseId = Number(body['warehouse_id']);
  if (!state.products.some((p) => p.id === productId)) return restlerError(404, 'Product not found');
  if (!state.warehouses.some((w) => w.id === warehouseId)) return restlerError(404, 'Warehouse not found');
  const qty = Number(body['qty']);
  const id = state.move(productId, warehouseId, qty, str(body['label']), str(body['price'], '0'), body['inventorycode'] === undefined ? null : str(body['inventorycode']), qty < 0 ? 1 : 0);
  return ok(id);
}

export function bankAccountsRoute(state: FakeState, req: FakeRequest): FakeResponse {
  if (req.method !== 'POST' || req.parts.length > 1) return unknownResource();
  const body = asBody(req.body);
  const id = state.next('bank');
  state.bankAccounts.push({ id, ref: str(body['ref']), label: str(body['label']) });
  return ok(id);
}
