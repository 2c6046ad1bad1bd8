import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Batcher } from './batcher.js';

describe('Batcher', () => {
  it('coalesces lookups made within the window into one load, each key once', async () => {
    const loads: string[][] = [];
    const b = new Batcher<string, number>(async (keys) => { loads.push(keys); return new Map(keys.map((k) => [k, k.length])); }, { windowMs: 5, maxKeys: 50 });
    const got = await Promise.all([b.get('a'), b.get('bb'), b.get('a'), b.get('ccc')]);
    assert.deepEqual(got, [1, 2, 1, 3]);
    assert.deepEqual(loads, [['a', 'bb', 'ccc']]);
    assert.equal(await b.get('dddd'), 4);
    assert.equal(loads.length, 2);
  });

  it('getNow loads at once and takes the keys waiting for the window along', async () => {
    const loads: string[][] = [];
    const b = new Batcher<string, number>(async (keys) => { loads.push(keys); return new Map(keys.map((k) => [k, k.length])); }, { windowMs: 10_000, maxKeys: 50 });
    const waiting = b.get('aa');
    assert.equal(await b.getNow('b'), 1);
    assert.equal(await waiting, 2);
    assert.deepEqual(loads, [['aa', 'b']]);
  });

  it('sends a full batch at once and fails every caller of a failed load', async () => {
    let calls = 0;
    const b = new Batcher<number, number>(async (keys) => { calls++; if (keys.includes(3)) throw new Error('down'); return new Map(keys.map((k) => [k, k])); }, { windowMs: 10_000, maxKeys: 2 });
    assert.deepEqual(await Promise.all([b.get(1), b.get(2)]), [1, 2]);
    const r = await Promise.allSettled([b.get(3), b.get(4)]);
    assert.deepEqual(r.map((x) => x.status), ['rejected', 'rejected']);
    assert.equal(calls, 2);
  });
});
