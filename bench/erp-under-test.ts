/**
 * The ERP a benchmark pushes to, from the stack (tests/ts/support/stack.ts): a real Dolibarr 20.0.2 behind the
 * fault-injecting proxy by default, the Dolibarr stand-in without ../shared/realstack (or with
 * SYNCLINE_BENCH_ERP=standin). Adds what a benchmark needs on top: one fault switch deciding every call
 * (bench/erp-faults.ts), the ERP refusing connections, and the API for the audit and the ceiling client.
 */
import type { Fault } from '../tests/ts/support/fault-proxy.js';
import { DEFAULT_SKUS, Stack } from '../tests/ts/support/stack.js';
import type { ErpApi } from './erp-audit.js';
import { FaultSwitch, type Verdict } from './erp-faults.js';

export interface BenchErp {
  /** For the JSON line, e.g. `dolibarr 20.0.2`. */
  label: string;
  /** The `erp` part of the sidecar's config. */
  sidecar: { url: string; api_key: string };
  /** The same ERP for the audit and the ceiling client (the switch lets every call pass once the faults are off). */
  direct: ErpApi;
  faults: FaultSwitch;
  /** ERP product refs the orders may use. */
  skus: string[];
  /** The ERP refuses connections (real: the proxy closes its port) or accepts them again. */
  down(on: boolean): Promise<void>;
}

/** Where the stack's ERP decides faults: the proxy's (real) or the stand-in's `takeFault`. */
interface FaultHook { takeFault(method: string, path: string): Fault | undefined }
interface Hooked { proxy?: FaultHook & { refuse(on: boolean): Promise<void> }; fake?: FaultHook }

function asFault(v: Exclude<Verdict, { kind: 'pass' }>): Fault {
  if (v.kind === 'too_many') return { kind: 'status', status: 429, headers: { 'Retry-After': String(v.retryAfterS) } };
  return v.kind === 'delay' ? { kind: 'delay', ms: v.ms } : { kind: v.kind };
}

/** Starts the stack for a benchmark, its ERP holding the catalogue with plenty of stock. */
export async function startBenchStack(name: string, port: number, skus: string[] = DEFAULT_SKUS): Promise<{ stack: Stack; erp: BenchErp }> {
  const stack = await Stack.start({ name, port, products: [], ...(process.env.SYNCLINE_BENCH_ERP === 'standin' ? { erp: 'standin' as const } : {}) });
  await stack.erp.addProducts(skus, 1_000_000);
  const hooked = stack.erp as unknown as Hooked;
  const hook = hooked.proxy ?? hooked.fake;
  if (!hook) throw new Error('the stack\'s ERP exposes no fault hook (proxy or fake)');
  const faults = new FaultSwitch();
  const original = hook.takeFault.bind(hook);
  hook.takeFault = (method, path) => {
    const v = faults.decide(method, path);
    return v.kind === 'pass' ? original(method, path) : asFault(v);
  };
  const api = { url: stack.erp.url, key: stack.erp.apiKey };
  const erp: BenchErp = {
    label: stack.erp.kind === 'dolibarr' ? stack.erp.label : 'dolibarr stand-in', sidecar: { url: api.url, api_key: api.key }, direct: api, faults, skus,
    down: (on) => {
      if (hooked.proxy) return hooked.proxy.refuse(on);
      faults.policy.down = on;
      return Promise.resolve();
    },
  };
  return { stack, erp };
}
