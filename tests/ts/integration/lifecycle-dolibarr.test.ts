/**
 * Issue 8, the finance lifecycle (tests/ts/support/lifecycle-runner.ts) on the real Dolibarr 20.0.2 behind the fault
 * proxy, and on the stand-in, which must behave alike. This file gives what is Dolibarr's: the instance, reading its
 * REST API (invoices and credit notes with `fk_facture_source`, `paye`, `remaintopay`, payments per document, sales
 * orders by `ref_ext`, stock), and the cases only Dolibarr runs.
 */
import assert from 'node:assert/strict';
import { realstack } from '../../../scripts/env/realstack.js';
import { createDolibarrAdapter } from '../../../src/erp/dolibarr/index.js';
import { startErp } from '../support/erp.js';
import { assertPaid, describeLifecycle, LIFECYCLE_SKUS, line, ship, type FinanceDoc, type LifecycleBooks, type LifecycleContext } from '../support/lifecycle-runner.js';
import type { OrderSpec } from '../support/wc-finance.js';

const real = (await realstack()) !== null;
const requireReal = process.env['CI'] === 'true';

interface Invoice { id: string; ref: string; type: string; statut: string; paye: string; total_ttc: string; remaintopay: string | null; fk_facture_source: string | null }

const cents = (v: string | null): number => Math.round(Number(v ?? 0) * 100);

/** Dolibarr stores credit notes (and what remains on them) negative; the runner's documents are positive. */
function financeDoc(i: Invoice): FinanceDoc {
  const sign = i.type === '2' ? -1 : 1;
  // `+ 0`: a credit note's -0 is 0.
  const totalCents = sign * cents(i.total_ttc) + 0;
  const residualCents = sign * cents(i.remaintopay) + 0;
  const payment = i.paye === '1' ? 'paid' : residualCents === totalCents ? 'not_paid' : 'partial';
  return { id: i.id, name: i.ref, kind: i.type === '2' ? 'credit_note' : 'invoice', posted: i.statut !== '0', totalCents, residualCents, payment, source: i.fk_facture_source };
}

async function start(kind: 'dolibarr' | 'standin'): Promise<LifecycleBooks> {
  if (kind === 'dolibarr' && !real) throw new Error('CI=true: the finance scenarios need ../shared/realstack (the real Dolibarr 20.0.2)');
  const erp = await startErp({ kind, name: `${process.env['SYNCLINE_STACK_PREFIX'] ?? ''}lifecycle`, products: LIFECYCLE_SKUS });
  const api = async <T>(path: string): Promise<T> => {
    const r = await fetch(`${erp.url}${path}`, { headers: { DOLAPIKEY: erp.apiKey, Accept: 'application/json' } });
    assert.equal(r.status, 200, `GET ${path}`);
    return await r.json() as T;
  };
  const invoices = (corr: string): Promise<Invoice[]> =>
    api(`/invoices?sqlfilters=${encodeURIComponent(`(t.ref_ext:like:'${corr}%')`)}&sortfield=t.rowid&sortorder=ASC`);
  const paymentsOf = async (id: string): Promise<number[]> => (await api<Array<{ amount: string }>>(`/invoices/${id}/payments`)).map((p) => cents(p.amount));
  const orders = (corr: string): Promise<Array<{ statut: string | number }>> => api(`/orders?sqlfilters=${encodeURIComponent(`(t.ref_ext:=:'${corr}')`)}`);
  return {
    adapter: createDolibarrAdapter({ url: erp.url, apiKey: erp.apiKey, warehouseId: 1, bankAccountId: 1, refClientPrefix: 'WC-', timeoutMs: 20_000 }),
    documents: async (corr) => (await invoices(corr)).map(financeDoc),
    payments: async (corr) => (await Promise.all((await invoices(corr)).map((i) => paymentsOf(i.id)))).flat(),
    orderStates: async (corr) => (await orders(corr)).map((o) => String(o.statut)),
    census: async (corr) => {
      const inv = await invoices(corr);
      const pays = await Promise.all(inv.map(async (i) => (await paymentsOf(i.id)).length));
      return JSON.stringify({ orders: (await orders(corr)).map((o) => o.statut), invoices: inv.map((i) => `${i.type}:${i.statut}:${i.total_ttc}`), pays });
    },
    stock: (sku) => Promise.resolve(erp.stock(sku)),
    closePeriodOnce: () => {
      const reason = 'Bad Request: Error: the accounting period of 2026-11 is closed';
      erp.faults.push({ match: { method: 'POST', path: /\/invoices\/\d+\/validate$/ }, kind: 'status', status: 400, body: { error: { code: 400, message: reason } }, times: 1 });
      return { code: 'erp_rejected', says: 'accounting period of 2026-11 is closed' };
    },
    stop: () => erp.stop(),
  };
}

