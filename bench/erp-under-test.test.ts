/**
 * The benchmarks' fault seam (bench/erp-under-test.ts `hookSwitch`): a benchmark's own rules (`intercept`, the books
 * benchmark's every-Nth plans) decide first, told what the call is by the ERP's classifier (Dolibarr's method and
 * path, Odoo's JSON-RPC body); what they let pass meets the fault switch, and what both let pass the hook's own.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Fault } from '../tests/ts/support/fault-proxy.js';
import { dolibarrCall, odooCall } from './erp-faults.js';
import { hookSwitch, type ErpCall, type FaultHook } from './erp-under-test.js';

function hook(): FaultHook & { passed: string[] } {
  const passed: string[] = [];
  return { passed, takeFault: (method, path) => { passed.push(`${method} ${path}`); return undefined; } };
}

test('the rules decide first; the switch counts only the calls they let pass; the hook gets the rest', () => {
  const h = hook();
  const { faults, intercept } = hookSwitch(h, dolibarrCall);
  faults.set({ tooManyEvery: 2, retryAfterS: 1 });
  const seen: ErpCall[] = [];
  intercept((c) => { seen.push(c); return c.create ? { kind: 'deadlock' } : undefined; });
  assert.deepEqual(h.takeFault('POST', '/api/index.php/orders'), { kind: 'deadlock' });
  assert.equal(h.takeFault('GET', '/api/index.php/orders'), undefined);
  assert.deepEqual(h.takeFault('POST', '/api/index.php/orders/7/validate'), { kind: 'status', status: 429, headers: { 'Retry-After': '1' } });
  assert.deepEqual(h.passed, ['GET /api/index.php/orders']);
  assert.deepEqual(seen.map((c) => [c.method, c.path, c.write, c.create]), [
    ['POST', '/api/index.php/orders', true, true], ['GET', '/api/index.php/orders', false, false], ['POST', '/api/index.php/orders/7/validate', true, false],
  ]);
  assert.equal(faults.counts.too_many, 1);
  // A new rule set replaces the old one; none left lets every call through to the switch (off) and the hook.
  faults.set({});
  intercept(() => undefined);
  assert.equal(h.takeFault('POST', '/api/index.php/orders'), undefined);
  assert.equal(h.passed.length, 2);
});

test('on Odoo the rules see the write the JSON-RPC body names', () => {
  const h = hook();
  const { intercept } = hookSwitch(h, odooCall);
  const rpc = (model: string, method: string): unknown => ({ jsonrpc: '2.0', method: 'call', params: { service: 'object', method: 'execute_kw', args: ['db', 2, 'key', model, method, [[]]] } });
  const lost: Fault = { kind: 'timeout_after_commit' };
  intercept((c) => (c.write ? lost : undefined));
  assert.deepEqual(h.takeFault('POST', '/jsonrpc', rpc('sale.order', 'create')), lost);
  assert.deepEqual(h.takeFault('POST', '/jsonrpc', rpc('sale.order', 'action_confirm')), lost);
  assert.equal(h.takeFault('POST', '/jsonrpc', rpc('sale.order', 'search_read')), undefined);
  assert.deepEqual(h.passed, ['POST /jsonrpc']);
});
