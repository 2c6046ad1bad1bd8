/**
 * Fake Dolibarr `/shipments` (expeditions), as the real 20.0.2 answers them (docs/ARCHITECTURE.md, "Shipments"):
 * create (socid, origin_id, origin_type required), validate (`notrigger` must be an integer), get, and the list with
 * `sqlfilters` on `t.rowid`, `t.fk_statut` and `t.tms` (`200 []` when nothing matches). Answers are the recorded
 * shape (fake-shipment-shape.json, from a real `GET /shipments/{id}`) with this fake's values laid over it.
 * Shipments live beside the rest of the fake's state (a WeakMap keyed by it), so a reset forgets them.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { applyFilter, type FakeRequest, type FakeResponse, isResponse, ok, pageList, parseSqlFilters, restlerError } from './fake-protocol.js';
import { nowSeconds, yymm, type FakeState } from './fake-state.js';

interface FakeShipmentLine { id: number; orderLineId: number; productId: number | null; qty: number; warehouseId: number; qtyAsked: number }
interface FakeShipment {
  id: number; ref: string; statut: number; socid: number; originId: number; originType: string; trackingNumber: string | null;
  methodId: number | null; lines: FakeShipmentLine[]; created: number; validated: number | null; tms: string;
}

/** The shipping-method dictionary of a fresh Dolibarr 20.0.2 (`GET /setup/dictionary/shipping_methods`). */
const METHODS: Record<number, { label: string; tracking: string }> = {
  1: { label: 'In-Store Collection', tracking: '' },
  2: { label: 'Generic transport service', tracking: '' },
  5: { label: 'UPS', tracking: 'http://wwwapps.ups.com/etracking/tracking.cgi?InquiryNumber1={TRACKID}' },
};

/** A real answer's keys and types (values laid over). */
const SHAPE = z.object({ shipment: z.record(z.string(), z.unknown()), line: z.record(z.string(), z.unknown()) })
  .parse(JSON.parse(readFileSync(new URL('./fake-shipment-shape.json', import.meta.url), 'utf8')));

const shipments = new WeakMap<FakeState, FakeShipment[]>();
const seq = new WeakMap<FakeState, number>();
type Body = Record<string, unknown>;
const asBody = (b: unknown): Body => (b !== null && typeof b === 'object' && !Array.isArray(b) ? (b as Body) : {});

/** `YYYY-MM-DD HH:MM:SS` now (the fake's database runs in UTC). */
const dbNow = (): string => new Date().toISOString().slice(0, 19).replace('T', ' ');

function list(state: FakeState): FakeShipment[] {
  let l = shipments.get(state);
  if (!l) shipments.set(state, (l = []));
  return l;
}

export function shipmentsRoute(state: FakeState, req: FakeRequest): FakeResponse {
  const [, a, b] = req.parts;
  if (a === undefined) return req.method === 'POST' ? create(state, asBody(req.body)) : req.method === 'GET' ? index(state, req.query) : restlerError(405, 'Method not allowed');
  const s = list(state).find((x) => String(x.id) === a);
  if (!s) return restlerError(404, 'Shipment not found');
  if (req.method === 'POST' && b === 'validate') return validate(state, s, asBody(req.body));
  if (req.method !== 'GET' || b !== undefined) return restlerError(404, 'Not Found');
  return ok(render(state, s));
}

function create(state: FakeState, body: Body): FakeResponse {
  for (const field of ['socid', 'origin_id', 'origin_type']) if (body[field] === undefined) return restlerError(400, `${field} field missing`);
  const order = state.orders.find((o) => o.id === Number(body['origin_id']));
  const id = (seq.get(state) ?? 0) + 1;
  seq.set(state, id);
  const lines = (Array.isArray(body['lines']) ? body['lines'] : []).map((raw, i): FakeShipmentLine => {
    const l = asBody(raw);
    const orderLine = order?.lines.find((x) => x.id === Number(l['origin_line_id'] ?? l['fk_elementdet']));
    return { id: id * 100 + i + 1, orderLineId: orderLine?.id ?? 0, productId: orderLine?.fk_product ?? null, qty: Number(l['qty'] ?? 0), warehouseId: Number(l['entrepot_id'] ?? 0), qtyAsked: orderLine?.qty ?? 0 };
  });
  const method = body['shipping_method_id'] === undefined ? null : Number(body['shipping_method_id']);
  list(state).push({
    id, ref: `(PROV${id})`, statut: 0, socid: Number(body['socid']), originId: Number(body['origin_id']), originType: String(body['origin_type']),
    trackingNumber: body['tracking_number'] === undefined || body['tracking_number'] === null ? null : String(body['tracking_number']),
    methodId: method, lines, created: nowSeconds(), validated: null, tms: dbNow(),
  });
  return ok(id);
}