/** Refund before invoice and a coupon with a fee and free shipping: run on Dolibarr only. */
function dolibarrCases({ it, books, scenario, one }: LifecycleContext<LifecycleBooks>): void {
  it('refund before invoice: a partial refund waits for the invoice, then is credited; a full one cancels the sales order', async () => {
    const o: OrderSpec = { id: 8008, status: 'processing', paid: true, items: [line(1, 'FIN-A', 2000, 2)] };
    const refunded = { ...o, refunds: [{ id: 9081, items: [{ of: 1, qty: 1, net: 1000 }] }] };
    const { corr, results } = await scenario([o, refunded, { ...refunded, status: 'completed' }], 'completion');
    assert.deepEqual(results[1]?.refs.steps, []);
    assert.deepEqual(results[2]?.refs.steps, ['invoice', 'payment', 'credit_note', 'refund_payment']);
    const { invoice, notes } = await one(corr);
    assertPaid(invoice, 'invoice');
    assertPaid(notes[0] as FinanceDoc, 'credit note');

    const stock0 = await books().stock('FIN-B');
    const p: OrderSpec = { id: 8009, status: 'processing', paid: true, items: [line(1, 'FIN-B', 1000)] };
    const full = await scenario([p, { ...p, status: 'refunded', refunds: [{ id: 9091, items: [{ of: 1, qty: 1, net: 1000 }] }] }], 'completion');
    assert.deepEqual(full.results[1]?.refs.steps, ['cancel_order']);
    assert.equal(await books().stock('FIN-B'), stock0);
    assert.deepEqual(await books().documents(full.corr), []);
  });

  it('coupon plus fee plus free shipping: each an explicit line, totals to the cent', async () => {
    const o: OrderSpec = {
      id: 8010, status: 'processing', paid: true, coupon: { code: 'TEN', amount: 200 },
      items: [{ ...line(1, 'FIN-A', 1800), subtotal: 2000 }, { id: 2, kind: 'fee', net: 250, rateId: 1, name: 'Gift wrap' }, ship(3, 0)],
    };
    const { corr } = await scenario([o, { ...o, refunds: [{ id: 9101, items: [{ of: 2, net: 250 }] }] }], 'capture');
    const { invoice, notes } = await one(corr);
    assert.equal(invoice.totalCents, 1800 + 360 + 250 + 50);
    assertPaid(invoice, 'invoice');
    assert.equal(notes[0]?.totalCents, 300, 'the fee and its tax credited');
  });
}

for (const kind of ['dolibarr', 'standin'] as const) {
  describeLifecycle<LifecycleBooks>({
    title: `finance lifecycle on ${kind === 'dolibarr' ? 'the real Dolibarr 20.0.2' : 'the Dolibarr stand-in'} (issue 8)`,
    skip: kind === 'dolibarr' && !real && !requireReal && 'no ../shared/realstack',
    corrPrefix: 'fin',
    paymentMethods: { stripe: 'CB:1', bacs: 'VIR:1', gift_card: 'LIQ:1' },
    withdrawn: '0',
    documentLink: /^http:\/\/127\.0\.0\.1:\d+\/.+card\.php\?(id|socid|ref)=/,
    replays: 'each',
    start: () => start(kind),
    extraCases: dolibarrCases,
  });
}
