/**
 * Books benchmark (`npm run bench -- books [--erp odoo]`, issues 8 and 11): at least 500 seeded order lifecycles
 * (the finance scenarios of issue 8: tests/ts/support/lifecycle.ts) made on the real WooCommerce 11 with
 * WooCommerce's own APIs, pushed by the bundled sidecar (build/sidecar.cjs) into the ERP (bench/erp-under-test.ts:
 * the real Dolibarr 20.0.2, or with `--erp odoo` the real Odoo 17.0, each behind the fault proxy) while faults are
 * injected (responses lost after the commit, 429, deadlocks or 503s, latency, a sidecar SIGKILLed, the ERP down),
 * then every order replayed (`wp syncline resync orders`, two sidecars at once). Then the books audit
 * (tests/ts/support/books-audit.ts): per order, what WooCommerce says was paid, refunded and invoiced against
 * what the ERP holds (documents, amounts to the cent, credit note → invoice links, remaining to pay), read from the
 * ERP directly (Dolibarr: REST and SQL; Odoo: JSON-RPC, tests/ts/support/books-audit-odoo.ts).
 * One JSON line: {"bench":"books","orders":…,"erp":"dolibarr 20.0.2"|"odoo 17.0","mismatched_orders":…,
 * "duplicate_documents":…,"cents_off":…,"unposted":…,"unlinked_credit_notes":…, details} (on Odoo also
 * "erp_server_version" and, in details, the payments no document accounts for).
 *
 * The faults are every Nth call matching a rule, per phase (`PLAN`): on Dolibarr's REST a write is a POST to
 * orders, invoices or thirdparties; on Odoo's JSON-RPC every call is a POST /jsonrpc and a write is an
 * `execute_kw` of any method but a read (bench/erp-faults.ts: `odooCall`).
 *
 * Options: --erp dolibarr|odoo (dolibarr), --orders N (504: 42 of each of the 12 scenarios), --seed S (8),
 * --invoice-at completion|capture (completion, the engine's default; the audit expects invoices at that point, and
 * the shop's setting is set to it when SYNCLINE_BOOKS_INVOICE_OPTION names the WordPress option that holds it),
 * --drain-s (per phase; Dolibarr 600, Odoo 900), --outage-s (20), --lease-s (Dolibarr 30, Odoo 60),
 * --php-processes (2: WooCommerce steps run in that many PHP processes at once), --no-faults, --no-replay.
 */
import type { ChildProcess } from 'node:child_process';
import { auditBooks, type InvoicePoint } from '../tests/ts/support/books-audit.js';
import type { Fault } from '../tests/ts/support/fault-proxy.js';
import { CATALOGUE_SKUS, Lifecycles, runWp, type PlannedOrder } from '../tests/ts/support/lifecycle.js';
import { sql } from '../scripts/env/wp-env.js';
import { erpKindArg, runOnStack, startBenchStack, startOdooBenchStack, type BenchErp, type BenchErpKind, type BenchStack, type ErpCall } from './erp-under-test.js';

// ---- faults: every Nth ERP call matching a rule gets the rule's fault ------------------------------------------
interface Rule { name: string; match: (c: ErpCall) => boolean; every: number; fault: Fault }
const anyRest = (): boolean => true;
/** Dolibarr's REST writes the books are made of. */
const restWrite = (c: ErpCall): boolean => c.method === 'POST' && /\/(orders|invoices|thirdparties)(\/|$)/.test(c.path);
const anyRpc = (c: ErpCall): boolean => c.method === 'POST' && c.path.endsWith('/jsonrpc');
const rpcWrite = (c: ErpCall): boolean => anyRpc(c) && c.write;

