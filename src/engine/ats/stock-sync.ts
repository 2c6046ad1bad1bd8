/**
 * StockSync: ERP stock → available-to-sell → WooCommerce (docs/ARCHITECTURE.md, "Stock (ATS)").
 * - full pull: adapter.readStock() → computeAts → POST /stock/apply in chunks of 500, every `fullIntervalMs`;
 * - changed-since pass (adapters with readStockChanges): every `changedIntervalMs`, re-reads only moved refs;
 * - a targeted pull (`resync` with SKUs) also reports the SKUs the ERP does not return to /stock/missing;
 * - a full pull that read and applied everything ends with POST /stock/pull-complete {started_at: its earliest
 *   read time}: WordPress, which knows the store's SKUs, records those (managed stock) no reading reached.
 *   Changed-since and targeted passes, and a failed full pull, never call it (they did not see every ERP SKU);
 * - degraded mode: when reading the ERP fails for longer than `staleAfterMs`, the last values stay and
 *   `stale: true` goes into the heartbeat's erp block (EngineStats.stock). With `degradedCapPercent`, one apply
 *   pass then sends floor(last applied ATS × cap / 100) for every SKU last applied (a fresh read_at), once per
 *   outage; the ERP's next answer is followed by a full pull, which restores the real figures.
 * Passes never overlap (one chain), so readings are applied in read order and read_at only grows.
 */
import { SerialLoop } from '../../common/serial-loop.js';
import type { Logger } from 'pino';
import type { StockReading } from '../../canonical/stock.js';
import type { Clock } from '../../common/clock.js';
import type { ErpAdapter } from '../../ports/erp.js';
import type { WpStockApi } from '../../wp/client.js';
import type { StockPullCompleteResponse } from '../../wp/schemas.js';
import type { EngineStats } from '../stats.js';
import { computeAts } from './compute.js';
import type { AtsRules } from './rules.js';
import { type ApplyTotals, applyAll, emptyTotals, expandForKits, reportMissing } from './stock-apply.js';

export interface StockSyncOptions {
  channel: string;
  rules: AtsRules;
  fullIntervalMs: number;
  changedIntervalMs: number;
  staleAfterMs: number;
  /** Degraded mode: once stale, cap every SKU at this percent (0–100) of its last applied ATS. @defaultValue unset (no cap) */
  degradedCapPercent?: number;
  /** Items per apply request (at most 500). @defaultValue 500 */
  chunkSize?: number;
}

export interface StockSyncDeps {
  adapter: Pick<ErpAdapter, 'readStock' | 'readStockChanges'>;
  wp: WpStockApi;
  clock: Clock;
  logger: Logger;
  stats?: EngineStats;
}

export type PassKind = 'full' | 'targeted' | 'changed';

export interface StockPassResult extends ApplyTotals {
  kind: PassKind;
  /** Readings the ERP returned. */
  read: number;
  /** Items sent to WordPress (readings + kits). */
  sent: number;
  /** Store SKUs the ERP lacks that WordPress recorded as needs-human events. */
  missing_recorded: number;
  /** Full pulls: store SKUs (managed stock) no reading of the pull reached, as WordPress counted them. */
  store_only?: number;
  ms: number;
}

/** The pull a `stock.resync` event asks for (the consumer's view of StockSync). */
export interface StockResync {
  resync(skus?: string[]): Promise<StockPassResult>;
}

export class StockSync implements StockResync {
  private cursor: string | null = null;
  private lastReadAt: number | null = null;
  private readonly startedAt: number;
  private readonly runner = new SerialLoop((signal) => this.loop(signal));
  /** The last ATS applied per SKU from a real ERP reading (the degraded cap's base). */
  private readonly lastApplied = new Map<string, number>();
  /** The degraded cap was applied during this outage (not again until the ERP answers). */
  private capped = false;
  /** The ERP answered after a capped outage: the next pass is a full pull, to restore every real figure. */
  private restore = false;
  stale = false;

  constructor(private readonly o: StockSyncOptions, private readonly d: StockSyncDeps) {
    this.startedAt = d.clock.now();
    this.publish();
  }