function validate(state: FakeState, s: FakeShipment, body: Body): FakeResponse {
  if (!Number.isInteger(body['notrigger'])) return restlerError(400, 'Invalid value specified for `notrigger`. Expecting integer value');
  if (s.statut === 0) {
    s.statut = 1;
    s.validated = nowSeconds();
    s.ref = `SH${yymm(s.validated)}-${String(list(state).filter((x) => x.statut > 0).length).padStart(4, '0')}`;
    s.tms = dbNow();
  }
  // The validate answer has `trackid` and lacks `actiontypecode` (as the orders' does).
  const { actiontypecode: _omit, ...validated } = render(state, s);
  return ok({ ...validated, trackid: `shi${s.id}` });
}

function field(s: FakeShipment, name: string): unknown {
  if (name === 'rowid') return s.id;
  if (name === 'fk_statut') return s.statut;
  if (name === 'tms') return s.tms;
  return undefined;
}

function index(state: FakeState, q: URLSearchParams): FakeResponse {
  let items = list(state);
  const filter = q.get('sqlfilters');
  if (filter !== null) {
    const parsed = parseSqlFilters(filter, 'commande');
    if (isResponse(parsed)) return parsed;
    // `>=` on the change time (text comparison, as MariaDB does with a quoted value); the rest as the fake's others.
    const times = parsed.clauses.filter((c) => c.field === 'tms');
    const rest = { ...parsed, clauses: parsed.clauses.filter((c) => c.field !== 'tms') };
    items = items.filter((s) => times.every((c) => (c.op === '>=' ? s.tms >= (c.values[0] ?? '') : c.op === '>' ? s.tms > (c.values[0] ?? '') : s.tms < (c.values[0] ?? ''))));
    if (rest.clauses.length > 0) items = applyFilter(items, rest, field);
  }
  return ok(pageList(items.map((s) => ({ ...render(state, s), linkedObjectsIds: null })), q));
}

function render(state: FakeState, s: FakeShipment): Record<string, unknown> {
  const method = s.methodId === null ? undefined : METHODS[s.methodId];
  const url = method?.tracking && s.trackingNumber !== null ? method.tracking.replace('{TRACKID}', s.trackingNumber) : '';
  const order = state.orders.find((o) => o.id === s.originId);
  return {
    ...SHAPE.shipment,
    // `get` reads the link to the order (`element_element`); the list does not (null there, as in the real one).
    linkedObjectsIds: { commande: { [String(s.id)]: String(s.originId) } },
    id: String(s.id), ref: s.ref, statut: String(s.statut), status: String(s.statut), socid: String(s.socid),
    origin_id: String(s.originId), origin_type: s.originType, ref_customer: order?.ref_client ?? null,
    tracking_number: s.trackingNumber, shipping_method_id: s.methodId === null ? null : String(s.methodId), shipping_method: method?.label ?? null,
    tracking_url: url === '' ? s.trackingNumber ?? '' : `<a target="_blank" rel="noopener noreferrer" href="${url}">${s.trackingNumber ?? ''}</a>`,
    date_creation: s.created, date_valid: s.validated ?? '', date_validation: s.validated ?? '', date_shipping: '', date_expedition: '', date_delivery: '',
    lines: s.lines.map((l) => {
      const product = state.products.find((p) => p.id === l.productId);
      return {
        ...SHAPE.line, id: String(l.id), rowid: String(l.id), fk_product: l.productId === null ? null : String(l.productId), product_ref: product?.ref ?? null, ref: product?.ref ?? null,
        qty: String(l.qty), qty_shipped: String(l.qty), qty_asked: String(l.qtyAsked), fk_elementdet: String(l.orderLineId), origin_line_id: String(l.orderLineId), entrepot_id: String(l.warehouseId),
      };
    }),
  };
}
