import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { systemClock } from '../common/clock.js';
import { RetryableError } from '../common/errors.js';
import { assertLeaseHeld } from '../common/fence.js';
import { FakeClock } from '../common/fake-clock.js';
import type { Order } from '../canonical/index.js';
import type { ErpOrderState, OrderStep } from '../ports/erp.js';
import type { LeaseBatch, WpApi } from '../wp/client.js';
import { WpAuthError } from '../wp/errors.js';
import type { AckResponse, AckResult, HeartbeatRequest, LeaseRequest, LeasedEvent, RenewRequest, RenewResponse } from '../wp/schemas.js';
import { Consumer, type ConsumerOptions } from './consumer.js';
import { FakeErpAdapter } from '../../tests/ts/standins/engine/fake-adapter.js';
import { wcLine, wcOrder } from './mapping/testing.js';
import { CircuitBreaker } from './retry/circuit-breaker.js';
import { EngineStats } from './stats.js';
import { leasedEvent } from '../../tests/ts/standins/engine/testing.js';

/** WordPress stand-in: hands out queued events, records leases and acks (carried on a lease or on /ack). */
class FakeWp implements WpApi {
  readonly queue: LeasedEvent[] = [];
  readonly leases: LeaseRequest[] = [];
  /** The event ids each lease request got, by request. */
  readonly leased: number[][] = [];
  readonly acks: AckResult[] = [];
  /** Acks per `/ack` request. */
  readonly ackCalls: number[] = [];
  leaseError: Error | undefined;
  /** Answers no `acks` (a plugin from before acks on the lease): carried acks are not applied. */
  ignoresCarriedAcks = false;
  /** Called with each lease request before it is answered (the events it returns may be changed). */
  onLease: ((r: LeaseRequest) => void) | undefined;
  async lease(r: LeaseRequest): Promise<LeaseBatch> {
    this.leases.push(r);
    if (this.leaseError) throw this.leaseError;
    const carried = this.ignoresCarriedAcks ? undefined : r.acks;
    if (carried) this.acks.push(...carried);
    this.onLease?.(r);
    if (this.queue.length === 0) await new Promise((res) => setTimeout(res, Math.min(20, r.wait_seconds * 1000)));
    const events = this.queue.splice(0, r.limit);
    this.leased.push(events.map((e) => e.id));
    return {
      events, invalid: [], serverTime: Math.floor(Date.now() / 1000),
      ...(carried ? { acks: carried.map((a) => ({ id: a.id, ok: true })) } : {}),
    };
  }
  async ack(_w: string, results: AckResult[]): Promise<AckResponse> {
    this.ackCalls.push(results.length);
    this.acks.push(...results);
    return { results: results.map((r) => ({ id: r.id, ok: true })) };
  }
  async heartbeat(_r: HeartbeatRequest): Promise<void> {}
  readonly renewals: RenewRequest[] = [];
  /** Ids whose renewal WordPress refuses (lease lost). */
  readonly lostIds = new Set<number>();
  renewError: Error | undefined;
  async renew(r: RenewRequest): Promise<RenewResponse> {
    this.renewals.push(r);
    if (this.renewError) throw this.renewError;
    const now = Math.floor(Date.now() / 1000);
    const ok = r.leases.filter((l) => !this.lostIds.has(l.id));
    return { renewed: ok.map((l) => ({ id: l.id, leased_until: now + r.lease_seconds })), lost: r.leases.filter((l) => this.lostIds.has(l.id)).map((l) => l.id), server_time: now };
  }
  ackFor(id: number): AckResult | undefined {
    return this.acks.find((a) => a.id === id);
  }
}

/** An adapter whose writes wait for `open()` (to hold work in flight). */
class GatedAdapter extends FakeErpAdapter {
  private gate: Promise<void> = Promise.resolve();
  open: () => void = () => undefined;
  started = 0;
  hold(): void {
    this.gate = new Promise((r) => { this.open = r; });
  }
  writes = 0;
  override async runStep(step: OrderStep, order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    this.started++;
    await this.gate;
    assertLeaseHeld(); // as the ERP client does right before each write
    this.writes++;
    return super.runStep(step, order, state);
  }
}

