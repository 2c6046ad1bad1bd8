/**
 * The harness's ERP is the real Dolibarr 20.0.2 (scripts/env/dolibarr.ts) behind the fault proxy: it answers as
 * the realstack README records, a reset gives a clean install, and a fault that drops the answer after the
 * commit leaves Dolibarr's own state changed. Skipped where ../shared/realstack is absent (stand-in fallback).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { realstack } from '../../../scripts/env/realstack.js';
import { startErp, type ErpUnderTest } from '../support/erp.js';

const real = (await realstack()) !== null;

describe('the real Dolibarr behind the fault proxy', { skip: !real && 'no ../shared/realstack: stand-in fallback' }, () => {
  let erp: ErpUnderTest;
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    const r = await fetch(`${erp.url}${path}`, {
      method, headers: { DOLAPIKEY: erp.apiKey, Accept: 'application/json', 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    return { status: r.status, json: text === '' ? null : JSON.parse(text) as unknown };
  };

  before(async () => {
    erp = await startErp({ kind: 'dolibarr', name: `${process.env.SYNCLINE_STACK_PREFIX ?? ''}stack`, products: ['REAL-A'] });
  });
  after(async () => erp?.stop());

  it('is Dolibarr 20.0.2 in production mode, with the product the test asked for', async () => {
    const s = await call('GET', '/status');
    assert.equal(s.status, 200);
    const success = (s.json as { success: Record<string, unknown> }).success;
    assert.equal(success['dolibarr_version'], '20.0.2');
    assert.equal(success['environment'], undefined, "$dolibarr_main_prod = '1': no 'non-production' marker");
    assert.equal(erp.label, 'dolibarr 20.0.2');
    assert.equal(erp.stock('REAL-A'), 100);
  });

  it('answers 404 to a thirdparty search that matches nothing, 200 [] to an order search (issue 7)', async () => {
    const tp = await call('GET', `/thirdparties?sqlfilters=${encodeURIComponent("(t.ref_ext:=:'nobody')")}`);
    assert.equal(tp.status, 404);
    const orders = await call('GET', `/orders?sqlfilters=${encodeURIComponent("(t.ref_client:=:'nobody')")}`);
    assert.equal(orders.status, 200);
    assert.deepEqual(orders.json, []);
  });

  it('keeps country_id, ignores country_code on POST /thirdparties', async () => {
    const a = Number((await call('POST', '/thirdparties', { name: 'With id', client: 1, code_client: 'auto', country_id: 1 })).json);
    const b = Number((await call('POST', '/thirdparties', { name: 'With code', client: 1, code_client: 'auto', country_code: 'FR' })).json);
    const byId = new Map(erp.thirdparties().map((t) => [t.id, t]));
    assert.equal(byId.get(a)?.country_id, 1);
    assert.equal(byId.get(b)?.country_id, null);
  });

  it('timeout_after_commit: the client gets no answer, the order is in Dolibarr all the same', async () => {
    const socid = await erp.addCustomer('real@example.test');
    erp.faults.push({ match: { method: 'POST', path: /\/orders$/ }, kind: 'timeout_after_commit' });
    await assert.rejects(call('POST', '/orders', { socid, ref_client: 'REAL-1', date: Math.floor(Date.now() / 1000), lines: [] }));
    assert.equal(erp.orderCountsByRefClient()['REAL-1'], 1);
    assert.equal(erp.findOrderByRefClient('REAL-1')?.statut, 0, 'a draft');
  });

  it('reset gives a clean install back', async () => {
    await erp.reset();
    assert.deepEqual(erp.orders(), []);
    assert.deepEqual(erp.thirdparties(), []);
    assert.equal((await call('GET', '/status')).status, 200, 'the API key still works');
  });
});
