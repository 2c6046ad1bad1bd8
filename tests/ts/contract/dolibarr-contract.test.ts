/**
 * The Dolibarr contract: the same requests (every kind the adapter makes) against the real Dolibarr 20.0.2 and the
 * stand-in (tests/ts/standins/dolibarr), comparing status and body shape (keys and JSON types; ids and dates may
 * differ) and the values the adapter relies on. A difference fails: the stand-in must behave like the real thing.
 *
 * The real Dolibarr: SYNCLINE_DOLIBARR_URL + SYNCLINE_DOLIBARR_KEY when set, else one started from
 * ../shared/realstack by scripts/env/dolibarr.ts (port SYNCLINE_DOLIBARR_PORT + 7). Without either the real side
 * is skipped (a failure under CI=true).
 */
import { describe } from 'node:test';
import { type Answer, type Backend, call, dolibarrContract } from './dolibarr-harness.js';

const ORDER_PROPS = 'id,ref,ref_client,ref_ext,statut,socid,total_ttc';
const q = (filter: string, extra = ''): string => `sqlfilters=${encodeURIComponent(filter)}${extra}`;

/** Runs every case on one backend, in order; returns case name → answer. */
async function scenario(b: Backend, tag: string): Promise<Map<string, Answer>> {
  const out = new Map<string, Answer>();
  const rec = async (name: string, a: Promise<Answer>): Promise<Answer> => { const r = await a; out.set(name, r); return r; };
  const [skuA, skuB] = [`CT-${tag}-A`, `CT-${tag}-B`];
  await b.addProducts([skuA, skuB]);
  await rec('status', call(b, 'GET', '/status'));
  await rec('bad key → 401', call(b, 'GET', '/products', undefined, 'not-the-key-0000'));
  await rec('unknown route → 501', call(b, 'GET', '/nosuchresource'));
  await rec('thirdparty search, no match → 404', call(b, 'GET', `/thirdparties?${q(`(t.ref_ext:=:'ct-${tag}-none')`)}`));
  await rec('country by code, unknown → 404', call(b, 'GET', '/setup/dictionary/countries/byCode/ZZ'));
  const fr = await rec('country by code', call(b, 'GET', '/setup/dictionary/countries/byCode/FR'));
  const countryId = Number((fr.body as { id: string }).id);
  const tp = await rec('create thirdparty with country_id', call(b, 'POST', '/thirdparties', { name: `CT ${tag}`, email: `ct-${tag}@example.com`, client: 1, code_client: '-1', country_id: countryId, country_code: 'FR', ref_ext: `ct-${tag}` }));
  await rec('get thirdparty', call(b, 'GET', `/thirdparties/${Number(tp.body)}`));
  await rec('thirdparty search, one match', call(b, 'GET', `/thirdparties?${q(`(t.ref_ext:=:'ct-${tag}')`)}`));
  // A customer's lookup in one search (issue 7): our key, else the e-mail.
  await rec('thirdparty search, ref_ext or email, by email', call(b, 'GET', `/thirdparties?${q(`(t.ref_ext:=:'ct-${tag}-none') or (t.email:=:'ct-${tag}@example.com')`, '&limit=50&sortfield=t.rowid&sortorder=ASC')}`));
  await rec('thirdparty search, ref_ext or email, no match → 404', call(b, 'GET', `/thirdparties?${q(`(t.ref_ext:=:'ct-${tag}-none') or (t.email:=:'nobody-${tag}@example.com')`, '&limit=50&sortfield=t.rowid&sortorder=ASC')}`));
  const products = await rec('products by ref, in-list', call(b, 'GET', `/products?${q(`(t.ref:in:'${skuA}','${skuB}')`, '&properties=id,ref&sortfield=t.ref&sortorder=ASC')}`));
  const pid = Number((products.body as { id: string }[])[0]?.id);
  const order = (n: number): Record<string, unknown> => ({ socid: Number(tp.body), date: 1795420157, ref_client: `WC-${tag}-${n}`, ref_ext: `ct-${tag}-o${n}`, lines: [{ fk_product: pid, qty: 2, subprice: '10', tva_tx: '20', product_type: 0 }] });
  const o1 = await rec('create order', call(b, 'POST', '/orders', order(1)));
  await rec('get draft order', call(b, 'GET', `/orders/${Number(o1.body)}`));
  await rec('order search by ref_ext, none → 200 []', call(b, 'GET', `/orders?${q(`(t.ref_ext:=:'ct-${tag}-none')`)}`));
  await rec('order search by ref_ext, one (properties)', call(b, 'GET', `/orders?${q(`(t.ref_ext:=:'ct-${tag}-o1')`, `&properties=${ORDER_PROPS}`)}`));
  await rec('validate order', call(b, 'POST', `/orders/${Number(o1.body)}/validate`, { idwarehouse: 1, notrigger: 0 }));
  await rec('validate again → 304', call(b, 'POST', `/orders/${Number(o1.body)}/validate`, { idwarehouse: 1, notrigger: 0 }));
  await finance(b, rec, tag, Number(o1.body), Number(tp.body), pid);
  const o2 = await rec('create second order', call(b, 'POST', '/orders', order(2)));
  await rec('order search by ref_ext, in-list (properties)', call(b, 'GET', `/orders?${q(`(t.ref_ext:in:'ct-${tag}-o1','ct-${tag}-o2')`, `&properties=${ORDER_PROPS}&sortfield=t.rowid&sortorder=ASC`)}`));
  // Batched lookups (issue 7): orders' keys, some without an order yet, in one in-list.
  await rec('order search by ref_ext, in-list, one of three (properties)', call(b, 'GET', `/orders?${q(`(t.ref_ext:in:'ct-${tag}-none1','ct-${tag}-o2','ct-${tag}-none2')`, `&properties=${ORDER_PROPS}&sortfield=t.rowid&sortorder=ASC&limit=20`)}`));
  await rec('order search by ref_ext, in-list, none → 200 []', call(b, 'GET', `/orders?${q(`(t.ref_ext:in:'ct-${tag}-none1','ct-${tag}-none2')`, `&properties=${ORDER_PROPS}&limit=20`)}`));
  await rec('delete draft order', call(b, 'DELETE', `/orders/${Number(o2.body)}`));
  await rec('get deleted order → 404', call(b, 'GET', `/orders/${Number(o2.body)}`));
  const moves = await rec('stock movements, latest', call(b, 'GET', '/stockmovements?sortfield=t.rowid&sortorder=DESC&limit=1'));
  const last = Number((moves.body as { id: string }[])[0]?.id);
  await rec('stock movements since the latest rowid → 200 []', call(b, 'GET', `/stockmovements?${q(`(t.rowid:>:${last})`, '&sortfield=t.rowid&sortorder=ASC')}`));
  await rec("a path with ( or ' → 403 injection protection", call(b, 'GET', `/products/ref/${encodeURIComponent(`${skuA}(x)`)}`));
  await categories(b, rec, tag, pid);
  return out;
}

