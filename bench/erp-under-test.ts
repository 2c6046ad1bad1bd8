/**
 * The ERP a benchmark pushes to, and the stack around it. Dolibarr (tests/ts/support/stack.ts): a real Dolibarr
 * 20.0.2 behind the fault-injecting proxy by default, the Dolibarr stand-in without ../shared/realstack (or with
 * SYNCLINE_BENCH_ERP=standin). Odoo (`--erp odoo`, tests/ts/support/odoo-stack.ts): a real Odoo 17.0 behind the
 * same proxy in front of its /jsonrpc. Adds what a benchmark needs on top: one fault switch deciding every call
 * (bench/erp-faults.ts, told what a call is by the ERP's own classifier), a benchmark's own fault rules in front of
 * it (`intercept`), the ERP refusing connections, the reader the audit counts with (bench/erp-audit.ts), and the
 * ERP's side of the books benchmark (`books`: its finance settings, the payment mapping, the books reader).
 */
import type { ChildProcess } from 'node:child_process';
import type { Site } from '../scripts/env/wp-env.js';
import { readDolibarrBooks, type ErpBooks } from '../tests/ts/support/books-audit.js';
import { readOdooBooks, type OdooCall } from '../tests/ts/support/books-audit-odoo.js';
import { startFaultProxy, type Fault, type RecordedCall } from '../tests/ts/support/fault-proxy.js';
import { RATES } from '../tests/ts/support/lifecycle.js';
import { OdooStack } from '../tests/ts/support/odoo-stack.js';
import { DEFAULT_SKUS, Stack } from '../tests/ts/support/stack.js';
import { dolibarrAuditReader, odooAuditReader, type ErpApi, type ErpAuditReader } from './erp-audit.js';
import { FaultSwitch, dolibarrCall, odooCall, type CallKind, type Verdict } from './erp-faults.js';

export type BenchErpKind = 'dolibarr' | 'odoo';

/** One call the sidecar makes to the ERP, as a benchmark's fault rule sees it (`write`, `create`: the ERP's classifier). */
export interface ErpCall extends CallKind { method: string; path: string }

/** The ERP's side of the books benchmark (bench/books.ts): absent on the Dolibarr stand-in, which keeps no books. */
export interface BooksErp {
  /** The ERP's side of the shop's finance settings (Odoo: sale taxes for WooCommerce's rates, the fee product); returns what the sidecar's `erp` config adds for them. */
  prepare(): Promise<Record<string, unknown>>;
  /** The admin's payment-method mapping (Syncline → Mappings), WooCommerce gateway → the ERP's value. */
  payments: { stripe: string; bacs: string };
  /** The ERP's documents for the audit, read directly (no fault), and (Odoo) payments no document accounts for. */
  read(): Promise<{ books: ErpBooks; strayPayments?: string[] }>;
}

export interface BenchErp {
  kind: BenchErpKind;
  /** For the JSON line, e.g. `dolibarr 20.0.2`, `odoo 17.0`. */
  label: string;
  /** The server's own version where the label shortens it (Odoo's `17.0-…`). */
  serverVersion?: string;
  /** The `erp` part of the sidecar's config (merged over the stack's own). */
  sidecar: Record<string, unknown>;
  /** What the audit reads in the ERP (directly: the switch lets every call pass once the faults are off). */
  reader: ErpAuditReader;
  faults: FaultSwitch;
  /** ERP product refs the orders may use. */
  skus: string[];
  /** The ERP refuses connections (real: the proxy closes its port) or accepts them again. */
  down(on: boolean): Promise<void>;
  /** Puts `decide` in front of the fault switch for every call (replacing any before it): a fault it returns is the call's, undefined lets the switch decide. */
  intercept(decide: (call: ErpCall) => Fault | undefined): void;
  books?: BooksErp;
}

/** Dolibarr's REST, for the bare ceiling client (bench/erp-ceiling.ts). */
export interface DolibarrBenchErp extends BenchErp { direct: ErpApi }

