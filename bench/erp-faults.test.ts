/**
 * The faults benchmark's ERP seam (bench/erp-faults.ts, bench/erp-audit.ts) on Odoo: every JSON-RPC call is
 * `POST /jsonrpc`, so what a call is comes from its body. On the requests recorded from the real Odoo 17.0
 * (../shared/fixtures/odoo/): a read is never slowed, only `sale.order.create` loses its response after the
 * commit (a partner or product create, or `action_confirm`, does not), 429 hits every Nth call of any kind; and
 * the audit's Odoo reader finds orders by `origin`, counts only confirmed ones and sums stock moves per product ref.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { z } from 'zod';
import { odooAuditReader } from './erp-audit.js';
import { FaultSwitch, dolibarrCall, odooCall } from './erp-faults.js';

/** The recorded request of `shared/fixtures/odoo/<file>` in the nearest ancestor that has it. */
function recorded(file: string): { method: string; path: string; body: unknown } {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'fixtures', 'odoo', file);
    if (existsSync(candidate)) {
      return z.object({ request: z.object({ method: z.string(), path: z.string(), body: z.unknown() }) }).parse(JSON.parse(readFileSync(candidate, 'utf8'))).request;
    }
    if (dirname(dir) === dir) throw new Error(`no shared/fixtures/odoo/${file} above this file (the recorded Odoo answers, ../shared)`);
  }
}
const kind = (file: string): ReturnType<typeof odooCall> => { const r = recorded(file); return odooCall(r.method, r.path, r.body); };

test('Odoo calls are told apart by their JSON-RPC body', () => {
  assert.deepEqual(kind('07_create_sale_order.json'), { write: true, create: true });
  assert.deepEqual(kind('06_create_customer.json'), { write: true, create: false });
  assert.deepEqual(kind('03_create_product.json'), { write: true, create: false });
  assert.deepEqual(kind('08_confirm_order.json'), { write: true, create: false });
  assert.deepEqual(kind('09_search_order_by_client_ref.json'), { write: false, create: false });
  assert.deepEqual(kind('00_version.json'), { write: false, create: false });
  assert.deepEqual(kind('01_authenticate.json'), { write: false, create: false });
  // Dolibarr's REST says it by method and path.
  assert.deepEqual(dolibarrCall('POST', '/api/index.php/orders'), { write: true, create: true });
  assert.deepEqual(dolibarrCall('POST', '/api/index.php/orders/7/validate'), { write: true, create: false });
  assert.deepEqual(dolibarrCall('GET', '/api/index.php/orders'), { write: false, create: false });
});

test('on Odoo the slow-writes phase slows writes only, and only sales-order creates lose their response', () => {
  const f = new FaultSwitch();
  f.set({ postDelayMs: 12_000 });
  assert.deepEqual(f.decide(kind('09_search_order_by_client_ref.json')), { kind: 'pass' });
  assert.deepEqual(f.decide(kind('08_confirm_order.json')), { kind: 'delay', ms: 12_000 });
  f.set({ timeoutAfterCommitEvery: 2 });
  const verdicts = ['06_create_customer.json', '07_create_sale_order.json', '08_confirm_order.json', '07_create_sale_order.json', '07_create_sale_order.json']
    .map((file) => f.decide(kind(file)).kind);
  assert.deepEqual(verdicts, ['pass', 'pass', 'pass', 'timeout_after_commit', 'pass']);
  f.set({ tooManyEvery: 3, retryAfterS: 2 });
  const calls = ['09_search_order_by_client_ref.json', '00_version.json', '09_search_order_by_client_ref.json'].map((file) => f.decide(kind(file)));
  assert.deepEqual(calls[2], { kind: 'too_many', retryAfterS: 2 });
  assert.deepEqual(f.snapshot(), { dropped: 0, delayed: 1, timeout_after_commit: 1, too_many: 1 });
});

test("the audit's Odoo reader: orders by origin, confirmed ones counted, stock moves per product ref", async () => {
  const asked: string[] = [];
  const reader = odooAuditReader((model, method, args) => {
    asked.push(`${model}.${method} ${JSON.stringify(args)}`);
    if (model === 'sale.order') {
      return Promise.resolve([
        { id: 1, origin: 'syncline:aaa', state: 'sale' }, { id: 2, origin: 'syncline:bbb', state: 'draft' },
        { id: 3, origin: 'syncline:bbb', state: 'cancel' }, { id: 4, origin: 'syncline:ccc', state: 'done' },
      ]);
    }
    if (model === 'stock.move') return Promise.resolve([{ product_id: [10, '[TSHIRT-PLAIN] T'], product_uom_qty: 2 }, { product_id: [10, '[TSHIRT-PLAIN] T'], product_uom_qty: 1 }, { product_id: [11, 'Mug'], product_uom_qty: 4 }]);
    if (model === 'product.product') return Promise.resolve([{ id: 10, default_code: 'TSHIRT-PLAIN' }, { id: 11, default_code: false }]);
    return Promise.reject(new Error(`unexpected ${model}.${method}`));
  });
  assert.equal(reader.keyOf('aaa'), 'syncline:aaa');
  assert.deepEqual((await reader.orders()).map((o) => [o.id, o.key, o.validated]),
    [[1, 'syncline:aaa', true], [2, 'syncline:bbb', false], [3, 'syncline:bbb', false], [4, 'syncline:ccc', true]]);
  assert.deepEqual([...await reader.unitsMoved(new Set([1, 4]))], [['TSHIRT-PLAIN', 3], ['#11', 4]]);
  assert.match(asked.find((a) => a.startsWith('stock.move')) ?? '', /"sale_line_id.order_id","in",\[1,4\]\].*"state","!=","cancel"/);
  assert.deepEqual([...await reader.unitsMoved(new Set())], []);
});
