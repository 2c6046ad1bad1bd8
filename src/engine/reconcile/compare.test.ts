import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ErpOrderSummary } from '../../ports/erp.js';
import { compareOrder, compareStock } from './compare.js';
import type { StoreOrder } from './schemas.js';

const order = (o: Partial<StoreOrder> = {}): StoreOrder => ({
  id: 7, correlation_id: 'c7', status: 'processing', currency: 'EUR', total: '59.38', created_at: 1, events: 2, open_events: 0, ...o,
});
const doc = (d: Partial<ErpOrderSummary> = {}): ErpOrderSummary => ({ id: '1', ref: 'CO1', status: 'validated', total: '59.38000000', ...d });

describe('reconciliation: compareOrder', () => {
  it('an order the ERP has once, validated, with the same total to the cent, is fine', () => {
    assert.equal(compareOrder(order(), [doc()]), null);
  });
  it('orders never pushed (pending, failed) and orders in flight are not judged', () => {
    assert.equal(compareOrder(order({ status: 'pending' }), []), null);
    assert.equal(compareOrder(order({ status: 'failed' }), []), null);
    assert.equal(compareOrder(order({ open_events: 1 }), []), null);
    assert.equal(compareOrder(order(), [], new Set(['processing'])), null, 'an operator-skipped status is not missing');
  });
  it('missing in the ERP: repairable; with no outbox event at all: no_outbox_event instead', () => {
    assert.deepEqual([compareOrder(order(), [])?.class, compareOrder(order(), [])?.repairable], ['missing_in_erp', true]);
    assert.equal(compareOrder(order({ events: 0 }), [])?.class, 'no_outbox_event');
    assert.equal(compareOrder(order({ events: 0 }), [doc()]), null, 'no event but in the ERP: nothing to repair');
  });
  it('two live ERP orders: duplicated, not repairable; a cancelled extra does not count', () => {
    const dup = compareOrder(order(), [doc(), doc({ id: '2', ref: 'CO2' })]);
    assert.deepEqual([dup?.class, dup?.repairable], ['duplicated_in_erp', false]);
    assert.equal(compareOrder(order(), [doc(), doc({ id: '2', status: 'cancelled' })]), null);
  });
  it('total mismatch to the cent, with the difference WooCommerce − ERP in minor units', () => {
    const t = compareOrder(order(), [doc({ total: '60.61' })]);
    assert.deepEqual([t?.class, t?.diff_minor, t?.repairable], ['total_mismatch', -123, false]);
    assert.equal(compareOrder(order({ total: '59.38' }), [doc({ total: '59.37999999' })]), null, 'ERP decimals rounded to the cent');
    assert.equal(compareOrder(order({ currency: 'JPY', total: '1200' }), [doc({ total: '1201' })])?.diff_minor, -1, 'zero-decimal currency');
  });
  it('status mismatch: a draft in the ERP is repairable; cancelled in WooCommerce but validated in the ERP is not', () => {
    const d = compareOrder(order(), [doc({ status: 'draft' })]);
    assert.deepEqual([d?.class, d?.repairable], ['status_mismatch', true]);
    const c = compareOrder(order({ status: 'cancelled' }), [doc()]);
    assert.deepEqual([c?.class, c?.repairable], ['status_mismatch', false]);
    assert.equal(compareOrder(order({ status: 'cancelled' }), []), null, 'cancelled and not in the ERP is right');
    assert.equal(compareOrder(order(), [doc({ status: 'cancelled' })])?.class, 'status_mismatch', 'processing but cancelled in the ERP');
  });
});

describe('reconciliation: compareStock', () => {
  it('stock equal to ATS minus in-flight is explained, not drift', () => {
    assert.equal(compareStock({ sku: 'A', stock: 8, in_flight: 2, last_erp_ats: 10 }, 10), null);
  });
  it('anything else is drift (repairable), with the figures', () => {
    const d = compareStock({ sku: 'A', stock: 11, in_flight: 2, last_erp_ats: 10 }, 10);
    assert.deepEqual([d?.class, d?.repairable, d?.details.drift, d?.details.expected], ['stock_drift', true, 3, 8]);
  });
  it('a SKU the ERP does not have is left to the unknown-SKU exceptions', () => {
    assert.equal(compareStock({ sku: 'A', stock: 1, in_flight: 0, last_erp_ats: null }, undefined), null);
  });
});
