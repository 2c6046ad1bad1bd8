/**
 * Push from the ERP: `erp.product_changed` events (recorded by WordPress when a Dolibarr webhook names a product;
 * object_id = the ERP's product id). A webhook only says "look at this product": nothing is taken from it. The
 * ids of the events leased together are read in one ERP request, then stock (a targeted pull: ATS as for any
 * pull) and master data are synced for just those refs. Dolibarr calls webhooks inside its own transaction, so the
 * change may not be committed when the event is leased: the same ids are read again `confirmAfterMs` later (once,
 * in the background), and the changed-since passes stay the safety net.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../common/clock.js';
import type { ErpAdapter } from '../../ports/erp.js';
import type { StockResync } from '../ats/stock-sync.js';
import type { ProductResync } from './product-sync.js';

export const ERP_PRODUCT_CHANGED = 'erp.product_changed';
/** Stock-only triggers (stock movements, orders, shipments, receptions): stock is re-read, master data is not. */
export const ERP_STOCK_CHANGED = 'erp.stock_changed';

export interface ErpChangesDeps {
  adapter: Pick<ErpAdapter, 'readProducts'>;
  stock?: StockResync;
  products?: ProductResync;
  clock: Clock;
  logger: Logger;
}

export interface ErpChangesOptions {
  /** How long ids are collected before one read. @defaultValue 50 */
  batchMs?: number;
  /** The second read of the same ids. @defaultValue 2000 (0: none) */
  confirmAfterMs?: number;
}

export class ErpChanges {
  /** Pending ids → whether master data is to be read too. */
  private pending = new Map<string, boolean>();
  /** ERP id → ref learned from earlier reads: the first pass of a known product skips the id lookup. */
  private readonly refs = new Map<string, string>();
  private flush: Promise<void> | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly d: ErpChangesDeps, private readonly o: ErpChangesOptions = {}) {}

  /**
   * Resolves once the product has been read and synced (rejects when that failed: the event is retried).
   * `masterData` false (a stock-only trigger): only stock is pulled.
   */
  changed(id: string, masterData = true): Promise<void> {
    this.pending.set(id, masterData || (this.pending.get(id) ?? false));
    // One batch at a time: ids that arrive while one runs wait for it and go together in the next (one read, one
    // stock pass), instead of queueing one small pass each behind the stock chain.
    this.flush ??= this.running.catch(() => undefined).then(() => this.d.clock.sleep(this.o.batchMs ?? 50)).then(() => {
      const ids = [...this.pending.keys()];
      const master = ids.filter((i) => this.pending.get(i));
      this.pending = new Map();
      this.flush = undefined;
      this.running = this.sync(ids, master, true);
      return this.running;
    });
    return this.flush;
  }

  /** Refs of the ids: from what earlier reads taught when `cached` and every id is known, else read now. */
  private async refsOf(ids: string[], cached: boolean): Promise<string[]> {
    const known = ids.map((id) => this.refs.get(id));
    if (cached && known.every((r) => r !== undefined)) return known as string[];
    const read = this.d.adapter.readProducts?.bind(this.d.adapter);
    if (!read) return [];
    const products = (await read({ ids })).products;
    for (const p of products) this.refs.set(p.erpId, p.ref);
    return products.map((p) => p.ref);
  }

  private async sync(ids: string[], master: string[], first: boolean): Promise<void> {
    // The confirming read never trusts the cache (a ref renamed in the ERP is found there).
    const refs = await this.refsOf(ids, first);
    if (refs.length > 0) await this.d.stock?.resync(refs);
    const masterRefs = master.map((id) => this.refs.get(id)).filter((r): r is string => r !== undefined);
    if (masterRefs.length > 0) await this.d.products?.syncRefs(masterRefs);
    this.d.logger.info({ ids: ids.length, refs: refs.length, confirm: !first }, 'ERP change pushed');
    const confirm = this.o.confirmAfterMs ?? 2000;
    if (first && confirm > 0 && refs.length > 0) {
      void this.d.clock.sleep(confirm).then(() => this.sync(ids, master, false)).catch((e: unknown) => {
        this.d.logger.warn({ err: e, ids: ids.length }, 'confirming read of pushed ERP changes failed; the changed-since pass covers it');
      });
    }
  }
}
