import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { NeedsHumanError, RetryableError } from '../../common/errors.js';
import { exponentialBackoff } from './backoff.js';
import { CircuitBreaker, CircuitOpenError, type CircuitState } from './circuit-breaker.js';
import { classify } from './classify.js';

describe('exponential backoff with full jitter', () => {
  afterEach(() => mock.restoreAll());
  const withRandom = (r: number, fn: () => void): void => {
    const m = mock.method(Math, 'random', () => r);
    try { fn(); } finally { m.mock.restore(); }
  };

  it('stays within [0, min(max, base·2^(n-1))) for every attempt', () => {
    const backoff = exponentialBackoff({ baseMs: 1000, maxMs: 300_000 });
    const caps = [1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000, 300000];
    withRandom(0.999999, () => {
      caps.forEach((cap, i) => assert.ok(backoff(i + 1) < cap && backoff(i + 1) >= cap - 1, `attempt ${i + 1}: ${backoff(i + 1)}`));
      assert.ok(backoff(5000) <= 300_000 && backoff(5000) >= 299_999, 'huge attempt numbers stay capped');
    });
    withRandom(0, () => caps.forEach((_, i) => assert.equal(backoff(i + 1), 0)));
  });

  it('is jittered: delays of one attempt spread over its range', () => {
    const backoff = exponentialBackoff({ baseMs: 1000, maxMs: 300_000 });
    const seen = new Set(Array.from({ length: 50 }, () => Math.floor(backoff(4) / 1000)));
    assert.ok(seen.size >= 4, `50 draws of attempt 4 fell into ${seen.size} of 8 one-second buckets`);
    assert.ok([...seen].every((s) => s >= 0 && s < 8));
  });

  it('rejects invalid parameters at construction', () => {
    assert.throws(() => exponentialBackoff({ baseMs: 0, maxMs: 10 }), RangeError);
    assert.throws(() => exponentialBackoff({ baseMs: 10, maxMs: 5 }), RangeError);
    assert.throws(() => exponentialBackoff({ baseMs: Number.NaN, maxMs: 5 }), RangeError);
  });
});

describe('classify', () => {
  const policy = { maxAttempts: 3, backoff: () => 1234 };
  const cases: Array<[string, unknown, number, object]> = [
    ['a needs-human error goes to a human', new NeedsHumanError('unmapped_sku', 'SKU X', { skus: ['X'] }), 1,
      { kind: 'needs_human', error: { code: 'unmapped_sku', message: 'SKU X', details: { skus: ['X'] } } }],
    ['a transient error is retried after the backoff', new RetryableError('erp_timeout', 't'), 1,
      { kind: 'retry', delayMs: 1234, error: { code: 'erp_timeout', message: 't' } }],
    ['Retry-After (plus one second of WordPress clock granularity) wins over the backoff', new RetryableError('erp_rate_limited', 'slow down', { retryAfterMs: 3000 }), 2,
      { kind: 'retry', delayMs: 4000, error: { code: 'erp_rate_limited', message: 'slow down' } }],
    ['an unknown error is transient', new TypeError('boom'), 1, { kind: 'retry', delayMs: 1234, error: { code: 'unexpected', message: 'boom' } }],
    ['the last attempt becomes retries_exhausted with the last error', new RetryableError('erp_timeout', 't'), 3,
      { kind: 'needs_human', error: { code: 'retries_exhausted', message: 'Gave up after 3 attempts; last error: t', details: { attempts: 3, last_error: { code: 'erp_timeout', message: 't' } } } }],
    ['a lost lock race never exhausts', new RetryableError('erp_ref_race', 'r', { ignoreAttempt: true }), 9,
      { kind: 'retry', delayMs: 1234, error: { code: 'erp_ref_race', message: 'r' } }],
  ];
  for (const [name, err, attempts, expected] of cases) {
    it(name, () => assert.deepEqual(classify(err, attempts, policy), expected));
  }
});

describe('circuit breaker (cockatiel)', () => {
  beforeEach(() => mock.timers.enable({ apis: ['Date'], now: 1_700_000_000_000 }));
  afterEach(() => mock.timers.reset());
  const advance = (ms: number): void => mock.timers.tick(ms);
  const down = (): Promise<never> => Promise.reject(new RetryableError('erp_unreachable', 'down', { erpDown: true }));
  const make = (): { cb: CircuitBreaker; changes: string[]; fail: () => Promise<void> } => {
    const changes: string[] = [];
    const cb = new CircuitBreaker({ failureThreshold: 3, openMs: 1000, onChange: (f: CircuitState, t: CircuitState) => changes.push(`${f}>${t}`) });
    const fail = async (): Promise<void> => { await assert.rejects(cb.run(down), (e: unknown) => e instanceof RetryableError && e.code === 'erp_unreachable'); };
    return { cb, changes, fail };
  };

  it('opens after the threshold of consecutive ERP-down failures, not before, and then refuses to start pushes', async () => {
    const { cb, fail } = make();
    await fail();
    await fail();
    assert.equal(cb.state, 'closed');
    await fail();
    assert.equal(cb.state, 'open');
    let called = false;
    await assert.rejects(cb.run(async () => { called = true; }), CircuitOpenError);
    assert.equal(called, false, 'no push starts while open');
  });

  it('a success resets the failure count; other failures do not count', async () => {
    const { cb, fail } = make();
    await fail();
    await fail();
    assert.equal(await cb.run(async () => 7), 7);
    await fail();
    await assert.rejects(cb.run(async () => { throw new NeedsHumanError('unmapped_sku', 'x'); }), NeedsHumanError);
    await assert.rejects(cb.run(async () => { throw new RetryableError('erp_timeout', 'slow'); }));
    await fail();
    assert.equal(cb.state, 'closed');
  });

  it('goes half-open after the open time, closes on a good probe and reopens on a bad one', async () => {
    const { cb, changes, fail } = make();
    for (let i = 0; i < 3; i++) await fail();
    advance(400);
    assert.equal(cb.remainingOpenMs(), 600);
    advance(600);
    assert.equal(cb.state, 'half_open');
    await assert.rejects(cb.run(async () => 1), CircuitOpenError, 'pushes wait for the probe');
    await assert.rejects(cb.probe(async () => { throw new Error('ECONNREFUSED'); }), /ECONNREFUSED/);
    assert.equal(cb.state, 'open', 'one failed probe (any error) reopens');
    assert.equal(cb.remainingOpenMs(), 1000);
    advance(1000);
    assert.equal(cb.state, 'half_open');
    assert.equal(await cb.probe(async () => 'pong'), 'pong');
    assert.equal(cb.state, 'closed');
    assert.deepEqual(changes, ['closed>open', 'open>half_open', 'half_open>open', 'open>half_open', 'half_open>closed']);
  });

  it('validates its options', () => {
    assert.throws(() => new CircuitBreaker({ failureThreshold: 0, openMs: 1 }), RangeError);
    assert.throws(() => new CircuitBreaker({ failureThreshold: 1, openMs: 0 }), RangeError);
  });

  it('pause (429 Retry-After) holds every push for the pause, then closes by itself without a probe', async () => {
    const b = new CircuitBreaker({ failureThreshold: 3, openMs: 10_000 });
    b.pause(3_000);
    assert.equal(b.state, 'open');
    assert.equal(b.remainingOpenMs(), 3_000);
    await assert.rejects(b.run(async () => 1), CircuitOpenError);
    advance(2_999);
    assert.equal(b.state, 'open');
    advance(2);
    assert.equal(b.state, 'closed');
    assert.equal(await b.run(async () => 2), 2, 'pushes start again');
  });
});
