import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NeedsHumanError, RetryableError } from '../../common/errors.js';
import { FakeClock } from '../../common/fake-clock.js';
import { exponentialBackoff } from './backoff.js';
import { CircuitBreaker, type CircuitState } from './circuit-breaker.js';
import { classify } from './classify.js';

describe('exponential backoff with full jitter', () => {
  it('stays within [0, min(max, base·2^(n-1))) for every attempt', () => {
    const top = exponentialBackoff({ baseMs: 1000, maxMs: 300_000, random: () => 0.999999 });
    const bottom = exponentialBackoff({ baseMs: 1000, maxMs: 300_000, random: () => 0 });
    const caps = [1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000, 300000];
    caps.forEach((cap, i) => {
      assert.ok(top(i + 1) < cap && top(i + 1) >= cap - 1, `attempt ${i + 1}`);
      assert.equal(bottom(i + 1), 0);
    });
    assert.ok(top(5000) <= 300_000, 'huge attempt numbers stay capped');
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

describe('circuit breaker', () => {
  const make = (): { cb: CircuitBreaker; clock: FakeClock; changes: string[] } => {
    const clock = new FakeClock();
    const changes: string[] = [];
    const cb = new CircuitBreaker({ failureThreshold: 3, openMs: 1000, clock, onChange: (f: CircuitState, t: CircuitState) => changes.push(`${f}>${t}`) });
    return { cb, clock, changes };
  };

  it('opens after the threshold of consecutive failures, not before', () => {
    const { cb } = make();
    cb.recordFailure();
    cb.recordFailure();
    assert.equal(cb.state, 'closed');
    cb.recordFailure();
    assert.equal(cb.state, 'open');
  });

  it('a success resets the failure count', () => {
    const { cb } = make();
    cb.recordFailure();
    cb.recordFailure();
    cb.recordSuccess();
    cb.recordFailure();
    cb.recordFailure();
    assert.equal(cb.state, 'closed');
  });

  it('goes half-open after the open time, closes on a good probe and reopens on a bad one', () => {
    const { cb, clock, changes } = make();
    for (let i = 0; i < 3; i++) cb.recordFailure();
    clock.advance(400);
    assert.equal(cb.remainingOpenMs(), 600);
    clock.advance(600);
    assert.equal(cb.state, 'half_open');
    cb.recordFailure();
    assert.equal(cb.state, 'open', 'one failed probe reopens');
    assert.equal(cb.remainingOpenMs(), 1000);
    clock.advance(1000);
    assert.equal(cb.state, 'half_open');
    cb.recordSuccess();
    assert.equal(cb.state, 'closed');
    assert.deepEqual(changes, ['closed>open', 'open>half_open', 'half_open>open', 'open>half_open', 'half_open>closed']);
  });

  it('validates its options', () => {
    assert.throws(() => new CircuitBreaker({ failureThreshold: 0, openMs: 1 }), RangeError);
    assert.throws(() => new CircuitBreaker({ failureThreshold: 1, openMs: 0 }), RangeError);
  });
});

describe('CircuitBreaker.pause (429 Retry-After)', () => {
  it('holds every push for the pause, then closes by itself without a probe', async () => {
    const { CircuitBreaker } = await import('./circuit-breaker.js');
    let now = 1_000;
    const clock = { now: () => now, sleep: async () => undefined };
    const b = new CircuitBreaker({ failureThreshold: 3, openMs: 10_000, clock: clock as never });
    b.pause(3_000);
    assert.equal(b.state, 'open');
    assert.equal(b.remainingOpenMs(), 3_000);
    now += 2_999;
    assert.equal(b.state, 'open');
    now += 2;
    assert.equal(b.state, 'closed');
  });
});
