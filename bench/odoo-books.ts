/**
 * Books benchmark on Odoo (`npm run bench -- books --erp odoo`, issue 11): the lifecycles of the Dolibarr books
 * benchmark (bench/books.ts, tests/ts/support/lifecycle.ts: the 12 finance scenarios) made on the real
 * WooCommerce 11, pushed by the bundled sidecar (`erp.type: "odoo"`) into a real Odoo 17.0 through the HTTP fault
 * proxy (tests/ts/support/fault-proxy.ts) in front of its /jsonrpc, while faults are injected where they apply to
 * JSON-RPC (every call is a POST /jsonrpc: a rule hits every Nth call, or every Nth write, told by the
 * `execute_kw` method in the request body): responses lost after
 * Odoo committed, 429 + Retry-After, 503, latency, the sidecar SIGKILLed, Odoo refusing connections; then every
 * order replayed (`wp syncline resync orders`, two sidecars). Then the books audit: WooCommerce's truth against
 * Odoo's documents (tests/ts/support/books-audit-odoo.ts, read from Odoo directly, not through the proxy).
 * One JSON line, as bench/books.ts, with "erp":"odoo 17.0".
 *
 * Options: --orders N (504; the run of docs/TESTING.md used fewer, see there), --seed S (8), --invoice-at
 * completion|capture (completion, the engine's default), --drain-s (900 per phase), --outage-s (20), --lease-s (60),
 * --php-processes (2), --no-faults, --no-replay.
 */
import type { ChildProcess } from 'node:child_process';
import { auditBooks, type InvoicePoint } from '../tests/ts/support/books-audit.js';
import { readOdooBooks } from '../tests/ts/support/books-audit-odoo.js';
import { startFaultProxy, type Fault } from '../tests/ts/support/fault-proxy.js';
import { CATALOGUE_SKUS, Lifecycles, RATES, runWp, type PlannedOrder } from '../tests/ts/support/lifecycle.js';
import { OdooStack } from '../tests/ts/support/odoo-stack.js';
import { sql } from '../scripts/env/wp-env.js';
import { odooCall } from './erp-faults.js';

const argv = process.argv;
const opt = (n: string, d: number): number => {
  const i = argv.indexOf(`--${n}`);
  const v = i > 0 ? Number(argv[i + 1]) : d;
  return Number.isFinite(v) ? v : d;
};
const N = opt('orders', 504);
const SEED = opt('seed', 8);
const DRAIN_S = opt('drain-s', 900);
const OUTAGE_S = opt('outage-s', 20);
const LEASE_S = opt('lease-s', 60);
const INVOICE_AT: InvoicePoint = argv.includes('--invoice-at') && argv[argv.indexOf('--invoice-at') + 1] === 'capture' ? 'capture' : 'completion';
const FAULTS = !argv.includes('--no-faults');
const REPLAY = !argv.includes('--no-replay');
const FEE_REF = 'SYNCLINE-FEE';

const log = (m: string): void => { process.stderr.write(`[bench books --erp odoo ${new Date().toISOString().slice(11, 19)}] ${m}\n`); };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---- faults: every Nth JSON-RPC call gets the rule's fault ------------------------------------------------------
interface Rule { name: string; writes?: boolean; every: number; fault: Fault }
const PLAN: Rule[][] = [
  [
    { name: 'response lost after the commit (every 9th write)', writes: true, every: 9, fault: { kind: 'timeout_after_commit' } },
    { name: '429 Retry-After 1 (every 40th call)', every: 40, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '1' } } },
  ],
  [
    { name: '503 (every 11th write)', writes: true, every: 11, fault: { kind: 'status', status: 503 } },
    { name: 'response lost after the commit (every 10th write)', writes: true, every: 10, fault: { kind: 'timeout_after_commit' } },
  ],
  [
    { name: 'response lost after the commit (every 7th write)', writes: true, every: 7, fault: { kind: 'timeout_after_commit' } },
    { name: 'latency 1.5 s (every 10th call)', every: 10, fault: { kind: 'delay', ms: 1500 } },
  ],
  [
    { name: '503 (every 50th call)', every: 50, fault: { kind: 'status', status: 503 } },
  ],
];

