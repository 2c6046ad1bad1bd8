import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { FakeClock } from '../common/fake-clock.js';
import { RetryableError } from '../common/errors.js';
import type { WpApi } from '../wp/client.js';
import type { AckResult, HeartbeatRequest } from '../wp/schemas.js';
import { AckBuffer } from './acks.js';
import { ERP_VERSION_MAX, heartbeatBody, HeartbeatLoop, pingVersion } from './heartbeat.js';
import { decisionAck, deferAck, isErpDown, toRetrySeconds } from './outcome.js';
import { CircuitBreaker } from './retry/circuit-breaker.js';
import { EngineStats } from './stats.js';
import { leasedEvent } from '../../tests/ts/standins/engine/testing.js';

describe('ack building', () => {
  it('rounds retry delays up to whole seconds within what WordPress accepts', () => {
    assert.deepEqual([0, 1, 999, 1000, 3000, 3001, 1e12].map(toRetrySeconds), [0, 1, 1, 1, 3, 4, 86400]);
  });

  it('turns decisions into retry and needs_human acks', () => {
    const ev = leasedEvent(null, { id: 5 });
    assert.deepEqual(decisionAck(ev, { kind: 'retry', delayMs: 2500, error: { code: 'x', message: 'm' } }),
      { id: 5, lease_token: ev.lease_token, outcome: 'retry', retry_after_seconds: 3, error: { code: 'x', message: 'm' } });
    const nh = decisionAck(ev, { kind: 'needs_human', error: { code: 'unmapped_sku', message: 'SKU', details: { skus: ['A'] } } });
    assert.deepEqual(nh.outcome === 'needs_human' && nh.error.details, { skus: ['A'] });
    assert.equal(deferAck(ev, 1500, 'circuit_open', 'm').retry_after_seconds, 2);
  });

  it('recognises ERP-down errors', () => {
    assert.equal(isErpDown(new RetryableError('a', 'b', { erpDown: true })), true);
    assert.equal(isErpDown(new RetryableError('a', 'b')), false);
    assert.equal(isErpDown(new Error('x')), false);
  });
});

