/**
 * Test support (imported by *.test.ts only): canonical orders priced the way WooCommerce prices them, and the
 * Dolibarr the adapter tests run against — the fake, or a real one when SYNCLINE_DOLIBARR_URL/KEY are set.
 */
import type { Order } from '../../../../src/canonical/index.js';
import { startFaultProxy } from '../../support/fault-proxy.js';
import { type Fault, type RecordedCall, startFakeDolibarr, type StartedFakeDolibarr } from './fake.js';

export interface TestLine {
  sku: string;
  qty: number;
  /** Unit price in minor units, excluding tax. */
  unit: number;
  rateId?: number;
  /** Coupon discount on the whole line, minor units excluding tax. */
  discount?: number;
  /** Override the tax amount (default: round(total × rate)). */
  tax?: number;
}

export interface TestOrderSpec {
  number: string;
  lines: TestLine[];
  rates?: { rateId: number; percent: string }[];
  shipping?: { total: number; rateId?: number; tax?: number }[];
  fees?: { name: string; total: number; rateId?: number; tax?: number }[];
  coupons?: { code: string; amount: number }[];
  pricesIncludeTax?: boolean;
  email?: string;
  wcCustomerId?: number;
}

const DEFAULT_RATES = [{ rateId: 1, percent: '20' }, { rateId: 2, percent: '5.5' }, { rateId: 3, percent: '10' }];

/** round(amount × percent / 100), half away from zero, in integers. */
export function taxOf(amount: number, percent: string): number {
  const [i = '0', f = ''] = percent.split('.');
  const scale = 10 ** f.length;
  const num = amount * Number(`${i}${f}`);
  const den = 100 * scale;
  const q = Math.floor((2 * Math.abs(num) + den) / (2 * den));
  return num < 0 ? -q : q;
}

function taxed(total: number, rateId: number | undefined, rates: { rateId: number; percent: string }[], override?: number): { tax: number; taxes: { rateId: number; amount: number }[] } {
  if (rateId === undefined) return { tax: 0, taxes: [] };
  const rate = rates.find((r) => r.rateId === rateId);
  const tax = override ?? taxOf(total, rate?.percent ?? '0');
  return { tax, taxes: [{ rateId, amount: tax }] };
}

export function makeOrder(spec: TestOrderSpec): Order {
  const rates = spec.rates ?? DEFAULT_RATES;
  const lines = spec.lines.map((l, i) => {
    const subtotal = l.unit * l.qty;
    const total = subtotal - (l.discount ?? 0);
    const t = taxed(total, l.rateId, rates, l.tax);
    return { wcLineId: i + 1, sku: l.sku, erpRef: l.sku, name: `Product ${l.sku}`, quantity: l.qty, subtotal, total, totalTax: t.tax, taxes: t.taxes };
  });
  const shipping = (spec.shipping ?? []).map((s, i) => {
    const t = taxed(s.total, s.rateId, rates, s.tax);
    return { wcLineId: 100 + i, methodId: 'flat_rate', title: 'Flat rate', total: s.total, totalTax: t.tax, taxes: t.taxes };
  });
  const fees = (spec.fees ?? []).map((f, i) => {
    const t = taxed(f.total, f.rateId, rates, f.tax);
    return { wcLineId: 200 + i, name: f.name, total: f.total, totalTax: t.tax, taxes: t.taxes };
  });
  const all = [...lines, ...shipping, ...fees];
  const totalTax = all.reduce((s, x) => s + x.totalTax, 0);
  const net = all.reduce((s, x) => s + x.total, 0);
  const usedRates = rates.filter((r) => all.some((x) => x.taxes.some((t) => t.rateId === r.rateId)));
  const email = spec.email ?? `buyer-${spec.number}@example.com`;
  const address = { firstName: 'Jane', lastName: 'Doe', company: '', line1: '1 Test Street', line2: '', city: 'Paris', state: '', postcode: '75001', country: 'FR', email, phone: '+33100000000' };
  return {
    schemaVersion: 1, wcId: Number(spec.number.replace(/\D/g, '').slice(-9)) || 1, number: spec.number, correlationId: `woo-order-${spec.number}`,
    status: 'processing', currency: 'EUR', pricesIncludeTax: spec.pricesIncludeTax ?? false, createdAt: '2026-11-22T10:00:00Z', paidAt: null,
    paymentMethod: 'cod', paymentMethodTitle: 'Cash on delivery',
    customer: { wcId: spec.wcCustomerId ?? 0, email, name: 'Jane Doe', billing: address, shipping: address },
    lines, shipping, fees,
    discounts: (spec.coupons ?? []).map((c) => ({ code: c.code, amount: c.amount, amountTax: 0 })),
    taxes: usedRates.map((r) => ({ rateId: r.rateId, code: `R${r.rateId}`, label: `VAT ${r.percent}%`, ratePercent: r.percent, taxTotal: 0, shippingTaxTotal: 0 })),
    discountTotal: lines.reduce((s, l) => s + l.subtotal - l.total, 0), discountTax: 0,
    shippingTotal: shipping.reduce((s, x) => s + x.total, 0), shippingTax: shipping.reduce((s, x) => s + x.totalTax, 0),
    totalTax, total: net + totalTax, customerNote: '',
    payment: { method: 'cod', title: 'Cash on delivery', captured: false, paidAt: null, transactionId: '', amount: 0 },
    refunds: [], credits: [],
  };
}

