/**
 * ProductSync: ERP product master data → WooCommerce (docs/ARCHITECTURE.md, "Master data").
 * - changed-since pass every `changedIntervalMs` (adapters whose readProducts takes a cursor; Dolibarr: `tms`): the
 *   cursor lives in WordPress (returned by /products/context, stored by the last /products/apply of a complete
 *   pass), so a restarted sidecar goes on where it was; no stored cursor → the first pass is a full scan;
 * - full scan (`products.sync` without SKUs: the WP-Cron master-data schedule or `wp syncline sync products`);
 * - targeted passes: by refs (`wp syncline sync products --skus=…`) or by ERP ids (webhooks), never moving the cursor;
 * - dry run: WordPress compares and answers what would change, writes nothing, and keeps the answer for the CLI.
 * The stored cursor lags the newest `tms` read by `cursorLagSeconds`: a Dolibarr transaction that set its `tms`
 * before our read but committed after it (webhooks run inside Dolibarr's transaction) is still read next time.
 * Passes never overlap (one chain). Unchanged products cost a comparison in WordPress, never a write.
 */
import { SerialLoop } from '../../common/serial-loop.js';
import type { Logger } from 'pino';
import type { Product } from '../../canonical/product.js';
import type { Clock } from '../../common/clock.js';
import type { ErpAdapter, ProductChanges, ProductQuery } from '../../ports/erp.js';
import { chunks } from '../ats/stock-apply.js';
import { mapProduct, vatRateException } from './map.js';
import type { ProductApplyItem, ProductApplyResponse, ProductException } from './wire.js';
import type { WpProductsApi } from './wp-products.js';

export const PRODUCT_CHUNK = 200;

export interface ProductSyncOptions {
  changedIntervalMs: number;
  /** Items per apply request (at most 200). @defaultValue 200 */
  chunkSize?: number;
  /** How far behind the newest `tms` read the stored cursor stays. @defaultValue 10 */
  cursorLagSeconds?: number;
}

export interface ProductSyncDeps {
  adapter: Pick<ErpAdapter, 'readProducts'>;
  wp: WpProductsApi;
  clock: Clock;
  logger: Logger;
}

export type ProductPassKind = 'changed' | 'full' | 'targeted';

export interface ProductPassResult {
  kind: ProductPassKind;
  dry_run: boolean;
  read: number;
  sent: number;
  written: number;
  unchanged: number;
  created: number;
  unknown: string[];
  exceptions: number;
  /** Open exceptions closed because their cause is gone. */
  resolved?: number;
  changes: ProductApplyResponse['changes'];
  ms: number;
}

export interface ProductPassOptions {
  dryRun?: boolean;
  /** The products.sync request id (its dry-run answer is stored for the CLI). */
  request?: number;
}

/** What the consumer's pipeline needs of ProductSync. */
export interface ProductResync {
  syncRefs(refs: string[] | undefined, o?: ProductPassOptions): Promise<ProductPassResult>;
  syncIds(ids: string[]): Promise<ProductPassResult>;
  readonly wp: WpProductsApi;
}

