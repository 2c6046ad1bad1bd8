import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedMutex } from './keyed-mutex.js';

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('KeyedMutex', () => {
  it('runs holders of one key one after the other, and different keys at once', async () => {
    const m = new KeyedMutex();
    const order: string[] = [];
    const job = (key: string, name: string, ms: number) => m.run(key, async () => { order.push(`${name}+`); await tick(ms); order.push(`${name}-`); });
    await Promise.all([job('a', 'a1', 20), job('a', 'a2', 1), job('b', 'b1', 5)]);
    assert.ok(order.indexOf('a1-') < order.indexOf('a2+'), `a2 started before a1 ended: ${order.join(' ')}`);
    assert.ok(order.indexOf('b1+') < order.indexOf('a1-'), 'b ran alongside a');
    assert.equal(m.size, 0, 'keys are forgotten when free');
  });

  it('releases the key when the holder throws', async () => {
    const m = new KeyedMutex();
    await assert.rejects(m.run('k', async () => { throw new Error('boom'); }));
    assert.equal(await m.run('k', async () => 42), 42);
  });
});