type Rec = (name: string, a: Promise<Answer>) => Promise<Answer>;

/** Issue 8: every call the finance steps make (invoice from the order, payments, credit note, refund payment, cancel). */
async function finance(b: Backend, rec: Rec, tag: string, orderId: number, socid: number, pid: number): Promise<void> {
  await rec('payment types', call(b, 'GET', '/setup/dictionary/payment_types?limit=200'));
  const inv = await rec('create invoice from order', call(b, 'POST', `/invoices/createfromorder/${orderId}`));
  const id = Number((inv.body as { id: string | number }).id);
  await rec('set invoice ref_ext', call(b, 'PUT', `/invoices/${id}`, { ref_ext: `ct-${tag}-o1` }));
  await rec('order links its invoice', call(b, 'GET', `/orders/${orderId}`));
  await rec('validate invoice', call(b, 'POST', `/invoices/${id}/validate`, { idwarehouse: 0, notrigger: 0 }));
  await rec('validate invoice again → 304', call(b, 'POST', `/invoices/${id}/validate`, { idwarehouse: 0, notrigger: 0 }));
  await rec('get validated invoice', call(b, 'GET', `/invoices/${id}`));
  const pay = { datepaye: 1795420157, paymentid: 6, closepaidinvoices: 'yes', accountid: 1 };
  await rec('pay invoice (paymentsdistributed)', call(b, 'POST', '/invoices/paymentsdistributed', { ...pay, arrayofamounts: { [id]: { amount: '24.00', multicurrency_amount: '' } }, num_payment: `ct-${tag}` }));
  await rec('invoice payments', call(b, 'GET', `/invoices/${id}/payments`));
  const cn = await rec('create credit note', call(b, 'POST', '/invoices', {
    socid, type: 2, fk_facture_source: id, ref_ext: `ct-${tag}-o1/R1`, date: 1795420157, lines: [{ fk_product: pid, qty: 1, subprice: '10', tva_tx: '20', product_type: 0 }],
  }));
  await rec('validate credit note', call(b, 'POST', `/invoices/${Number(cn.body)}/validate`, { idwarehouse: 0, notrigger: 0 }));
  await rec('refund payment above what remains → 400', call(b, 'POST', '/invoices/paymentsdistributed', { ...pay, arrayofamounts: { [Number(cn.body)]: { amount: '12.00', multicurrency_amount: '' } }, num_payment: `ct-${tag}-r` }));
  await rec('refund payment (positive, accepthigherpayment)', call(b, 'POST', '/invoices/paymentsdistributed', {
    ...pay, arrayofamounts: { [Number(cn.body)]: { amount: '12.00', multicurrency_amount: '' } }, num_payment: `ct-${tag}-r`, accepthigherpayment: true,
  }));
  await rec('invoices by ref_ext like', call(b, 'GET', `/invoices?${q(`(t.ref_ext:like:'ct-${tag}-o1%')`, '&sortfield=t.rowid&sortorder=ASC')}`));
  await rec('set order to draft (stock back)', call(b, 'POST', `/orders/${orderId}/settodraft`, { idwarehouse: 1 }));
  await rec('set order to draft again → 304', call(b, 'POST', `/orders/${orderId}/settodraft`, { idwarehouse: 1 }));
}

