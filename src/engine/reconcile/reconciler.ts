/**
 * A reconciliation run, as the sidecar does it for a `reconcile.run` event (object id = the run's id):
 * POST /reconcile/start → WooCommerce's orders of the window in pages → the ERP's sales orders by external reference
 * (chunks of 100, a few at once) → compare → POST /reconcile/report in chunks; then stock: the ERP's stock (one full
 * read) → ATS → WooCommerce's managed stock in pages → compare; a final report ends the run (WordPress clears earlier
 * items no longer found and, when the run asked for it, repairs). WordPress is read only through syncline/v1.
 */
import type { Logger } from 'pino';
import { RetryableError } from '../../common/errors.js';
import type { ErpAdapter, ErpOrderSummary } from '../../ports/erp.js';
import { computeAts } from '../ats/compute.js';
import type { AtsRules } from '../ats/rules.js';
import { compareOrders, compareStock } from './compare.js';
import { OrdersPage, ReconcileRun, type ReconcileItem, ReportResponse, StockPage } from './schemas.js';

/** The signed call the reconciler needs (WpClient.call). */
export interface ReconcileWp {
  call<T>(route: string, body: unknown, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { message: string } } }): Promise<T>;
}

export interface ReconcilerOptions {
  /** Stock comparison (absent: stock sync is off, only orders are compared). */
  stock?: { rules: AtsRules; channel: string };
  /** WooCommerce orders per page. @defaultValue 1000 */
  pageSize?: number;
  /** References per ERP lookup. @defaultValue 100 */
  erpChunk?: number;
  /** ERP lookups at once (reads share the ERP with the order pipelines). @defaultValue 2 */
  erpParallel?: number;
}

export interface ReconcileResult {
  runId: number;
  ordersChecked: number;
  skusChecked: number;
  found: number;
  ms: number;
}

const REPORT_CHUNK = 500;

export class Reconciler {
  constructor(
    private readonly wp: ReconcileWp,
    private readonly adapter: Pick<ErpAdapter, 'findOrdersByRefExt' | 'readStock'>,
    private readonly logger: Logger,
    private readonly opts: ReconcilerOptions = {},
  ) {}

  async run(runId: number): Promise<ReconcileResult> {
    const t0 = Date.now();
    const run = await this.wp.call('/syncline/v1/reconcile/start', { run_id: runId }, ReconcileRun);
    const pending: ReconcileItem[] = [];
    let found = 0;
    const flush = async (all: boolean): Promise<void> => {
      while (pending.length >= REPORT_CHUNK || (all && pending.length > 0)) {
        const items = pending.splice(0, REPORT_CHUNK);
        found += items.length;
        await this.wp.call('/syncline/v1/reconcile/report', { run_id: runId, items }, ReportResponse);
      }
    };
    try {
      const ordersChecked = await this.orders(run, pending, flush);
      const skusChecked = await this.stock(pending, flush);
      await flush(true);
      const ms = Date.now() - t0;
      const final = { orders_checked: ordersChecked, skus_checked: skusChecked, duration_ms: Math.max(1, ms) };
      await this.wp.call('/syncline/v1/reconcile/report', { run_id: runId, items: [], final }, ReportResponse);
      this.logger.info({ run: runId, orders: ordersChecked, skus: skusChecked, found, ms }, 'reconciliation done');
      return { runId, ordersChecked, skusChecked, found, ms };
    } catch (e) {
      // A transient failure is retried from the start (the next /reconcile/start drops this attempt's items).
      if (e instanceof RetryableError) throw e;
      const message = e instanceof Error ? e.message : String(e);
      await this.wp.call('/syncline/v1/reconcile/report', { run_id: runId, items: [], failed: message.slice(0, 1000) || 'failed' }, ReportResponse);
      throw e;
    }
  }

  private async orders(run: ReconcileRun, pending: ReconcileItem[], flush: (all: boolean) => Promise<void>): Promise<number> {
    const find = this.adapter.findOrdersByRefExt?.bind(this.adapter);
    if (!find) {
      this.logger.warn('the ERP adapter cannot list orders by external reference: orders not reconciled');
      return 0;
    }
    const size = this.opts.pageSize ?? 1000;
    let after = 0;
    let checked = 0;
    for (;;) {
      const page = await this.wp.call('/syncline/v1/reconcile/orders', { run_id: run.id, after_id: after, limit: size }, OrdersPage);
      const erp = await this.lookup(page.orders.map((o) => o.correlation_id), find);
      pending.push(...compareOrders(page.orders, erp, new Set(run.skip_statuses)));
      checked += page.orders.length;
      await flush(false);
      if (page.next_after_id === null) return checked;
      after = page.next_after_id;
    }
  }

  /** ERP orders of many references: chunks, a few in flight at once. */
  private async lookup(refs: string[], find: (r: string[]) => Promise<Map<string, ErpOrderSummary[]>>): Promise<Map<string, ErpOrderSummary[]>> {
    const chunk = this.opts.erpChunk ?? 100;
    const chunks: string[][] = [];
    for (let i = 0; i < refs.length; i += chunk) chunks.push(refs.slice(i, i + chunk));
    const out = new Map<string, ErpOrderSummary[]>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < chunks.length) {
        const mine = chunks[next++] as string[];
        for (const [k, v] of await find(mine)) out.set(k, v);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.erpParallel ?? 2, chunks.length) }, worker));
    return out;
  }

  private async stock(pending: ReconcileItem[], flush: (all: boolean) => Promise<void>): Promise<number> {
    const s = this.opts.stock;
    if (!s || !this.adapter.readStock) return 0;
    const readings = await this.adapter.readStock();
    const ats = new Map(computeAts(readings, s.rules, s.channel).map((i) => [i.sku, i.ats]));
    let after = '';
    let checked = 0;
    for (;;) {
      const page = await this.wp.call('/syncline/v1/reconcile/stock', { after_sku: after, limit: 1000 }, StockPage);
      for (const item of page.items) {
        const drift = compareStock(item, ats.get(item.sku));
        if (drift) pending.push(drift);
      }
      checked += page.items.length;
      await flush(false);
      if (page.next_after_sku === null) return checked;
      after = page.next_after_sku;
    }
  }
}
