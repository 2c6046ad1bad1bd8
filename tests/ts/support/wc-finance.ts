/**
 * Builders of wc/v3 orders with taxes, shipping, fees, coupons and refunds (Syncline's `refunds_detail`), balanced to
 * the cent the way WooCommerce 11 rounds (tax per line, per rate), for the finance scenario tests.
 */
import { wcOrder } from '../../../src/engine/mapping/testing.js';

export const RATES: Record<number, { percent: number; code: string }> = { 1: { percent: 20, code: 'FR-TVA-20' }, 2: { percent: 5.5, code: 'FR-TVA-5.5' } };

export interface Item { id: number; sku?: string; qty?: number; net: number; rateId?: number; subtotal?: number; kind?: 'line' | 'shipping' | 'fee'; name?: string }

const money = (minor: number): string => (minor / 100).toFixed(2);
const taxOf = (net: number, rateId?: number): number => (rateId === undefined ? 0 : Math.round((net * (RATES[rateId]?.percent ?? 0)) / 100));

export interface OrderSpec {
  id: number;
  status: string;
  paid: boolean;
  method?: string;
  items: Item[];
  refunds?: Array<{ id: number; items: Array<{ of: number; qty?: number; net: number }>; extra?: number }>;
  coupon?: { code: string; amount: number };
  pricesIncludeTax?: boolean;
  email?: string;
  /** Gift cards / store credit used as tender (minor units); WooCommerce's total is what is left. */
  credits?: Array<{ kind: 'gift_card' | 'store_credit'; code: string; amount: number }>;
}

/** A wc/v3 order JSON (with `refunds_detail`) for the spec. */
export function financeOrder(s: OrderSpec): Record<string, unknown> {
  const byKind = (k: Item['kind']) => s.items.filter((i) => (i.kind ?? 'line') === k);
  const taxes = (i: { net: number; rateId?: number }, sign = 1) => (i.rateId === undefined ? [] : [{ id: i.rateId, total: money(sign * taxOf(i.net, i.rateId)), subtotal: '' }]);
  const line_items = byKind('line').map((i) => ({
    id: i.id, name: i.name ?? i.sku ?? `item ${i.id}`, product_id: i.id, variation_id: 0, quantity: i.qty ?? 1, sku: i.sku,
    subtotal: money(i.subtotal ?? i.net), subtotal_tax: money(taxOf(i.subtotal ?? i.net, i.rateId)), total: money(i.net), total_tax: money(taxOf(i.net, i.rateId)), taxes: taxes(i),
  }));
  const shipping_lines = byKind('shipping').map((i) => ({ id: i.id, method_title: i.name ?? 'Flat rate', method_id: 'flat_rate', total: money(i.net), total_tax: money(taxOf(i.net, i.rateId)), taxes: taxes(i) }));
  const fee_lines = byKind('fee').map((i) => ({ id: i.id, name: i.name ?? 'Fee', total: money(i.net), total_tax: money(taxOf(i.net, i.rateId)), taxes: taxes(i) }));
  const rateIds = [...new Set(s.items.flatMap((i) => (i.rateId === undefined ? [] : [i.rateId])))];
  const tax_lines = rateIds.map((r) => ({
    id: r, rate_id: r, rate_code: RATES[r]?.code ?? '', label: 'VAT', rate_percent: RATES[r]?.percent ?? 0,
    tax_total: money(s.items.filter((i) => i.rateId === r && (i.kind ?? 'line') !== 'shipping').reduce((a, i) => a + taxOf(i.net, r), 0)),
    shipping_tax_total: money(byKind('shipping').filter((i) => i.rateId === r).reduce((a, i) => a + taxOf(i.net, r), 0)),
  }));
  const net = s.items.reduce((a, i) => a + i.net, 0);
  const tax = s.items.reduce((a, i) => a + taxOf(i.net, i.rateId), 0);
  const find = (id: number): Item => {
    const it = s.items.find((i) => i.id === id);
    if (!it) throw new Error(`no item ${id}`);
    return it;
  };
  const refunds_detail = (s.refunds ?? []).map((r) => {
    const parts = r.items.map((x) => ({ x, it: find(x.of) }));
    const item = ({ x, it }: (typeof parts)[number]) => ({
      refunded_item_id: it.id, name: it.name ?? it.sku ?? 'item', quantity: -(x.qty ?? 0), total: money(-x.net), total_tax: money(-taxOf(x.net, it.rateId)),
      taxes: taxes({ net: x.net, ...(it.rateId === undefined ? {} : { rateId: it.rateId }) }, -1),
    });
    const amount = parts.reduce((a, { x, it }) => a + x.net + taxOf(x.net, it.rateId), 0) + (r.extra ?? 0);
    return {
      id: r.id, date_created_gmt: '2026-11-25T10:00:00', amount: money(amount), reason: `refund ${r.id}`, refunded_payment: true,
      line_items: parts.filter((p) => (p.it.kind ?? 'line') === 'line').map(item),
      shipping_lines: parts.filter((p) => p.it.kind === 'shipping').map(item),
      fee_lines: parts.filter((p) => p.it.kind === 'fee').map(item),
    };
  });
  return wcOrder({
    id: s.id, number: String(s.id), status: s.status, currency: 'EUR', prices_include_tax: s.pricesIncludeTax ?? false,
    date_paid_gmt: s.paid ? '2026-11-23T08:00:00' : null, payment_method: s.method ?? 'stripe', payment_method_title: s.method ?? 'Card', transaction_id: s.paid ? `ch_${s.id}` : '',
    billing: { first_name: 'Fin', last_name: 'Ance', company: '', address_1: '1 Rue', address_2: '', city: 'Paris', state: '', postcode: '75001', country: 'FR', email: s.email ?? `fin-${s.id}@example.test`, phone: '' },
    line_items, shipping_lines, fee_lines, tax_lines,
    coupon_lines: s.coupon ? [{ code: s.coupon.code, discount: money(s.coupon.amount), discount_tax: '0.00' }] : [],
    discount_total: money(byKind('line').reduce((a, i) => a + (i.subtotal ?? i.net) - i.net, 0)), discount_tax: '0.00',
    shipping_total: money(byKind('shipping').reduce((a, i) => a + i.net, 0)), shipping_tax: money(byKind('shipping').reduce((a, i) => a + taxOf(i.net, i.rateId), 0)),
    total_tax: money(tax), total: money(net + tax - (s.credits ?? []).reduce((a, c) => a + c.amount, 0)),
    credits_detail: (s.credits ?? []).map((c) => ({ kind: c.kind, code: c.code, amount: money(c.amount) })),
    refunds: refunds_detail.map((r) => ({ id: r.id, reason: r.reason, total: `-${r.amount}` })), refunds_detail,
  });
}
