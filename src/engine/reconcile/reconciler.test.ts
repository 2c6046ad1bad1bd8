import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RetryableError } from '../../common/errors.js';
import { createLogger } from '../../observability/logger.js';
import type { ErpOrderSummary } from '../../ports/erp.js';
import { parseRules } from '../ats/rules.js';
import { Reconciler, type ReconcileWp } from './reconciler.js';
import type { StoreOrder } from './schemas.js';

const logger = createLogger('silent');
const order = (id: number, o: Partial<StoreOrder> = {}): StoreOrder => ({
  id, correlation_id: `c${id}`, status: 'processing', currency: 'EUR', total: '10.00', created_at: 1, events: 1, open_events: 0, ...o,
});

/** WordPress's reconciliation routes in memory: pages of orders and stock, and every report received. */
function fakeWp(orders: StoreOrder[], stock: Array<{ sku: string; stock: number; in_flight: number }>) {
  const reports: Array<{ items: unknown[]; final?: unknown; failed?: string }> = [];
  const wp: ReconcileWp = {
    call<T>(route: string, body: unknown, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { message: string } } }): Promise<T> {
      const b = body as Record<string, unknown>;
      let answer: unknown;
      if (route.endsWith('/start')) answer = { id: 1, state: 'running', window_from: 0, window_to: 9, repair: false, skip_statuses: ['on-hold'] };
      if (route.endsWith('/orders')) {
        const page = orders.filter((o) => o.id > Number(b.after_id)).slice(0, Number(b.limit));
        answer = { orders: page, next_after_id: page.length === Number(b.limit) ? page[page.length - 1]?.id : null };
      }
      if (route.endsWith('/stock')) {
        const page = stock.filter((s) => s.sku > String(b.after_sku)).slice(0, Number(b.limit));
        answer = { items: page.map((s) => ({ ...s, last_erp_ats: null })), next_after_sku: null };
      }
      if (route.endsWith('/report')) {
        reports.push(b as { items: unknown[] });
        answer = { added: (b.items as unknown[]).length };
      }
      const parsed = schema.safeParse(answer);
      if (!parsed.success) throw new Error(`${route}: ${parsed.error.message}`);
      return Promise.resolve(parsed.data);
    },
  };
  return { wp, reports };
}

describe('Reconciler', () => {
  it('pages through the orders, asks the ERP in chunks, compares stock with fresh ATS, reports in chunks and ends with a final report', async () => {
    const orders = Array.from({ length: 25 }, (_, i) => order(i + 1, i === 24 ? { status: 'on-hold' } : {}));
    const { wp, reports } = fakeWp(orders, [{ sku: 'A', stock: 7, in_flight: 0 }, { sku: 'B', stock: 4, in_flight: 1 }]);
    const asked: string[][] = [];
    const adapter = {
      findOrdersByRefExt(refs: string[]): Promise<Map<string, ErpOrderSummary[]>> {
        asked.push(refs);
        // Orders 1–20 are in the ERP; 21–25 are not (25 is on-hold, mapped to skip: not missing).
        return Promise.resolve(new Map(refs.map((r) => [r, Number(r.slice(1)) <= 20 ? [{ id: r, ref: r, status: 'validated' as const, total: '10.00' }] : []])));
      },
      readStock: () => Promise.resolve([{ sku: 'A', warehouses: [{ id: '1', onHand: 5, reserved: 0 }], readAt: '2026-11-30T00:00:00Z' }, { sku: 'B', warehouses: [{ id: '1', onHand: 5, reserved: 0 }], readAt: '2026-11-30T00:00:00Z' }]),
    };
    const r = await new Reconciler(wp, adapter, logger, { pageSize: 10, erpChunk: 4, stock: { rules: parseRules({ channels: { web: ['1'] } }), channel: 'web' } }).run(1);
    assert.deepEqual({ orders: r.ordersChecked, skus: r.skusChecked, found: r.found }, { orders: 25, skus: 2, found: 5 });
    assert.ok(asked.every((c) => c.length <= 4), 'ERP lookups in chunks');
    assert.equal(asked.flat().length, 25, 'every order asked once');
    const items = reports.flatMap((p) => p.items as Array<{ class: string; object_key: string }>);
    assert.deepEqual(items.map((i) => `${i.class}:${i.object_key}`).sort(), ['missing_in_erp:21', 'missing_in_erp:22', 'missing_in_erp:23', 'missing_in_erp:24', 'stock_drift:A']);
    assert.ok(reports.at(-1)?.final, 'the last report is final');
  });

  it('a transient failure is thrown for a retry (no failed report); any other failure is reported as failed', async () => {
    const { wp, reports } = fakeWp([order(1)], []);
    const flaky = { findOrdersByRefExt: () => Promise.reject(new RetryableError('erp_timeout', 'slow')) };
    await assert.rejects(new Reconciler(wp, flaky, logger).run(1), RetryableError);
    assert.equal(reports.length, 0);
    const broken = { findOrdersByRefExt: () => Promise.reject(new Error('bad answer')) };
    await assert.rejects(new Reconciler(wp, broken, logger).run(1), /bad answer/);
    assert.equal(reports.at(-1)?.failed, 'bad answer');
  });
});
