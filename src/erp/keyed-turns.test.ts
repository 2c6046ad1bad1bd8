import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyedTurns } from './keyed-turns.js';

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('KeyedTurns', () => {
  it('runs one key at a time in call order; the second run knows the key ran before', async () => {
    const turns = new KeyedTurns<string>(10);
    const log: string[] = [];
    const a = turns.run('k', async (seen) => { log.push(`a start ${seen}`); await tick(20); log.push('a end'); });
    const b = turns.run('k', async (seen) => { log.push(`b start ${seen}`); });
    await Promise.all([a, b]);
    assert.deepEqual(log, ['a start false', 'a end', 'b start true']);
  });

  it('different keys do not wait for each other; a failed run does not block the next', async () => {
    const turns = new KeyedTurns<string>(10);
    const log: string[] = [];
    const slow = turns.run('x', async () => { await tick(30); throw new Error('boom'); });
    await turns.run('y', async () => { log.push('y'); });
    assert.deepEqual(log, ['y'], 'y ran while x was still running');
    await assert.rejects(slow, /boom/);
    assert.equal(await turns.run('x', async (seen) => seen), true);
  });

  it('forgets the oldest key beyond its bound', async () => {
    const turns = new KeyedTurns<number>(2);
    for (const k of [1, 2, 3]) await turns.run(k, async () => undefined);
    assert.equal(await turns.run(1, async (seen) => seen), false);
    assert.equal(await turns.run(3, async (seen) => seen), true);
  });
});
