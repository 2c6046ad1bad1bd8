/**
 * Fake Dolibarr invoices (issue 8): invoices and credit notes (type 2), createfromorder, validation, payments and
 * `paymentsdistributed`, and orders set back to draft. Rules mirrored from the real Dolibarr 20.0.2 (fixtures 10-13 and
 * tests/ts/contract): createfromorder copies the lines and links the order but not `ref_ext`; a second validation
 * answers 304; `POST /invoices/{id}/payments` pays what remains and, on a credit note, stores it POSITIVE (the API's
 * sign bug); `paymentsdistributed` negates the amount given for a credit note and refuses an amount above what remains
 * unless `accepthigherpayment`; settodraft with a warehouse books the order's stock back.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { lineTotals, type Totals } from '../../../../src/erp/dolibarr/totals.js';
import { formatScaled, fraction, mul, parseDecimal, roundHalfAway } from '../../../../src/erp/dolibarr/decimal.js';
import { applyFilter, type FakeRequest, type FakeResponse, isResponse, ok, pageList, parseSqlFilters, restlerError } from './fake-protocol.js';
import { fixed, pick } from './fake-render.js';
import { type FakeLine, type FakeOrder, type FakeState, nowSeconds, yymm } from './fake-state.js';

type Json = Record<string, unknown>;
const Shape = z.record(z.string(), z.unknown());
const shapes = z.object({ invoice: Shape, invoiceLine: Shape }).parse(JSON.parse(readFileSync(new URL('./fake-shapes-invoice.json', import.meta.url), 'utf8')));
const shape = shapes.invoice;

export interface FakePayment { ref: string; amount: bigint; num: string; type: string }
export interface FakeInvoice {
  id: number; ref: string; ref_ext: string | null; ref_client: string | null; type: number; statut: number; socid: number;
  fk_facture_source: number | null; lines: FakeLine[]; orderId: number | null; payments: FakePayment[]; date: number;
}

const PAYMENT_TYPES: Array<[number, string, string]> = [[6, 'CB', 'Credit card'], [7, 'CHQ', 'Cheque'], [4, 'LIQ', 'Cash'], [3, 'PRE', 'Direct Debit'], [2, 'VIR', 'Credit Transfer']];

/** The invoices held by one fake (kept beside FakeState, keyed by it). */
const books = new WeakMap<FakeState, FakeInvoice[]>();
export function invoicesOf(state: FakeState): FakeInvoice[] {
  let list = books.get(state);
  if (!list) books.set(state, (list = []));
  return list;
}

const asBody = (b: unknown): Json => (b !== null && typeof b === 'object' && !Array.isArray(b) ? (b as Json) : {});
const hundredths = (decimal: string): bigint => roundHalfAway(mul(parseDecimal(decimal), fraction(100n)));
const money = (h: bigint): string => fixed(formatScaled(h, 2), 8);

function totals(inv: FakeInvoice): Totals {
  const sign = inv.type === 2 ? -1n : 1n;
  const t = inv.lines.reduce((a, l) => ({ ht: a.ht + l.totals.ht, tva: a.tva + l.totals.tva, ttc: a.ttc + l.totals.ttc }), { ht: 0n, tva: 0n, ttc: 0n });
  return { ht: sign * t.ht, tva: sign * t.tva, ttc: sign * t.ttc };
}
const paidSum = (inv: FakeInvoice): bigint => inv.payments.reduce((a, p) => a + p.amount, 0n);
const remain = (inv: FakeInvoice): bigint => totals(inv).ttc - paidSum(inv);

export function renderInvoice(inv: FakeInvoice): Json {
  const t = totals(inv);
  const paid = paidSum(inv);
  return {
    ...structuredClone(shape),
    id: String(inv.id), ref: inv.ref, ref_ext: inv.ref_ext, ref_client: inv.ref_client, type: String(inv.type), statut: String(inv.statut), status: String(inv.statut),
    socid: String(inv.socid), fk_facture_source: inv.fk_facture_source === null ? null : String(inv.fk_facture_source),
    paye: inv.statut === 2 ? '1' : '0', total_ht: money(t.ht), total_tva: money(t.tva), total_ttc: money(t.ttc),
    multicurrency_total_ht: money(t.ht), multicurrency_total_tva: money(t.tva), multicurrency_total_ttc: money(t.ttc),
    sumpayed: inv.payments.length === 0 ? null : money(paid), remaintopay: formatScaled(t.ttc - paid, 2),
    linkedObjectsIds: inv.orderId === null ? null : { commande: { [String(inv.orderId)]: String(inv.orderId) } }, date: inv.date,
    lines: inv.lines.map((l, rang) => renderLine(inv, l, rang)),
  };
}

