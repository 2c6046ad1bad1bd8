import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WriteSlots } from './write-slots.js';

const tick = (ms = 5): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('WriteSlots', () => {
  it('lets one writer in at a time, first come first served; a holder nested run shares its slot', async () => {
    const slots = new WriteSlots(1);
    const log: string[] = [];
    const a = slots.run(async () => {
      log.push('a in');
      await slots.run(async () => { log.push('a nested'); await tick(); });
      await tick();
      log.push('a out');
    });
    const b = slots.run(async () => { log.push('b in'); });
    const c = slots.run(async () => { log.push('c in'); });
    await Promise.all([a, b, c]);
    assert.deepEqual(log, ['a in', 'a nested', 'a out', 'b in', 'c in']);
  });

  it('is idle only when no slot is held, and tells its listeners when the last one is given back', async () => {
    const slots = new WriteSlots(2);
    let heard = 0;
    slots.onIdle(() => { heard++; });
    assert.equal(slots.idle, true);
    let releaseA!: () => void;
    const a = slots.run(() => new Promise<void>((r) => { releaseA = r; }));
    const b = slots.run(async () => { await tick(); });
    await tick(1);
    assert.equal(slots.idle, false);
    await b;
    assert.equal(heard, 0, 'one slot is still held');
    assert.equal(slots.idle, false);
    releaseA();
    await a;
    assert.equal(heard, 1);
    assert.equal(slots.idle, true);
  });

  it('gives the slot back when the writer fails', async () => {
    const slots = new WriteSlots(1);
    await assert.rejects(slots.run(async () => { throw new Error('erp down'); }), /erp down/);
    assert.equal(slots.idle, true);
    assert.equal(await slots.run(async () => 7), 7);
  });
});
