/**
 * The ERP a benchmark pushes to: where the sidecar talks (through the fault switch) and where the audit and the
 * ceiling client read and write (around the faults). Today: the Dolibarr stand-in of tests/ts/support/stack.ts,
 * its fault hook driven by the switch.
 */
import { DEFAULT_SKUS, type Stack } from '../tests/ts/support/stack.js';
import type { ErpApi } from './erp-audit.js';
import { FaultSwitch } from './erp-faults.js';

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
  stop(): Promise<void>;
}

export function standInErp(stack: Stack): ErpUnderTest {
  const faults = new FaultSwitch();
  const original = stack.erp.takeFault.bind(stack.erp);
  stack.erp.takeFault = (method, path) => {
    const v = faults.decide(method, path);
    if (v.kind === 'pass') return original(method, path);
    if (v.kind === 'too_many') return { kind: 'status', status: 429, headers: { 'Retry-After': String(v.retryAfterS) } };
    return v.kind === 'delay' ? { kind: 'delay', ms: v.ms } : { kind: v.kind };
  };
  const key = 'test-dolibarr-key';
  return {
    label: 'dolibarr stand-in', sidecar: { url: stack.erp.url, api_key: key }, direct: { url: stack.erp.url, key },
    faults, skus: DEFAULT_SKUS, stop: () => Promise.resolve(),
  };
}

/** The ERP for this stack. */
export function erpUnderTest(stack: Stack): Promise<ErpUnderTest> {
  return Promise.resolve(standInErp(stack));
}
