/**
 * Renders fake records in the exact JSON shapes recorded from Dolibarr 20.0.2: each object starts from the
 * recorded object (fake-shapes.json, generated from ../shared/fixtures/dolibarr) so it carries the same keys,
 * and the fields the fake knows are overwritten with Dolibarr's string-typed values.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { countryIdOf } from './fake-countries.js';
import { formatScaled, fraction, mul, parseDecimal, pow10, roundHalfAway, toDecimal } from '../../../../src/erp/dolibarr/decimal.js';
import type { FakeLine, FakeMovement, FakeOrder, FakeProduct, FakeState, FakeThirdparty, FakeWarehouse } from './fake-state.js';
import { hundredthsToDolibarr } from '../../../../src/erp/dolibarr/totals.js';

type Json = Record<string, unknown>;
const Template = z.record(z.string(), z.unknown());
const Shapes = z.object({ order: Template, orderLine: Template, product: Template, thirdparty: Template, warehouse: Template, stockMovement: Template });
const shapes = Shapes.parse(JSON.parse(readFileSync(new URL('./fake-shapes.json', import.meta.url), 'utf8')));

const from = (t: Json, fields: Json): Json => ({ ...structuredClone(t), ...fields });

/** `"19.9"` → `"19.90000000"` (places = 8) or `"20.0000"` (places = 4). */
export function fixed(decimal: string, places: number): string {
  const scaled = roundHalfAway(mul(parseDecimal(decimal), fraction(pow10(places))));
  const s = formatScaled(scaled, places);
  const [i, f = ''] = s.split('.');
  return `${i}.${f.padEnd(places, '0')}`;
}

const money = (hundredths: bigint): Json[string] => hundredthsToDolibarr(hundredths);

function totalsFields(t: { ht: bigint; tva: bigint; ttc: bigint }): Json {
  return {
    total_ht: money(t.ht), total_tva: money(t.tva), total_ttc: money(t.ttc),
    multicurrency_total_ht: money(t.ht), multicurrency_total_tva: money(t.tva), multicurrency_total_ttc: money(t.ttc),
    total_localtax1: '0.00000000', total_localtax2: '0.00000000',
  };
}

export function renderLine(l: FakeLine, order: FakeOrder, rang: number, state: FakeState): Json {
  const p = l.fk_product === null ? undefined : state.products.find((x) => x.id === l.fk_product);
  return from(shapes.orderLine, {
    ...totalsFields(l.totals),
    id: String(l.id), rowid: String(l.id), fk_commande: String(order.id), commande_id: String(order.id),
    fk_product: p ? String(p.id) : null, ref: p?.ref ?? null, product_ref: p?.ref ?? null, product_label: p?.label ?? null,
    libelle: p?.label ?? null, fk_product_type: p ? String(p.type) : null, product_desc: p ? '' : null,
    product_tosell: p ? '1' : null, product_tobuy: p ? '1' : null, product_tobatch: p ? '0' : null,
    product_type: String(l.product_type), desc: l.desc, description: l.desc, qty: String(l.qty),
    subprice: fixed(l.subprice, 8), multicurrency_subprice: fixed(l.subprice, 8), tva_tx: fixed(l.tva_tx, 4),
    remise_percent: l.remise_percent, price: toDecimal(parseDecimal(l.subprice), 8).text, rang: String(rang),
  });
}

export function renderOrder(o: FakeOrder, state: FakeState, baseUrl: string): Json {
  const validated = o.validated !== null;
  return from(shapes.order, {
    ...totalsFields(state.orderTotals(o)),
    id: String(o.id), ref: o.ref, ref_ext: o.ref_ext, ref_client: o.ref_client, ref_customer: o.ref_client,
    statut: String(o.statut), status: String(o.statut), socid: String(o.socid), note_private: o.note_private,
    date: o.date, date_commande: o.date, date_creation: o.created, date_modification: validated ? o.validated : o.created,
    date_validation: validated ? o.validated : '', user_validation_id: validated ? '1' : null,
    user_modification_id: validated ? '1' : null,
    online_payment_url: `${baseUrl.replace(/\/api\/index\.php$/, '')}/public/payment/newpayment.php?source=order&ref=${encodeURIComponent(o.ref)}`,
    lines: o.lines.map((l, i) => renderLine(l, o, i, state)),
  });
}

export function renderThirdparty(t: FakeThirdparty, single: boolean): Json {
  const out = from(shapes.thirdparty, {
    id: String(t.id), ref: String(t.id), name: t.name, email: t.email, ref_ext: t.ref_ext, code_client: t.code_client,
    client: String(t.client), address: t.address, zip: t.zip, town: t.town, phone: t.phone,
    country_code: t.country_code ?? '', country_id: t.country_code === null ? null : String(countryIdOf(t.country_code)),
    date_creation: t.created, date_modification: t.created,
  });
  if (!single) {
    delete out['absolute_discount'];
    delete out['absolute_creditnote'];
  }
  return out;
}

export function stockWarehouses(state: FakeState, productId: number, onlyWarehouse?: number): Json | [] {
  const perWh = state.stock.get(productId);
  const entries = [...(perWh?.entries() ?? [])].filter(([wh]) => onlyWarehouse === undefined || wh === onlyWarehouse);
  if (entries.length === 0) return [];
  return Object.fromEntries(entries.map(([wh, r]) => [String(wh), { real: String(r.qty), id: String(r.rowId) }]));
}

export function renderProduct(p: FakeProduct, state: FakeState, withStock: boolean): Json {
  const total = state.stockTotal(p.id);
  const t = parseDecimal(p.tva_tx);
  const ttc = roundHalfAway(mul(mul(parseDecimal(p.price), { n: 100n * t.d + t.n, d: 100n * t.d }), fraction(pow10(8))));
  return from(shapes.product, {
    id: String(p.id), ref: p.ref, label: p.label, type: String(p.type), price: fixed(p.price, 8),
    price_ttc: formatScaledFixed(ttc, 8), tva_tx: fixed(p.tva_tx, 4),
    stock_reel: withStock ? (total ?? 0) : total === null ? null : String(total),
    stock_theorique: withStock ? (total ?? 0) : null,
    stock_warehouse: withStock ? stockWarehouses(state, p.id) : [],
  });
}

function formatScaledFixed(units: bigint, places: number): string {
  const [i, f = ''] = formatScaled(units, places).split('.');
  return `${i}.${f.padEnd(places, '0')}`;
}

export function renderWarehouse(w: FakeWarehouse): Json {
  return from(shapes.warehouse, { id: String(w.id), ref: w.label, label: w.label, lieu: w.lieu, statut: String(w.statut) });
}

export function renderMovement(m: FakeMovement): Json {
  return from(shapes.stockMovement, {
    id: String(m.id), product_id: String(m.product_id), warehouse_id: String(m.warehouse_id), qty: String(m.qty),
    type: String(m.type), label: m.label, price: fixed(m.price, 8), inventorycode: m.inventorycode, datem: m.datem, tms: m.datem,
  });
}

/** Keeps only the listed properties (`properties=id,ref`), like Dolibarr 20. */
export function pick(obj: Json, properties: string | null): Json {
  if (properties === null || properties === '') return obj;
  const keys = properties.split(',').map((k) => k.trim());
  return Object.fromEntries(keys.filter((k) => k in obj).map((k) => [k, obj[k]]));
}