/** `YYYY-MM-DD HH:MM:SS` minus `seconds` (Dolibarr database time, no zone). */
export function lagCursor(tms: string, seconds: number): string {
  const t = Date.parse(`${tms.replace(' ', 'T')}Z`);
  if (Number.isNaN(t)) return tms;
  return new Date(t - seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

export class ProductSync implements ProductResync {
  private readonly runner = new SerialLoop((signal) => this.loop(signal));

  constructor(private readonly o: ProductSyncOptions, private readonly d: ProductSyncDeps) {}

  get wp(): WpProductsApi {
    return this.d.wp;
  }

  start(): void {
    this.runner.start();
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }

  /** A changed-since pass (a full scan when WordPress has no cursor yet). */
  changedPass(): Promise<ProductPassResult> {
    return this.serial(() => this.pass('auto', {}, {}));
  }

  /** Every product (refs absent or empty) or just these refs. */
  syncRefs(refs: string[] | undefined, o: ProductPassOptions = {}): Promise<ProductPassResult> {
    const targeted = refs !== undefined && refs.length > 0;
    return this.serial(() => this.pass(targeted ? 'targeted' : 'full', targeted ? { refs } : { cursor: null }, o));
  }

  /** Just these ERP products (webhooks name the ERP's ids). */
  syncIds(ids: string[]): Promise<ProductPassResult> {
    return this.serial(() => this.pass('targeted', { ids }, {}));
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    return this.runner.serial(work);
  }

  private async loop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.changedPass();
      } catch (e) {
        this.d.logger.warn({ err: e }, 'product pass failed; tried again at the next interval');
      }
      await this.d.clock.sleep(this.o.changedIntervalMs, signal);
    }
  }

  /** One pass; `auto` = changed since WordPress's stored cursor, or a full scan when there is none. */
  private async pass(want: ProductPassKind | 'auto', q: ProductQuery, o: ProductPassOptions): Promise<ProductPassResult> {
    const read = this.d.adapter.readProducts?.bind(this.d.adapter);
    if (!read) throw new Error('the ERP adapter cannot read products');
    const t0 = this.d.clock.now();
    const ctx = await this.d.wp.productsContext();
    const kind: ProductPassKind = want !== 'auto' ? want : ctx.cursor === null ? 'full' : 'changed';
    const withCategories = ctx.owned.includes('categories') ? { categories: true } : {};
    const changes: ProductChanges = await read({ ...(want === 'auto' ? { cursor: ctx.cursor } : q), ...withCategories });
    const items: ProductApplyItem[] = [];
    const exceptions = new Map<string, ProductException[]>();
    const byVatRate = new Map<string, string[]>();
    for (const p of dedupe(changes.products)) {
      const m = mapProduct(p, ctx);
      items.push(m.item);
      if (m.exceptions.length > 0) exceptions.set(p.ref, m.exceptions);
      if (m.unmappedVatRate !== undefined) byVatRate.set(m.unmappedVatRate, [...(byVatRate.get(m.unmappedVatRate) ?? []), p.ref]);
    }
    // One exception per unmapped rate, sent with the chunk of its first product.
    for (const [rate, refs] of byVatRate) {
      const first = refs[0] as string;
      exceptions.set(first, [...(exceptions.get(first) ?? []), vatRateException(rate, refs)]);
    }
    const dryRun = o.dryRun === true;
    const moveCursor = kind !== 'targeted' && !dryRun && changes.cursor !== '';
    const cursor = moveCursor ? lagCursor(changes.cursor, this.o.cursorLagSeconds ?? 10) : undefined;
    const result: ProductPassResult = { kind, dry_run: dryRun, read: changes.products.length, sent: items.length, written: 0, unchanged: 0, created: 0, unknown: [], exceptions: 0, changes: [], ms: 0 };
    const parts = chunks(items, Math.min(this.o.chunkSize ?? PRODUCT_CHUNK, PRODUCT_CHUNK));
    if (parts.length === 0 && (cursor !== undefined || o.request !== undefined)) parts.push([]);
    for (const [i, part] of parts.entries()) {
      const last = i === parts.length - 1;
      const r = await this.d.wp.applyProducts({
        items: part,
        ...(exceptionsOf(part, exceptions)),
        ...(dryRun ? { dry_run: true } : {}),
        ...(o.request === undefined ? {} : { request: o.request }),
        ...(last && cursor !== undefined ? { cursor } : {}),
      });
      result.written += r.written;
      result.unchanged += r.unchanged;
      result.created += r.created;
      result.unknown.push(...r.unknown);
      result.exceptions += r.exceptions_recorded;
      result.resolved = (result.resolved ?? 0) + (r.exceptions_resolved ?? 0);
      result.changes.push(...r.changes);
    }
    result.ms = this.d.clock.now() - t0;
    this.d.logger.info({
      pass: kind, dry_run: dryRun, read: result.read, written: result.written, unchanged: result.unchanged, created: result.created,
      unknown: result.unknown.length, exceptions: result.exceptions, resolved: result.resolved ?? 0, ms: result.ms, ...(cursor ? { cursor } : {}),
    }, 'product pass done');
    return result;
  }
}

/** One product per ref (the newest read wins). */
function dedupe(products: readonly Product[]): Product[] {
  return [...new Map(products.map((p) => [p.ref, p])).values()];
}

function exceptionsOf(part: readonly ProductApplyItem[], all: Map<string, ProductException[]>): { exceptions?: ProductException[] } {
  const list = part.flatMap((i) => all.get(i.ref) ?? []);
  return list.length > 0 ? { exceptions: list } : {};
}