/** Per ERP: the sidecar's settings and what each phase's ERP calls meet (phase index → rules; the replay gets the last entry). */
interface OnErp { drainS: number; leaseS: number; sidecar: { timeout_ms: number; retry?: Record<string, unknown>; circuit?: Record<string, unknown> }; plan: Rule[][] }
const ON: Record<BenchErpKind, OnErp> = {
  dolibarr: {
    drainS: 600, leaseS: 30, sidecar: { timeout_ms: 5000, retry: { base_ms: 300, max_ms: 5000 }, circuit: { failure_threshold: 5, open_ms: 5000 } },
    plan: [
      [
        { name: 'response lost after the commit (every 9th write)', match: restWrite, every: 9, fault: { kind: 'timeout_after_commit' } },
        { name: '429 Retry-After 1 (every 13th call)', match: anyRest, every: 13, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '1' } } },
      ],
      [
        { name: 'deadlock (every 11th write)', match: restWrite, every: 11, fault: { kind: 'deadlock' } },
        { name: 'response lost after the commit (every 10th write)', match: restWrite, every: 10, fault: { kind: 'timeout_after_commit' } },
      ],
      [
        { name: 'response lost after the commit (every 7th write)', match: restWrite, every: 7, fault: { kind: 'timeout_after_commit' } },
      ],
      [
        { name: '503 (every 17th call)', match: anyRest, every: 17, fault: { kind: 'status', status: 503 } },
      ],
    ],
  },
  odoo: {
    drainS: 900, leaseS: 60, sidecar: { timeout_ms: 20_000 },
    plan: [
      [
        { name: 'response lost after the commit (every 9th write)', match: rpcWrite, every: 9, fault: { kind: 'timeout_after_commit' } },
        { name: '429 Retry-After 1 (every 40th call)', match: anyRpc, every: 40, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '1' } } },
      ],
      [
        { name: '503 (every 11th write)', match: rpcWrite, every: 11, fault: { kind: 'status', status: 503 } },
        { name: 'response lost after the commit (every 10th write)', match: rpcWrite, every: 10, fault: { kind: 'timeout_after_commit' } },
      ],
      [
        { name: 'response lost after the commit (every 7th write)', match: rpcWrite, every: 7, fault: { kind: 'timeout_after_commit' } },
        { name: 'latency 1.5 s (every 10th call)', match: anyRpc, every: 10, fault: { kind: 'delay', ms: 1500 } },
      ],
      [
        { name: '503 (every 50th call)', match: anyRpc, every: 50, fault: { kind: 'status', status: 503 } },
      ],
    ],
  },
};

const argv = process.argv;
const opt = (n: string, d: number): number => {
  const i = argv.indexOf(`--${n}`);
  const v = i > 0 ? Number(argv[i + 1]) : d;
  return Number.isFinite(v) ? v : d;
};
const ERP_KIND = erpKindArg();
const on = ON[ERP_KIND];
const N = opt('orders', 504);
const SEED = opt('seed', 8);
const DRAIN_S = opt('drain-s', on.drainS);
const OUTAGE_S = opt('outage-s', 20);
const LEASE_S = opt('lease-s', on.leaseS);
const INVOICE_AT: InvoicePoint = argv.includes('--invoice-at') && argv[argv.indexOf('--invoice-at') + 1] === 'capture' ? 'capture' : 'completion';
const FAULTS = !argv.includes('--no-faults');
const REPLAY = !argv.includes('--no-replay');
const PLAN = on.plan;

const log = (m: string): void => { process.stderr.write(`[bench books${ERP_KIND === 'odoo' ? ' --erp odoo' : ''} ${new Date().toISOString().slice(11, 19)}] ${m}\n`); };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

