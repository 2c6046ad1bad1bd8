/**
 * Issue 11, the finance lifecycle of issue 8 (tests/ts/support/lifecycle-runner.ts) on Odoo 17: a real Odoo 17.0 (a
 * clean database from the template, scripts/env/odoo.ts) and the Odoo stand-in, which must behave alike. This file
 * gives what is Odoo's: the instance and its taxes, reading it over JSON-RPC (`account.move` invoices and credit notes,
 * their link `reversed_entry_id`, `amount_residual`, `payment_state`, `account.payment` by the order's key, sales
 * orders by `origin`, free quantity), and the case only the stand-in can inject. Without a real Odoo the real half is
 * skipped, and fails under CI=true.
 */
import assert from 'node:assert/strict';
import { startOdoo } from '../../../scripts/env/odoo.js';
import { RetryableError } from '../../../src/common/errors.js';
import { createOdooAdapter } from '../../../src/erp/odoo/index.js';
import { describeLifecycle, ErpUnavailable, LIFECYCLE_SKUS, line, type FinanceDoc, type LifecycleBooks, type LifecycleContext } from '../support/lifecycle-runner.js';
import type { OrderSpec } from '../support/wc-finance.js';
import { startFakeOdoo, type StartedFakeOdoo } from '../standins/odoo/fake-odoo.js';
import { rpc } from '../standins/odoo/testing.js';

interface Move { id: number; name: string; move_type: string; state: string; amount_total: number; amount_residual: number; payment_state: string; reversed_entry_id: [number, string] | false }
interface Server { url: string; db: string; login: string; password: string; fake?: StartedFakeOdoo; stop(): Promise<void> }
type OdooBooks = LifecycleBooks & { server: Server };

const cents = (v: number): number => Math.round(v * 100);

