/**
 * The Dolibarr shipments contract: the calls the shipments flow makes or its tests rely on (create, validate, get,
 * list changed since a time) against the real Dolibarr 20.0.2 and the stand-in
 * (tests/ts/standins/dolibarr/fake-routes-shipments.ts), comparing status, body shape and the values read.
 * The real Dolibarr: SYNCLINE_DOLIBARR_URL + SYNCLINE_DOLIBARR_KEY when set, else one started from ../shared/realstack
 * (port SYNCLINE_DOLIBARR_PORT + 9); without either the real side is skipped (a failure under CI=true).
 */
import { randomUUID } from 'node:crypto';
import { describe } from 'node:test';
import { dbTime } from '../../../src/erp/dolibarr/shipments.js';
import { type Answer, type Backend, call, dolibarrContract } from './dolibarr-harness.js';

type Row = Record<string, unknown>;

const q = (filter: string): string => `sqlfilters=${encodeURIComponent(filter)}`;

/** Runs every case on one backend, in order; returns case name → answer. */
async function scenario(b: Backend, tag: string): Promise<Map<string, Answer>> {
  const out = new Map<string, Answer>();
  const run = async (name: string, method: string, path: string, body?: unknown): Promise<Answer> => {
    const a = await call(b, method, path, body);
    out.set(name, a);
    return a;
  };
  const refs = [`SHC-A-${tag}`, `SHC-B-${tag}`];
  await b.addProducts(refs);
  const products = (await call(b, 'GET', `/products?${q(`(t.ref:in:${refs.map((r) => `'${r}'`).join(',')})`)}&properties=id,ref`)).body as Row[];
  const pid = (ref: string): number => Number(products.find((p) => p['ref'] === ref)?.['id']);
  const socid = Number((await call(b, 'POST', '/thirdparties', { name: `Ship ${tag}`, client: 1, code_client: '-1', email: `ship-${tag}@example.test` })).body);
  const orderId = Number((await call(b, 'POST', '/orders', {
    socid, date: Math.floor(Date.now() / 1000), ref_client: `WC-${tag}`, ref_ext: randomUUID(),
    lines: refs.map((r, i) => ({ fk_product: pid(r), qty: 3 - i, subprice: 10, tva_tx: 20, product_type: 0 })),
  })).body);
  await call(b, 'POST', `/orders/${orderId}/validate`, { idwarehouse: 1 });
  const orderLines = ((await call(b, 'GET', `/orders/${orderId}`)).body as { lines: Row[] }).lines;
  const lineOf = (ref: string): number => Number(orderLines.find((l) => l['fk_product'] === String(pid(ref)) || l['fk_product'] === pid(ref))?.['id']);
  const since = dbTime(Date.now() - 3_600_000, 0);

  await run('create shipment without origin_type → 400', 'POST', '/shipments', { socid, origin_id: orderId });
  const created = await run('create shipment', 'POST', '/shipments', {
    socid, origin: 'commande', origin_type: 'commande', origin_id: orderId, shipping_method_id: 5, tracking_number: `1Z${tag}`,
    lines: [{ entrepot_id: 1, origin_line_id: lineOf(refs[0] ?? ''), qty: 2, rang: 1 }, { entrepot_id: 1, origin_line_id: lineOf(refs[1] ?? ''), qty: 1, rang: 2 }],
  });
  const id = Number(created.body);
  await run('list changed since, draft only → 200 []', 'GET', `/shipments?${q(`(t.fk_statut:>:0) and (t.tms:>=:'${since}') and (t.rowid:=:${id})`)}`);
  await run('validate shipment with {} → 400', 'POST', `/shipments/${id}/validate`, {});
  await run('validate shipment', 'POST', `/shipments/${id}/validate`, { notrigger: 0 });
  await run('get shipment', 'GET', `/shipments/${id}`);
  await run('list changed since', 'GET', `/shipments?${q(`(t.fk_statut:>:0) and (t.tms:>=:'${since}') and (t.rowid:=:${id})`)}&sortfield=t.rowid&sortorder=ASC&limit=100&page=0`);
  await run('list changed after a future time → 200 []', 'GET', `/shipments?${q("(t.fk_statut:>:0) and (t.tms:>=:'2099-01-01 00:00:00')")}`);
  await run('get unknown shipment → 404', 'GET', '/shipments/999999');
  return out;
}

/** The values the reader relies on, per case. */
const one = (a: Answer): Row => (Array.isArray(a.body) ? (a.body[0] as Row) : (a.body as Row));
const used = (a: Answer): unknown => {
  const s = one(a);
  const lines = (s['lines'] as Row[]).map((l) => [String(l['product_ref']).replace(/-[^-]+$/, ''), l['qty_shipped'], l['qty_asked']]);
  return [s['statut'], /^SH\d{4}-\d{4}$/.test(String(s['ref'])), s['origin_type'], s['shipping_method'], String(s['tracking_number']).slice(0, 2), /href="http/.test(String(s['tracking_url'])), typeof s['date_valid'], lines];
};
const VALUES: Record<string, (a: Answer) => unknown> = {
  'create shipment without origin_type → 400': (a) => (a.body as { error: { message: string } }).error.message,
  'validate shipment with {} → 400': (a) => (a.body as { error: { message: string } }).error.message,
  'validate shipment': used,
  'get shipment': used,
  'list changed since': used,
  'list changed since, draft only → 200 []': (a) => a.body,
  'list changed after a future time → 200 []': (a) => a.body,
};

describe('Dolibarr shipments contract: the stand-in answers like the real Dolibarr 20.0.2', () => {
  const names = ['create shipment without origin_type → 400', 'create shipment', 'list changed since, draft only → 200 []', 'validate shipment with {} → 400',
    'validate shipment', 'get shipment', 'list changed since', 'list changed after a future time → 200 []', 'get unknown shipment → 404'];
  dolibarrContract({ real: { name: 'contract-ship', portOffset: 9 }, scenario, names, values: VALUES, noShape: ['get unknown shipment → 404'] });
});
