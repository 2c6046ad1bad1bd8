import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import type { StockReading } from '../../canonical/stock.js';
import { RetryableError } from '../../common/errors.js';
import { FakeClock } from '../../common/fake-clock.js';
import type { StockChanges } from '../../ports/erp.js';
import type { WpStockApi } from '../../wp/client.js';
import type { StockApplyItem, StockApplyResponse, StockMissingResponse, StockPullCompleteResponse } from '../../wp/schemas.js';
import { heartbeatBody } from '../heartbeat.js';
import { CircuitBreaker } from '../retry/circuit-breaker.js';
import { EngineStats } from '../stats.js';
import { parseRules } from './rules.js';
import { StockSync, type StockSyncOptions } from './stock-sync.js';

const logger = pino({ level: 'silent' });

/** ERP stand-in: readings per SKU (warehouse 1), optional failure, changes to hand out. */
class FakeErp {
  stock = new Map<string, number>();
  fail: Error | undefined;
  reads: Array<string[] | undefined> = [];
  changes: StockChanges[] = [];
  changeCalls: Array<string | null> = [];
  constructor(private readonly clock: FakeClock) {}
  async readStock(refs?: string[]): Promise<StockReading[]> {
    this.reads.push(refs);
    if (this.fail) throw this.fail;
    const readAt = new Date(this.clock.now()).toISOString();
    const skus = refs ?? [...this.stock.keys()];
    return skus.filter((s) => this.stock.has(s)).map((sku) => ({ sku, warehouses: [{ id: '1', onHand: this.stock.get(sku) ?? 0, reserved: 0 }], readAt }));
  }
  async readStockChanges(cursor: string | null): Promise<StockChanges> {
    this.changeCalls.push(cursor);
    if (this.fail) throw this.fail;
    return this.changes.shift() ?? { refs: [], cursor: cursor ?? '0' };
  }
}

/**
 * WordPress stand-in: records apply chunks; SKUs in `store` are known, the rest unknown_in_store; pull-complete
 * counts the store SKUs no applied reading at or after started_at reached.
 */
class FakeWp implements WpStockApi {
  applies: StockApplyItem[][] = [];
  missing: string[][] = [];
  completes: Array<{ startedAt: string | number; seen: number }> = [];
  failApply: Error | undefined;
  failComplete: Error | undefined;
  store = new Set<string>();
  async applyStock(items: StockApplyItem[]): Promise<StockApplyResponse> {
    assert.ok(items.length >= 1 && items.length <= 500, `chunk of ${items.length}`);
    if (this.failApply) throw this.failApply;
    this.applies.push(items);
    const unknown = items.filter((i) => !this.store.has(i.sku)).map((i) => i.sku);
    return { applied: items.length - unknown.length, unchanged: 0, skipped_stale: 0, unknown_in_store: unknown, not_managed: [] };
  }
  async reportMissing(skus: string[]): Promise<StockMissingResponse> {
    this.missing.push(skus);
    const inStore = skus.filter((s) => this.store.has(s)).length;
    return { recorded: inStore, already_open: 0, not_in_store: skus.length - inStore };
  }
  async pullComplete(startedAt: string | number, seen: number): Promise<StockPullCompleteResponse> {
    this.completes.push({ startedAt, seen });
    if (this.failComplete) throw this.failComplete;
    const since = typeof startedAt === 'number' ? startedAt : Date.parse(startedAt);
    const read = new Set(this.applies.flat().filter((i) => Date.parse(String(i.read_at)) >= since).map((i) => i.sku));
    const missing = [...this.store].filter((s) => !read.has(s)).length;
    return { missing, recorded: missing, already_open: 0 };
  }
}

function setup(opts: Partial<StockSyncOptions> = {}, withChanges = true) {
  const clock = new FakeClock();
  const erp = new FakeErp(clock);
  const wp = new FakeWp();
  const stats = new EngineStats(clock.now());
  const adapter = withChanges ? erp : { readStock: (r?: string[]) => erp.readStock(r) };
  const sync = new StockSync({
    channel: 'web', rules: parseRules({ channels: { web: ['1'] } }), fullIntervalMs: 300_000, changedIntervalMs: 30_000, staleAfterMs: 600_000, ...opts,
  }, { adapter, wp, clock, logger, stats });
  return { clock, erp, wp, stats, sync };
}

