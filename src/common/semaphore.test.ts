import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Semaphore } from './semaphore.js';

describe('Semaphore', () => {
  it('never lets more than `permits` tasks run at once', async () => {
    const sem = new Semaphore(2);
    let running = 0;
    let peak = 0;
    const task = async (): Promise<void> => {
      const release = await sem.acquire();
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      release();
    };
    await Promise.all(Array.from({ length: 7 }, task));
    assert.equal(peak, 2);
    assert.equal(sem.inUse, 0);
  });

  it('ignores a second release of the same permit', async () => {
    const sem = new Semaphore(1);
    const release = await sem.acquire();
    release();
    release();
    assert.equal(sem.inUse, 0);
  });

  it('rejects a non-positive permit count', () => {
    assert.throws(() => new Semaphore(0), RangeError);
  });
});