/** What a benchmark drives of the stack, on either ERP. */
export interface BenchStack {
  readonly site: Site;
  createOrder(body: Record<string, unknown>): Promise<unknown>;
  startSidecar(o: { worker?: Record<string, unknown>; erp?: Record<string, unknown>; retry?: Record<string, unknown>; circuit?: Record<string, unknown> }): ChildProcess;
  testApi(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
  countByState(): Record<string, number>;
  /** Rows of the outbox table (`id`, `state`, `last_error_code`, …). */
  events(where?: string): Array<Record<string, string>>;
  waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Where the stack's ERP decides faults: the proxy's (real) or the stand-in's `takeFault`. */
export interface FaultHook { takeFault(method: string, path: string, body?: unknown): Fault | undefined }
interface Hooked { proxy?: FaultHook & { refuse(on: boolean): Promise<void> }; fake?: FaultHook }

function asFault(v: Exclude<Verdict, { kind: 'pass' }>): Fault {
  if (v.kind === 'too_many') return { kind: 'status', status: 429, headers: { 'Retry-After': String(v.retryAfterS) } };
  return v.kind === 'delay' ? { kind: 'delay', ms: v.ms } : { kind: v.kind };
}

/**
 * A benchmark's own rules decide first, then the switch; what both let pass meets the hook's own faults (a test's,
 * none in a benchmark).
 */
export function hookSwitch(hook: FaultHook, classify: (method: string, path: string, body: unknown) => CallKind): Pick<BenchErp, 'faults' | 'intercept'> {
  const faults = new FaultSwitch();
  let rules: ((call: ErpCall) => Fault | undefined) | undefined;
  const original = hook.takeFault.bind(hook);
  hook.takeFault = (method, path, body) => {
    const kind = classify(method, path, body);
    const own = rules?.({ ...kind, method, path });
    if (own) return own;
    const v = faults.decide(kind);
    return v.kind === 'pass' ? original(method, path, body) : asFault(v);
  };
  return { faults, intercept: (decide) => { rules = decide; } };
}

/** Dolibarr 20's books: card payments and bank transfers as its payment modes CB and VIR into bank account 1. */
function dolibarrBooks(d: { url: string; apiKey: string; sql(q: string): string }): BooksErp {
  return {
    prepare: () => Promise.resolve({}), payments: { stripe: 'CB:1', bacs: 'VIR:1' },
    read: async () => ({ books: await readDolibarrBooks({ url: d.url, key: d.apiKey, sql: (q) => d.sql(q) }) }),
  };
}

/** Odoo 17's books: the shop's taxes and a fee product created in Odoo, every payment into the Bank journal. */
function odooBooks(call: OdooCall): BooksErp {
  const feeRef = 'SYNCLINE-FEE';
  return {
    prepare: async () => {
      await call('account.tax', 'create', [Object.values(RATES).flatMap((rate) => [false, true].map((inc) => (
        { name: `${rate}%${inc ? ' incl.' : ''} (books bench)`, amount: Number(rate), amount_type: 'percent', type_tax_use: 'sale', price_include: inc })))]);
      await call('product.product', 'create', [{ name: 'Fees', type: 'service', default_code: feeRef, list_price: 0, taxes_id: [[6, 0, []]], invoice_policy: 'order' }]);
      return { fee_product_ref: feeRef };
    },
    payments: { stripe: 'BNK1', bacs: 'BNK1' },
    read: () => readOdooBooks(call),
  };
}

/** Starts the Dolibarr stack for a benchmark, its ERP holding the catalogue with plenty of stock. */
export async function startBenchStack(name: string, port: number, skus: string[] = DEFAULT_SKUS): Promise<{ stack: Stack; erp: DolibarrBenchErp }> {
  const stack = await Stack.start({ name, port, products: [], ...(process.env.SYNCLINE_BENCH_ERP === 'standin' ? { erp: 'standin' as const } : {}) });
  await stack.erp.addProducts(skus, 1_000_000);
  const hooked = stack.erp as unknown as Hooked;
  const hook = hooked.proxy ?? hooked.fake;
  if (!hook) throw new Error('the stack\'s ERP exposes no fault hook (proxy or fake)');
  const { faults, intercept } = hookSwitch(hook, dolibarrCall);
  const api = { url: stack.erp.url, key: stack.erp.apiKey };
  const real = (stack.erp as unknown as { dolibarr?: { url: string; apiKey: string; sql(q: string): string } }).dolibarr;
  const erp: DolibarrBenchErp = {
    kind: 'dolibarr', label: stack.erp.kind === 'dolibarr' ? stack.erp.label : 'dolibarr stand-in', sidecar: { url: api.url, api_key: api.key }, direct: api,
    reader: dolibarrAuditReader(api), faults, intercept, skus, ...(stack.erp.kind === 'dolibarr' && real ? { books: dolibarrBooks(real) } : {}),
    down: (on) => {
      if (hooked.proxy) return hooked.proxy.refuse(on);
      faults.policy.down = on;
      return Promise.resolve();
    },
  };
  return { stack, erp };
}

/**
 * Starts the Odoo stack for a benchmark: WordPress on SYNCLINE_STACK_PORT + portOffset, Odoo instance `name` on
 * SYNCLINE_ODOO_PORT + odooPortOffset with the catalogue in stock, and the fault proxy in front of its /jsonrpc
 * (the sidecar talks to the proxy; the audit reads Odoo directly; `calls` is the proxy's log of the sidecar's
 * calls). Stopping the stack stops the proxy too.
 */
export async function startOdooBenchStack(name: string, portOffset: number, odooPortOffset: number, skus: string[] = DEFAULT_SKUS): Promise<{ stack: OdooStack; erp: BenchErp & { calls: RecordedCall[] } }> {
  const stack = await OdooStack.start({ name, portOffset, products: skus, qty: 1_000_000, odooName: name, odooPortOffset });
  const proxy = await startFaultProxy({ target: stack.odoo.url });
  const stopStack = stack.stop.bind(stack);
  stack.stop = async () => { await proxy.stop(); await stopStack(); };
  const call: OdooCall = (model, method, args, kwargs) => stack.odoo.call(model, method, args, kwargs);
  const erp: BenchErp & { calls: RecordedCall[] } = {
    kind: 'odoo', calls: proxy.calls,
    label: `odoo ${stack.odoo.version.replace(/-.*$/, '')}`, serverVersion: stack.odoo.version, sidecar: { url: proxy.url.replace(/\/+$/, '') },
    reader: odooAuditReader(call), ...hookSwitch(proxy, odooCall), skus, down: (on) => proxy.refuse(on), books: odooBooks(call),
  };
  return { stack, erp };
}

/** The stack of `--erp dolibarr|odoo` (Dolibarr without the flag). */
export function erpKindArg(argv: string[] = process.argv): BenchErpKind {
  const i = argv.indexOf('--erp');
  const v = i > 0 ? argv[i + 1] : 'dolibarr';
  if (v !== 'dolibarr' && v !== 'odoo') throw new Error(`--erp ${String(v)}: dolibarr or odoo`);
  return v;
}

/** Runs a benchmark's body on its stack, then stops the stack and exits: 1 when the body threw (`log`ged), else 0. */
export async function runOnStack(stack: { stop(): Promise<void> }, log: (m: string) => void, body: () => Promise<void>): Promise<never> {
  let exitCode = 0;
  try {
    await body();
  } catch (e) {
    log(`could not run: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    exitCode = 1;
  } finally {
    await stack.stop();
  }
  process.exit(exitCode);
}