describe('heartbeat body', () => {
  it('reports version, uptime, counters and the ERP status in the contract shape', () => {
    const clock = new FakeClock(1_000_000);
    const stats = new EngineStats(clock.now());
    stats.counters.pushed = 3;
    stats.lastErpSuccessAt = 1_005_000;
    clock.advance(12_500);
    const body = heartbeatBody('w1', '0.1.0', stats, new CircuitBreaker({ failureThreshold: 1, openMs: 1 }), clock.now());
    assert.equal(body.uptime_seconds, 12);
    assert.equal(body.counters.pushed, 3);
    assert.deepEqual(body.erp, { reachable: true, circuit: 'closed', last_success_at: 1005, unreachable_since: null });
    assert.equal(body.state, 'running');
  });

  const loop = (ping: () => Promise<unknown>, erpType?: string) => {
    const clock = new FakeClock(1_000_000);
    const stats = new EngineStats(clock.now());
    const beats: HeartbeatRequest[] = [];
    const wp: WpApi = {
      ack: async () => ({ results: [] }), lease: async () => ({ events: [], invalid: [], serverTime: 0 }),
      heartbeat: async (r) => { beats.push(r); }, renew: async () => ({ renewed: [], lost: [], server_time: 0 }),
    };
    const breaker = new CircuitBreaker({ failureThreshold: 5, openMs: 1 });
    return { clock, stats, beats, hb: new HeartbeatLoop({ wp, worker: 'w1', version: '1.0.0', stats, breaker, clock, logger: pino({ level: 'silent' }), ping, ...(erpType === undefined ? {} : { erpType }) }) };
  };

  it('an idle sidecar asks the ERP before a heartbeat, and reports it unreachable since the first failure', async () => {
    let up = false;
    let pings = 0;
    const { clock, stats, beats, hb } = loop(async () => { pings++; if (!up) throw new Error('ECONNREFUSED'); return { version: '20' }; });
    await hb.beat();
    clock.advance(15_000);
    await hb.beat();
    assert.deepEqual(beats.map((b) => [b.erp.reachable, b.erp.unreachable_since]), [[false, 1000], [false, 1000]]);
    up = true;
    clock.advance(15_000);
    await hb.beat();
    assert.deepEqual([beats[2]?.erp.reachable, beats[2]?.erp.unreachable_since, beats[2]?.erp.last_success_at], [true, null, 1030]);
    assert.equal(stats.erpReachable, true);
    clock.advance(1000);
    await hb.beat();
    assert.equal(pings, 3, 'no probe when the ERP answered within the interval');
  });

  it('the last heartbeat of a stopping sidecar says stopped', async () => {
    const { beats, hb } = loop(async () => ({ version: '20' }));
    await hb.beat('stopped');
    assert.equal(beats[0]?.state, 'stopped');
  });

  it('the body carries erp.type and erp.version when the ERP is named, and neither when it is not', () => {
    const clock = new FakeClock(1_000_000);
    const stats = new EngineStats(clock.now());
    const breaker = new CircuitBreaker({ failureThreshold: 1, openMs: 1 });
    const named = heartbeatBody('w1', '1.0.0', stats, breaker, clock.now(), 'running', { type: 'odoo', version: '17.0' });
    assert.equal(named.erp.type, 'odoo');
    assert.equal(named.erp.version, '17.0');
    assert.equal(named.erp.reachable, true);
    const unnamed = heartbeatBody('w1', '1.0.0', stats, breaker, clock.now());
    assert.equal('type' in unnamed.erp, false);
    assert.equal('version' in unnamed.erp, false);
  });

  it('reports the version the ping answered; null until one did; a busy sidecar still pings once for it', async () => {
    let up = false;
    let pings = 0;
    const { clock, stats, beats, hb } = loop(async () => {
      pings++;
      if (!up) throw new Error('ECONNREFUSED');
      return { version: '17.0' };
    }, 'odoo');
    await hb.beat();
    assert.deepEqual([beats[0]?.erp.type, beats[0]?.erp.version, beats[0]?.erp.reachable], ['odoo', null, false]);
    up = true;
    // A pipeline reached the ERP just now: without a known version the loop still pings once.
    stats.lastErpSuccessAt = clock.now();
    await hb.beat();
    assert.deepEqual([beats[1]?.erp.type, beats[1]?.erp.version, beats[1]?.erp.reachable], ['odoo', '17.0', true]);
    assert.equal(pings, 2);
    // Version known and the ERP answered within the interval: no extra ping.
    stats.lastErpSuccessAt = clock.now();
    await hb.beat();
    assert.equal(pings, 2);
    assert.equal(beats[2]?.erp.version, '17.0');
    // The ERP goes away: the last known version stays with the unreachable report.
    up = false;
    clock.advance(20_000);
    await hb.beat('running');
    assert.deepEqual([beats[3]?.erp.version, beats[3]?.erp.reachable], ['17.0', false]);
  });

  it('a sidecar without a configured type sends no ERP identity (the old shape)', async () => {
    const { beats, hb } = loop(async () => ({ version: '20.0.2' }));
    await hb.beat();
    assert.equal(beats[0]?.erp.type, undefined);
    assert.equal(beats[0]?.erp.version, undefined);
  });

  it('takes the version from a ping answer only when it is a non-empty string, cut and cleaned to what WordPress accepts', () => {
    assert.equal(pingVersion({ version: ' 20.0.2 ' }), '20.0.2');
    assert.equal(pingVersion({ version: '' }), null);
    assert.equal(pingVersion({ version: 17 }), null);
    assert.equal(pingVersion(undefined), null);
    assert.equal(pingVersion({ version: 'x'.repeat(100) })?.length, ERP_VERSION_MAX);
    assert.equal(pingVersion({ version: '17.0 (saas~17.1)' }), '17.0 saas~17.1', 'only what WordPress accepts');
    assert.equal(pingVersion({ version: '()' }), null);
  });
});