async function server(kind: 'odoo' | 'standin'): Promise<Server> {
  if (kind === 'standin') {
    const f = await startFakeOdoo();
    return { url: f.url, db: f.db, login: f.login, password: f.password, fake: f, stop: () => f.stop() };
  }
  let o: Awaited<ReturnType<typeof startOdoo>>;
  try {
    o = await startOdoo({ name: 'lifecycle', port: Number(process.env['SYNCLINE_ODOO_PORT'] ?? 8069) + 5 });
  } catch (e) {
    throw new ErpUnavailable(`no real Odoo: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return { url: o.url, db: o.db, login: o.login, password: o.password, stop: () => o.stop() };
}

function financeDoc(m: Move): FinanceDoc {
  const payment = m.payment_state === 'in_payment' ? 'paid' : m.payment_state;
  return {
    id: String(m.id), name: m.name, kind: m.move_type === 'out_refund' ? 'credit_note' : 'invoice', posted: m.state === 'posted',
    totalCents: cents(m.amount_total), residualCents: cents(m.amount_residual), payment, source: m.reversed_entry_id === false ? null : String(m.reversed_entry_id[0]),
  };
}

async function start(kind: 'odoo' | 'standin'): Promise<OdooBooks> {
  const s = await server(kind);
  const uid = await rpc<number>(s.url, 'common', 'authenticate', [s.db, s.login, s.password, {}]);
  const call = <T>(model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}): Promise<T> =>
    rpc<T>(s.url, 'object', 'execute_kw', [s.db, uid, s.password, model, method, args, kwargs]);
  const ids = await call<number[]>('product.product', 'create', [LIFECYCLE_SKUS.map((ref) => ({ name: ref, type: 'product', default_code: ref, list_price: 10, taxes_id: [[6, 0, []]] }))]);
  const quants = await call<number[]>('stock.quant', 'create', [ids.map((p) => ({ product_id: p, location_id: 8, inventory_quantity: 100 }))]);
  await call('stock.quant', 'action_apply_inventory', [quants]);
  await call('account.tax', 'create', [[
    { name: '20% (lifecycle)', amount: 20, amount_type: 'percent', type_tax_use: 'sale', price_include: false },
    { name: '20% incl. (lifecycle)', amount: 20, amount_type: 'percent', type_tax_use: 'sale', price_include: true },
    { name: '5.5% incl. (lifecycle)', amount: 5.5, amount_type: 'percent', type_tax_use: 'sale', price_include: true },
  ]]);
  const saleOrders = (corr: string): Promise<Array<{ id: number; name: string; state: string }>> =>
    call('sale.order', 'search_read', [[['origin', '=', `syncline:${corr}`]]], { fields: ['name', 'state'], order: 'id asc' });
  const moves = async (corr: string): Promise<Move[]> => {
    const so = await saleOrders(corr);
    if (so.length === 0) return [];
    return call('account.move', 'search_read', [[['invoice_origin', 'in', so.map((o) => o.name)], ['move_type', 'in', ['out_invoice', 'out_refund']]]],
      { fields: ['name', 'move_type', 'state', 'amount_total', 'amount_residual', 'payment_state', 'reversed_entry_id'], order: 'id asc' });
  };
  const payments = (corr: string): Promise<Array<{ amount: number; payment_type: string; ref: string }>> =>
    call('account.payment', 'search_read', [[['ref', '=like', `syncline:${corr}/%`], ['state', '=', 'posted']]], { fields: ['amount', 'payment_type', 'ref'], order: 'id asc' });
  const fake = s.fake;
  return {
    server: s,
    adapter: createOdooAdapter({ url: s.url, database: s.db, login: s.login, apiKey: s.password, timeoutMs: 30_000, refClientPrefix: 'WC-' }),
    documents: async (corr) => (await moves(corr)).map(financeDoc),
    payments: async (corr) => (await payments(corr)).map((p) => (p.payment_type === 'outbound' ? -1 : 1) * cents(p.amount)),
    orderStates: async (corr) => (await saleOrders(corr)).map((o) => o.state),
    census: async (corr) => JSON.stringify({
      orders: (await saleOrders(corr)).map((o) => o.state),
      moves: (await moves(corr)).map((m) => `${m.move_type}:${m.state}:${m.amount_total}:${m.amount_residual}`),
      pays: (await payments(corr)).map((p) => `${p.payment_type}:${p.amount}`),
    }),
    stock: async (sku) =>
      (await call<Array<{ free_qty: number }>>('product.product', 'search_read', [[['default_code', '=', sku]]], { fields: ['free_qty'] }))[0]?.free_qty ?? NaN,
    ...(fake ? {
      closePeriodOnce: () => {
        fake.faults.push({ call: 'account.move.action_post', kind: 'fault', name: 'odoo.exceptions.UserError', message: 'You cannot add/modify entries prior to and inclusive of the lock date 11/30/2026.' });
        return { code: 'erp_period_closed', says: 'lock date' };
      },
    } : {}),
    stop: () => s.stop(),
  };
}

/** An answer lost after Odoo committed: only the stand-in can hold the answer back. */
function odooCases({ it, books, push, newCorr }: LifecycleContext<OdooBooks>): void {
  it('an answer lost after Odoo committed the payment: retryable, and the retry finds the payment by its key instead of paying twice', async (t) => {
    const x = books().server;
    if (!x.fake) return t.skip('fault injection is the stand-in\'s');
    const o: OrderSpec = { id: 8017, status: 'processing', paid: true, items: [line(1, 'FIN-B', 1000)] };
    const corr = newCorr();
    const impatient = createOdooAdapter({ url: x.url, database: x.db, login: x.login, apiKey: x.password, timeoutMs: 500, commitGraceMs: 200, refClientPrefix: 'WC-' });
    x.fake.faults.push({ call: 'account.payment.register.action_create_payments', kind: 'commit-then-hang', ms: 1500 });
    await assert.rejects(push(o, corr, 'capture', impatient), (e: unknown) => e instanceof RetryableError && e.code === 'erp_outcome_unknown');
    await new Promise((r) => setTimeout(r, 300));
    const r = await push(o, corr, 'capture');
    assert.deepEqual(r.refs.steps, [], 'the committed payment was found: nothing left to do');
    assert.deepEqual(await books().payments(corr), [1200], 'one payment');
  });
}

for (const kind of ['odoo', 'standin'] as const) {
  describeLifecycle<OdooBooks>({
    title: `finance lifecycle on ${kind === 'odoo' ? 'the real Odoo 17.0' : 'the Odoo stand-in'} (issue 11)`,
    corrPrefix: 'ofin',
    paymentMethods: { stripe: 'BNK1', bacs: 'BNK1', gift_card: 'CSH1' },
    currency: 'USD',
    withdrawn: 'cancel',
    documentLink: /^http:\/\/127\.0\.0\.1:\d+\/web#id=\d+&model=[a-z.]+&view_type=form$/,
    // One replay of the final state (a replay's lookups are the same whichever event it replays; keeps the real run short).
    replays: 'once',
    start: () => start(kind),
    extraCases: odooCases,
  });
}