/** Issue 9: product categories (module Categories) as the master data reader reads them; no sale price on a product. */
async function categories(b: Backend, rec: Rec, tag: string, pid: number): Promise<void> {
  const cat = await rec('create product category', call(b, 'POST', '/categories', { label: `CT ${tag} shoes`, type: 'product' }));
  await rec('link product to category', call(b, 'POST', `/categories/${Number(cat.body)}/objects/product/${pid}`));
  const page = '&sortfield=t.rowid&sortorder=ASC&limit=500&page=0';
  await rec('product categories (type=product, properties)', call(b, 'GET', `/categories?type=product&properties=id,label${page}`));
  await rec('product categories, page after the last → 200 []', call(b, 'GET', '/categories?type=product&properties=id,label&sortfield=t.rowid&sortorder=ASC&limit=500&page=9'));
  await rec('products of a category, ids only', call(b, 'GET', `/products?category=${Number(cat.body)}&ids_only=true${page}`));
  const empty = await rec('create empty product category', call(b, 'POST', '/categories', { label: `CT ${tag} empty`, type: 'product' }));
  await rec('products of an empty category → 200 []', call(b, 'GET', `/products?category=${Number(empty.body)}&ids_only=true${page}`));
  await rec('product price fields (no sale price)', call(b, 'GET', `/products?${q(`(t.rowid:=:${pid})`, '&properties=id,price,price_ttc,price_min,price_min_ttc,sale_price,price_promo,date_price_promo')}`));
}

