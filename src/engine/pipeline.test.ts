import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { NeedsHumanError, RetryableError } from '../common/errors.js';
import { FakeErpAdapter } from '../../tests/ts/standins/engine/fake-adapter.js';
import { wcLine, wcOrder } from './mapping/testing.js';
import { financeSettings, runPipeline } from './pipeline.js';
import { planSteps } from './plan.js';
import { pushPolicy } from './policy.js';
import { leasedEvent } from '../../tests/ts/standins/engine/testing.js';
import { mapOrder } from './mapping/index.js';

const logger = pino({ level: 'silent' });
const run = (adapter: FakeErpAdapter, order: unknown, o: Parameters<typeof leasedEvent>[1] = {}) =>
  runPipeline(leasedEvent(order, o), { adapter, logger });
const writes = (a: FakeErpAdapter): string[] => a.calls.filter((c) => c.method === 'runStep').map((c) => c.step ?? '');

describe('planSteps', () => {
  const order = mapOrder(wcOrder(), { correlationId: 'c' });
  const customer = { type: 'customer' as const, id: '1', ref: 'CU1' };
  const so = (validated: boolean) => ({ type: 'sales_order' as const, id: '2', ref: 'SO2', validated });
  const cases: Array<[string, Parameters<typeof planSteps>[1], string[]]> = [
    ['nothing in the ERP yet', {}, ['customer', 'sales_order', 'validate_order']],
    ['customer only', { customer }, ['sales_order', 'validate_order']],
    ['a draft sales order', { customer, salesOrder: so(false) }, ['validate_order']],
    ['everything', { customer, salesOrder: so(true) }, []],
  ];
  for (const [name, state, steps] of cases) it(`plans ${JSON.stringify(steps)} for ${name}`, () => assert.deepEqual(planSteps(order, state), steps));
});

describe('push policy', () => {
  const cases: Array<[Parameters<typeof pushPolicy>, string]> = [
    [['processing'], 'push'], [['on-hold'], 'push'], [['completed'], 'push'], [['other'], 'push'],
    [['pending'], 'skip:status_pending'], [['failed'], 'skip:status_failed'], [['checkout-draft'], 'skip:status_checkout-draft'],
    [['cancelled'], 'need_state'], [['cancelled', {}], 'skip:cancelled_before_erp'],
    [['cancelled', { salesOrder: { type: 'sales_order', id: '1', ref: 'x', validated: true } }], 'push'],
  ];
  for (const [args, expected] of cases) {
    it(`${args[0]}${args[1] ? ' (state known)' : ''} → ${expected}`, () => {
      const d = pushPolicy(...args);
      assert.equal(d.kind === 'skip' ? `skip:${d.reason}` : d.kind, expected);
    });
  }
});