function renderLine(inv: FakeInvoice, l: FakeLine, rang: number): Json {
  const sign = inv.type === 2 ? -1n : 1n;
  return {
    ...structuredClone(shapes.invoiceLine),
    id: String(l.id), rowid: String(l.id), fk_facture: String(inv.id), fk_product: l.fk_product === null ? null : String(l.fk_product), qty: String(l.qty),
    subprice: fixed(l.subprice, 8), tva_tx: fixed(l.tva_tx, 4), remise_percent: l.remise_percent, product_type: String(l.product_type), desc: l.desc, description: l.desc,
    total_ht: money(sign * l.totals.ht), total_tva: money(sign * l.totals.tva), total_ttc: money(sign * l.totals.ttc), rang: String(rang),
  };
}

/** The answer of a write that returns the invoice (PUT, validate): Dolibarr adds `trackid` and leaves `actiontypecode` out. */
function written(inv: FakeInvoice): Json {
  const { actiontypecode: _omit, ...rest } = renderInvoice(inv);
  return { ...rest, trackid: `inv${inv.id}`, date_validation: inv.statut >= 1 ? nowSeconds() : '' };
}

/** createfromorder answers the new draft with numbers where a GET has strings. */
const NUMERIC_ON_CREATE = ['mode_reglement_id', 'cond_reglement_id', 'fk_multicurrency', 'multicurrency_tx', 'multicurrency_total_ht', 'multicurrency_total_tva',
  'multicurrency_total_ttc', 'total_ht', 'total_tva', 'total_ttc', 'total_localtax1', 'total_localtax2', 'type', 'statut', 'status'];

/** `linkedObjectsIds` of an order: its invoices. */
export function orderLinks(state: FakeState, order: FakeOrder): Json | unknown[] {
  const ids = invoicesOf(state).filter((i) => i.orderId === order.id).map((i) => String(i.id));
  return ids.length === 0 ? [] : { facture: Object.fromEntries(ids.map((id) => [id, id])) };
}

export function paymentTypesRoute(): FakeResponse {
  return ok(PAYMENT_TYPES.map(([id, code, label]) => ({ id: String(id), code, type: '2', label, module: null })));
}

/** `POST /orders/{id}/settodraft`: 304 for a draft; else back to draft, stock booked back when a warehouse is given. */
export function setOrderToDraft(state: FakeState, order: FakeOrder, body: unknown): FakeResponse | 'done' {
  if (order.statut === 0) return { status: 304, text: '' };
  const warehouse = Number(asBody(body)['idwarehouse'] ?? -1);
  if (warehouse > 0) {
    for (const l of order.lines) if (l.fk_product !== null && l.product_type === 0) state.move(l.fk_product, warehouse, l.qty, `Order ${order.ref} go back to draft status`, '0', null, 3);
  }
  order.statut = 0;
  return 'done';
}

export function invoicesRoute(state: FakeState, req: FakeRequest): FakeResponse {
  const [, a, b] = req.parts;
  const list = invoicesOf(state);
  if (a === undefined) return req.method === 'POST' ? createInvoice(state, asBody(req.body)) : listInvoices(list, req.query);
  if (a === 'createfromorder' && req.method === 'POST') return createFromOrder(state, Number(b));
  if (a === 'paymentsdistributed' && req.method === 'POST') return paymentsDistributed(list, asBody(req.body));
  const inv = list.find((i) => String(i.id) === a);
  if (!inv) return restlerError(404, 'Invoice not found');
  if (b === 'validate' && req.method === 'POST') return validate(state, inv);
  if (b === 'payments') return req.method === 'POST' ? addPayment(inv, asBody(req.body)) : ok(inv.payments.map((p) => ({ amount: money(p.amount), type: p.type, date: '2026-11-23 07:49:17', num: p.num, ref: p.ref, ref_ext: '', fk_bank_line: '1' })));
  if (b !== undefined) return restlerError(404, 'Not Found');
  if (req.method === 'PUT') {
    const body = asBody(req.body);
    if (body['ref_ext'] !== undefined) inv.ref_ext = body['ref_ext'] === null ? null : String(body['ref_ext']);
    return ok(written(inv));
  }
  return req.method === 'GET' ? ok(renderInvoice(inv)) : restlerError(404, 'Not Found');
}

function listInvoices(list: FakeInvoice[], q: URLSearchParams): FakeResponse {
  let items = list;
  const filter = q.get('sqlfilters');
  if (filter !== null) {
    const parsed = parseSqlFilters(filter, 'invoice');
    if (isResponse(parsed)) return parsed;
    items = applyFilter(items, parsed, (i: FakeInvoice, f) => (f === 'rowid' ? i.id : f === 'fk_soc' ? i.socid : (i as unknown as Json)[f]));
  }
  return ok(pageList(items.map((i) => pick(renderInvoice(i), q.get('properties'))), q));
}