class Faults {
  private rules: Rule[] = [];
  private seen = new Map<string, number>();
  readonly fired = new Map<string, number>();
  set(rules: Rule[]): void { this.rules = FAULTS ? rules : []; this.seen.clear(); }
  decide(call: ErpCall): Fault | undefined {
    for (const r of this.rules) {
      if (!r.match(call)) continue;
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
const { stack, erp }: { stack: BenchStack; erp: BenchErp } = ERP_KIND === 'odoo'
  ? await startOdooBenchStack('benchodoobooks', 7, 6, CATALOGUE_SKUS)
  : await startBenchStack('benchbooks', 18390, CATALOGUE_SKUS);
await runOnStack(stack, log, async () => {
  const erpBooks = erp.books;
  if (!erpBooks) throw new Error('the books benchmark runs against the real Dolibarr 20.0.2 (../shared/realstack) or the real Odoo 17.0 only');
  const faults = new Faults();
  erp.intercept((c) => faults.decide(c));
  const sidecarErp = { ...erp.sidecar, ...await erpBooks.prepare(), timeout_ms: on.sidecar.timeout_ms };
  const lc = new Lifecycles(stack.site, 84, opt('php-processes', 2));
  await lc.setup();
  if (process.env.SYNCLINE_BOOKS_INVOICE_OPTION) await runWp(stack.site, ['option', 'update', process.env.SYNCLINE_BOOKS_INVOICE_OPTION, INVOICE_AT]);
  // The admin's payment-method mapping (Syncline → Mappings): card payments and bank transfers, in the ERP's terms.
  sql(`INSERT INTO \`${stack.site.db}\`.wp_syncline_mappings (type, wc_key, erp_value, updated_at, updated_by)
    VALUES ('payment_method', 'stripe', '${erpBooks.payments.stripe}', UNIX_TIMESTAMP(), 1), ('payment_method', 'bacs', '${erpBooks.payments.bacs}', UNIX_TIMESTAMP(), 1)
    ON DUPLICATE KEY UPDATE erp_value = VALUES(erp_value)`);
  const orders = lc.plan(N, SEED);
  const scenarioOf = new Map<number, string>();

  const sidecars: ChildProcess[] = [];
  const startSidecar = (): ChildProcess => {
    const c = stack.startSidecar({
      erp: sidecarErp, worker: { lease_seconds: LEASE_S, batch: 20, wait_seconds: 2, max_attempts: 12 },
      ...(on.sidecar.retry ? { retry: on.sidecar.retry } : {}), ...(on.sidecar.circuit ? { circuit: on.sidecar.circuit } : {}),
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
    log(`replay: ${ids.length} orders re-enqueued, ${sidecars.length} sidecars; draining`);
    const d = await drain('replay');
    phases.push({ phase: 'replay', orders: ids.length, drain_s: d.s, drained: d.drained, faults: (PLAN[3] ?? []).map((x) => x.name), sidecars: 2, outbox_after: stack.countByState() });
  }
  faults.set([]);
  for (const c of [...sidecars]) await kill(c, 'SIGTERM');

  log(`auditing the books: WooCommerce against ${erp.label}`);
  const truths = await lc.truth(orders);
  const { books, strayPayments } = await erpBooks.read();
  const a = auditBooks(truths, books, { invoiceAt: INVOICE_AT, scenarioOf: (id) => scenarioOf.get(id) ?? '?' });
  const states = stack.countByState();
  const humanCodes = Object.fromEntries(stack.events("state = 'needs_human'").reduce((m, e) => m.set(e['last_error_code'] ?? '-', (m.get(e['last_error_code'] ?? '-') ?? 0) + 1), new Map<string, number>()));
  const wooErrors = orders.filter((o: PlannedOrder) => o.errors.length > 0);
  console.log(JSON.stringify({
    bench: 'books', orders: a.orders, erp: erp.label,
    mismatched_orders: a.mismatched_orders, duplicate_documents: a.duplicate_documents, cents_off: a.cents_off, unposted: a.unposted, unlinked_credit_notes: a.unlinked_credit_notes,
    woocommerce: stack.site.wcVersion, ...(erp.serverVersion ? { erp_server_version: erp.serverVersion } : {}),
    invoice_at: INVOICE_AT, seed: SEED, run_s: Math.round((Date.now() - tRun) / 1000),
    details: {
      scenarios: Object.fromEntries([...orders.reduce((m, o) => m.set(o.scenario, (m.get(o.scenario) ?? 0) + 1), new Map<string, number>())]),
      refunds: truths.reduce((s, t) => s + t.refunds.length, 0),
      erp_documents: { sales_orders: books.orders.length, invoices: books.invoices.filter((i) => i.type !== 2).length, credit_notes: books.invoices.filter((i) => i.type === 2).length },
      ...(strayPayments ? { stray_payments: strayPayments.length, stray_payment_samples: strayPayments.slice(0, 5) } : {}),
      phases, faults_fired: Object.fromEntries(faults.fired), erp_down_s: FAULTS ? OUTAGE_S : 0,
      outbox_states: states, needs_human_codes: humanCodes,
      woocommerce_step_errors: wooErrors.length, woocommerce_step_error_samples: wooErrors.slice(0, 5).map((o) => ({ scenario: o.scenario, errors: o.errors })),
      unposted_orders: a.details.unposted_orders, findings_by_kind: a.details.by_kind, findings_by_scenario: a.details.by_scenario,
      unattributed_documents: a.details.unattributed_documents.length, unattributed_samples: a.details.unattributed_documents.slice(0, 5),
      finding_samples: a.details.findings.slice(0, 12),
    },
  }));
});
