import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NeedsHumanError } from '../../common/errors.js';
import { financeOrder } from '../../../tests/ts/support/wc-finance.js';
import { mapOrder } from './index.js';
import { wcOrder } from './testing.js';

const map = (raw: Record<string, unknown>, paymentMap: Record<string, string> = {}) => mapOrder(raw, { correlationId: 'c', paymentMap });
const mismatch = (e: unknown): boolean => e instanceof NeedsHumanError && e.code === 'totals_mismatch';

describe('finance mapping (issue 8)', () => {
  it('a payment is captured only with a paid date; the mapping gives the ERP mode and account', () => {
    const paid = map(wcOrder({ payment_method: 'stripe', transaction_id: 'ch_1' }), { stripe: 'CB:2' });
    assert.deepEqual(paid.payment, { method: 'stripe', title: 'Bank transfer', captured: true, paidAt: '2026-11-23T07:00:00Z', transactionId: 'ch_1', amount: 2000, erpMode: 'CB', erpAccount: '2' });
    const authorised = map(wcOrder({ date_paid_gmt: null, payment_method: 'stripe' }), { stripe: 'CB' });
    assert.equal(authorised.payment.captured, false);
    assert.equal(authorised.payment.amount, 0);
    assert.equal(authorised.payment.erpAccount, undefined);
  });

  it('maps refunds with their lines, shipping and fees, tax per rate, as positive amounts', () => {
    const o = map(financeOrder({
      id: 5, status: 'processing', paid: true,
      items: [{ id: 1, sku: 'A', qty: 2, net: 2000, rateId: 1 }, { id: 2, kind: 'shipping', net: 500, rateId: 1 }, { id: 3, kind: 'fee', net: 100, rateId: 2 }],
      refunds: [{ id: 77, items: [{ of: 1, qty: 1, net: 1000 }, { of: 2, net: 500 }, { of: 3, net: 100 }] }],
    }));
    const r = o.refunds[0];
    assert.ok(r);
    assert.equal(r.amount, 1200 + 600 + 106);
    assert.deepEqual(r.lines.map((l) => [l.kind, l.wcLineId, l.quantity, l.total, l.totalTax, l.erpRef]), [
      ['line', 1, 1, 1000, 200, 'A'], ['shipping', 2, 0, 500, 100, undefined], ['fee', 3, 0, 100, 6, undefined],
    ]);
    assert.deepEqual(r.lines[2]?.taxes, [{ rateId: 2, amount: 6 }]);
  });

  it('a refund amount beyond its items becomes an explicit amount line; items worth more than the refund are a mismatch', () => {
    const base = { id: 6, status: 'processing', paid: true, items: [{ id: 1, sku: 'A', net: 1000, rateId: 1 }] };
    const extra = map(financeOrder({ ...base, refunds: [{ id: 1, items: [{ of: 1, qty: 1, net: 500 }], extra: 33 }] }));
    assert.deepEqual(extra.refunds[0]?.lines.map((l) => [l.kind, l.total, l.totalTax]), [['line', 500, 100], ['amount', 33, 0]]);
    const raw = financeOrder({ ...base, refunds: [{ id: 1, items: [{ of: 1, qty: 1, net: 500 }] }] });
    (raw['refunds_detail'] as Array<Record<string, unknown>>)[0]!['amount'] = '5.99';
    assert.throws(() => map(raw), (e: unknown) => mismatch(e) && (e as NeedsHumanError).details['difference'] === -1);
  });

  it('without refunds_detail (an older plugin) each wc/v3 refund is one amount line', () => {
    const o = map(wcOrder({ refunds: [{ id: 4, reason: 'x', total: '-5.00' }] }));
    assert.deepEqual(o.refunds.map((r) => [r.wcRefundId, r.amount, r.lines[0]?.kind]), [[4, 500, 'amount']]);
  });

  it('refunds beyond the order total are held with the difference', () => {
    assert.throws(() => map(wcOrder({ refunds: [{ id: 4, reason: '', total: '-25.00' }] })), (e: unknown) => mismatch(e) && (e as NeedsHumanError).details['difference'] === 500);
  });

  it('gift cards and store credit stay explicit tender, never folded into discounts', () => {
    const o = map(wcOrder({ total: '15.00', credits_detail: [{ kind: 'gift_card', code: 'GC-1', amount: '5.00' }] }), { gift_card: 'LIQ' });
    assert.deepEqual(o.credits, [{ kind: 'gift_card', code: 'GC-1', amount: 500, erpMode: 'LIQ' }]);
    assert.throws(() => map(wcOrder({ credits_detail: [{ kind: 'gift_card', code: 'GC-1', amount: '5.00' }] })), mismatch, 'the total must leave the card out');
    assert.equal(o.discountTotal, 0);
  });
});
