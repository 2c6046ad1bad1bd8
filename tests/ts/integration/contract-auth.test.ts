/**
 * Every sidecar route refuses bad input (unsigned, badly signed, stale, replayed, malformed, oversized) with a
 * clear error, and changes nothing: the outbox is compared before and after each bad request.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Stack } from '../support/stack.js';
import { simpleOrder } from '../support/orders.js';

const ROUTES = ['/syncline/v1/lease', '/syncline/v1/ack', '/syncline/v1/heartbeat'];
const GOOD: Record<string, unknown> = {
  '/syncline/v1/lease': { worker: 'w1', limit: 5, lease_seconds: 30, wait_seconds: 0 },
  '/syncline/v1/ack': { worker: 'w1', results: [{ id: 1, lease_token: 'x'.repeat(32), outcome: 'done', refs: { erp: 'dolibarr', documents: [], steps: [] } }] },
  '/syncline/v1/heartbeat': { worker: 'w1', version: '0.1.0', uptime_seconds: 1, counters: {}, erp: { reachable: true, circuit: 'closed', last_success_at: null } },
};

describe('syncline/v1 refuses bad requests and changes nothing', () => {
  let stack: Stack;
  let snapshot: string;
  const unchanged = (why: string): void => assert.equal(JSON.stringify(stack.events()), snapshot, `outbox changed after ${why}`);

  before(async () => {
    stack = await Stack.start({ name: 'itauth', port: 18201 });
    await stack.createOrder(simpleOrder());
    snapshot = JSON.stringify(stack.events());
    assert.ok(stack.events().length > 0, 'creating an order records an outbox event');
  });
  after(async () => stack?.stop());

  for (const route of ROUTES) {
    it(`${route}: an unsigned request gets 401`, async () => {
      const r = await stack.http('POST', route, JSON.stringify(GOOD[route]), { 'Content-Type': 'application/json' });
      assert.equal(r.status, 401);
      assert.equal((r.body as { code: string }).code, 'syncline_bad_signature');
      unchanged('unsigned');
    });
    it(`${route}: a request signed with another secret gets 401`, async () => {
      const r = await stack.signed(route, GOOD[route], { secret: 'f'.repeat(64) });
      assert.equal(r.status, 401);
      assert.equal((r.body as { code: string }).code, 'syncline_bad_signature');
      unchanged('bad signature');
    });
    it(`${route}: a body changed after signing gets 401`, async () => {
      const { signHeaders } = await import('../support/sign.js');
      const h = signHeaders({ secret: stack.site.secret, route, body: JSON.stringify(GOOD[route]) });
      const r = await stack.http('POST', route, JSON.stringify({ ...(GOOD[route] as object), worker: 'evil' }), h);
      assert.equal(r.status, 401);
      unchanged('tampered body');
    });
    it(`${route}: a stale timestamp gets 401 syncline_stale_request`, async () => {
      const r = await stack.signed(route, GOOD[route], { timestamp: Math.floor(Date.now() / 1000) - 3600 });
      assert.equal(r.status, 401);
      assert.equal((r.body as { code: string }).code, 'syncline_stale_request');
      unchanged('stale');
    });
    it(`${route}: malformed JSON gets 400`, async () => {
      const r = await stack.signed(route, '{"worker": ');
      assert.equal(r.status, 400);
      assert.equal((r.body as { code: string }).code, 'syncline_invalid_request');
      unchanged('malformed');
    });
    it(`${route}: an oversized body gets 413`, async () => {
      const r = await stack.signed(route, JSON.stringify({ worker: 'w1', pad: 'x'.repeat(1_100_000) }));
      assert.equal(r.status, 413);
      unchanged('oversized');
    });
  }

  it('lease: out-of-range and wrongly typed fields get 400 naming the fields', async () => {
    for (const bad of [{ worker: 'w1', limit: -1, lease_seconds: 30 }, { worker: 'w1', limit: 'ten', lease_seconds: 30 }, { worker: '', limit: 5, lease_seconds: 30 }, { worker: 'w1', limit: 5, lease_seconds: 100000 }, { limit: 5 }]) {
      const r = await stack.signed('/syncline/v1/lease', bad);
      assert.equal(r.status, 400, JSON.stringify(bad));
      assert.match(JSON.stringify(r.body), /limit|worker|lease_seconds/);
    }
    unchanged('invalid lease bodies');
  });

  it('ack: an unknown outcome gets 400 and a wrong lease token is refused per item', async () => {
    const bad = await stack.signed('/syncline/v1/ack', { worker: 'w1', results: [{ id: 1, lease_token: 'a'.repeat(32), outcome: 'maybe' }] });
    assert.equal(bad.status, 400);
    const ids = stack.events().map((e) => Number(e.id));
    const r = await stack.signed('/syncline/v1/ack', { worker: 'w1', results: [{ id: ids[0], lease_token: 'b'.repeat(32), outcome: 'done', refs: { erp: 'dolibarr', documents: [], steps: [] } }] });
    assert.equal(r.status, 200);
    assert.equal((r.body as { results: Array<{ ok: boolean }> }).results[0]?.ok, false);
    unchanged('ack with wrong token');
  });

  it('a replayed request (same nonce) gets 401 syncline_replayed_request', async () => {
    const nonce = `replay${Date.now()}`;
    const body = GOOD['/syncline/v1/heartbeat'];
    const first = await stack.signed('/syncline/v1/heartbeat', body, { nonce });
    assert.equal(first.status, 200);
    const second = await stack.signed('/syncline/v1/heartbeat', body, { nonce });
    assert.equal(second.status, 401);
    assert.equal((second.body as { code: string }).code, 'syncline_replayed_request');
  });
});
