/**
 * Leases cannot be outlived: with every ERP write slower than the lease, two sidecars at once still push each order
 * exactly once and never lease an event twice (real WordPress + the bundled sidecars + the Dolibarr stand-in).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from '../../../scripts/env/wp-env.js';
import { Stack } from '../support/stack.js';
import { simpleOrder } from '../support/orders.js';

describe('lease renewal', () => {
  let stack: Stack;
  before(async () => { stack = await Stack.start({ name: 'itlease', port: 18209 }); });
  after(async () => stack?.stop());

  it('ERP writes slower than the lease, two sidecars: each order once, each event leased once, no ack refused', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push(Number((await stack.createOrder(simpleOrder())).id));
    // Every create and validate takes 7 s: longer than the 5 s lease. Without renewal the second sidecar would
    // lease the same events while the first still writes.
    stack.erp.faults.push({ match: { method: 'POST' }, kind: 'delay', ms: 7000, times: 1_000 });
    const worker = { lease_seconds: 5, wait_seconds: 1, concurrency: 2 };
    stack.startSidecar({ worker, erp: { timeout_ms: 20_000 } });
    stack.startSidecar({ worker, erp: { timeout_ms: 20_000 } });
    await stack.waitFor('all done', () => stack.events("state <> 'done'").length === 0, 150_000);
    stack.erp.faults.length = 0;
    const counts = stack.erp.orderCountsByRefClient();
    for (const id of ids) assert.equal(counts[`WC-${id}`], 1, `order ${id} is in the ERP exactly once`);
    const leased = sql(`SELECT event_id, COUNT(*) FROM \`${stack.site.db}\`.wp_syncline_event_log WHERE kind = 'leased' GROUP BY event_id`)
      .split('\n').filter(Boolean).map((l) => Number(l.split('\t')[1]));
    const events = stack.events();
    assert.ok(leased.length >= ids.length, JSON.stringify(events));
    assert.ok(leased.every((n) => n === 1), `every event leased once: ${JSON.stringify(leased)} ${JSON.stringify(events)}`);
    assert.ok(events.every((e) => Number(e.attempts) <= 1), `at most one attempt each (coalesced events none): ${JSON.stringify(events)}`);
  });
});
