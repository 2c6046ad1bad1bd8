import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NeedsHumanError, RetryableError } from '../common/errors.js';
import { WpClient } from './client.js';
import { WpAuthError } from './errors.js';

const SECRET = '0123456789abcdef'.repeat(4);
const TOKEN = 'a'.repeat(32);
type Reply = { status: number; body: unknown; headers?: Record<string, string> };

/** A stand-in WordPress that checks signatures the way SignatureVerifier.php does. */
function verify(req: IncomingMessage, body: string): boolean {
  const ts = String(req.headers['x-syncline-timestamp']);
  const nonce = String(req.headers['x-syncline-nonce']);
  const route = new URL(req.url ?? '', 'http://x').searchParams.get('rest_route') ?? '';
  const toSign = ['POST', route, ts, nonce, createHash('sha256').update(body).digest('hex')].join('\n');
  const expected = `v1=${createHmac('sha256', SECRET).update(toSign).digest('hex')}`;
  return /^[A-Za-z0-9_-]{16,64}$/.test(nonce) && Math.abs(Date.now() / 1000 - Number(ts)) < 300 && req.headers['x-syncline-signature'] === expected;
}

describe('WordPress client', () => {
  let server: Server;
  let url = '';
  let reply: Reply = { status: 200, body: {} };
  const seen: Array<{ route: string; body: unknown; signed: boolean }> = [];

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        const route = new URL(req.url ?? '', 'http://x').searchParams.get('rest_route') ?? '';
        seen.push({ route, body: JSON.parse(body) as unknown, signed: verify(req, body) });
        res.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers });
        res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));
  const client = (): WpClient => new WpClient({ url, secret: SECRET, timeoutMs: 2000 });
  const leaseReq = { worker: 'w1', limit: 5, lease_seconds: 60, wait_seconds: 0 };

  it('signs a lease exactly as the contract says and parses the events', async () => {
    const event = { id: 12, topic: 'order.created', object_type: 'order', object_id: 22, correlation_id: 'c-1', attempts: 1, lease_token: TOKEN, leased_until: 100, created_at: 50, payload: { order: null, sku_map: [] } };
    reply = { status: 200, body: { events: [event, { id: 13, lease_token: TOKEN }], server_time: 60 } };
    const batch = await client().lease(leaseReq);
    const last = seen.at(-1);
    assert.equal(last?.route, '/syncline/v1/lease');
    assert.ok(last?.signed, 'the signature verifies');
    assert.deepEqual(last?.body, leaseReq);
    assert.equal(batch.events.length, 1);
    assert.deepEqual(batch.events[0]?.payload, { order: null, sku_map: {} });
    assert.equal(batch.invalid[0]?.id, 13);
    assert.equal(batch.serverTime, 60);
    assert.equal(batch.acks, undefined, 'no acks carried: none answered');
  });

  it('carries acks on a lease and parses WordPress\'s answer for each', async () => {
    const acks = [{ id: 7, lease_token: TOKEN, outcome: 'retry' as const, retry_after_seconds: 5, error: { code: 'x', message: 'm' } }];
    reply = { status: 200, body: { events: [], server_time: 60, acks: [{ id: 7, ok: false, code: 'syncline_invalid_ack', message: 'results[0].outcome: bad' }] } };
    const batch = await client().lease({ ...leaseReq, acks });
    assert.deepEqual((seen.at(-1)?.body as { acks?: unknown }).acks, acks);
    assert.deepEqual(batch.acks, [{ id: 7, ok: false, code: 'syncline_invalid_ack', message: 'results[0].outcome: bad' }]);
  });

  it('accepts an empty PHP payload array', async () => {
    const event = { id: 14, topic: 'product.updated', object_type: 'product', object_id: 2, correlation_id: 'c', attempts: 1, lease_token: TOKEN, leased_until: 1, created_at: 1, payload: [] };
    reply = { status: 200, body: { events: [event], server_time: 1 } };
    assert.deepEqual((await client().lease(leaseReq)).events[0]?.payload, {});
  });

  it('sends acks and heartbeats and parses their answers', async () => {
    reply = { status: 200, body: { results: [{ id: 12, ok: false, code: 'syncline_lease_lost' }] } };
    const res = await client().ack('w1', [{ id: 12, lease_token: TOKEN, outcome: 'retry', retry_after_seconds: 3, error: { code: 'x', message: 'y' } }]);
    assert.equal(res.results[0]?.code, 'syncline_lease_lost');
    reply = { status: 200, body: { ok: true, server_time: 5 } };
    await client().heartbeat({ worker: 'w1', version: '1', uptime_seconds: 1, counters: {}, erp: { reachable: true, circuit: 'closed', last_success_at: null } });
    assert.equal(seen.at(-1)?.route, '/syncline/v1/heartbeat');
    assert.ok(seen.every((s) => s.signed));
  });

  it('renews leases on the signed /events/renew route and parses which were renewed and lost', async () => {
    reply = { status: 200, body: { renewed: [{ id: 12, leased_until: 190 }], lost: [13], server_time: 100 } };
    const req = { worker: 'w1', leases: [{ id: 12, lease_token: TOKEN }, { id: 13, lease_token: TOKEN }], lease_seconds: 90 };
    const res = await client().renew(req);
    assert.equal(seen.at(-1)?.route, '/syncline/v1/events/renew');
    assert.ok(seen.at(-1)?.signed);
    assert.deepEqual(seen.at(-1)?.body, req);
    assert.deepEqual(res, { renewed: [{ id: 12, leased_until: 190 }], lost: [13], server_time: 100 });
  });

  it('sends the held ids as exclude and reads order_state', async () => {
    const event = { id: 15, topic: 'order.created', object_type: 'order', object_id: 3, correlation_id: 'c', attempts: 1, lease_token: TOKEN, leased_until: 1, created_at: 1, payload: { order: null, order_state: 'unavailable' } };
    reply = { status: 200, body: { events: [event], server_time: 1 } };
    const batch = await client().lease({ ...leaseReq, exclude: [12, 13] });
    assert.deepEqual((seen.at(-1)?.body as { exclude?: number[] }).exclude, [12, 13]);
    assert.equal(batch.events[0]?.payload.order_state, 'unavailable');
  });

  it('reads an order event\'s covers; malformed covers make the event invalid (answered needs-human), not the batch', async () => {
    const base = { topic: 'order.created', object_type: 'order', object_id: 3, correlation_id: 'c', attempts: 1, lease_token: TOKEN, leased_until: 1, created_at: 1, payload: { order: null } };
    reply = { status: 200, body: { events: [{ ...base, id: 16, covers: [{ id: 17, version: 2 }] }, { ...base, id: 18, covers: [{ id: 19, version: -1 }] }, { ...base, id: 20 }], server_time: 1 } };
    const batch = await client().lease(leaseReq);
    assert.deepEqual(batch.events.map((e) => [e.id, e.covers]), [[16, [{ id: 17, version: 2 }]], [20, undefined]]);
    assert.equal(batch.invalid[0]?.id, 18);
  });

  const failures: Array<[string, Reply, (e: unknown) => boolean]> = [
    ['401 as a slow-retry auth error', { status: 401, body: { code: 'syncline_bad_signature', message: 'no' } },
      (e) => e instanceof WpAuthError && e.code === 'syncline_bad_signature' && (e.options.retryAfterMs ?? 0) >= 60000],
    ['503 as retryable', { status: 503, body: '<html>down</html>' }, (e) => e instanceof RetryableError && e.code === 'wp_server_error'],
    ['429 with Retry-After', { status: 429, body: {}, headers: { 'Retry-After': '7' } }, (e) => e instanceof RetryableError && e.options.retryAfterMs === 7000],
    ['400 as a rejected request', { status: 400, body: { code: 'syncline_invalid_request' } }, (e) => e instanceof NeedsHumanError && e.code === 'wp_rejected_request'],
    ['a 200 with the wrong shape as retryable', { status: 200, body: { nope: 1 } }, (e) => e instanceof RetryableError && e.code === 'wp_bad_response'],
  ];
  for (const [name, r, check] of failures) {
    it(`classifies ${name}`, async () => {
      reply = r;
      await assert.rejects(client().lease(leaseReq), check);
    });
  }

  it('classifies a refused connection as retryable', async () => {
    const dead = new WpClient({ url: 'http://127.0.0.1:1', secret: SECRET, timeoutMs: 1000 });
    await assert.rejects(dead.lease(leaseReq), (e: unknown) => e instanceof RetryableError && e.code === 'wp_unreachable');
  });
});
