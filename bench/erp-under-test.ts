/**
 * The ERP a benchmark pushes to: where the sidecar talks (through the fault switch) and where the audit and the
 * ceiling client read and write (around the faults). By default a real Dolibarr 20.0.2 (scripts/env/dolibarr.ts)
 * behind the fault-injecting proxy (tests/ts/support/fault-proxy.ts); the Dolibarr stand-in of
 * tests/ts/support/stack.ts when ../shared/realstack is absent or SYNCLINE_BENCH_ERP=standin.
 */
import { startDolibarr } from '../scripts/env/dolibarr.js';
import { realstack } from '../scripts/env/realstack.js';
import { startFaultProxy } from '../tests/ts/support/fault-proxy.js';
import { DEFAULT_SKUS, type Stack } from '../tests/ts/support/stack.js';
import type { ErpApi } from './erp-audit.js';
import { FaultSwitch, type Verdict } from './erp-faults.js';

export interface ErpUnderTest {
  /** For the JSON line, e.g. `dolibarr 20.0.2`. */
  label: string;
  /** The `erp` part of the sidecar's config. */
  sidecar: { url: string; api_key: string };
  /** The ERP without faults, for the audit and the ceiling client. */
  direct: ErpApi;
  faults: FaultSwitch;
  /** ERP product refs the orders may use. */
  skus: string[];
  /** The ERP refuses connections (real: the proxy closes its port) or accepts them again. */
  down(on: boolean): Promise<void>;
  stop(): Promise<void>;
}

/** A switch verdict in the fault vocabulary shared by the stand-in and the proxy. */
function asFault(v: Exclude<Verdict, { kind: 'pass' }>): { kind: 'status'; status: number; headers: Record<string, string> } | { kind: 'delay'; ms: number } | { kind: 'down' | 'timeout_after_commit' } {
  if (v.kind === 'too_many') return { kind: 'status', status: 429, headers: { 'Retry-After': String(v.retryAfterS) } };
  return v.kind === 'delay' ? { kind: 'delay', ms: v.ms } : { kind: v.kind };
}

export function standInErp(stack: Stack): ErpUnderTest {
  const faults = new FaultSwitch();
  const original = stack.erp.takeFault.bind(stack.erp);
  stack.erp.takeFault = (method, path) => {
    const v = faults.decide(method, path);
    return v.kind === 'pass' ? original(method, path) : asFault(v);
  };
  const key = 'test-dolibarr-key';
  return {
    label: 'dolibarr stand-in', sidecar: { url: stack.erp.url, api_key: key }, direct: { url: stack.erp.url, key },
    faults, skus: DEFAULT_SKUS, down: (on) => { faults.policy.down = on; return Promise.resolve(); }, stop: () => Promise.resolve(),
  };
}

/** A real Dolibarr 20.0.2 on SYNCLINE_DOLIBARR_PORT, fresh, with the catalogue in stock, behind the fault proxy. */
export async function realErp(name: string, skus: string[] = DEFAULT_SKUS): Promise<ErpUnderTest> {
  const dolibarr = await startDolibarr({ name, port: Number(process.env.SYNCLINE_DOLIBARR_PORT ?? 18091) });
  await dolibarr.reset();
  await dolibarr.addProducts(skus, 1_000_000);
  const proxy = await startFaultProxy({ target: dolibarr.url });
  const faults = new FaultSwitch();
  const original = proxy.takeFault.bind(proxy);
  proxy.takeFault = (method, path) => {
    const v = faults.decide(method, path);
    return v.kind === 'pass' ? original(method, path) : asFault(v);
  };
  return {
    label: `dolibarr ${dolibarr.version}`, sidecar: { url: proxy.url, api_key: dolibarr.apiKey }, direct: { url: dolibarr.url, key: dolibarr.apiKey },
    faults, skus, down: (on) => proxy.refuse(on),
    stop: async () => { await proxy.stop(); await dolibarr.stop(); },
  };
}

/** The ERP for this stack: the real Dolibarr when the archives are there (unless SYNCLINE_BENCH_ERP=standin). */
export async function erpUnderTest(stack: Stack): Promise<ErpUnderTest> {
  if (process.env.SYNCLINE_BENCH_ERP !== 'standin' && (await realstack())) return realErp(`${stack.name}-erp`);
  process.stderr.write('[bench] no ../shared/realstack (or SYNCLINE_BENCH_ERP=standin): the ERP is the Dolibarr stand-in\n');
  return standInErp(stack);
}