describe('order pipeline', () => {
  it('pushes a new order with every step and returns the documents for the ack', async () => {
    const adapter = new FakeErpAdapter();
    const r = await run(adapter, wcOrder());
    assert.deepEqual(r.refs.steps, ['customer', 'sales_order', 'validate_order']);
    assert.deepEqual(r.refs.documents.map((d) => d.type), ['customer', 'sales_order']);
    assert.equal(r.refs.erp, 'fake');
    assert.equal(r.pushed, true);
  });

  it('a replay after a timeout-after-commit creates nothing new and only finishes the missing step', async () => {
    const adapter = new FakeErpAdapter();
    adapter.faults.push({ method: 'runStep', afterCommit: true, error: new RetryableError('erp_timeout', 'timed out', { erpDown: true }) });
    await assert.rejects(run(adapter, wcOrder()), RetryableError);
    const r = await run(adapter, wcOrder());
    assert.deepEqual(r.refs.steps, ['sales_order', 'validate_order'], 'the customer committed before the timeout is found');
    const again = await run(adapter, wcOrder());
    assert.deepEqual(again.refs.steps, []);
    assert.equal(again.pushed, false);
    assert.equal(adapter.orderCount(), 1);
    assert.equal(adapter.customers.size, 1);
  });

  it('a timeout after the sales order committed: the retry validates it and creates no second order', async () => {
    const adapter = new FakeErpAdapter();
    const order = wcOrder();
    adapter.faults.push({ method: 'runStep', step: 'sales_order', afterCommit: true, error: new RetryableError('erp_timeout', 'timed out') });
    await assert.rejects(run(adapter, order), RetryableError);
    const r = await run(adapter, order);
    assert.deepEqual(r.refs.steps, ['validate_order']);
    assert.equal(adapter.orderCount(), 1);
  });

  it('an unmapped SKU is needs-human naming the SKU, before anything is written', async () => {
    const adapter = new FakeErpAdapter(new Set(['WIDGET']));
    const order = wcOrder({ line_items: [wcLine(), wcLine({ id: 2, sku: 'GHOST-SKU-1', name: 'Ghost' })], total: '40.00' });
    await assert.rejects(run(adapter, order), (e: unknown) =>
      e instanceof NeedsHumanError && e.code === 'unmapped_sku' && /SKU GHOST-SKU-1 has no product in the ERP/.test(e.message)
      && JSON.stringify(e.details.skus) === '["GHOST-SKU-1"]');
    assert.deepEqual(writes(adapter), []);
  });

  it('looks products up by their mapped ERP reference', async () => {
    const adapter = new FakeErpAdapter(new Set(['ERP-W']));
    const r = await run(adapter, wcOrder(), { skuMap: { WIDGET: 'ERP-W' } });
    assert.equal(r.pushed, true);
  });

  const skips: Array<[string, unknown, string, boolean]> = [
    ['a deleted order', null, 'order_deleted', false],
    ['a pending order', wcOrder({ status: 'pending' }), 'status_pending', false],
    ['a failed order', wcOrder({ status: 'failed' }), 'status_failed', false],
    ['a checkout draft', wcOrder({ status: 'checkout-draft' }), 'status_checkout-draft', false],
    ['an order cancelled before reaching the ERP', wcOrder({ status: 'cancelled' }), 'cancelled_before_erp', true],
    ['a cancelled order that cannot even be mapped', wcOrder({ status: 'cancelled', line_items: [wcLine({ sku: '' })] }), 'cancelled_unmappable', false],
  ];
  for (const [name, order, reason, readsErp] of skips) {
    it(`acks ${name} as done with no steps (${reason})`, async () => {
      const adapter = new FakeErpAdapter();
      const r = await run(adapter, order);
      assert.equal(r.refs.reason, reason);
      assert.deepEqual(r.refs.steps, []);
      assert.deepEqual(writes(adapter), []);
      assert.equal(adapter.calls.length > 0, readsErp);
    });
  }

  it('skips an order whose status the operator mapped to skip, and pushes when mapped to push', async () => {
    const adapter = new FakeErpAdapter();
    const order = wcOrder({ status: 'on-hold' });
    const mappings = { order_status: { 'on-hold': 'skip', processing: 'push' } };
    const r = await run(adapter, order, { payload: { order, sku_map: {}, mappings } });
    assert.equal(r.refs.reason, 'status_on-hold_mapped_skip');
    assert.deepEqual(adapter.calls, []);
    const live = wcOrder({ status: 'processing' });
    assert.equal((await run(adapter, live, { payload: { order: live, sku_map: {}, mappings } })).pushed, true);
    const pending = wcOrder({ status: 'pending' });
    assert.equal((await run(adapter, pending, { payload: { order: pending, sku_map: {}, mappings: { order_status: { pending: 'push' } } } })).refs.reason, 'status_pending', 'push never overrides the policy');
  });

  it('cancels the ERP sales order of an order cancelled after it was pushed (issue 8), once', async () => {
    const adapter = Object.assign(new FakeErpAdapter(), { countsStockAt: 'validate_order' as const });
    assert.equal((await run(adapter, wcOrder())).refs.erp_counted, true);
    const r = await run(adapter, wcOrder({ status: 'cancelled' }));
    assert.deepEqual(r.refs.steps, ['cancel_order']);
    assert.equal(r.refs.erp_counted, false, 'the ERP no longer counts its stock');
    assert.equal(r.refs.documents.length, 2);
    const replay = await run(adapter, wcOrder({ status: 'cancelled' }));
    assert.deepEqual(replay.refs.steps, []);
    assert.deepEqual(writes(adapter), ['customer', 'sales_order', 'validate_order', 'cancel_order']);
  });

  it('takes the invoice setting from the lease payload (mappings.settings.invoice_at)', () => {
    const ev = (settings: unknown) => leasedEvent(wcOrder(), { payload: { order: wcOrder(), sku_map: {}, mappings: { settings } as never } });
    assert.equal(financeSettings(ev({ invoice_at: 'capture' })).invoiceAt, 'capture');
    assert.equal(financeSettings(ev([])).invoiceAt, 'completion');
    assert.equal(financeSettings(ev({ invoice_at: 'bogus' })).invoiceAt, 'completion');
  });

  it('lets mapping problems through as needs-human for a live order', async () => {
    await assert.rejects(run(new FakeErpAdapter(), wcOrder({ total: '1.00' })), (e: unknown) => e instanceof NeedsHumanError && e.code === 'totals_mismatch');
  });
});

describe('stock events', () => {
  const stockEvent = (topic: string, payload: Record<string, unknown> = {}) =>
    ({ ...leasedEvent(null), topic, object_type: topic === 'stock.resync' ? 'stock' : 'sku', object_id: 0, payload });

  it('stock.resync runs a pull (with the payload SKUs) and is done', async () => {
    const asked: Array<string[] | undefined> = [];
    const stock = { resync: async (skus?: string[]) => { asked.push(skus); return { kind: 'full' as const, applied: 1, unchanged: 0, skipped_stale: 0, unknown_in_store: [], not_managed: [], read: 1, sent: 1, missing_recorded: 0, ms: 1 }; } };
    const adapter = new FakeErpAdapter();
    const r = await runPipeline(stockEvent('stock.resync', { skus: ['A'] }), { adapter, logger, stock });
    assert.equal(r.refs.reason, 'stock_resync_done');
    assert.equal(r.pushed, false);
    assert.deepEqual(asked, [['A']]);
    const off = await runPipeline(stockEvent('stock.resync'), { adapter, logger });
    assert.equal(off.refs.reason, 'stock_sync_disabled');
  });

  it('a failed pull is thrown (the consumer retries the resync)', async () => {
    const stock = { resync: async () => { throw new RetryableError('erp_unreachable', 'down'); } };
    await assert.rejects(runPipeline(stockEvent('stock.resync'), { adapter: new FakeErpAdapter(), logger, stock }), RetryableError);
  });

  it('a retried stock.unknown_sku is done: the next full pull checks the SKU again', async () => {
    const r = await runPipeline(stockEvent('stock.unknown_sku'), { adapter: new FakeErpAdapter(), logger });
    assert.equal(r.refs.reason, 'stock_recheck_on_next_pull');
  });
});