/** An adapter whose state lookups wait until `release(n)` lets the first n waiting pipelines go on. */
class QueuedAdapter extends FakeErpAdapter {
  private readonly waiting: Array<() => void> = [];
  get blocked(): number {
    return this.waiting.length;
  }
  release(n: number): void {
    for (const go of this.waiting.splice(0, n)) go();
  }
  override async findOrderState(order: Order): Promise<ErpOrderState> {
    await new Promise<void>((r) => this.waiting.push(r));
    return super.findOrderState(order);
  }
}

/** The ERP client's side of Dolibarr: the stock counts the order once its sales order is validated. */
class CountingAdapter extends FakeErpAdapter {
  readonly countsStockAt = 'validate_order' as const;
}

const opts: ConsumerOptions = { worker: 'w1', batch: 20, leaseSeconds: 60, waitSeconds: 1, maxAttempts: 3, concurrency: 1 };
function setup(adapter = new FakeErpAdapter(), o: Partial<ConsumerOptions> = {}, clock = systemClock) {
  const wp = new FakeWp();
  const stats = new EngineStats(clock.now());
  const breaker = new CircuitBreaker({ failureThreshold: 2, openMs: 60 });
  const consumer = new Consumer({ ...opts, ...o }, { wp, adapter, breaker, backoff: () => 5000, clock, logger: pino({ level: 'silent' }), stats });
  return { wp, stats, breaker, consumer, adapter };
}
const until = async (what: string, check: () => boolean, ms = 3000): Promise<void> => {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('consumer', () => {
  it('leases, pushes and acks done with the ERP refs; long-polls only when idle', async () => {
    const { wp, consumer, stats } = setup();
    wp.queue.push(leasedEvent(wcOrder({ id: 1 }), { id: 1 }), leasedEvent(wcOrder({ id: 2 }), { id: 2 }));
    const running = consumer.run();
    await until('two acks', () => wp.acks.length === 2);
    consumer.stop();
    await running;
    const ack = wp.ackFor(1);
    assert.equal(ack?.outcome, 'done');
    assert.deepEqual(ack?.outcome === 'done' && ack.refs.steps, ['customer', 'sales_order', 'validate_order']);
    assert.equal(stats.counters.pushed, 2);
    assert.equal(wp.leases[0]?.wait_seconds, 1, 'idle: long-poll');
    assert.ok(wp.leases.every((l) => l.limit <= 2), 'holds at most 2 × concurrency');
  });

  it('acks each failure kind with the right outcome', async () => {
    const adapter = new FakeErpAdapter(new Set(['WIDGET']));
    const { wp, consumer, stats } = setup(adapter);
    adapter.faults.push({ method: 'findOrderState', error: new RetryableError('erp_deadlock', 'deadlock') });
    adapter.faults.push({ method: 'findOrderState', error: new RetryableError('erp_timeout', 'slow') });
    wp.queue.push(
      leasedEvent(wcOrder({ id: 1 }), { id: 1 }),
      leasedEvent(wcOrder({ id: 2 }), { id: 2, attempts: 3 }),
      leasedEvent(wcOrder({ id: 3, line_items: [wcLine({ sku: 'GHOST' })] }), { id: 3 }),
      leasedEvent(null, { id: 4 }),
    );
    const running = consumer.run();
    await until('four acks', () => wp.acks.length === 4);
    consumer.stop();
    await running;
    const retried = wp.ackFor(1);
    assert.ok(retried?.outcome === 'retry' && retried.error.code === 'erp_deadlock' && retried.retry_after_seconds >= 0);
    const exhausted = wp.ackFor(2);
    assert.equal(exhausted?.outcome === 'needs_human' && exhausted.error.code, 'retries_exhausted');
    const unmapped = wp.ackFor(3);
    assert.ok(unmapped?.outcome === 'needs_human' && unmapped.error.code === 'unmapped_sku' && /GHOST/.test(unmapped.error.message));
    const deleted = wp.ackFor(4);
    assert.equal(deleted?.outcome === 'done' && deleted.refs.reason, 'order_deleted');
    assert.deepEqual({ retried: stats.counters.retried, needs_human: stats.counters.needs_human, skipped: stats.counters.skipped }, { retried: 1, needs_human: 2, skipped: 1 });
  });

  it('a 429 with Retry-After holds every push, not just the event that got it', async () => {
    const adapter = new FakeErpAdapter(new Set(['WIDGET']));
    const { wp, consumer } = setup(adapter);
    adapter.faults.push({ method: 'findOrderState', error: new RetryableError('erp_rate_limited', '429', { retryAfterMs: 2000 }) });
    wp.queue.push(leasedEvent(wcOrder({ id: 1 }), { id: 1 }), leasedEvent(wcOrder({ id: 2 }), { id: 2 }));
    const running = consumer.run();
    await until('two acks', () => wp.acks.length === 2);
    consumer.stop();
    await running;
    const first = wp.ackFor(1);
    assert.ok(first?.outcome === 'retry' && first.error.code === 'erp_rate_limited' && first.retry_after_seconds === 3);
    const second = wp.ackFor(2);
    assert.ok(second?.outcome === 'retry' && second.error.code === 'circuit_open', `the other event was held back: ${JSON.stringify(second)}`);
    assert.equal(adapter.orderCount(), 0, 'nothing reached the ERP during the pause');
  });

  it('on stop: leases no more, finishes and acks the running event, gives back the waiting one', async () => {
    const adapter = new GatedAdapter();
    adapter.hold();
    const { wp, consumer } = setup(adapter);
    wp.queue.push(leasedEvent(wcOrder({ id: 1 }), { id: 1 }), leasedEvent(wcOrder({ id: 2 }), { id: 2 }));
    const running = consumer.run();
    await until('the first push to start', () => adapter.started === 1);
    consumer.stop();
    const leasesAtStop = wp.leases.length;
    adapter.open();
    await running;
    assert.equal(wp.ackFor(1)?.outcome, 'done', 'the in-flight event completed');
    const given = wp.ackFor(2);
    assert.ok(given?.outcome === 'retry' && given.error.code === 'sidecar_shutdown' && given.retry_after_seconds === 0);
    assert.equal(wp.leases.length, leasesAtStop, 'no lease after stop');
    assert.equal(adapter.orderCount(), 1);
  });

  it('opens the circuit on ERP-down failures, pauses pushes, and closes after a good ping', async () => {
    const adapter = new FakeErpAdapter();
    const { wp, consumer, breaker } = setup(adapter, { concurrency: 2 });
    const down = (): RetryableError => new RetryableError('erp_unreachable', 'down', { erpDown: true });
    adapter.faults.push({ method: 'findOrderState', error: down() }, { method: 'findOrderState', error: down() });
    wp.queue.push(...[1, 2, 3].map((id) => leasedEvent(wcOrder({ id }), { id })));
    const running = consumer.run();
    await until('three acks', () => wp.acks.length >= 3);
    const third = wp.ackFor(3);
    assert.ok(third?.outcome === 'retry' && third.error.code === 'circuit_open', JSON.stringify(third));
    await until('the probe closes the circuit', () => breaker.state === 'closed' && adapter.calls.some((c) => c.method === 'ping'));
    wp.queue.push(leasedEvent(wcOrder({ id: 3 }), { id: 33 }));
    await until('the order goes through', () => wp.ackFor(33)?.outcome === 'done');
    consumer.stop();
    await running;
  });

  it('answers a malformed leased event as needs-human', async () => {
    const { wp, consumer } = setup();
    wp.lease = async () => ({ events: [], invalid: [{ id: 9, lease_token: 'x'.repeat(32), reason: 'payload: bad' }], serverTime: 0 });
    const running = consumer.run();
    // That WordPress answers no `acks`: the ack goes on /ack (the same bad event comes back each time here).
    await until('the ack', () => wp.acks.length >= 1);
    consumer.stop();
    await running;
    const ack = wp.ackFor(9);
    assert.ok(ack?.outcome === 'needs_human' && ack.error.code === 'invalid_event');
  });

  it('waits a minute after WordPress refuses the signature, and marks WordPress unreachable', async () => {
    const clock = new FakeClock();
    const { wp, consumer, stats } = setup(new FakeErpAdapter(), {}, clock);
    wp.leaseError = new WpAuthError('syncline_bad_signature', 'bad');
    const running = consumer.run();
    await until('a retry', () => wp.leases.length >= 2);
    consumer.stop();
    await running;
    assert.ok(clock.sleeps.includes(60_000), JSON.stringify(clock.sleeps.slice(0, 5)));
    assert.equal(stats.wpReachable, false);
  });

  it('renews the lease of an event whose pipeline outlives it, in one request for every held event', async () => {
    const adapter = new GatedAdapter();
    adapter.hold();
    const { wp, consumer } = setup(adapter, { leaseSeconds: 3, concurrency: 1 });
    const soon = Math.floor(Date.now() / 1000) + 3;
    wp.queue.push(leasedEvent(wcOrder({ id: 1 }), { id: 1, leased_until: soon }), leasedEvent(wcOrder({ id: 2 }), { id: 2, leased_until: soon }));
    const running = consumer.run();
    await until('the first push to start', () => adapter.started === 1);
    // Without renewal the leases (3 s, less the safety margin) would end within ~1.5 s.
    await until('two renewals', () => wp.renewals.length >= 2, 5000);
    await new Promise((r) => setTimeout(r, 2500));
    adapter.open();
    await until('two acks', () => wp.acks.length === 2, 5000);
    consumer.stop();
    await running;
    assert.deepEqual(wp.renewals[0]?.leases.map((l) => l.id).sort(), [1, 2], 'one request for every held event (the waiting one too)');
    assert.equal(wp.renewals[0]?.lease_seconds, 3);
    assert.equal(wp.ackFor(1)?.outcome, 'done');
    assert.equal(wp.ackFor(2)?.outcome, 'done');
  });

  it('a lease WordPress says is lost stops the pipeline before its next ERP write: no ack, counted, no write', async () => {
    const adapter = new GatedAdapter();
    adapter.hold();
    const { wp, consumer, stats } = setup(adapter, { leaseSeconds: 3 });
    wp.queue.push(leasedEvent(wcOrder({ id: 1 }), { id: 1 }));
    wp.lostIds.add(1);
    const running = consumer.run();
    await until('the push to start', () => adapter.started === 1);
    await until('a renewal', () => wp.renewals.length >= 1, 3000);
    await new Promise((r) => setTimeout(r, 20));
    adapter.open();
    await until('the lease loss counted', () => stats.counters.lease_lost === 1);
    consumer.stop();
    await running;
    assert.equal(adapter.writes, 0, 'no ERP write after the lease was lost');
    assert.equal(wp.ackFor(1), undefined, 'no ack for a lost lease');
  });

  it('a lease that cannot be renewed runs out locally: no write starts after its deadline', async () => {
    const adapter = new GatedAdapter();
    adapter.hold();
    const { wp, consumer, stats } = setup(adapter, { leaseSeconds: 3 });
    wp.renewError = new RetryableError('wp_unreachable', 'down');
    wp.queue.push(leasedEvent(wcOrder({ id: 1 }), { id: 1, leased_until: Math.floor(Date.now() / 1000) + 3 }));
    const running = consumer.run();
    await until('the push to start', () => adapter.started === 1);
    await new Promise((r) => setTimeout(r, 2600));
    adapter.open();
    await until('the lease loss counted', () => stats.counters.lease_lost === 1);
    consumer.stop();
    await running;
    assert.equal(adapter.writes, 0);
    assert.equal(wp.ackFor(1), undefined);
  });

  it('never leases an event it holds: sends the held ids as exclude, and ignores one WordPress returns anyway', async () => {
    const adapter = new GatedAdapter();
    adapter.hold();
    const { wp, consumer } = setup(adapter, { concurrency: 2 });
    wp.queue.push(leasedEvent(wcOrder({ id: 1 }), { id: 1 }));
    const running = consumer.run();
    await until('the push to start', () => adapter.started === 1);
    wp.queue.push(leasedEvent(wcOrder({ id: 1 }), { id: 1, lease_token: 'b'.repeat(32) }));
    await until('a lease request after the first', () => wp.leases.length >= 2 && wp.queue.length === 0);
    adapter.open();
    await until('the ack', () => wp.acks.length === 1);
    await new Promise((r) => setTimeout(r, 50));
    consumer.stop();
    await running;
    assert.deepEqual(wp.leases[1]?.exclude, [1]);
    assert.equal(adapter.started, 3, 'one pipeline only (three steps), not two');
    assert.equal(wp.acks.length, 1);
    assert.equal(wp.acks[0]?.lease_token, '1'.padStart(32, '0'));
  });

  it('an order WooCommerce could not load is given back untried, never acked done as deleted', async () => {
    const adapter = new FakeErpAdapter();
    const { wp, consumer, stats } = setup(adapter);
    const event = leasedEvent(null, { id: 7, object_id: 7 });
    wp.queue.push({ ...event, payload: { ...event.payload, order_state: 'unavailable' } });
    const running = consumer.run();
    await until('the ack', () => wp.acks.length === 1);
    consumer.stop();
    await running;
    const ack = wp.ackFor(7);
    assert.ok(ack?.outcome === 'retry' && ack.error.code === 'order_unavailable' && ack.retry_after_seconds === 60, JSON.stringify(ack));
    assert.equal(stats.counters.deferred, 1);
    assert.equal(adapter.calls.length, 0, 'the pipeline did not run');
  });

  it('a replay after validation says the ERP counts the order although it ran no step', async () => {
    const adapter = new CountingAdapter();
    const { wp, consumer } = setup(adapter);
    wp.queue.push(leasedEvent(wcOrder({ id: 1 }), { id: 1 }));
    await consumer.runOnce();
    wp.queue.push(leasedEvent(wcOrder({ id: 1 }), { id: 2 }));
    await consumer.runOnce();
    const replay = wp.ackFor(2);
    assert.ok(replay?.outcome === 'done');
    assert.deepEqual(replay.refs.steps, []);
    assert.equal(replay.refs.erp_counted, true);
    const skipped = leasedEvent(wcOrder({ id: 3, status: 'pending' }), { id: 3 });
    wp.queue.push(skipped);
    await consumer.runOnce();
    const s = wp.ackFor(3);
    assert.ok(s?.outcome === 'done' && s.refs.erp_counted === undefined, 'a skipped order is not counted');
  });

  it('a done ack echoes the lease\'s covers (the order\'s other pending events); a retry does not', async () => {
    const { wp, consumer } = setup();
    const covers = [{ id: 11, version: 0 }, { id: 12, version: 3 }];
    wp.queue.push(leasedEvent(wcOrder({ id: 1 }), { id: 10, covers }), leasedEvent(wcOrder({ id: 2 }), { id: 20 }));
    await consumer.runOnce();
    const done = wp.ackFor(10);
    assert.ok(done?.outcome === 'done');
    assert.deepEqual(done.covers, covers);
    const older = wp.ackFor(20);
    assert.ok(older?.outcome === 'done' && !('covers' in older), 'no covers from WordPress: none sent (the second rule applies)');
    const deferred = leasedEvent(null, { id: 30, object_id: 3, covers });
    wp.queue.push({ ...deferred, payload: { ...deferred.payload, order_state: 'unavailable' } });
    await consumer.runOnce();
    assert.ok(!('covers' in (wp.ackFor(30) ?? {})), 'an event not pushed closes nothing');
  });

  it('while pipelines run, leases in chunks of a quarter of its capacity (one WordPress bootstrap for several events)', async () => {
    const adapter = new QueuedAdapter();
    const { wp, consumer } = setup(adapter, { concurrency: 4, batch: 8 });
    for (let i = 1; i <= 20; i++) wp.queue.push(leasedEvent(wcOrder({ id: i }), { id: i }));
    const running = consumer.run();
    await until('4 pipelines running', () => adapter.blocked === 4);
    assert.equal(wp.leases.length, 1, 'capacity 8 held: no lease');
    adapter.release(1);
    await until('the next one running', () => adapter.blocked === 4);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(wp.leases.length, 1, 'one slot free, below the chunk of 2: no lease yet');
    adapter.release(1);
    await until('a second lease', () => wp.leases.length === 2);
    assert.equal(wp.leases[1]?.limit, 2);
    assert.equal(wp.leases[1]?.wait_seconds, 1, 'busy: a short long-poll, so a new order waits no idle pause');
    consumer.stop();
    adapter.release(100);
    const drain = setInterval(() => adapter.release(100), 5);
    await running;
    clearInterval(drain);
  });

  it('acks ride on the next lease request: no /ack request while leasing goes on', async () => {
    const { wp, consumer } = setup(new FakeErpAdapter(), { concurrency: 2, batch: 4 });
    for (let id = 1; id <= 10; id++) wp.queue.push(leasedEvent(wcOrder({ id }), { id }));
    const running = consumer.run();
    await until('ten acks', () => wp.acks.length === 10, 10_000);
    consumer.stop();
    await running;
    assert.deepEqual(wp.acks.map((a) => a.outcome), Array<string>(10).fill('done'));
    assert.deepEqual(wp.ackCalls, [], 'every ack was carried by a lease');
    assert.equal(wp.leases.reduce((n, l) => n + (l.acks?.length ?? 0), 0), 10);
  });

  it('an order\'s next event comes back in the answer to the lease that carries the previous one\'s ack', async () => {
    const { wp, consumer } = setup();
    wp.queue.push(leasedEvent(wcOrder({ id: 1 }), { id: 1, object_id: 1 }));
    // WordPress leases one event per order at a time: the second is claimable once the first is acked.
    wp.onLease = (r) => {
      if (r.acks?.some((a) => a.id === 1)) wp.queue.push(leasedEvent(wcOrder({ id: 1 }), { id: 2, object_id: 1 }));
    };
    const running = consumer.run();
    await until('both acked', () => wp.acks.length === 2);
    consumer.stop();
    await running;
    const carrier = wp.leases.findIndex((l) => l.acks?.some((a) => a.id === 1));
    assert.ok(carrier >= 0, 'the first ack rode on a lease');
    assert.deepEqual(wp.leased[carrier], [2], 'the carrier itself got the second event');
    assert.deepEqual(wp.ackCalls, []);
  });

  it('while busy, a finished pipeline\'s ack waits at most the ack window for a lease to carry it (taking what fits, without long-polling)', async () => {
    const adapter = new QueuedAdapter();
    const { wp, consumer } = setup(adapter, { concurrency: 4, batch: 8, ackWindowMs: 200 });
    for (let i = 1; i <= 8; i++) wp.queue.push(leasedEvent(wcOrder({ id: i }), { id: i }));
    const running = consumer.run();
    await until('4 pipelines running', () => adapter.blocked === 4);
    const t0 = Date.now();
    adapter.release(1);
    await until('a lease carrying the ack', () => wp.leases.some((l) => (l.acks?.length ?? 0) > 0));
    const waited = Date.now() - t0;
    const carrier = wp.leases.find((l) => (l.acks?.length ?? 0) > 0);
    assert.ok(waited >= 150 && waited < 1000, `waited ${waited} ms (window 200 ms; one slot free, below the chunk of 2)`);
    assert.equal(carrier?.limit, 1, 'leases what fits');
    assert.equal(carrier?.wait_seconds, 0, 'does not long-poll');
    assert.deepEqual(wp.ackCalls, []);
    consumer.stop();
    const drain = setInterval(() => adapter.release(100), 5);
    await running;
    clearInterval(drain);
  });

  it('the acks of a lease request that failed go alone on /ack: an ack WordPress cannot apply never holds leasing back', async () => {
    const adapter = new GatedAdapter();
    adapter.hold();
    const { wp, consumer } = setup(adapter);
    wp.queue.push(leasedEvent(wcOrder({ id: 1 }), { id: 1 }));
    const running = consumer.run();
    await until('the push to start', () => adapter.started === 1);
    wp.leaseError = new RetryableError('wp_5xx', 'WordPress answered 500');
    adapter.open();
    await until('the ack on /ack', () => wp.ackCalls.length === 1);
    consumer.stop();
    await running;
    assert.ok(wp.leases.some((l) => l.acks?.[0]?.id === 1), 'it was carried first');
    assert.equal(wp.ackFor(1)?.outcome, 'done');
  });

  it('a plugin that answers no acks on the lease (older): the acks go on /ack, nothing is lost', async () => {
    const { wp, consumer } = setup(new FakeErpAdapter(), { concurrency: 2 });
    wp.ignoresCarriedAcks = true;
    for (let id = 1; id <= 4; id++) wp.queue.push(leasedEvent(wcOrder({ id }), { id }));
    const running = consumer.run();
    await until('four acks', () => wp.acks.length === 4);
    consumer.stop();
    await running;
    assert.equal(wp.ackCalls.reduce((a, b) => a + b, 0), 4);
    assert.deepEqual([...new Set(wp.acks.map((a) => a.id))].sort(), [1, 2, 3, 4]);
  });

  it('--once: one lease, processed and acked', async () => {
    const { wp, consumer } = setup();
    wp.queue.push(leasedEvent(wcOrder({ id: 5 }), { id: 5 }));
    assert.equal(await consumer.runOnce(), 1);
    assert.equal(wp.ackFor(5)?.outcome, 'done');
    assert.equal(wp.leases.length, 1);
  });
});
