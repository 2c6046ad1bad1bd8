import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { systemClock } from '../common/clock.js';
import type { WpApi } from '../wp/client.js';
import type { AckResult } from '../wp/schemas.js';
import { AckBuffer } from './acks.js';
import { EngineStats } from './stats.js';

/** Acks carried by a lease (issue 7): the buffer's side. The consumer's side is in consumer.test.ts. */
describe('ack buffer with a carrier', () => {
  const ack = (id: number): AckResult => ({ id, lease_token: 't'.repeat(32), outcome: 'retry', retry_after_seconds: 0, error: { code: 'c', message: 'm' } });
  const make = (windowMs: number, dueMs: number) => {
    const calls: number[][] = [];
    const stats = new EngineStats(0);
    const wp: WpApi = {
      ack: async (_w, results) => {
        calls.push(results.map((r) => r.id));
        return { results: results.map((r) => ({ id: r.id, ok: true })) };
      },
      lease: async () => ({ events: [], invalid: [], serverTime: 0 }),
      heartbeat: async () => undefined,
      renew: async () => ({ renewed: [], lost: [], server_time: 0 }),
    };
    return { calls, stats, buf: new AckBuffer({ wp, worker: 'w', logger: pino({ level: 'silent' }), clock: systemClock, stats, windowMs, dueMs }) };
  };
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

  it('falls due for a carrier after dueMs; a carrier that takes them leaves nothing to send alone', async () => {
    const { buf, calls } = make(300, 100);
    assert.equal(buf.due(), false);
    assert.equal(buf.msUntilDue(), Number.POSITIVE_INFINITY);
    buf.add(ack(1));
    buf.add(ack(2));
    assert.equal(buf.due(), false);
    assert.ok(buf.msUntilDue() > 50);
    await sleep(120);
    assert.equal(buf.due(), true);
    const taken = buf.take();
    assert.deepEqual(taken.map((a) => a.id), [1, 2]);
    buf.carried(taken, [{ id: 1, ok: true }, { id: 2, ok: true }]);
    await sleep(400);
    assert.deepEqual(calls, [], 'nothing went alone');
    buf.add(ack(3));
    await sleep(150);
    assert.deepEqual(calls, [], 'a new ack starts its own window (the first one ended when the carrier took everything)');
    await sleep(300);
    assert.deepEqual(calls, [[3]], 'not taken within windowMs: sent alone');
  });

  it('a full batch of 100 goes at once, without waiting for a carrier', async () => {
    const { buf, calls } = make(10_000, 10_000);
    for (let i = 1; i < 100; i++) buf.add(ack(i));
    assert.equal(buf.due(), false);
    buf.add(ack(100));
    await buf.flush();
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.length, 100);
  });

  it('acks whose carrier got no answer (failed request, older plugin) go alone at once, first', async () => {
    const { buf, calls } = make(10_000, 10_000);
    buf.add(ack(1));
    const taken = buf.take();
    buf.add(ack(2));
    buf.carried(taken, undefined);
    await buf.flush();
    assert.deepEqual(calls, [[1, 2]]);
  });

  it('refusals are logged; only lost leases count as lease_lost', () => {
    const { buf, stats } = make(10_000, 10_000);
    buf.carried([ack(1), ack(2), ack(3)], [{ id: 1, ok: true }, { id: 2, ok: false, code: 'syncline_lease_lost' }, { id: 3, ok: false, code: 'syncline_invalid_ack', message: 'bad' }]);
    assert.equal(stats.counters.lease_lost, 1);
  });
});
