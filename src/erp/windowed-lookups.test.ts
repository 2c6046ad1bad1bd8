import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WindowedLookups } from './windowed-lookups.js';
import { WriteSlots } from './write-slots.js';

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function make(idleWindowMs = 5): { slots: WriteSlots; lookups: WindowedLookups<string[]>; loads: Array<{ keys: string[]; at: number }>; t0: number } {
  const slots = new WriteSlots(1);
  const loads: Array<{ keys: string[]; at: number }> = [];
  const t0 = Date.now();
  const lookups = new WindowedLookups<string[]>(async (keys) => {
    loads.push({ keys, at: Date.now() - t0 });
    return new Map(keys.map((k) => [k, [`doc-of-${k}`]]));
  }, slots, idleWindowMs);
  return { slots, lookups, loads, t0 };
}

describe('WindowedLookups (order lookups of both ERPs)', () => {
  it('with no write running, lookups go out after the short idle window, together', async () => {
    const { lookups, loads } = make(5);
    const got = await Promise.all([lookups.get('WC-1'), lookups.get('WC-2')]);
    assert.deepEqual(got, [['doc-of-WC-1'], ['doc-of-WC-2']]);
    assert.equal(loads.length, 1);
    assert.deepEqual(loads[0]?.keys, ['WC-1', 'WC-2']);
    assert.ok((loads[0]?.at ?? 999) < 60, `sent after ${loads[0]?.at} ms, not the 80 ms write window`);
  });

  it('while a write runs, lookups wait for each other (one request) and go the moment the last slot is given back', async () => {
    const { slots, lookups, loads } = make(5);
    let release!: () => void;
    const write = slots.run(() => new Promise<void>((r) => { release = r; }));
    const a = lookups.get('WC-1', true);
    await tick(20);
    const b = lookups.get('WC-2');
    await tick(20);
    assert.equal(loads.length, 0, 'nothing sent while the write runs and the window is open');
    release();
    await write;
    await Promise.all([a, b]);
    assert.equal(loads.length, 1);
    assert.deepEqual(loads[0]?.keys, ['WC-1', 'WC-2']);
    assert.ok((loads[0]?.at ?? 999) < 250, `sent at ${loads[0]?.at} ms, when the slot fell idle, not at the 300 ms window's end`);
  });

  it('getNow (inside the slot) sends at once and takes the lookups waiting for their window along', async () => {
    const { slots, lookups, loads } = make(5);
    let waiting: Promise<string[]> | undefined;
    const inSlot = slots.run(async () => {
      waiting = lookups.get('WC-9', true);
      return lookups.getNow('WC-1');
    });
    assert.deepEqual(await inSlot, ['doc-of-WC-1']);
    assert.deepEqual(await waiting, ['doc-of-WC-9']);
    assert.equal(loads.length, 1);
    assert.deepEqual(loads[0]?.keys.sort(), ['WC-1', 'WC-9']);
  });
});
