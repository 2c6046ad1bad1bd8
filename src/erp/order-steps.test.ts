import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Order } from '../canonical/index.js';
import { ORDER_STEPS, type ErpOrderState } from '../ports/erp.js';
import { runOrderStep, type OrderStepRunners } from './order-steps.js';

const order = { wcId: 7 } as unknown as Order;

function runners(calls: string[]): OrderStepRunners {
  const step = (name: string) => (_o: Order, s: ErpOrderState): Promise<ErpOrderState> => {
    calls.push(name);
    return Promise.resolve({ ...s, salesOrder: { type: 'sales_order', id: name, ref: name, validated: false } });
  };
  return {
    customer: (o) => { calls.push(`customer ${o.wcId}`); return Promise.resolve({ type: 'customer', id: 'C1', ref: 'C1' }); },
    salesOrder: step('salesOrder'),
    validateOrder: step('validateOrder'),
    finance: { cancelOrder: step('cancelOrder'), invoice: step('invoice'), payment: step('payment'), creditNotes: step('creditNotes'), refundPayments: step('refundPayments') },
  };
}

describe('runOrderStep', () => {
  it('sends each step to its runner, the state it returns passed back', async () => {
    const calls: string[] = [];
    const r = runners(calls);
    const out: string[] = [];
    for (const step of ORDER_STEPS.filter((s) => s !== 'customer')) {
      out.push(String((await runOrderStep(step, order, {}, r)).salesOrder?.id));
    }
    const expected = ['salesOrder', 'validateOrder', 'cancelOrder', 'invoice', 'payment', 'creditNotes', 'refundPayments'];
    assert.deepEqual(calls, expected);
    assert.deepEqual(out, expected);
  });

  it('asks for the customer only when the state has none, keeping what the state holds', async () => {
    const calls: string[] = [];
    const r = runners(calls);
    const known: ErpOrderState = { customer: { type: 'customer', id: 'C9', ref: 'C9' } };
    assert.equal(await runOrderStep('customer', order, known, r), known);
    assert.deepEqual(calls, []);
    const made = await runOrderStep('customer', order, { salesOrder: { type: 'sales_order', id: 'S', ref: 'S', validated: true } }, r);
    assert.deepEqual(made, { salesOrder: { type: 'sales_order', id: 'S', ref: 'S', validated: true }, customer: { type: 'customer', id: 'C1', ref: 'C1' } });
    assert.deepEqual(calls, ['customer 7']);
  });
});