  /** Unix ms of the last successful ERP stock read (null: none yet). */
  get lastReadAtMs(): number | null {
    return this.lastReadAt;
  }

  /** Starts the schedule: a full pull now, then full pulls and changed-since passes. */
  start(): void {
    this.runner.start();
  }

  /** Stops the schedule and waits for the pass under way. */
  stop(): Promise<void> {
    return this.runner.stop();
  }

  resync(skus?: string[]): Promise<StockPassResult> {
    return skus && skus.length > 0 ? this.serial(() => this.pull('targeted', skus)) : this.fullPull();
  }

  fullPull(): Promise<StockPassResult> {
    return this.serial(() => this.pull('full'));
  }

  /** Re-reads the refs moved since the last pass; null when the adapter cannot list changes. */
  changedPass(): Promise<StockPassResult | null> {
    return this.serial(() => this.changes());
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    return this.runner.serial(work);
  }

  private async loop(signal: AbortSignal): Promise<void> {
    const { clock } = this.d;
    let nextFull = clock.now();
    let nextChanged = clock.now() + this.o.changedIntervalMs;
    while (!signal.aborted) {
      if (clock.now() >= nextFull) {
        const ok = await this.quietly(() => this.fullPull());
        nextFull = clock.now() + (ok ? this.o.fullIntervalMs : Math.min(this.o.fullIntervalMs, this.o.changedIntervalMs));
        nextChanged = clock.now() + this.o.changedIntervalMs;
      } else if (clock.now() >= nextChanged) {
        await this.quietly(() => this.changedPass());
        nextChanged = clock.now() + this.o.changedIntervalMs;
      }
      const wake = this.d.adapter.readStockChanges ? Math.min(nextFull, nextChanged) : nextFull;
      await clock.sleep(Math.max(0, wake - clock.now()), signal);
    }
  }

  /** Runs a scheduled pass; failures are logged (and counted by the degraded-mode bookkeeping), never thrown. */
  private async quietly(pass: () => Promise<unknown>): Promise<boolean> {
    try {
      await pass();
      return true;
    } catch (e) {
      this.d.logger.warn({ err: e, stale: this.stale }, 'stock pass failed; last values kept');
      return false;
    }
  }

  private async pull(kind: PassKind, refs?: string[]): Promise<StockPassResult> {
    const read = this.d.adapter.readStock?.bind(this.d.adapter);
    if (!read) throw new Error('the ERP adapter cannot read stock');
    const t0 = this.d.clock.now();
    const wanted = refs ? expandForKits(refs, this.o.rules) : undefined;
    const readings = await this.reading(async () => {
      if (this.cursor === null && this.d.adapter.readStockChanges) this.cursor = (await this.d.adapter.readStockChanges(null)).cursor;
      return read(wanted);
    }, t0);
    const items = computeAts(readings, this.o.rules, this.o.channel);
    const totals = items.length > 0 ? await applyAll(this.d.wp, items, this.o.chunkSize) : emptyTotals();
    for (const i of items) this.lastApplied.set(i.sku, i.ats);
    if (kind === 'full' && !refs) this.restore = false;
    let missing = 0;
    let storeOnly: number | undefined;
    if (refs && kind === 'targeted') {
      const got = new Set(readings.map((r) => r.sku));
      const absent = refs.filter((r) => !got.has(r) && !(r in this.o.rules.kits));
      if (absent.length > 0) missing = await reportMissing(this.d.wp, absent);
    }
    if (kind === 'full' && !refs) {
      const done = await this.pullComplete(readings);
      missing = done?.recorded ?? 0;
      storeOnly = done?.missing;
    }
    const result: StockPassResult = { kind, ...totals, read: readings.length, sent: items.length, missing_recorded: missing, ms: this.d.clock.now() - t0 };
    if (storeOnly !== undefined) result.store_only = storeOnly;
    this.log(result);
    return result;
  }

