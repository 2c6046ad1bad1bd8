import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { RetryableError } from '../common/errors.js';
import { FakeClock } from '../common/fake-clock.js';
import { CircuitBreaker } from '../engine/retry/circuit-breaker.js';
import { EngineStats, erpAnswered, erpDown } from '../engine/stats.js';
import { createMetrics } from '../observability/metrics.js';
import { parseCliArgs } from './args.js';
import { startHttpServer } from './http.js';

describe('health and metrics server', () => {
  const clock = new FakeClock();
  const stats = new EngineStats(clock.now());
  const breaker = new CircuitBreaker({ failureThreshold: 1, openMs: 10_000 });
  const metrics = createMetrics(false);
  let server: Server;
  let base = '';
  before(async () => {
    server = await startHttpServer('127.0.0.1', 0, { version: '9.9.9', stats, breaker, metrics, clock, logger: pino({ level: 'silent' }) });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('answers 200 with the version, uptime, circuit and last lease when healthy', async () => {
    stats.lastLeaseAt = clock.now();
    clock.advance(5000);
    const res = await fetch(`${base}/health`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      status: 'ok', version: '9.9.9', uptime_s: 5, circuit: 'closed', erp: 'reachable', erp_unreachable_since: null, erp_last_success_at: null,
      wordpress_reachable: true, last_lease_at: Math.floor((clock.now() - 5000) / 1000),
    });
  });

  it('answers 503 with erp unreachable (and since when) while the ERP refuses connections, circuit still closed', async () => {
    const since = clock.now();
    erpDown(stats, since);
    clock.advance(3000);
    erpDown(stats, clock.now());
    const res = await fetch(`${base}/health`);
    assert.equal(res.status, 503);
    const body = (await res.json()) as { status: string; erp: string; circuit: string; erp_unreachable_since: number };
    assert.deepEqual([body.status, body.erp, body.circuit, body.erp_unreachable_since], ['unhealthy', 'unreachable', 'closed', Math.floor(since / 1000)]);
    erpAnswered(stats, clock.now());
    assert.equal((await fetch(`${base}/health`)).status, 200);
  });

  it('answers 503 while WordPress is unreachable', async () => {
    stats.wpReachable = false;
    assert.equal((await fetch(`${base}/health`)).status, 503);
    stats.wpReachable = true;
  });

  it('answers 503 while the ERP circuit is open', async () => {
    await assert.rejects(breaker.run(async () => { throw new RetryableError('erp_unreachable', 'down', { erpDown: true }); }));
    const res = await fetch(`${base}/health`);
    assert.equal(res.status, 503);
    assert.equal(((await res.json()) as { circuit: string }).circuit, 'open');
  });

  it('serves Prometheus text with the engine metrics', async () => {
    metrics.events.inc({ outcome: 'done' });
    const text = await (await fetch(`${base}/metrics`)).text();
    assert.match(text, /syncline_events_total\{outcome="done"\} 1/);
    assert.match(text, /syncline_circuit_state 2/);
    assert.match(text, /syncline_inflight 0/);
    assert.match(text, /# TYPE syncline_push_duration_seconds histogram/);
  });

  it('answers 404 elsewhere and 405 for other methods', async () => {
    assert.equal((await fetch(`${base}/nope`)).status, 404);
    assert.equal((await fetch(`${base}/health`, { method: 'POST' })).status, 405);
  });
});

describe('command line', () => {
  it('reads --config, --once and --version', () => {
    assert.deepEqual(parseCliArgs(['--config', 'a.json', '--once']), { config: 'a.json', once: true, version: false, help: false });
    assert.equal(parseCliArgs(['--version']).version, true);
  });
  it('rejects unknown options as a config error', () => {
    assert.throws(() => parseCliArgs(['--nope']), /arguments: /);
  });
});
