import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SerialLoop } from './serial-loop.js';

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('SerialLoop', () => {
  it('runs passes one at a time in the order asked, a failed one not stopping the next', async () => {
    const runner = new SerialLoop(async () => undefined);
    const seen: string[] = [];
    const pass = (name: string, ms: number, fail = false) => runner.serial(async () => {
      seen.push(`${name}+`);
      await tick(ms);
      seen.push(`${name}-`);
      if (fail) throw new Error(name);
      return name;
    });
    const results = await Promise.allSettled([pass('a', 15, true), pass('b', 1), pass('c', 1)]);
    assert.deepEqual(seen, ['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'fulfilled', 'fulfilled']);
  });

  it('stop() ends the loop and waits for the pass under way', async () => {
    let loops = 0;
    let passDone = false;
    const runner: SerialLoop = new SerialLoop(async (signal) => {
      loops++;
      void runner.serial(async () => { await tick(20); passDone = true; });
      await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
    });
    runner.start();
    runner.start();
    await tick(1);
    await runner.stop();
    assert.equal(loops, 1, 'start() twice runs one loop');
    assert.equal(passDone, true);
  });
});
