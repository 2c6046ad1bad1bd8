/**
 * Books benchmark (`npm run bench -- books`): at least 500 seeded order lifecycles (the finance scenarios of
 * issue 8: tests/ts/support/lifecycle.ts) made on the real WooCommerce 11 with WooCommerce's own APIs, pushed by
 * the bundled sidecar (build/sidecar.cjs) into the real Dolibarr 20.0.2 behind the fault proxy while faults are
 * injected (responses lost after the commit, 429, deadlocks, a sidecar SIGKILLed, the ERP down), then every
 * order replayed (`wp syncline resync orders`, two sidecars at once). Then the books audit
 * (tests/ts/support/books-audit.ts): per order, what WooCommerce says was paid, refunded and invoiced against
 * what Dolibarr holds (documents, amounts to the cent, credit note → invoice links, remaining to pay).
 * One JSON line: {"bench":"books","orders":…,"erp":"dolibarr 20.0.2","mismatched_orders":…,"duplicate_documents":…,
 * "cents_off":…,"unposted":…,"unlinked_credit_notes":…, details}.
 *
 * Options: --orders N (504: 42 of each of the 12 scenarios), --seed S (8), --invoice-at completion|capture
 * (completion, the engine's default; the audit expects invoices at that point, and the shop's setting is set to
 * it when SYNCLINE_BOOKS_INVOICE_OPTION names the WordPress option that holds it), --drain-s (600, per phase), --outage-s (20), --lease-s (30), --php-processes (2: WooCommerce steps run in
 * that many PHP processes at once), --no-faults, --no-replay.
 */
import type { ChildProcess } from 'node:child_process';
import { auditBooks, readDolibarrBooks, type InvoicePoint } from '../tests/ts/support/books-audit.js';
import type { Fault } from '../tests/ts/support/fault-proxy.js';
import { CATALOGUE_SKUS, Lifecycles, runWp, type PlannedOrder } from '../tests/ts/support/lifecycle.js';
import type { Stack } from '../tests/ts/support/stack.js';
import { sql } from '../scripts/env/wp-env.js';
import { startBenchStack } from './erp-under-test.js';

const argv = process.argv;
const opt = (n: string, d: number): number => {
  const i = argv.indexOf(`--${n}`);
  const v = i > 0 ? Number(argv[i + 1]) : d;
  return Number.isFinite(v) ? v : d;
};
const N = opt('orders', 504);
const SEED = opt('seed', 8);
const DRAIN_S = opt('drain-s', 600);
const OUTAGE_S = opt('outage-s', 20);
const LEASE_S = opt('lease-s', 30);
const INVOICE_AT: InvoicePoint = argv.includes('--invoice-at') && argv[argv.indexOf('--invoice-at') + 1] === 'capture' ? 'capture' : 'completion';
const FAULTS = !argv.includes('--no-faults');
const REPLAY = !argv.includes('--no-replay');

const log = (m: string): void => { process.stderr.write(`[bench books ${new Date().toISOString().slice(11, 19)}] ${m}\n`); };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---- faults: every Nth ERP call matching a rule gets the rule's fault ------------------------------------------
interface Rule { name: string; method?: string; path: RegExp; every: number; fault: Fault }
const WRITE = /\/(orders|invoices|thirdparties)(\/|$)/;
/** What each phase's ERP calls meet (phase index → rules); the replay gets the last entry. */
const PLAN: Rule[][] = [
  [
    { name: 'response lost after the commit (every 9th write)', method: 'POST', path: WRITE, every: 9, fault: { kind: 'timeout_after_commit' } },
    { name: '429 Retry-After 1 (every 13th call)', path: /./, every: 13, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '1' } } },
  ],
  [
    { name: 'deadlock (every 11th write)', method: 'POST', path: WRITE, every: 11, fault: { kind: 'deadlock' } },
    { name: 'response lost after the commit (every 10th write)', method: 'POST', path: WRITE, every: 10, fault: { kind: 'timeout_after_commit' } },
  ],
  [
    { name: 'response lost after the commit (every 7th write)', method: 'POST', path: WRITE, every: 7, fault: { kind: 'timeout_after_commit' } },
  ],
  [
    { name: '503 (every 17th call)', path: /./, every: 17, fault: { kind: 'status', status: 503 } },
  ],
];