/**
 * The Dolibarr under test: the stand-in, or a real one from the environment behind the fault-injecting proxy
 * (tests/ts/support/fault-proxy.ts, same fault vocabulary): `faults` and `calls` work on both.
 */
export interface TestDolibarr {
  url: string;
  apiKey: string;
  fake?: StartedFakeDolibarr;
  faults: Fault[];
  calls: Pick<RecordedCall, 'method' | 'path'>[];
  /** The real Dolibarr without the proxy (the stand-in's url otherwise). */
  directUrl: string;
  addProducts(refs: string[]): Promise<void>;
  /** Raw authenticated call (to set up data the adapter must then find). */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  stop(): Promise<void>;
}

export const REAL_DOLIBARR = Boolean(process.env['SYNCLINE_DOLIBARR_URL'] && process.env['SYNCLINE_DOLIBARR_KEY']);

export async function startTestDolibarr(): Promise<TestDolibarr> {
  const fake = REAL_DOLIBARR ? undefined : await startFakeDolibarr({ apiKey: 'adapter-test-key' });
  const proxy = fake ? undefined : await startFaultProxy({ target: process.env['SYNCLINE_DOLIBARR_URL'] ?? '' });
  const url = fake?.url ?? proxy?.url ?? '';
  const apiKey = fake ? 'adapter-test-key' : process.env['SYNCLINE_DOLIBARR_KEY'] ?? '';
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    const res = await fetch(`${url}${path}`, { method, headers: { DOLAPIKEY: apiKey, Accept: 'application/json', 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, json: text === '' ? null : (JSON.parse(text) as unknown) };
  };
  return {
    url, apiKey, ...(fake ? { fake } : {}), call, directUrl: fake?.url ?? process.env['SYNCLINE_DOLIBARR_URL'] ?? '',
    faults: fake?.faults ?? (proxy?.faults as Fault[] | undefined) ?? [],
    calls: fake?.calls ?? proxy?.calls ?? [],
    async addProducts(refs) {
      if (fake) return fake.addProducts(refs);
      for (const ref of refs) await call('POST', '/products', { ref, label: ref, type: 0, price: 10, tva_tx: 20, status: 1, status_buy: 1 });
    },
    stop: async () => { await fake?.stop(); await proxy?.stop(); },
  };
}

/** A unique tag per test run, so runs against a real Dolibarr never see each other's orders. */
export const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`.toUpperCase();