describe('StockSync', () => {
  it('applies a full pull in chunks of 500 and sums the answers', async () => {
    const { erp, wp, sync } = setup();
    for (let i = 0; i < 1234; i++) erp.stock.set(`S${i}`, i % 7);
    for (let i = 0; i < 1200; i++) wp.store.add(`S${i}`);
    const r = await sync.fullPull();
    assert.deepEqual(wp.applies.map((c) => c.length), [500, 500, 234]);
    assert.equal(r.read, 1234);
    assert.equal(r.sent, 1234);
    assert.equal(r.applied, 1200);
    assert.equal(r.unknown_in_store.length, 34);
    assert.deepEqual(wp.missing, [], 'a full pull does not list SKUs: WordPress finds the store-only ones');
    assert.deepEqual(wp.completes, [{ startedAt: new Date(1_700_000_000_000).toISOString(), seen: 1234 }]);
  });

  it('a complete full pull ends with pull-complete from its earliest read time; store-only SKUs are counted', async () => {
    const { clock, erp, wp, sync } = setup();
    erp.stock.set('A', 1);
    wp.store.add('A');
    await sync.fullPull();
    clock.advance(1000);
    wp.store.add('STORE-ONLY');
    const r = await sync.fullPull();
    assert.equal(wp.completes.length, 2);
    assert.deepEqual(wp.completes[1], { startedAt: new Date(1_700_000_001_000).toISOString(), seen: 1 });
    assert.equal(r.kind, 'full');
    assert.equal(r.missing_recorded, 1);
    assert.equal(r.store_only, 1);
  });

  it('pull-complete takes the earliest reading time when readings differ', async () => {
    const { clock, wp } = setup();
    const t = clock.now();
    const adapter = {
      readStock: async (): Promise<StockReading[]> => [
        { sku: 'B', warehouses: [{ id: '1', onHand: 1, reserved: 0 }], readAt: new Date(t + 500).toISOString() },
        { sku: 'A', warehouses: [{ id: '1', onHand: 1, reserved: 0 }], readAt: new Date(t).toISOString() },
      ],
    };
    const own = new StockSync({ channel: 'web', rules: parseRules({ channels: { web: ['1'] } }), fullIntervalMs: 1, changedIntervalMs: 1, staleAfterMs: 1 }, { adapter, wp, clock, logger });
    await own.fullPull();
    assert.deepEqual(wp.completes, [{ startedAt: new Date(t).toISOString(), seen: 2 }]);
  });

  it('partial passes never call pull-complete: changed-since, targeted, a failed read, a failed apply, an empty read', async () => {
    const { erp, wp, sync } = setup();
    await sync.fullPull();
    assert.deepEqual(wp.completes, [], 'an empty read flags nothing');
    for (const s of ['A', 'B']) erp.stock.set(s, 3);
    erp.changes.push({ refs: ['A'], cursor: '2' });
    assert.equal((await sync.changedPass())?.kind, 'changed');
    await sync.resync(['A']);
    erp.fail = new RetryableError('erp_unreachable', 'down');
    await assert.rejects(sync.fullPull());
    erp.fail = undefined;
    wp.failApply = new RetryableError('wp_unreachable', 'down');
    await assert.rejects(sync.fullPull());
    assert.deepEqual(wp.completes, []);
    wp.failApply = undefined;
    await sync.fullPull();
    assert.equal(wp.completes.length, 1, 'the next complete full pull does');
  });

  it('a failed pull-complete is logged, the applied pull still succeeds', async () => {
    const { erp, wp, sync } = setup();
    erp.stock.set('A', 1);
    wp.failComplete = new RetryableError('wp_unreachable', 'down');
    const r = await sync.fullPull();
    assert.equal(wp.applies.length, 1);
    assert.equal(r.missing_recorded, 0);
    assert.equal(r.store_only, undefined);
  });

  it('an overflowing change list\'s full pull is complete too', async () => {
    const { erp, wp, sync } = setup();
    erp.stock.set('A', 1);
    erp.changes.push({ refs: [], cursor: '1' }, { refs: [], cursor: '9000', overflow: true });
    await sync.fullPull();
    await sync.changedPass();
    assert.equal(wp.completes.length, 2);
  });

  it('passes every reading time through unchanged, later pulls later', async () => {
    const { clock, erp, wp, sync } = setup();
    erp.stock.set('A', 5);
    await sync.fullPull();
    clock.advance(1000);
    erp.stock.set('A', 7);
    await sync.fullPull();
    const [first, second] = wp.applies.map((c) => c[0]);
    assert.equal(first?.read_at, new Date(1_700_000_000_000).toISOString());
    assert.equal(second?.read_at, new Date(1_700_000_001_000).toISOString());
    assert.deepEqual([first?.ats, second?.ats], [5, 7]);
  });

  it('computes ATS with the rules (safety stock, kits)', async () => {
    const { erp, wp, sync } = setup({ rules: parseRules({ channels: { web: ['1'] }, safetyStock: { global: 2 }, kits: { KIT: { components: { A: 2, B: 1 } } } }) });
    erp.stock.set('A', 12);
    erp.stock.set('B', 4);
    await sync.fullPull();
    const sent = Object.fromEntries(wp.applies.flat().map((i) => [i.sku, i.ats]));
    assert.deepEqual(sent, { A: 10, B: 2, KIT: 2 });
  });

  it('keeps the last values and reports stale once the ERP has been unreadable past the threshold', async () => {
    const { clock, erp, wp, stats, sync } = setup();
    erp.stock.set('A', 5);
    await sync.fullPull();
    assert.deepEqual(stats.stock, { stale: false, lastReadAt: 1_700_000_000_000 });
    erp.fail = new RetryableError('erp_unreachable', 'down');
    clock.advance(300_000);
    await assert.rejects(sync.fullPull());
    assert.equal(sync.stale, false, 'not stale before stale_after');
    clock.advance(300_001);
    await assert.rejects(sync.fullPull());
    assert.equal(sync.stale, true);
    assert.equal(wp.applies.length, 1, 'nothing applied while the ERP is unreadable');
    const beat = heartbeatBody('w', '1', stats, new CircuitBreaker({ failureThreshold: 5, openMs: 1000 }), clock.now());
    assert.equal(beat.erp.stale, true);
    assert.equal(beat.erp.last_read_at, 1_700_000_000);
    erp.fail = undefined;
    await sync.fullPull();
    assert.equal(sync.stale, false);
    assert.equal(stats.stock?.lastReadAt, clock.now());
  });

  it('degraded cap: once stale, one capped pass of floor(last applied × cap / 100) with a fresh read time', async () => {
    const { clock, erp, wp, stats, sync } = setup({ degradedCapPercent: 50, rules: parseRules({ channels: { web: ['1'] }, kits: { KIT: { components: { A: 2 } } } }) });
    erp.stock.set('A', 7);
    erp.stock.set('B', 1);
    erp.stock.set('C', 0);
    await sync.fullPull();
    assert.equal(wp.applies.length, 1);
    assert.equal(stats.stock?.capPercent, 50);
    erp.fail = new RetryableError('erp_unreachable', 'down');
    clock.advance(300_000);
    await assert.rejects(sync.fullPull());
    assert.equal(wp.applies.length, 1, 'no cap before stale_after');
    clock.advance(300_001);
    await assert.rejects(sync.fullPull());
    assert.equal(sync.stale, true);
    assert.equal(wp.applies.length, 2, 'one capped pass');
    const capped = wp.applies[1] ?? [];
    assert.deepEqual(Object.fromEntries(capped.map((i) => [i.sku, i.ats])), { A: 3, B: 0, C: 0, KIT: 1 });
    assert.ok(capped.every((i) => i.read_at === new Date(clock.now()).toISOString()), 'a fresh read time');
    const beat = heartbeatBody('w', '1', stats, new CircuitBreaker({ failureThreshold: 5, openMs: 1000 }), clock.now());
    assert.equal(beat.erp.stock_cap_percent, 50);
    clock.advance(30_000);
    await assert.rejects(sync.fullPull());
    await assert.rejects(sync.changedPass());
    assert.equal(wp.applies.length, 2, 'not repeated while the ERP stays down');
  });

  it('degraded cap: the ERP\'s next answer, even to a changed-since pass, brings a full pull of the real figures', async () => {
    const { clock, erp, wp, sync } = setup({ degradedCapPercent: 10 });
    erp.stock.set('A', 40);
    erp.stock.set('B', 9);
    erp.changes.push({ refs: [], cursor: '1' });
    await sync.fullPull();
    erp.fail = new RetryableError('erp_unreachable', 'down');
    clock.advance(600_001);
    await assert.rejects(sync.changedPass());
    assert.deepEqual(Object.fromEntries((wp.applies[1] ?? []).map((i) => [i.sku, i.ats])), { A: 4, B: 0 });
    erp.fail = undefined;
    erp.stock.set('A', 38);
    clock.advance(30_000);
    const r = await sync.changedPass();
    assert.equal(r?.kind, 'full', 'a full pull, not the (empty) change list');
    assert.equal(sync.stale, false);
    assert.deepEqual(Object.fromEntries((wp.applies[2] ?? []).map((i) => [i.sku, i.ats])), { A: 38, B: 9 });
    assert.equal(await sync.changedPass(), null, 'then changed-since passes as usual');
    erp.fail = new RetryableError('erp_unreachable', 'down');
    clock.advance(600_001);
    await assert.rejects(sync.fullPull());
    assert.deepEqual(Object.fromEntries((wp.applies[3] ?? []).map((i) => [i.sku, i.ats])), { A: 3, B: 0 }, 'a new outage caps again, from the new figures');
  });

  it('degraded cap: none configured → nothing applied while stale', async () => {
    const { clock, erp, wp, stats, sync } = setup();
    erp.stock.set('A', 5);
    await sync.fullPull();
    erp.fail = new RetryableError('erp_unreachable', 'down');
    clock.advance(600_001);
    await assert.rejects(sync.fullPull());
    await assert.rejects(sync.fullPull());
    assert.equal(sync.stale, true);
    assert.equal(wp.applies.length, 1);
    assert.equal(stats.stock?.capPercent, undefined);
    const beat = heartbeatBody('w', '1', stats, new CircuitBreaker({ failureThreshold: 5, openMs: 1000 }), clock.now());
    assert.equal('stock_cap_percent' in beat.erp, false);
  });

  it('degraded cap: a failed capped apply is tried again at the next failed pass', async () => {
    const { clock, erp, wp, sync } = setup({ degradedCapPercent: 0 });
    erp.stock.set('A', 5);
    await sync.fullPull();
    erp.fail = new RetryableError('erp_unreachable', 'down');
    wp.failApply = new RetryableError('wp_unreachable', 'down');
    clock.advance(600_001);
    await assert.rejects(sync.fullPull(), /down/);
    assert.equal(wp.applies.length, 1);
    wp.failApply = undefined;
    await assert.rejects(sync.fullPull());
    assert.deepEqual(wp.applies[1]?.map((i) => [i.sku, i.ats]), [['A', 0]]);
  });

  it('a targeted resync reads only those SKUs and reports the ones the ERP lacks', async () => {
    const { erp, wp, sync } = setup();
    erp.stock.set('A', 1);
    wp.store.add('A');
    wp.store.add('GONE');
    const r = await sync.resync(['A', 'GONE']);
    assert.deepEqual(erp.reads.at(-1), ['A', 'GONE']);
    assert.deepEqual(wp.missing, [['GONE']]);
    assert.equal(r.missing_recorded, 1);
    assert.equal(r.kind, 'targeted');
  });

  it('a changed-since pass re-reads only moved refs, with every component of an affected kit', async () => {
    const { erp, wp, sync } = setup({ rules: parseRules({ channels: { web: ['1'] }, kits: { KIT: { components: { A: 1, B: 1 } } } }) });
    for (const s of ['A', 'B', 'C']) erp.stock.set(s, 3);
    erp.changes.push({ refs: [], cursor: '10' }, { refs: ['A'], cursor: '12' });
    await sync.fullPull();
    assert.deepEqual(erp.changeCalls, [null], 'the position is taken before the full read');
    const r = await sync.changedPass();
    assert.deepEqual(erp.changeCalls, [null, '10']);
    assert.deepEqual(erp.reads.at(-1), ['A', 'B']);
    assert.equal(r?.kind, 'changed');
    assert.deepEqual(wp.applies.at(-1)?.map((i) => i.sku).sort(), ['A', 'B', 'KIT']);
    assert.equal(await sync.changedPass(), null, 'nothing moved');
    assert.equal(erp.changeCalls.at(-1), '12');
  });

  it('an overflowing change list turns into a full pull', async () => {
    const { erp, sync } = setup();
    erp.stock.set('A', 1);
    erp.changes.push({ refs: [], cursor: '1' }, { refs: [], cursor: '9000', overflow: true });
    await sync.fullPull();
    const r = await sync.changedPass();
    assert.equal(r?.kind, 'full');
    assert.equal(erp.reads.at(-1), undefined);
  });

  it('schedules full pulls every full interval and changed passes in between; stop() ends the loop', async () => {
    const { erp, sync } = setup({ fullIntervalMs: 300_000, changedIntervalMs: 30_000 });
    erp.stock.set('A', 1);
    sync.start();
    while (erp.changeCalls.length < 25) await new Promise((r) => setImmediate(r));
    await sync.stop();
    const fulls = erp.reads.filter((r) => r === undefined).length;
    const changes = erp.changeCalls.length - fulls;
    assert.ok(fulls >= 2 && fulls <= 4, `full pulls: ${fulls}`);
    assert.ok(changes >= 8 * (fulls - 1), `changed passes between full pulls: ${changes}`);
  });

  it('without a change list only full pulls run; passes never overlap', async () => {
    const { erp, wp, sync } = setup({}, false);
    erp.stock.set('A', 1);
    const all = await Promise.all([sync.fullPull(), sync.fullPull(), sync.changedPass()]);
    assert.equal(all[2], null);
    assert.equal(wp.applies.length, 2);
  });
});