class Faults {
  rules: Rule[] = [];
  private seen = new Map<string, number>();
  readonly fired = new Map<string, number>();
  constructor(stack: Stack) {
    const hook = (stack.erp as unknown as { proxy?: { takeFault(m: string, p: string): Fault | undefined } }).proxy;
    if (!hook) throw new Error('the books benchmark needs the real Dolibarr behind the fault proxy');
    const next = hook.takeFault.bind(hook);
    hook.takeFault = (method, path) => this.decide(method, path) ?? next(method, path);
  }
  set(rules: Rule[]): void { this.rules = FAULTS ? rules : []; this.seen.clear(); }
  private decide(method: string, path: string): Fault | undefined {
    for (const r of this.rules) {
      if ((r.method && r.method !== method) || !r.path.test(path)) continue;
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
const { stack, erp } = await startBenchStack('benchbooks', 18390, CATALOGUE_SKUS);
let exitCode = 0;
try {
  if (stack.erp.kind !== 'dolibarr') throw new Error('the books benchmark runs against the real Dolibarr 20.0.2 only (../shared/realstack)');
  const dolibarr = (stack.erp as unknown as { dolibarr: { url: string; apiKey: string; sql(q: string): string } }).dolibarr;
  const faults = new Faults(stack);
  const lc = new Lifecycles(stack.site, 84, opt('php-processes', 2));
  await lc.setup();
  if (process.env.SYNCLINE_BOOKS_INVOICE_OPTION) await runWp(stack.site, ['option', 'update', process.env.SYNCLINE_BOOKS_INVOICE_OPTION, INVOICE_AT]);
  // The admin's payment-method mapping (Syncline → Mappings): card payments and bank transfers, Dolibarr's
  // payment modes CB and VIR into bank account 1.
  sql(`INSERT INTO \`${stack.site.db}\`.wp_syncline_mappings (type, wc_key, erp_value, updated_at, updated_by)
    VALUES ('payment_method', 'stripe', 'CB:1', UNIX_TIMESTAMP(), 1), ('payment_method', 'bacs', 'VIR:1', UNIX_TIMESTAMP(), 1)
    ON DUPLICATE KEY UPDATE erp_value = VALUES(erp_value)`);
  const orders = lc.plan(N, SEED);
  const scenarioOf = new Map<number, string>();

  const sidecars: ChildProcess[] = [];
  const startSidecar = (): ChildProcess => {
    const c = stack.startSidecar({
      erp: { ...erp.sidecar, timeout_ms: 5000 }, worker: { lease_seconds: LEASE_S, batch: 20, wait_seconds: 2, max_attempts: 12 },
      retry: { base_ms: 300, max_ms: 5000 }, circuit: { failure_threshold: 5, open_ms: 5000 },
    });
    sidecars.push(c);
    return c;
  };
  const kill = async (c: ChildProcess, signal: NodeJS.Signals): Promise<void> => {
    sidecars.splice(sidecars.indexOf(c), 1);
    if (c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => { c.once('exit', () => resolve()); c.kill(signal); });
  };
  const drain = async (what: string, during?: () => Promise<void>): Promise<{ drained: boolean; s: number }> => {
    const t0 = Date.now();
    const side = during ? during() : Promise.resolve();
    let drained = true;
    try {
      await stack.waitFor(`${what} drained`, () => { const s = stack.countByState(); return !s['pending'] && !s['leased']; }, DRAIN_S * 1000);
    } catch (e) {
      drained = false;
      log(e instanceof Error ? e.message : String(e));
    }
    await side;
    return { drained, s: Number(((Date.now() - t0) / 1000).toFixed(1)) };
  };
  const phases: Array<Record<string, unknown>> = [];

  startSidecar();
  const phaseCount = lc.phaseCount(orders);
  for (let p = 0; p < phaseCount; p++) {
    faults.set(PLAN[p] ?? []);
    const t0 = Date.now();
    const steps = await lc.runPhase(orders, p);
    if (p === 0) for (const o of orders) if (o.orderId !== undefined) scenarioOf.set(o.orderId, o.scenario);
    const wooS = Number(((Date.now() - t0) / 1000).toFixed(1));
    log(`phase ${p}: ${steps} WooCommerce steps in ${wooS} s; draining`);
    const d = await drain(`phase ${p}`, async () => {
      if (!FAULTS) return;
      if (p === 1) {
        // The sidecar SIGKILLed twice while it works, restarted at once.
        for (let k = 0; k < 2; k++) {
          await sleep(4000);
          const c = sidecars[0];
          if (c) await kill(c, 'SIGKILL');
          startSidecar();
        }
      }
      if (p === 2) {
        await erp.down(true);
        await sleep(OUTAGE_S * 1000);
        await erp.down(false);
      }
    });
    phases.push({ phase: p, woo_steps: steps, woo_s: wooS, drain_s: d.s, drained: d.drained, faults: (PLAN[p] ?? []).map((r) => r.name), outbox_after: stack.countByState() });
  }

  if (REPLAY) {
    faults.set(PLAN[3] ?? []);
    const ids = orders.map((o) => o.orderId).filter((id): id is number => id !== undefined);
    const r = await runWp(stack.site, ['syncline', 'resync', 'orders', `--ids=${ids.join(',')}`]);
    if (r.code !== 0) throw new Error(`wp syncline resync orders failed: ${r.stderr.slice(-400)}`);
    startSidecar();
    log(`replay: ${ids.length} orders re-enqueued, two sidecars; draining`);
    const d = await drain('replay');
    phases.push({ phase: 'replay', orders: ids.length, drain_s: d.s, drained: d.drained, faults: (PLAN[3] ?? []).map((x) => x.name), sidecars: 2, outbox_after: stack.countByState() });
  }
  faults.set([]);
  for (const c of [...sidecars]) await kill(c, 'SIGTERM');

  log('auditing the books: WooCommerce against Dolibarr');
  const truths = await lc.truth(orders);
  const books = await readDolibarrBooks({ url: dolibarr.url, key: dolibarr.apiKey, sql: (q) => dolibarr.sql(q) });
  const a = auditBooks(truths, books, { invoiceAt: INVOICE_AT, scenarioOf: (id) => scenarioOf.get(id) ?? '?' });
  const states = stack.countByState();
  const humanCodes = Object.fromEntries(stack.events("state = 'needs_human'").reduce((m, e) => m.set(e['last_error_code'] ?? '-', (m.get(e['last_error_code'] ?? '-') ?? 0) + 1), new Map<string, number>()));
  const wooErrors = orders.filter((o: PlannedOrder) => o.errors.length > 0);
  console.log(JSON.stringify({
    bench: 'books', orders: a.orders, erp: erp.label,
    mismatched_orders: a.mismatched_orders, duplicate_documents: a.duplicate_documents, cents_off: a.cents_off, unposted: a.unposted, unlinked_credit_notes: a.unlinked_credit_notes,
    woocommerce: stack.site.wcVersion, invoice_at: INVOICE_AT, seed: SEED, run_s: Math.round((Date.now() - tRun) / 1000),
    details: {
      scenarios: Object.fromEntries([...orders.reduce((m, o) => m.set(o.scenario, (m.get(o.scenario) ?? 0) + 1), new Map<string, number>())]),
      refunds: truths.reduce((s, t) => s + t.refunds.length, 0),
      erp_documents: { sales_orders: books.orders.length, invoices: books.invoices.filter((i) => i.type !== 2).length, credit_notes: books.invoices.filter((i) => i.type === 2).length },
      phases, faults_fired: Object.fromEntries(faults.fired), erp_down_s: FAULTS ? OUTAGE_S : 0,
      outbox_states: states, needs_human_codes: humanCodes,
      woocommerce_step_errors: wooErrors.length, woocommerce_step_error_samples: wooErrors.slice(0, 5).map((o) => ({ scenario: o.scenario, errors: o.errors })),
      unposted_orders: a.details.unposted_orders, findings_by_kind: a.details.by_kind, findings_by_scenario: a.details.by_scenario,
      unattributed_documents: a.details.unattributed_documents.length, unattributed_samples: a.details.unattributed_documents.slice(0, 5),
      finding_samples: a.details.findings.slice(0, 12),
    },
  }));
} catch (e) {
  log(`could not run: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  exitCode = 1;
} finally {
  await stack.stop();
}
process.exit(exitCode);