function toLines(state: FakeState, raw: unknown): FakeLine[] {
  return (Array.isArray(raw) ? raw : []).map((r) => {
    const l = asBody(r);
    const line = {
      fk_product: l['fk_product'] === undefined || l['fk_product'] === null ? null : Number(l['fk_product']), desc: String(l['desc'] ?? ''), qty: Number(l['qty'] ?? 1),
      subprice: String(l['subprice'] ?? '0'), tva_tx: String(l['tva_tx'] ?? '0'), remise_percent: String(l['remise_percent'] ?? '0'), product_type: Number(l['product_type'] ?? 0),
    };
    return { ...line, id: state.next('invoiceline'), totals: lineTotals(line) };
  });
}

function createInvoice(state: FakeState, body: Json): FakeResponse {
  if (body['socid'] === undefined) return restlerError(400, 'socid field missing');
  const type = Number(body['type'] ?? 0);
  const source = body['fk_facture_source'] === undefined ? null : Number(body['fk_facture_source']);
  if (type === 2 && (source === null || !invoicesOf(state).some((i) => i.id === source))) return restlerError(500, 'Error creating invoice', 'A credit note needs its source invoice');
  const id = state.next('invoice');
  invoicesOf(state).push({
    id, ref: `(PROV${id})`, ref_ext: body['ref_ext'] === undefined ? null : String(body['ref_ext']), ref_client: body['ref_client'] === undefined ? null : String(body['ref_client']),
    type, statut: 0, socid: Number(body['socid']), fk_facture_source: source, lines: toLines(state, body['lines']), orderId: null, payments: [], date: Number(body['date'] ?? nowSeconds()),
  });
  return ok(id);
}

function createFromOrder(state: FakeState, orderId: number): FakeResponse {
  const order = state.orders.find((o) => o.id === orderId);
  if (!order) return restlerError(404, 'Order not found');
  const id = state.next('invoice');
  const inv: FakeInvoice = {
    id, ref: `(PROV${id})`, ref_ext: null, ref_client: order.ref_client, type: 0, statut: 0, socid: order.socid, fk_facture_source: null,
    lines: order.lines.map((l) => ({ ...l, id: state.next('invoiceline') })), orderId, payments: [], date: nowSeconds(),
  };
  invoicesOf(state).push(inv);
  const body = renderInvoice(inv);
  for (const k of NUMERIC_ON_CREATE) body[k] = Number(body[k] ?? 0);
  body['lines'] = (body['lines'] as Json[]).map((l) => ({ ...l, fk_facture: id }));
  return ok({ ...body, id });
}

function validate(state: FakeState, inv: FakeInvoice): FakeResponse {
  if (inv.statut >= 1) return { status: 304, text: '' };
  const at = nowSeconds();
  const prefix = inv.type === 2 ? 'AV' : 'FA';
  inv.ref = `${prefix}${yymm(at)}-${String(state.next(`fa${yymm(at)}`)).padStart(4, '0')}`;
  inv.statut = 1;
  return ok(written(inv));
}

function pay(inv: FakeInvoice, amount: bigint, num: string, paymentId: number, close: boolean): string {
  const ref = `PAY${yymm(nowSeconds())}-${String(inv.payments.length + 1 + inv.id * 100).padStart(4, '0')}`;
  inv.payments.push({ ref, amount, num, type: PAYMENT_TYPES.find((t) => t[0] === paymentId)?.[1] ?? 'CB' });
  if (close && remain(inv) === 0n) inv.statut = 2;
  return ref;
}

function addPayment(inv: FakeInvoice, body: Json): FakeResponse {
  if (body['accountid'] === undefined) return restlerError(400, '`accountid` is required.');
  const rest = remain(inv);
  if (rest === 0n) return restlerError(400, 'Payment error : TotalAmountEmpty');
  // Dolibarr 20.0.2 negates what remains for a credit note: its refund is stored positive (fixtures 12d/12e).
  const amount = inv.type === 2 ? -rest : rest;
  pay(inv, amount, String(body['num_payment'] ?? ''), Number(body['paymentid'] ?? 0), body['closepaidinvoices'] === 'yes');
  return ok(inv.payments.length + inv.id * 100);
}

function paymentsDistributed(list: FakeInvoice[], body: Json): FakeResponse {
  if (body['accountid'] === undefined) return restlerError(400, '`accountid` is required.');
  const amounts = asBody(body['arrayofamounts']);
  let id = 0;
  for (const [key, raw] of Object.entries(amounts)) {
    const inv = list.find((i) => String(i.id) === key);
    if (!inv) return restlerError(404, 'Invoice ID ' + key + ' not found');
    const given = hundredths(String(asBody(raw)['amount'] ?? '0'));
    const rest = remain(inv);
    if (given > rest && body['accepthigherpayment'] !== true) {
      return restlerError(400, `Payment amount on invoice ID ${key} (${formatScaled(given, 2)}) is higher than remain to pay (${formatScaled(rest, 2)})`);
    }
    pay(inv, inv.type === 2 ? -given : given, String(body['num_payment'] ?? ''), Number(body['paymentid'] ?? 0), body['closepaidinvoices'] === 'yes');
    id = inv.payments.length + inv.id * 100;
  }
  return ok(id);
}
