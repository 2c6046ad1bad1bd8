/** Fake Dolibarr routing: /orders and /thirdparties here, catalog routes in fake-routes-catalog.ts. */
import { pick, renderOrder, renderThirdparty } from './fake-render.js';
import { applyFilter, type FakeRequest, type FakeResponse, isResponse, ok, pageList, parseSqlFilters, restlerError, unknownResource } from './fake-protocol.js';
import { bankAccountsRoute, productsRoute, statusRoute, stockMovementsRoute, warehousesRoute } from './fake-routes-catalog.js';
import { countryCodeOf, setupRoute } from './fake-countries.js';
import { categoriesRoute } from './fake-routes-categories.js';
import { invoicesRoute, orderLinks, paymentTypesRoute, setOrderToDraft } from './fake-routes-invoices.js';
import { shipmentsRoute } from './fake-routes-shipments.js';
import type { FakeLine, FakeOrder, FakeState, FakeThirdparty } from './fake-state.js';

type Body = Record<string, unknown>;
const asBody = (b: unknown): Body => (b !== null && typeof b === 'object' && !Array.isArray(b) ? (b as Body) : {});
const strOrNull = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));

export function route(state: FakeState, req: FakeRequest, baseUrl: string): FakeResponse {
  switch (req.parts[0]) {
    case 'status': return statusRoute();
    case 'orders': return ordersRoute(state, req, baseUrl);
    case 'thirdparties': return thirdpartiesRoute(state, req);
    case 'products': return productsRoute(state, req);
    case 'categories': return categoriesRoute(state, req);
    case 'warehouses': return warehousesRoute(state, req);
    case 'stockmovements': return stockMovementsRoute(state, req);
    case 'bankaccounts': return bankAccountsRoute(state, req);
    case 'setup': return req.parts[2] === 'payment_types' ? paymentTypesRoute() : setupRoute(req);
    case 'invoices': return invoicesRoute(state, req);
    case 'shipments': return shipmentsRoute(state, req);
    default: return unknownResource();
  }
}

function ordersRoute(state: FakeState, req: FakeRequest, baseUrl: string): FakeResponse {
  const [, a, b] = req.parts;
  const render = (o: FakeOrder): Record<string, unknown> => ({ ...renderOrder(o, state, baseUrl), linkedObjectsIds: orderLinks(state, o) });
  if (a === undefined) return req.method === 'POST' ? createOrder(state, asBody(req.body)) : listOrders(state, req.query, render);
  const order = a === 'ref_ext' ? state.orders.find((o) => o.ref_ext === b) : state.orders.find((o) => String(o.id) === a);
  if (!order) return restlerError(404, 'Order not found');
  if (req.method === 'DELETE' && a !== 'ref_ext' && b === undefined) {
    state.orders.splice(state.orders.indexOf(order), 1);
    return ok({ success: { code: 200, message: 'Order deleted' } });
  }
  if (req.method === 'POST' && b === 'validate') {
    const warehouse = Number(asBody(req.body)['idwarehouse'] ?? 0);
    if (!state.validateOrder(order, warehouse)) return { status: 304, text: '' };
    // The validate answer has `trackid` and lacks `actiontypecode` (fixture 08).
    const { actiontypecode: _omit, ...validated } = render(order);
    return ok({ ...validated, trackid: `ord${order.id}` });
  }
  if (req.method === 'POST' && b === 'settodraft') {
    const res = setOrderToDraft(state, order, req.body);
    return res === 'done' ? ok(render(order)) : res;
  }
  if (req.method !== 'GET' || (a !== 'ref_ext' && b !== undefined)) return restlerError(404, 'Not Found');
  return ok(render(order));
}

function orderField(o: FakeOrder, field: string): unknown {
  if (field === 'rowid') return o.id;
  if (field === 'fk_soc') return o.socid;
  if (field === 'fk_statut') return o.statut;
  return (o as unknown as Record<string, unknown>)[field];
}

function listOrders(state: FakeState, q: URLSearchParams, render: (o: FakeOrder) => Record<string, unknown>): FakeResponse {
  let items = state.orders;
  const filter = q.get('sqlfilters');
  if (filter !== null) {
    const parsed = parseSqlFilters(filter, 'order');
    if (isResponse(parsed)) return parsed;
    items = applyFilter(items, parsed, orderField);
  }
  const socids = q.get('thirdparty_ids');
  if (socids !== null) items = items.filter((o) => socids.split(',').includes(String(o.socid)));
  const properties = q.get('properties');
  return ok(pageList(items.map((o) => pick(render(o), properties)), q));
}