class Faults {
  private rules: Rule[] = [];
  private seen = new Map<string, number>();
  readonly fired = new Map<string, number>();
  set(rules: Rule[]): void { this.rules = FAULTS ? rules : []; this.seen.clear(); }
  /** `body`: the JSON-RPC request being decided (only its body says which `execute_kw` method it is). */
  decide(method: string, path: string, body: unknown): Fault | undefined {
    if (method !== 'POST' || !path.endsWith('/jsonrpc')) return undefined;
    const { write } = odooCall(method, path, body);
    for (const r of this.rules) {
      if (r.writes && !write) continue;
      const n = (this.seen.get(r.name) ?? 0) + 1;
      this.seen.set(r.name, n);
      if (n % r.every === 0) {
        this.fired.set(r.name, (this.fired.get(r.name) ?? 0) + 1);
        return r.fault;
      }
    }
    return undefined;
  }
}

// ---- the run -------------------------------------------------------------------------------------------------------
const tRun = Date.now();
const stack = await OdooStack.start({ name: 'benchodoobooks', portOffset: 7, products: CATALOGUE_SKUS, qty: 1_000_000, odooName: 'books', odooPortOffset: 6 });
const proxy = await startFaultProxy({ target: stack.odoo.url });
const faults = new Faults();
const next = proxy.takeFault.bind(proxy);
proxy.takeFault = (method, path, body) => faults.decide(method, path, body) ?? next(method, path, body);
let exitCode = 0;
try {
  const o = stack.odoo;
  // Odoo's side of the shop's settings: sale taxes for WooCommerce's rates (excluded and included), a fee product.
  await o.call('account.tax', 'create', [Object.values(RATES).flatMap((rate) => [false, true].map((inc) => (
    { name: `${rate}%${inc ? ' incl.' : ''} (books bench)`, amount: Number(rate), amount_type: 'percent', type_tax_use: 'sale', price_include: inc })))]);
  await o.call('product.product', 'create', [{ name: 'Fees', type: 'service', default_code: FEE_REF, list_price: 0, taxes_id: [[6, 0, []]], invoice_policy: 'order' }]);
  const lc = new Lifecycles(stack.site, 84, opt('php-processes', 2));
  await lc.setup();
  if (process.env.SYNCLINE_BOOKS_INVOICE_OPTION) await runWp(stack.site, ['option', 'update', process.env.SYNCLINE_BOOKS_INVOICE_OPTION, INVOICE_AT]);
  // The admin's payment-method mapping: card payments and bank transfers into Odoo's Bank journal.
  sql(`INSERT INTO \`${stack.site.db}\`.wp_syncline_mappings (type, wc_key, erp_value, updated_at, updated_by)
    VALUES ('payment_method', 'stripe', 'BNK1', UNIX_TIMESTAMP(), 1), ('payment_method', 'bacs', 'BNK1', UNIX_TIMESTAMP(), 1)
    ON DUPLICATE KEY UPDATE erp_value = VALUES(erp_value)`);
  const orders = lc.plan(N, SEED);
  const scenarioOf = new Map<number, string>();

  const startSidecar = (): ChildProcess => stack.startSidecar({
    erp: { url: proxy.url.replace(/\/+$/, ''), fee_product_ref: FEE_REF, timeout_ms: 20_000 },
    worker: { lease_seconds: LEASE_S, batch: 20, wait_seconds: 2, max_attempts: 12 },
  });
  const alive = (): ChildProcess[] => stack.sidecars.filter((c) => c.exitCode === null && c.signalCode === null);
  const drain = async (what: string, during?: () => Promise<void>): Promise<{ drained: boolean; s: number }> => {
    const t0 = Date.now();
    const side = during ? during() : Promise.resolve();
    let drained = true;
    try {
      await stack.waitFor(`${what} drained`, () => stack.events("state IN ('pending','leased')").length === 0, DRAIN_S * 1000);
    } catch (e) {
      drained = false;
      log(e instanceof Error ? e.message.slice(0, 300) : String(e));
    }
    await side;
    return { drained, s: Number(((Date.now() - t0) / 1000).toFixed(1)) };
  };
  const outbox = (): Record<string, number> => stack.events().reduce<Record<string, number>>((m, e) => ({ ...m, [e['state'] ?? '?']: (m[e['state'] ?? '?'] ?? 0) + 1 }), {});
  const phases: Array<Record<string, unknown>> = [];

  startSidecar();
  const phaseCount = lc.phaseCount(orders);
  for (let p = 0; p < phaseCount; p++) {
    faults.set(PLAN[p] ?? []);
    const t0 = Date.now();
    const steps = await lc.runPhase(orders, p);
    if (p === 0) for (const x of orders) if (x.orderId !== undefined) scenarioOf.set(x.orderId, x.scenario);
    const wooS = Number(((Date.now() - t0) / 1000).toFixed(1));
    log(`phase ${p}: ${steps} WooCommerce steps in ${wooS} s; draining`);
    const d = await drain(`phase ${p}`, async () => {
      if (!FAULTS) return;
      if (p === 1) {
        for (let k = 0; k < 2; k++) { // the sidecar SIGKILLed twice while it works, restarted at once
          await sleep(4000);
          const c = alive()[0];
          if (c) await new Promise<void>((r) => { c.once('exit', () => r()); c.kill('SIGKILL'); });
          startSidecar();
        }
      }
      if (p === 2) {
        await proxy.refuse(true);
        await sleep(OUTAGE_S * 1000);
        await proxy.refuse(false);
      }
    });
    phases.push({ phase: p, woo_steps: steps, woo_s: wooS, drain_s: d.s, drained: d.drained, faults: (PLAN[p] ?? []).map((r) => r.name), outbox_after: outbox() });
  }

  if (REPLAY) {
    faults.set(PLAN[3] ?? []);
    const ids = orders.map((x) => x.orderId).filter((id): id is number => id !== undefined);
    const r = await runWp(stack.site, ['syncline', 'resync', 'orders', `--ids=${ids.join(',')}`]);
    if (r.code !== 0) throw new Error(`wp syncline resync orders failed: ${r.stderr.slice(-400)}`);
    startSidecar();
    log(`replay: ${ids.length} orders re-enqueued, ${alive().length} sidecars; draining`);
    const d = await drain('replay');
    phases.push({ phase: 'replay', orders: ids.length, drain_s: d.s, drained: d.drained, faults: (PLAN[3] ?? []).map((x) => x.name), sidecars: 2, outbox_after: outbox() });
  }
  faults.set([]);
  await stack.stopSidecars();

  log('auditing the books: WooCommerce against Odoo');
  const truths = await lc.truth(orders);
  const { books, strayPayments } = await readOdooBooks((model, method, args, kwargs) => o.call(model, method, args, kwargs));
  const a = auditBooks(truths, books, { invoiceAt: INVOICE_AT, scenarioOf: (id) => scenarioOf.get(id) ?? '?' });
  const humanCodes = stack.events("state = 'needs_human'").reduce<Record<string, number>>((m, e) => ({ ...m, [e['last_error_code'] ?? '-']: (m[e['last_error_code'] ?? '-'] ?? 0) + 1 }), {});
  const wooErrors = orders.filter((x: PlannedOrder) => x.errors.length > 0);
  console.log(JSON.stringify({
    bench: 'books', orders: a.orders, erp: `odoo ${o.version.replace(/-.*$/, '')}`,
    mismatched_orders: a.mismatched_orders, duplicate_documents: a.duplicate_documents, cents_off: a.cents_off, unposted: a.unposted, unlinked_credit_notes: a.unlinked_credit_notes,
    woocommerce: stack.site.wcVersion, erp_server_version: o.version, invoice_at: INVOICE_AT, seed: SEED, run_s: Math.round((Date.now() - tRun) / 1000),
    details: {
      scenarios: orders.reduce<Record<string, number>>((m, x) => ({ ...m, [x.scenario]: (m[x.scenario] ?? 0) + 1 }), {}),
      refunds: truths.reduce((s, t) => s + t.refunds.length, 0),
      erp_documents: { sales_orders: books.orders.length, invoices: books.invoices.filter((i) => i.type !== 2).length, credit_notes: books.invoices.filter((i) => i.type === 2).length },
      stray_payments: strayPayments.length, stray_payment_samples: strayPayments.slice(0, 5),
      phases, faults_fired: Object.fromEntries(faults.fired), erp_down_s: FAULTS ? OUTAGE_S : 0,
      outbox_states: outbox(), needs_human_codes: humanCodes,
      woocommerce_step_errors: wooErrors.length, woocommerce_step_error_samples: wooErrors.slice(0, 5).map((x) => ({ scenario: x.scenario, errors: x.errors })),
      unposted_orders: a.details.unposted_orders, findings_by_kind: a.details.by_kind, findings_by_scenario: a.details.by_scenario,
      unattributed_documents: a.details.unattributed_documents.length, unattributed_samples: a.details.unattributed_documents.slice(0, 5),
      finding_samples: a.details.findings.slice(0, 12),
    },
  }));
} catch (e) {
  log(`could not run: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  exitCode = 1;
} finally {
  await proxy.stop();
  await stack.stop();
}
process.exit(exitCode);
