/**
 * Test support (imported by *.test.ts only): the Odoo the adapter tests run against — the stand-in, or a real Odoo
 * 17 when SYNCLINE_ODOO_URL, SYNCLINE_ODOO_DB, SYNCLINE_ODOO_LOGIN and SYNCLINE_ODOO_PASSWORD are set (scripts/test-all.sh
 * starts one from ../shared/realstack). Setup calls go straight over JSON-RPC, as the administrator.
 */
import { z } from 'zod';
import type { Order } from '../../../../src/canonical/index.js';
import { makeOrder, type TestOrderSpec } from '../dolibarr/testing.js';
import { startFakeOdoo, type FakeOdooFault, type StartedFakeOdoo } from './fake-odoo.js';

export interface TestOdoo {
  real: boolean;
  url: string;
  db: string;
  login: string;
  password: string;
  fake?: StartedFakeOdoo;
  faults: FakeOdooFault[];
  call<T = unknown>(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>): Promise<T>;
  addProducts(refs: readonly string[], qty?: number): Promise<void>;
  /** A sale tax of `rate` % (the generic chart only has 15 %). */
  addTax(rate: number, included: boolean): Promise<number>;
  stop(): Promise<void>;
}

export const REAL_ODOO = Boolean(process.env['SYNCLINE_ODOO_URL'] && process.env['SYNCLINE_ODOO_DB']);

export async function rpc<T>(url: string, service: string, method: string, args: unknown[]): Promise<T> {
  const res = await fetch(`${url}/jsonrpc`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: 1 }) });
  const body = z.object({ result: z.unknown().optional(), error: z.object({ data: z.object({ name: z.string(), message: z.string() }) }).optional() }).parse(await res.json());
  if (body.error) throw new Error(`${body.error.data.name}: ${body.error.data.message}`);
  return body.result as T;
}

export async function startTestOdoo(): Promise<TestOdoo> {
  const fake = REAL_ODOO ? undefined : await startFakeOdoo();
  const url = fake?.url ?? process.env['SYNCLINE_ODOO_URL'] ?? '';
  const db = fake?.db ?? process.env['SYNCLINE_ODOO_DB'] ?? '';
  const login = fake?.login ?? process.env['SYNCLINE_ODOO_LOGIN'] ?? 'admin';
  const password = fake?.password ?? process.env['SYNCLINE_ODOO_PASSWORD'] ?? 'admin';
  const uid = await rpc<number>(url, 'common', 'authenticate', [db, login, password, {}]);
  const call = <T>(model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}): Promise<T> => rpc<T>(url, 'object', 'execute_kw', [db, uid, password, model, method, args, kwargs]);
  return {
    real: fake === undefined, url, db, login, password, ...(fake ? { fake } : {}), faults: fake?.faults ?? [], call,
    async addProducts(refs, qty = 100) {
      if (fake) return fake.addProducts(refs, qty);
      const ids = await call<number[]>('product.product', 'create', [refs.map((ref) => ({ name: ref, type: 'product', default_code: ref, list_price: 10, taxes_id: [[6, 0, []]] }))]);
      if (qty <= 0) return;
      const quants = await call<number[]>('stock.quant', 'create', [ids.map((p) => ({ product_id: p, location_id: 8, inventory_quantity: qty }))]);
      await call('stock.quant', 'action_apply_inventory', [quants]);
    },
    async addTax(rate, included) {
      const found = await call<Array<{ id: number }>>('account.tax', 'search_read', [[['type_tax_use', '=', 'sale'], ['amount', '=', rate], ['price_include', '=', included]]], { fields: ['id'] });
      if (found[0]) return found[0].id;
      return call<number>('account.tax', 'create', [{ name: `${rate}%${included ? ' incl.' : ''}`, amount: rate, amount_type: 'percent', type_tax_use: 'sale', price_include: included }]);
    },
    stop: async () => { await fake?.stop(); },
  };
}

/** A canonical order in USD (the Odoo template's currency), priced the way WooCommerce prices them. */
export function usdOrder(spec: TestOrderSpec): Order {
  return { ...makeOrder(spec), currency: 'USD' };
}

/** A unique tag per test run, so runs against a real Odoo never see each other's orders. */
export const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`.toUpperCase();