function toLine(raw: unknown): Omit<FakeLine, 'id' | 'totals'> {
  const l = asBody(raw);
  const fk = l['fk_product'];
  return {
    fk_product: fk === undefined || fk === null || Number(fk) === 0 ? null : Number(fk),
    desc: String(l['desc'] ?? ''),
    qty: Number(l['qty'] ?? 1),
    subprice: String(l['subprice'] ?? '0'),
    tva_tx: String(l['tva_tx'] ?? '0'),
    remise_percent: String(l['remise_percent'] ?? '0'),
    product_type: Number(l['product_type'] ?? 0),
  };
}

function createOrder(state: FakeState, body: Body): FakeResponse {
  if (body['socid'] === undefined) return restlerError(400, 'socid field missing');
  const socid = Number(body['socid']);
  if (!state.thirdparties.some((t) => t.id === socid)) {
    return restlerError(500, 'Error creating order', 'Cannot add or update a child row: a foreign key constraint fails (`dolibarr`.`llx_commande`, CONSTRAINT `fk_commande_fk_soc` FOREIGN KEY (`fk_soc`) REFERENCES `llx_societe` (`rowid`))');
  }
  const rawLines = Array.isArray(body['lines']) ? body['lines'] : [];
  const lines = rawLines.map(toLine);
  const badProduct = lines.find((l) => l.fk_product !== null && !state.products.some((p) => p.id === l.fk_product));
  if (badProduct) return restlerError(500, 'Error creating order', 'Cannot add or update a child row: a foreign key constraint fails (fk_commandedet_fk_product)');
  const badNumber = lines.find((l) => !/^-?\d+(\.\d+)?$/.test(l.subprice) || !/^\d+(\.\d+)?$/.test(l.tva_tx) || !/^\d+(\.\d+)?$/.test(l.remise_percent));
  if (badNumber) return restlerError(400, 'Error creating order line: bad number');
  const id = state.addOrder({
    socid, ref_client: strOrNull(body['ref_client']), ref_ext: strOrNull(body['ref_ext']),
    date: Number(body['date'] ?? Math.floor(Date.now() / 1000)), note_private: strOrNull(body['note_private']),
  }, lines);
  return ok(id);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function thirdpartiesRoute(state: FakeState, req: FakeRequest): FakeResponse {
  const [, a, b] = req.parts;
  if (a === undefined) return req.method === 'POST' ? createThirdparty(state, asBody(req.body)) : listThirdparties(state, req.query);
  if (a === 'email') {
    if (b === undefined || !EMAIL.test(b)) return restlerError(400, 'Invalid value specified for `email`. Expecting email in `name@example.com` format');
    const t = state.thirdparties.find((x) => x.email !== null && x.email.toLowerCase() === b.toLowerCase());
    return t ? ok(renderThirdparty(t, true)) : restlerError(404, 'Thirdparty not found');
  }
  const t = state.thirdparties.find((x) => String(x.id) === a);
  if (!t || b !== undefined) return restlerError(404, 'Thirdparty not found');
  return ok(renderThirdparty(t, true));
}

function listThirdparties(state: FakeState, q: URLSearchParams): FakeResponse {
  let items = state.thirdparties;
  const filter = q.get('sqlfilters');
  if (filter !== null) {
    const parsed = parseSqlFilters(filter, 'thirdparty');
    if (isResponse(parsed)) return parsed;
    items = applyFilter(items, parsed, (t: FakeThirdparty, f) => (f === 'rowid' ? t.id : f === 'nom' ? t.name : (t as unknown as Record<string, unknown>)[f]));
  }
  // Dolibarr 20 answers 404 "Thirdparties not found" to a list that comes out empty (fixtures 06e, 06f); orders,
  // products and invoices answer 200 [].
  const page = pageList(items.map((t) => renderThirdparty(t, false)), q);
  const rows = Array.isArray(page) ? page : (page as { data: unknown[] }).data;
  if (rows.length === 0) return restlerError(404, 'Thirdparties not found');
  return ok(page);
}

function createThirdparty(state: FakeState, body: Body): FakeResponse {
  if (body['name'] === undefined || String(body['name']).trim() === '') return restlerError(400, 'name field missing');
  // Dolibarr 20.0.2 ignores `country_code` on create; only `country_id` sets the country (realstack README).
  const country = countryCodeOf(Number(body['country_id'] ?? 0));
  const id = state.addThirdparty({
    name: String(body['name']), email: strOrNull(body['email']), ref_ext: strOrNull(body['ref_ext']), client: Number(body['client'] ?? 0),
    address: strOrNull(body['address']), zip: strOrNull(body['zip']), town: strOrNull(body['town']), phone: strOrNull(body['phone']), country_code: country,
  }, String(body['code_client'] ?? '') === '-1');
  return ok(id);
}
