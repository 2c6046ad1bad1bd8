/**
 * The fault proxy (tests/ts/support/fault-proxy.ts) does to the wire what each fault says, against a small
 * upstream that counts what reached it (the "commit"): the ERP-level behaviour is Dolibarr's own in the other
 * integration tests.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';

describe('fault proxy', () => {
  let upstream: Server;
  let proxy: FaultProxy;
  const committed: Array<{ path: string; at: number }> = [];

  before(async () => {
    upstream = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        committed.push({ path: req.url ?? '', at: Date.now() });
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ echo: body, key: req.headers['dolapikey'] ?? null }));
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    proxy = await startFaultProxy({ target: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/api/index.php` });
  });
  after(async () => {
    await proxy.stop();
    await new Promise<void>((r) => upstream.close(() => r()));
  });
  beforeEach(() => { proxy.clearFaults(); proxy.setLatency(0); committed.length = 0; });

  const post = (path: string, signal?: AbortSignal): Promise<Response> =>
    fetch(`${proxy.url}${path}`, { method: 'POST', body: '{"a":1}', headers: { DOLAPIKEY: 'k', 'Content-Type': 'application/json' }, ...(signal ? { signal } : {}) });

  it('forwards method, path, headers and body, and logs the call', async () => {
    const r = await post('/orders');
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { echo: '{"a":1}', key: 'k' });
    const last = proxy.calls.at(-1);
    assert.equal(last?.path, '/api/index.php/orders');
    assert.equal(last?.status, 200);
    assert.deepEqual(committed.map((c) => c.path), ['/api/index.php/orders']);
  });

  it('status: answers 429 with Retry-After without reaching the ERP, `times` times, only on a matching request', async () => {
    proxy.faults.push({ match: { method: 'POST', path: /\/orders$/ }, kind: 'status', status: 429, headers: { 'Retry-After': '3' }, times: 2 });
    assert.equal((await post('/thirdparties')).status, 200);
    const r = await post('/orders');
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), '3');
    assert.match(JSON.stringify(await r.json()), /Too Many Requests/);
    assert.equal((await post('/orders')).status, 429);
    assert.equal((await post('/orders')).status, 200);
    assert.equal(committed.length, 2);
  });

  it('timeout_after_commit: the ERP commits, the client gets no answer', async () => {
    proxy.faults.push({ kind: 'timeout_after_commit' });
    await assert.rejects(post('/orders'));
    assert.equal(committed.length, 1);
    assert.equal(proxy.calls.at(-1)?.status, 'no-response');
  });

  it('commit_late: the client times out first, the commit lands afterwards', async () => {
    proxy.faults.push({ kind: 'commit_late', ms: 400 });
    const t0 = Date.now();
    await assert.rejects(post('/orders', AbortSignal.timeout(100)));
    assert.equal(committed.length, 0, 'nothing committed when the client gave up');
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(committed.length, 1);
    assert.ok((committed[0]?.at ?? 0) - t0 >= 390);
  });

  it('down drops the connection; deadlock answers 503; latency delays every call', async () => {
    proxy.faults.push({ kind: 'down' });
    await assert.rejects(post('/orders'));
    proxy.faults.push({ kind: 'deadlock' });
    const d = await post('/orders');
    assert.equal(d.status, 503);
    assert.match(JSON.stringify(await d.json()), /Deadlock/);
    proxy.setLatency(150);
    const t0 = Date.now();
    assert.equal((await post('/status')).status, 200);
    assert.ok(Date.now() - t0 >= 145);
    assert.equal(committed.length, 1, 'only the delayed call reached the ERP');
  });

  it('refuse: connections are refused until it is lifted', async () => {
    await proxy.refuse(true);
    await new Promise((r) => setTimeout(r, 50)); // the client notices its pooled connection was cut
    await assert.rejects(post('/orders'), (e: Error) => /ECONNREFUSED/.test(String((e.cause as Error | undefined)?.message ?? e.message)));
    await proxy.refuse(false);
    assert.equal((await post('/orders')).status, 200);
  });

  it('is controlled over HTTP as a standalone process would be', async () => {
    const base = proxy.url.replace(/\/api\/index\.php$/, '');
    const set = await fetch(`${base}/__proxy/faults`, { method: 'POST', body: JSON.stringify({ kind: 'status', status: 500, match: { path: '/orders$' } }) });
    assert.equal(set.status, 200);
    assert.equal((await post('/orders')).status, 500);
    assert.equal((await fetch(`${base}/__proxy/latency`, { method: 'POST', body: '{"ms":0}' })).status, 200);
    const calls = await (await fetch(`${base}/__proxy/calls`)).json() as unknown[];
    assert.ok(calls.length > 0);
  });
});
