/** Two sidecars leasing at the same time never hold the same event, and expired leases come back. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Stack } from '../support/stack.js';
import { simpleOrder } from '../support/orders.js';

interface Leased { id: number; lease_token: string; object_id: number }

describe('leases', () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ name: 'itlease', port: 18202 });
    for (let i = 0; i < 40; i++) await stack.createOrder(simpleOrder());
  });
  after(async () => stack?.stop());

  it('two concurrent workers never lease the same event, and never two events of one order', async () => {
    const total = stack.events("state='pending'").length;
    const got: Record<string, Leased[]> = { a: [], b: [] };
    const worker = async (name: string): Promise<void> => {
      for (let i = 0; i < 30; i++) {
        const r = await stack.signed('/syncline/v1/lease', { worker: name, limit: 3, lease_seconds: 120, wait_seconds: 0 });
        assert.equal(r.status, 200);
        const events = (r.body as { events: Leased[] }).events;
        if (events.length === 0) return;
        got[name]?.push(...events);
      }
    };
    await Promise.all([worker('a'), worker('b')]);
    const all = [...(got.a ?? []), ...(got.b ?? [])];
    const ids = all.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, 'an event was leased twice');
    const objects = all.map((e) => e.object_id);
    assert.equal(new Set(objects).size, objects.length, 'two events of one order were leased at once');
    assert.ok((got.a?.length ?? 0) > 0 && (got.b?.length ?? 0) > 0, 'both workers got work');
    assert.ok(all.length <= total);
  });

  it('an expired lease comes back to another worker, and the old holder can no longer ack it', async () => {
    await stack.createOrder(simpleOrder());
    const first = await stack.signed('/syncline/v1/lease', { worker: 'slow', limit: 1, lease_seconds: 5, wait_seconds: 0 });
    const ev = (first.body as { events: Leased[] }).events[0];
    assert.ok(ev, 'got an event');
    await new Promise((r) => setTimeout(r, 6500));
    let again: Leased | undefined;
    for (let i = 0; i < 20 && !again; i++) {
      const r = await stack.signed('/syncline/v1/lease', { worker: 'fast', limit: 10, lease_seconds: 60, wait_seconds: 0 });
      again = (r.body as { events: Leased[] }).events.find((e) => e.id === ev.id);
      if ((r.body as { events: Leased[] }).events.length === 0) break;
    }
    assert.ok(again, 'the expired event was leased again');
    const stale = await stack.signed('/syncline/v1/ack', { worker: 'slow', results: [{ id: ev.id, lease_token: ev.lease_token, outcome: 'done', refs: { erp: 'dolibarr', documents: [], steps: [] } }] });
    assert.equal((stale.body as { results: Array<{ ok: boolean }> }).results[0]?.ok, false);
    const fresh = await stack.signed('/syncline/v1/ack', { worker: 'fast', results: [{ id: again.id, lease_token: again.lease_token, outcome: 'done', refs: { erp: 'dolibarr', documents: [], steps: [] } }] });
    assert.equal((fresh.body as { results: Array<{ ok: boolean }> }).results[0]?.ok, true);
  });
});
