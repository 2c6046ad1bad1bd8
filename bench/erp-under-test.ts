/**
 * The ERP a benchmark pushes to, and the stack around it. Dolibarr (tests/ts/support/stack.ts): a real Dolibarr
 * 20.0.2 behind the fault-injecting proxy by default, the Dolibarr stand-in without ../shared/realstack (or with
 * SYNCLINE_BENCH_ERP=standin). Odoo (`--erp odoo`, tests/ts/support/odoo-stack.ts): a real Odoo 17.0 behind the
 * same proxy in front of its /jsonrpc. Adds what a benchmark needs on top: one fault switch deciding every call
 * (bench/erp-faults.ts, told what a call is by the ERP's own classifier), the ERP refusing connections, and the
 * reader the audit counts with (bench/erp-audit.ts).
 */
import type { ChildProcess } from 'node:child_process';
import type { Site } from '../scripts/env/wp-env.js';
import { startFaultProxy, type Fault, type RecordedCall } from '../tests/ts/support/fault-proxy.js';
import { OdooStack } from '../tests/ts/support/odoo-stack.js';
import { DEFAULT_SKUS, Stack } from '../tests/ts/support/stack.js';
import { dolibarrAuditReader, odooAuditReader, type ErpApi, type ErpAuditReader } from './erp-audit.js';
import { FaultSwitch, dolibarrCall, odooCall, type CallKind, type Verdict } from './erp-faults.js';

export type BenchErpKind = 'dolibarr' | 'odoo';

export interface BenchErp {
  /** For the JSON line, e.g. `dolibarr 20.0.2`, `odoo 17.0`. */
  label: string;
  /** The `erp` part of the sidecar's config (merged over the stack's own). */
  sidecar: Record<string, unknown>;
  /** What the audit reads in the ERP (directly: the switch lets every call pass once the faults are off). */
  reader: ErpAuditReader;
  faults: FaultSwitch;
  /** ERP product refs the orders may use. */
  skus: string[];
  /** The ERP refuses connections (real: the proxy closes its port) or accepts them again. */
  down(on: boolean): Promise<void>;
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
  waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Where the stack's ERP decides faults: the proxy's (real) or the stand-in's `takeFault`. */
interface FaultHook { takeFault(method: string, path: string, body?: unknown): Fault | undefined }
interface Hooked { proxy?: FaultHook & { refuse(on: boolean): Promise<void> }; fake?: FaultHook }

function asFault(v: Exclude<Verdict, { kind: 'pass' }>): Fault {
  if (v.kind === 'too_many') return { kind: 'status', status: 429, headers: { 'Retry-After': String(v.retryAfterS) } };
  return v.kind === 'delay' ? { kind: 'delay', ms: v.ms } : { kind: v.kind };
}

/** The switch decides first; what it lets pass meets the hook's own faults (a test's, none in a benchmark). */
function hookSwitch(hook: FaultHook, classify: (method: string, path: string, body: unknown) => CallKind): FaultSwitch {
  const faults = new FaultSwitch();
  const original = hook.takeFault.bind(hook);
  hook.takeFault = (method, path, body) => {
    const v = faults.decide(classify(method, path, body));
    return v.kind === 'pass' ? original(method, path, body) : asFault(v);
  };
  return faults;
}

/** Starts the Dolibarr stack for a benchmark, its ERP holding the catalogue with plenty of stock. */
export async function startBenchStack(name: string, port: number, skus: string[] = DEFAULT_SKUS): Promise<{ stack: Stack; erp: DolibarrBenchErp }> {
  const stack = await Stack.start({ name, port, products: [], ...(process.env.SYNCLINE_BENCH_ERP === 'standin' ? { erp: 'standin' as const } : {}) });
  await stack.erp.addProducts(skus, 1_000_000);
  const hooked = stack.erp as unknown as Hooked;
  const hook = hooked.proxy ?? hooked.fake;
  if (!hook) throw new Error('the stack\'s ERP exposes no fault hook (proxy or fake)');
  const faults = hookSwitch(hook, dolibarrCall);
  const api = { url: stack.erp.url, key: stack.erp.apiKey };
  const erp: DolibarrBenchErp = {
    label: stack.erp.kind === 'dolibarr' ? stack.erp.label : 'dolibarr stand-in', sidecar: { url: api.url, api_key: api.key }, direct: api,
    reader: dolibarrAuditReader(api), faults, skus,
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
  const erp: BenchErp & { calls: RecordedCall[] } = {
    calls: proxy.calls,
    label: `odoo ${stack.odoo.version.replace(/-.*$/, '')}`, sidecar: { url: proxy.url.replace(/\/+$/, '') },
    reader: odooAuditReader((model, method, args, kwargs) => stack.odoo.call(model, method, args, kwargs)),
    faults: hookSwitch(proxy, odooCall), skus, down: (on) => proxy.refuse(on),
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
