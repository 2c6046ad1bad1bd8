import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computeAts, skuAts, changedSince } from './compute.js';
import { parseRules } from './rules.js';
import { expandForKits } from './stock-apply.js';
import { StockReadingSchema, type StockReading } from '../../canonical/stock.js';

const READ_AT = '2026-11-23T12:00:00.000Z';
const reading = (sku: string, wh: Array<[string, number, number]>, readAt = READ_AT): StockReading =>
  StockReadingSchema.parse({ sku, readAt, warehouses: wh.map(([id, onHand, reserved]) => ({ id, onHand, reserved })) });

describe('ATS rules (table-driven)', () => {
  const base = { channels: { web: ['1', '2'], pos: ['2'] } };
  const cases: Array<[string, Record<string, unknown>, StockReading, string, number]> = [
    ['sums the channel warehouses', {}, reading('A', [['1', 10, 0], ['2', 5, 0]]), 'web', 15],
    ['ignores other warehouses', {}, reading('A', [['1', 10, 0], ['2', 5, 0], ['3', 99, 0]]), 'web', 15],
    ['channel with fewer warehouses', {}, reading('A', [['1', 10, 0], ['2', 5, 0]]), 'pos', 5],
    ['nets ERP reservations', {}, reading('A', [['1', 10, 4], ['2', 5, 1]]), 'web', 10],
    ['global safety stock', { safetyStock: { global: 3 } }, reading('A', [['1', 10, 0]]), 'web', 7],
    ['per-SKU safety overrides global', { safetyStock: { global: 3, perSku: { A: 1 } } }, reading('A', [['1', 10, 0]]), 'web', 9],
    ['reserve in units', { reserve: { web: { units: 4 } } }, reading('A', [['1', 10, 0]]), 'web', 6],
    ['reserve in percent (rounded up)', { reserve: { web: { percent: 25 } } }, reading('A', [['1', 10, 0]]), 'web', 7],
    ['never below zero', { safetyStock: { global: 50 } }, reading('A', [['1', 10, 0]]), 'web', 0],
    ['negative on-hand stays at zero', {}, reading('A', [['1', -4, 0]]), 'web', 0],
    ['over-reserved warehouse offsets another', {}, reading('A', [['1', 2, 5], ['2', 6, 0]]), 'web', 3],
    ['unknown channel sells nothing', {}, reading('A', [['1', 10, 0]]), 'b2b', 0],
  ];
  for (const [name, extra, r, channel, expected] of cases) {
    it(name, () => assert.equal(skuAts(r, parseRules({ ...base, ...extra }), channel), expected));
  }
});

describe('kits', () => {
  const rules = parseRules({ channels: { web: ['1'] }, kits: { KIT: { components: { A: 2, B: 1 } }, BROKEN: { components: { A: 1, Z: 1 } } } });
  it('ATS(kit) = min(floor(ATS(component) / qty)) with the oldest read time', () => {
    const out = computeAts([reading('A', [['1', 7, 0]], '2026-11-23T12:00:01.000Z'), reading('B', [['1', 5, 0]])], rules, 'web');
    assert.deepEqual(out.find((i) => i.sku === 'KIT'), { sku: 'KIT', ats: 3, read_at: READ_AT });
  });
  it('a kit made of a kit is computed whatever the order of the kits (integer-like SKUs come first in JavaScript)', () => {
    const nested = parseRules({ channels: { web: ['1'] }, kits: { DUO: { components: { A: 2 } }, 1001: { components: { DUO: 1, B: 1 } } } });
    assert.equal(Object.keys(nested.kits)[0], '1001', 'the outer kit is listed first');
    const out = computeAts([reading('A', [['1', 9, 0]]), reading('B', [['1', 3, 0]])], nested, 'web');
    assert.deepEqual(out.filter((i) => ['DUO', '1001'].includes(i.sku)).map((i) => [i.sku, i.ats]), [['DUO', 4], ['1001', 3]]);
    const changed = expandForKits(['A'], nested).sort();
    assert.deepEqual(changed, ['A', 'B', 'DUO'], 'a change of A re-reads B too, so the outer kit can be computed');
  });
  it('a kit with an unread component is left out', () => {
    const out = computeAts([reading('A', [['1', 7, 0]])], rules, 'web');
    assert.equal(out.some((i) => i.sku === 'BROKEN' || i.sku === 'KIT'), false);
  });
});

describe('settings validation', () => {
  const bad: Array<[string, unknown]> = [
    ['no warehouses', { channels: { web: [] } }],
    ['fractional safety', { channels: { web: ['1'] }, safetyStock: { global: 1.5 } }],
    ['negative reserve', { channels: { web: ['1'] }, reserve: { web: { units: -1 } } }],
    ['percent over 100', { channels: { web: ['1'] }, reserve: { web: { percent: 120 } } }],
    ['kit without components', { channels: { web: ['1'] }, kits: { K: { components: {} } } }],
    // The SKU map's rule (src/canonical/sku.ts, SkuMap::problem in PHP): 1 to 191 characters, no control characters.
    ['a per-SKU safety SKU of 192 characters', { channels: { web: ['1'] }, safetyStock: { perSku: { ['é'.repeat(192)]: 1 } } }],
    ['a kit SKU ending in a newline', { channels: { web: ['1'] }, kits: { 'KIT\n': { components: { A: 1 } } } }],
    ['an empty component SKU', { channels: { web: ['1'] }, kits: { KIT: { components: { '': 1 } } } }],
  ];
  it('takes a SKU of 191 characters (code points, as PHP counts them) in the rules', () => {
    const sku = 'é'.repeat(191);
    assert.equal(parseRules({ channels: { web: ['1'] }, safetyStock: { perSku: { [sku]: 2 } }, kits: { [sku]: { components: { A: 1 } } } }).safetyStock.perSku[sku], 2);
  });
  for (const [name, input] of bad) it(`refuses ${name}`, () => assert.throws(() => parseRules(input)));
  it('refuses a fractional quantity in a reading', () => {
    assert.throws(() => StockReadingSchema.parse({ sku: 'A', readAt: READ_AT, warehouses: [{ id: '1', onHand: 1.5, reserved: 0 }] }));
  });
});

describe('changedSince', () => {
  it('keeps only values that moved', () => {
    const items = [{ sku: 'A', ats: 1, read_at: READ_AT }, { sku: 'B', ats: 2, read_at: READ_AT }];
    assert.deepEqual(changedSince(items, new Map([['A', 1], ['B', 3]])).map((i) => i.sku), ['B']);
  });
});
