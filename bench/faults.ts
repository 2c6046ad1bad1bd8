/**
 * Faults benchmark (`npm run bench -- faults [--erp odoo]`): orders flow from WordPress + WooCommerce through the
 * bundled sidecar (build/sidecar.cjs) into the ERP (bench/erp-under-test.ts: the real Dolibarr 20.0.2, or with
 * `--erp odoo` the real Odoo 17.0, each behind the fault proxy) while, in turn, the sidecar is SIGKILLed 3 times, the ERP is down,
 * every ERP write is slower than the lease, every 10th create loses its response after the commit, the ERP
 * answers 429 with Retry-After, WordPress answers 500 on one ack (before, then after, it is applied), MariaDB
 * restarts (WordPress's database; Dolibarr's too, Odoo's PostgreSQL is its own server and keeps running), and two
 * sidecars run at once. Then everything is counted in the ERP and in WooCommerce (bench/erp-audit.ts, by the
 * ERP's site-unique key: Dolibarr's `ref_ext`, Odoo's `origin`) and one JSON line is printed.
 *
 * Options: --orders N (500), --rate R (orders/s; default: N spread over the planned phases), --lease-s (10),
 * --baseline-s (20), --kill-every-s (10), --outage-s (120), --slow-s (40), --slow-writes (8: the slow phase
 * lasts at least --slow-s and until that many ERP writes were slowed, at most 4 × --slow-s), --tac-s (60), --tac-every (10),
 * --429-s (30), --429-every (3), --retry-after-s (2), --dual-s (40), --db-down-s (5), --drain-s (600),
 * --new-customer-pct (60), --max-attempts (10).
 */
import { symlinkSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { ROOT, dbStart, dbStop } from '../scripts/env/wp-env.js';
import { orderBody, type LineSpec } from '../tests/ts/support/orders.js';
import { audit } from './erp-audit.js';
import type { FaultCounts, FaultPolicy } from './erp-faults.js';
import { erpKindArg, runOnStack, startBenchStack, startOdooBenchStack, type BenchErp, type BenchStack } from './erp-under-test.js';

const opt = (n: string, d: number): number => {
  const i = process.argv.indexOf(`--${n}`);
  const v = i > 0 ? Number(process.argv[i + 1]) : d;
  return Number.isFinite(v) ? v : d;
};
const N = opt('orders', 500);
const LEASE_S = opt('lease-s', 10);
const P = {
  baseline: opt('baseline-s', 20), killEvery: opt('kill-every-s', 10), outage: opt('outage-s', 120), slow: opt('slow-s', 40),
  tac: opt('tac-s', 60), tacEvery: opt('tac-every', 10), tooMany: opt('429-s', 30), tooManyEvery: opt('429-every', 3),
  retryAfter: opt('retry-after-s', 2), dual: opt('dual-s', 40), dbDown: opt('db-down-s', 5), drain: opt('drain-s', 600),
};
const SLOW_WRITES = opt('slow-writes', 8);
const PLANNED_S = P.baseline + 3 * P.killEvery + P.outage + P.slow + P.tac + P.tooMany + 20 + P.dbDown + 15 + P.dual;
const RATE = opt('rate', N / PLANNED_S);
const NEW_PCT = opt('new-customer-pct', 60);
const MAX_ATTEMPTS = opt('max-attempts', 10);

const log = (m: string): void => { process.stderr.write(`[bench faults ${new Date().toISOString().slice(11, 19)}] ${m}\n`); };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---- orders: new and repeat customers, 1–3 lines of the catalogue -------------------------------------------------
let seq = 0;
const unitsBySku = new Map<string, number>();
function nextOrder(skus: string[]): Record<string, unknown> {
  seq += 1;
  const isNew = (seq * 37) % 100 < NEW_PCT;
  const email = isNew ? `new-${process.pid}-${seq}@example.test` : `repeat-${seq % 15}@example.test`;
  const lines: LineSpec[] = [];
  const n = 1 + (seq % 3);
  for (let i = 0; i < n; i++) {
    const sku = skus[(seq + i * 2) % skus.length] ?? 'TSHIRT-PLAIN';
    if (lines.some((l) => l.sku === sku)) continue;
    lines.push({ sku, qty: 1 + ((seq + i) % 3), unit: 1000 + 99 * ((seq + i) % 7) });
  }
  return orderBody(lines, { email });
}

class Producer {
  created = 0;
  failed = 0;
  private stopped = false;
  private paused = false;
  done: Promise<void>;
  constructor(private stack: BenchStack, private skus: string[], rate: number) {
    this.done = this.run(rate);
  }
  pause(p: boolean): void { this.paused = p; }
  stop(): void { this.stopped = true; }
  private async one(): Promise<void> {
    const body = nextOrder(this.skus);
    for (let attempt = 0; attempt < 20 && !this.stopped; attempt++) {
      try {
        await this.stack.createOrder(body);
        this.created += 1;
        for (const l of body['line_items'] as Array<{ sku: string; quantity: number }>) unitsBySku.set(l.sku, (unitsBySku.get(l.sku) ?? 0) + l.quantity);
        return;
      } catch (e) {
        this.failed += 1;
        if (attempt === 0) log(`order create failed (retrying): ${e instanceof Error ? e.message.slice(0, 120) : String(e)}`);
        await sleep(1000);
      }
    }
  }
  private async run(rate: number): Promise<void> {
    const inflight = new Set<Promise<void>>();
    const t0 = Date.now();
    for (let i = 0; i < N && !this.stopped; i++) {
      while (this.paused && !this.stopped) await sleep(200);
      const wait = t0 + (i * 1000) / rate - Date.now();
      if (wait > 0) await sleep(wait);
      while (inflight.size >= 4) await Promise.race(inflight);
      const p = this.one().finally(() => inflight.delete(p));
      inflight.add(p);
    }
    await Promise.all(inflight);
  }
}

// ---- sidecars ------------------------------------------------------------------------------------------------------
class Sidecars {
  live: ChildProcess[] = [];
  started = 0;
  constructor(private stack: BenchStack, private erp: BenchErp) {}
  start(): ChildProcess {
    this.started += 1;
    const c = this.stack.startSidecar({
      erp: { ...this.erp.sidecar, timeout_ms: 15_000 },
      worker: { lease_seconds: LEASE_S, batch: 20, wait_seconds: 2, max_attempts: MAX_ATTEMPTS },
      retry: { base_ms: 500, max_ms: 15_000 },
      circuit: { failure_threshold: 5, open_ms: 10_000 },
    });
    this.live.push(c);
    return c;
  }
  async stop(c: ChildProcess, signal: NodeJS.Signals): Promise<void> {
    this.live = this.live.filter((x) => x !== c);
    if (c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => { c.once('exit', () => resolve()); c.kill(signal); });
  }
  /** Restarts any sidecar that died on its own (counted: a crash is a finding). */
  crashed(): number {
    const dead = this.live.filter((c) => c.exitCode !== null || c.signalCode !== null);
    this.live = this.live.filter((c) => !dead.includes(c));
    return dead.length;
  }
}

// ---- the run -------------------------------------------------------------------------------------------------------
interface PhaseReport { name: string; duration_s: number; what: string; orders_created: number; erp_faults?: FaultCounts; outbox_after?: Record<string, number> }

const tRun = Date.now();
const ERP_KIND = erpKindArg();
const { stack, erp }: { stack: BenchStack; erp: BenchErp } = ERP_KIND === 'odoo'
  ? await startOdooBenchStack('benchfaults', 8, 7)
  : await startBenchStack('benchfaults', 18390);
await runOnStack(stack, log, async () => {
    const mu = join(stack.site.path, 'wp-content', 'mu-plugins');
    mkdirSync(mu, { recursive: true });
    symlinkSync(join(ROOT, 'tests', 'wp', 'syncline-test-helper', 'fault-toggle.php'), join(mu, 'syncline-test-faults.php'));
    const sidecars = new Sidecars(stack, erp);
    const producer = new Producer(stack, erp.skus, RATE);
    const faults: PhaseReport[] = [];
    const crashes: number[] = [];
    const phase = async (name: string, what: string, work: () => Promise<string | void>, policy?: Partial<FaultPolicy>): Promise<void> => {
      const t0 = Date.now();
      const before = producer.created;
      log(`phase ${name}: ${what}`);
      if (policy) erp.faults.set(policy);
      const extra = await work();
      erp.faults.set({});
      const dead = sidecars.crashed();
      if (dead > 0) { crashes.push(dead); sidecars.start(); }
      faults.push({
        name, duration_s: Number(((Date.now() - t0) / 1000).toFixed(1)), what: extra ? `${what}; ${extra}` : what,
        orders_created: producer.created - before, ...(policy ? { erp_faults: erp.faults.snapshot() } : {}), outbox_after: stack.countByState(),
      });
    };
    const ackFault = (when: string): Promise<Record<string, unknown>> => stack.testApi('POST', '/faults/ack', { when });
    let acksFailed = 0;

    sidecars.start();
    await phase('baseline', `one sidecar, no faults, ${P.baseline} s`, () => sleep(P.baseline * 1000));
    await phase('sigkill_x3', `the sidecar SIGKILLed 3 times, ${P.killEvery} s apart, restarted at once`, async () => {
      for (let k = 0; k < 3; k++) {
        await sleep(P.killEvery * 1000);
        const c = sidecars.live[0];
        if (c) await sidecars.stop(c, 'SIGKILL');
        sidecars.start();
      }
    });
    await phase('erp_down', `the ERP refused every connection for ${P.outage} s`, async () => {
      await erp.down(true);
      await sleep(P.outage * 1000);
      await erp.down(false);
    });
    await phase('slow_writes', `every ERP write delayed ${LEASE_S + 2} s (lease ${LEASE_S} s, client timeout 15 s) for at least ${P.slow} s and ${SLOW_WRITES} writes`,
      async () => {
        // After the outage the engine may still be backing off: a fixed window then slows only a few writes.
        const t0 = Date.now();
        await sleep(P.slow * 1000);
        while (erp.faults.counts.delayed < SLOW_WRITES && Date.now() - t0 < 4 * P.slow * 1000) await sleep(1000);
        return `${erp.faults.counts.delayed} writes slowed in ${Math.round((Date.now() - t0) / 1000)} s`;
      }, { postDelayMs: (LEASE_S + 2) * 1000 });
    await phase('timeout_after_commit', `every ${P.tacEvery}th create committed, its response dropped, for ${P.tac} s`,
      () => sleep(P.tac * 1000), { timeoutAfterCommitEvery: P.tacEvery });
    await phase('erp_429', `every ${P.tooManyEvery}rd ERP call answered 429 Retry-After: ${P.retryAfter} for ${P.tooMany} s`,
      () => sleep(P.tooMany * 1000), { tooManyEvery: P.tooManyEvery, retryAfterS: P.retryAfter });
    await phase('ack_500', 'WordPress answers 500 to one ack before applying it, then to one ack after applying it', async () => {
      const fired: string[] = [];
      for (const when of ['before', 'after']) {
        await ackFault(when);
        const t0 = Date.now();
        while (Date.now() - t0 < 30_000 && String((await ackFault('status'))['armed']) !== '') await sleep(500);
        const status = await ackFault('status');
        // The fault is taken once and `fired` names it: still armed after 30 s means no ack reached WordPress where the toggle looks.
        if (String(status['armed']) === '' && String(status['fired'] ?? '').startsWith(when)) acksFailed += 1;
        fired.push(String(status['armed']) === '' ? String(status['fired'] ?? '') : `${when}: not fired in 30 s`);
        await ackFault('disarm');
      }
      return `fired: ${fired.join(', ')}`;
    });
    const dbWhose = ERP_KIND === 'odoo' ? 'WordPress\'s database server; Odoo\'s PostgreSQL kept running' : 'WordPress\'s and the ERP\'s database server';
    await phase('mariadb_restart', `MariaDB stopped for ${P.dbDown} s, then started (${dbWhose})`, async () => {
      producer.pause(true);
      const t0 = Date.now();
      dbStop();
      await sleep(P.dbDown * 1000);
      await dbStart();
      const downS = ((Date.now() - t0) / 1000).toFixed(1);
      producer.pause(false);
      await sleep(15_000);
      return `database unavailable ${downS} s`;
    });
    await phase('two_sidecars', `a second sidecar runs beside the first for ${P.dual} s, then stops (SIGTERM)`, async () => {
      const second = sidecars.start();
      await sleep(P.dual * 1000);
      await sidecars.stop(second, 'SIGTERM');
    });

    log(`waiting for the producer (${producer.created}/${N} created)`);
    await producer.done;
    const tDrain = Date.now();
    let drained = true;
    try {
      await stack.waitFor('outbox drained', () => { const s = stack.countByState(); return !s['pending'] && !s['leased']; }, P.drain * 1000);
    } catch (e) {
      drained = false;
      log(e instanceof Error ? e.message : String(e));
    }
    log(`drain took ${((Date.now() - tDrain) / 1000).toFixed(1)} s; auditing the ERP and WooCommerce`);
    await sidecars.stop(sidecars.live[0] as ChildProcess, 'SIGTERM');
    erp.faults.set({});
    const a = await audit(erp.reader, stack.site.db, unitsBySku);
    console.log(JSON.stringify({
      bench: 'faults', erp: erp.label,
      woocommerce: stack.site.wcVersion.includes('standin') ? 'stand-in' : stack.site.wcVersion,
      orders: a.orders, lost: a.lost, erp_duplicates: a.erp_duplicates, stock_double_counted: a.stock_double_counted, needs_human: a.needs_human,
      faults, run_s: Math.round((Date.now() - tRun) / 1000),
      drained, drain_s: Number(((Date.now() - tDrain) / 1000).toFixed(1)), sidecars_started: sidecars.started, sidecar_crashes: crashes.reduce((s, c) => s + c, 0),
      ack_500_fired: acksFailed, order_create_retries: producer.failed, settings: { lease_s: LEASE_S, max_attempts: MAX_ATTEMPTS, rate_per_s: Number(RATE.toFixed(2)) },
      details: a.details,
    }));
});