  /**
   * Tells WordPress a full pull is complete (every reading applied), from its earliest read time. Not after an
   * empty read (more likely a misconfigured ERP than an ERP without products: it would flag every store SKU).
   * A failure is logged, not thrown: the readings are applied, and the next full pull reports again.
   */
  private async pullComplete(readings: readonly StockReading[]): Promise<StockPullCompleteResponse | undefined> {
    let first: StockReading | undefined;
    for (const r of readings) if (!first || Date.parse(r.readAt) < Date.parse(first.readAt)) first = r;
    if (!first) {
      this.d.logger.warn('full stock pull read no SKU: store-only SKUs not reported');
      return undefined;
    }
    try {
      return await this.d.wp.pullComplete(first.readAt, new Set(readings.map((r) => r.sku)).size);
    } catch (e) {
      this.d.logger.warn({ err: e }, 'stock pull-complete failed: store-only SKUs not reported this time');
      return undefined;
    }
  }

  private async changes(): Promise<StockPassResult | null> {
    const list = this.d.adapter.readStockChanges?.bind(this.d.adapter);
    if (!list) return null;
    const t0 = this.d.clock.now();
    const changed = await this.reading(() => list(this.cursor), t0);
    if (changed.overflow || this.restore) {
      this.cursor = changed.cursor;
      return this.pull('full');
    }
    const wasStarted = this.cursor !== null;
    this.cursor = changed.cursor;
    if (!wasStarted || changed.refs.length === 0) return null;
    return this.pull('changed', changed.refs);
  }

  /** An ERP read with the degraded-mode bookkeeping: success clears `stale`, failure past the threshold sets it. */
  private async reading<T>(read: () => Promise<T>, t0: number): Promise<T> {
    try {
      const out = await read();
      this.lastReadAt = t0;
      this.stale = false;
      if (this.capped) this.restore = true;
      this.capped = false;
      return out;
    } catch (e) {
      const since = this.lastReadAt ?? this.startedAt;
      const wasStale = this.stale;
      this.stale = this.d.clock.now() - since > this.o.staleAfterMs;
      if (this.stale && !wasStale) this.d.logger.error({ err: e, last_read_at: this.lastReadAt }, 'ERP stock unreadable past stock.stale_after_seconds: store stock is stale');
      if (this.stale) await this.applyCap();
      throw e;
    } finally {
      this.publish();
    }
  }

  /**
   * Degraded cap: one apply pass of floor(last applied ATS × cap / 100) for every SKU last applied, as a new
   * reading (read_at now, so WordPress's monotonic rule takes it). Once per outage; a failed apply is logged and
   * tried again at the next failed read.
   */
  private async applyCap(): Promise<void> {
    const cap = this.o.degradedCapPercent;
    if (cap === undefined || this.capped || this.lastApplied.size === 0) return;
    const readAt = new Date(this.d.clock.now()).toISOString();
    const items = [...this.lastApplied].map(([sku, ats]) => ({ sku, ats: Math.floor((ats * cap) / 100), read_at: readAt }));
    try {
      const totals = await applyAll(this.d.wp, items, this.o.chunkSize);
      this.capped = true;
      this.d.logger.warn({ cap_percent: cap, sent: items.length, applied: totals.applied, unchanged: totals.unchanged, skipped_stale: totals.skipped_stale }, 'stock stale: sellable quantities capped at stock.degraded_cap_percent of the last known');
    } catch (e) {
      this.d.logger.warn({ err: e, cap_percent: cap }, 'stock stale: applying the degraded cap failed; tried again at the next pass');
    }
  }

  private publish(): void {
    if (!this.d.stats) return;
    const cap = this.o.degradedCapPercent;
    this.d.stats.stock = { stale: this.stale, lastReadAt: this.lastReadAt, ...(cap === undefined ? {} : { capPercent: cap }) };
  }

  private log(r: StockPassResult): void {
    this.d.logger.info({
      pass: r.kind, read: r.read, sent: r.sent, applied: r.applied, unchanged: r.unchanged, skipped_stale: r.skipped_stale,
      unknown_in_store: r.unknown_in_store.length, not_managed: r.not_managed.length, missing_recorded: r.missing_recorded,
      ...(r.store_only === undefined ? {} : { store_only: r.store_only }), ms: r.ms,
    }, 'stock pass done');
  }
}
