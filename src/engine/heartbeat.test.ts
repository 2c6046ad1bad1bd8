import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { FakeClock } from '../common/fake-clock.js';
import type { WpApi } from '../wp/client.js';
import type { HeartbeatRequest } from '../wp/schemas.js';
import { ERP_VERSION_MAX, heartbeatBody, HeartbeatLoop, pingVersion } from './heartbeat.js';
import { CircuitBreaker } from './retry/circuit-breaker.js';
import { EngineStats } from './stats.js';

/** A heartbeat loop whose WordPress records the bodies it is sent. */
function loop(ping: () => Promise<unknown>, erpType?: string) {
  const clock = new FakeClock(1_000_000);
  const stats = new EngineStats(clock.now());
  const beats: HeartbeatRequest[] = [];
  const wp: WpApi = {
    ack: async () => ({ results: [] }), lease: async () => ({ events: [], invalid: [], serverTime: 0 }),
    heartbeat: async (r) => { beats.push(r); }, renew: async () => ({ renewed: [], lost: [], server_time: 0 }),
  };
  const breaker = new CircuitBreaker({ failureThreshold: 5, openMs: 1 });
  const hb = new HeartbeatLoop({ wp, worker: 'w1', version: '1.0.0', stats, breaker, clock, logger: pino({ level: 'silent' }), ping, ...(erpType === undefined ? {} : { erpType }) });
  return { clock, stats, beats, hb };
}

describe('heartbeat: which ERP the sidecar talks to', () => {
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

  it('takes the version from a ping answer only when it is a non-empty string, cut to what WordPress accepts', () => {
    assert.equal(pingVersion({ version: ' 20.0.2 ' }), '20.0.2');
    assert.equal(pingVersion({ version: '' }), null);
    assert.equal(pingVersion({ version: 17 }), null);
    assert.equal(pingVersion(undefined), null);
    assert.equal(pingVersion({ version: 'x'.repeat(100) })?.length, ERP_VERSION_MAX);
  });
});