/** Values (not only shapes) the adapter relies on. */
const VALUES: Record<string, (a: Answer) => unknown> = {
  'status': (a) => (a.body as { success: { dolibarr_version: string } }).success.dolibarr_version,
  'country by code': (a) => [(a.body as { id: string }).id, (a.body as { code: string }).code],
  'get thirdparty': (a) => [(a.body as { country_id: string }).country_id, (a.body as { country_code: string }).country_code],
  'thirdparty search, no match → 404': (a) => (a.body as { error: { message: string } }).error.message,
  'country by code, unknown → 404': (a) => (a.body as { error: { message: string } }).error.message,
  'order search by ref_ext, one (properties)': (a) => (a.body as { statut: string; total_ttc: string }[]).map((o) => [o.statut, Number(o.total_ttc)]),
  'order search by ref_ext, in-list (properties)': (a) => (a.body as { statut: string; ref_ext: string }[]).map((o) => [o.statut, o.ref_ext.replace(/^ct-[^-]+-/, '')]),
  'order search by ref_ext, in-list, one of three (properties)': (a) => (a.body as { statut: string; ref_ext: string }[]).map((o) => [o.statut, o.ref_ext.replace(/^ct-[^-]+-/, '')]),
  'order search by ref_ext, in-list, none → 200 []': (a) => [a.status, a.body],
  'thirdparty search, ref_ext or email, by email': (a) => (a.body as Array<{ email: string; ref_ext: string }>).map((t) => [t.email.replace(/^ct-[^@]+@/, 'ct@'), t.ref_ext.replace(/^ct-.+$/, 'ct')]),
  'validate order': (a) => [(a.body as { statut: string }).statut, /^CO\d{4}-\d{4}$/.test((a.body as { ref: string }).ref)],
  'delete draft order': (a) => a.body,
  'stock movements since the latest rowid → 200 []': (a) => a.body,
  'payment types': (a) => (a.body as { id: string; code: string }[]).map((t) => `${t.code}=${t.id}`).sort(),
  'create invoice from order': (a) => [(a.body as { ref_ext: unknown }).ref_ext, Number((a.body as { total_ttc: unknown }).total_ttc)],
  'order links its invoice': (a) => Object.keys((a.body as { linkedObjectsIds: Record<string, unknown> }).linkedObjectsIds),
  'validate invoice': (a) => [(a.body as { statut: string }).statut, /^FA\d{4}-\d{4}$/.test((a.body as { ref: string }).ref)],
  'get validated invoice': (a) => [(a.body as { paye: string }).paye, Number((a.body as { remaintopay: string }).remaintopay)],
  'invoice payments': (a) => (a.body as { amount: string; type: string }[]).map((p) => [Number(p.amount), p.type]),
  'validate credit note': (a) => [(a.body as { statut: string }).statut, /^AV\d{4}-\d{4}$/.test((a.body as { ref: string }).ref)],
  'refund payment above what remains → 400': (a) => (a.body as { error: { message: string } }).error.message.replace(/ID \d+/, 'ID n'),
  'invoices by ref_ext like': (a) => (a.body as Array<Record<string, string | null>>).map((i) => [i['type'], i['statut'], i['paye'], Number(i['total_ttc']), Number(i['remaintopay']), i['fk_facture_source'] === null ? null : 'source']),
  'set order to draft (stock back)': (a) => (a.body as { statut: string }).statut,
  'product categories (type=product, properties)': (a) => (a.body as Array<Record<string, unknown>>).map((c) => [typeof c['id'], String(c['label']).replace(/^CT \w+ /, 'CT tag ')]),
  'products of a category, ids only': (a) => (a.body as unknown[]).map((id) => typeof id),
  'products of an empty category → 200 []': (a) => a.body,
  'product price fields (no sale price)': (a) => (a.body as Array<Record<string, unknown>>).map((p) => Object.keys(p).sort()),
};

describe('Dolibarr contract: the stand-in answers like the real Dolibarr 20.0.2', () => {
  const names = ['status', 'bad key → 401', 'unknown route → 501', 'thirdparty search, no match → 404', 'country by code, unknown → 404', 'country by code', 'create thirdparty with country_id',
    'get thirdparty', 'thirdparty search, one match', 'thirdparty search, ref_ext or email, by email', 'thirdparty search, ref_ext or email, no match → 404', 'products by ref, in-list', 'create order', 'get draft order', 'order search by ref_ext, none → 200 []',
    'order search by ref_ext, one (properties)', 'validate order', 'validate again → 304',
    'payment types', 'create invoice from order', 'set invoice ref_ext', 'order links its invoice', 'validate invoice', 'validate invoice again → 304', 'get validated invoice',
    'pay invoice (paymentsdistributed)', 'invoice payments', 'create credit note', 'validate credit note', 'refund payment above what remains → 400',
    'refund payment (positive, accepthigherpayment)', 'invoices by ref_ext like', 'set order to draft (stock back)', 'set order to draft again → 304', 'create second order', 'order search by ref_ext, in-list (properties)',
    'order search by ref_ext, in-list, one of three (properties)', 'order search by ref_ext, in-list, none → 200 []', 'delete draft order', 'get deleted order → 404', 'stock movements, latest', 'stock movements since the latest rowid → 200 []', "a path with ( or ' → 403 injection protection",
    'create product category', 'link product to category', 'product categories (type=product, properties)', 'product categories, page after the last → 200 []',
    'products of a category, ids only', 'create empty product category', 'products of an empty category → 200 []', 'product price fields (no sale price)'];
  dolibarrContract({ real: { name: 'contract', portOffset: 7 }, scenario, names, values: VALUES });
});