describe('ack buffer', () => {
  const ack = (id: number): AckResult => ({ id, lease_token: 't'.repeat(32), outcome: 'retry', retry_after_seconds: 0, error: { code: 'c', message: 'm' } });
  const make = (impl: WpApi['ack'], windowMs?: number, othersRunning?: () => boolean) => {
    const stats = new EngineStats(0);
    const wp: WpApi = { ack: impl, lease: async () => ({ events: [], invalid: [], serverTime: 0 }), heartbeat: async () => undefined, renew: async () => ({ renewed: [], lost: [], server_time: 0 }) };
    return { stats, buf: new AckBuffer({ wp, worker: 'w', logger: pino({ level: 'silent' }), clock: new FakeClock(), stats, ...(windowMs !== undefined ? { windowMs } : {}), ...(othersRunning ? { othersRunning } : {}) }) };
  };

  it('with a window, an ack goes at once when no other pipeline runs (nothing would share its request)', async () => {
    const calls: number[] = [];
    const impl: WpApi['ack'] = async (_w, results) => {
      calls.push(results.length);
      return { results: results.map((r) => ({ id: r.id, ok: true })) };
    };
    let others = false;
    const { buf } = make(impl, 5_000, () => others);
    buf.add(ack(1));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(calls, [1], 'sent without waiting for the window');
    others = true;
    buf.add(ack(2));
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(calls, [1], 'others run: it waits for the window');
    await buf.flush();
    assert.deepEqual(calls, [1, 1]);
  });

  it('a failed ack request is sent again after 0.5 s, then 1 s; after three failures the acks are dropped', async () => {
    const sent: number[] = [];
    let failures = 2;
    const t0 = Date.now();
    const { buf } = make(async (_w, results) => {
      sent.push(Date.now() - t0);
      if (failures-- > 0) throw new Error('wordpress unreachable');
      return { results: results.map((r) => ({ id: r.id, ok: true })) };
    });
    buf.add(ack(1));
    await buf.flush();
    assert.equal(sent.length, 3, 'two failures, then delivered');
    assert.ok((sent[1] ?? 0) - (sent[0] ?? 0) >= 490 && (sent[2] ?? 0) - (sent[1] ?? 0) >= 990, `waits ${JSON.stringify(sent)}`);
    failures = 5;
    sent.length = 0;
    buf.add(ack(2));
    await buf.flush();
    assert.equal(sent.length, 3, 'three tries, then given up (flush still resolves)');
    assert.equal(buf.size, 0);
  });

  it('sends at most 100 acks per call and counts refused ones as lease lost', async () => {
    const calls: number[] = [];
    const { buf, stats } = make(async (_w, results) => {
      calls.push(results.length);
      return { results: results.map((r) => ({ id: r.id, ok: r.id !== 3, ...(r.id === 3 ? { code: 'syncline_lease_lost' } : {}) })) };
    });
    for (let i = 1; i <= 150; i++) buf.add(ack(i));
    await buf.flush();
    assert.deepEqual(calls, [100, 50]);
    assert.equal(stats.counters.lease_lost, 1);
  });

  it('acks added within the window share one request; without a window each turn sends its own', async () => {
    const calls: number[] = [];
    const impl: WpApi['ack'] = async (_w, results) => {
      calls.push(results.length);
      return { results: results.map((r) => ({ id: r.id, ok: true })) };
    };
    const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
    const windowed = make(impl, 200).buf;
    windowed.add(ack(1));
    await turn();
    windowed.add(ack(2));
    await turn();
    windowed.add(ack(3));
    await turn();
    assert.deepEqual(calls, [], 'nothing sent before the window ends');
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual(calls, [3]);
    calls.length = 0;
    const eager = make(impl).buf;
    eager.add(ack(4));
    await turn();
    await turn();
    eager.add(ack(5));
    await turn();
    await turn();
    assert.deepEqual(calls, [1, 1]);
  });

  it('retries a failed ack call, then gives up without throwing', async () => {
    let calls = 0;
    const { buf } = make(async () => { calls++; throw new RetryableError('wp_unreachable', 'down'); });
    buf.add(ack(1));
    await buf.flush();
    assert.equal(calls, 3);
    assert.equal(buf.size, 0);
  });
});
