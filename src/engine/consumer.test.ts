import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { systemClock } from '../common/clock.js';
import { RetryableError } from '../common/errors.js';
import { FakeClock } from '../common/fake-clock.js';
import type { Order } from '../canonical/index.js';
import type { ErpOrderState, OrderStep } from '../ports/erp.js';
import type { LeaseBatch, WpApi } from '../wp/client.js';
import { WpAuthError } from '../wp/errors.js';
import type { AckResponse, AckResult, HeartbeatRequest, LeaseRequest, LeasedEvent } from '../wp/schemas.js';
import { Consumer, type ConsumerOptions } from './consumer.js';
import { FakeErpAdapter } from '../../tests/ts/standins/engine/fake-adapter.js';
import { wcLine, wcOrder } from './mapping/testing.js';
import { CircuitBreaker } from './retry/circuit-breaker.js';
import { EngineStats } from './stats.js';
import { leasedEvent } from '../../tests/ts/standins/engine/testing.js';

/** WordPress stand-in: hands out queued events, records leases and acks. */
class FakeWp implements WpApi {
  readonly queue: LeasedEvent[] = [];
  readonly leases: LeaseRequest[] = [];
  readonly acks: AckResult[] = [];
  leaseError: Error | undefined;
  async lease(r: LeaseRequest): Promise<LeaseBatch> {
    this.leases.push(r);
    if (this.leaseError) throw this.leaseError;
    if (this.queue.length === 0) await new Promise((res) => setTimeout(res, Math.min(20, r.wait_seconds * 1000)));
    return { events: this.queue.splice(0, r.limit), invalid: [], serverTime: Math.floor(Date.now() / 1000) };
  }
  async ack(_w: string, results: AckResult[]): Promise<AckResponse> {
    this.acks.push(...results);
    return { results: results.map((r) => ({ id: r.id, ok: true })) };
  }
  async heartbeat(_r: HeartbeatRequest): Promise<void> {}
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
  override async runStep(step: OrderStep, order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    this.started++;
    await this.gate;
    return super.runStep(step, order, state);
  }
}

const opts: ConsumerOptions = { worker: 'w1', batch: 20, leaseSeconds: 60, waitSeconds: 1, maxAttempts: 3, concurrency: 1 };
function setup(adapter = new FakeErpAdapter(), o: Partial<ConsumerOptions> = {}, clock = systemClock) {
  const wp = new FakeWp();
  const stats = new EngineStats(clock.now());
  const breaker = new CircuitBreaker({ failureThreshold: 2, openMs: 60, clock });
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
    await until('the ack', () => wp.acks.length === 1);
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
    assert.equal(clock.sleeps[0], 60_000);
    assert.equal(stats.wpReachable, false);
  });

  it('--once: one lease, processed and acked', async () => {
    const { wp, consumer } = setup();
    wp.queue.push(leasedEvent(wcOrder({ id: 5 }), { id: 5 }));
    assert.equal(await consumer.runOnce(), 1);
    assert.equal(wp.ackFor(5)?.outcome, 'done');
    assert.equal(wp.leases.length, 1);
  });
});
