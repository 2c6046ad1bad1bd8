import { z } from 'zod';
import { Currency, Minor } from './money.js';

/**
 * Canonical order model (schema version 1). Every amount is in integer minor units of `currency`.
 * Produced from the wc/v3 order shape by `src/engine/mapping/`, consumed by ERP adapters.
 */
export const Address = z.object({
  firstName: z.string(),
  lastName: z.string(),
  company: z.string(),
  line1: z.string(),
  line2: z.string(),
  city: z.string(),
  state: z.string(),
  postcode: z.string(),
  country: z.string(),
  email: z.string().optional(),
  phone: z.string(),
});
export type Address = z.infer<typeof Address>;

export const Customer = z.object({
  /** WooCommerce customer id; 0 for guests. */
  wcId: z.number().int().nonnegative(),
  email: z.string().min(1),
  name: z.string().min(1),
  billing: Address,
  shipping: Address,
});
export type Customer = z.infer<typeof Customer>;

/** One tax rate applied to an order (per rate, not per class). */
export const Tax = z.object({
  rateId: z.number().int(),
  code: z.string(),
  label: z.string(),
  /** Rate in percent as a decimal string, e.g. "20" or "5.5". */
  ratePercent: z.string().regex(/^\d+(\.\d+)?$/),
  taxTotal: Minor,
  shippingTaxTotal: Minor,
});
export type Tax = z.infer<typeof Tax>;

/** Tax amount charged on one line for one rate. */
export const LineTax = z.object({ rateId: z.number().int(), amount: Minor });
export type LineTax = z.infer<typeof LineTax>;

export const Line = z.object({
  wcLineId: z.number().int(),
  sku: z.string().min(1),
  /** ERP product reference this SKU maps to (the SKU itself unless a mapping says otherwise). */
  erpRef: z.string().min(1),
  name: z.string(),
  quantity: z.number().int().positive(),
  /** Before coupon discounts, excluding tax. */
  subtotal: Minor,
  /** After coupon discounts, excluding tax. */
  total: Minor,
  totalTax: Minor,
  taxes: z.array(LineTax),
});
export type Line = z.infer<typeof Line>;

export const Shipping = z.object({
  wcLineId: z.number().int(),
  methodId: z.string(),
  title: z.string(),
  /** ERP service product reference from the operator's shipping-method mapping; absent: a free-text service line. */
  erpRef: z.string().min(1).optional(),
  total: Minor,
  totalTax: Minor,
  taxes: z.array(LineTax),
});
export type Shipping = z.infer<typeof Shipping>;

export const Fee = z.object({
  wcLineId: z.number().int(),
  name: z.string(),
  total: Minor,
  totalTax: Minor,
  taxes: z.array(LineTax),
});
export type Fee = z.infer<typeof Fee>;

export const Discount = z.object({
  code: z.string(),
  amount: Minor,
  amountTax: Minor,
});
export type Discount = z.infer<typeof Discount>;

/**
 * A gift card or store credit used as tender. Never folded into discounts or fees: it pays part of the order, so
 * `Order.total` (what the gateway captured) excludes it. An ERP adapter that cannot post it holds the order.
 */
export const Credit = z.object({
  kind: z.enum(['gift_card', 'store_credit']),
  code: z.string(),
  amount: Minor.nonnegative(),
  /** ERP payment mode / bank account from the payment-method mapping of `gift_card` / `store_credit`, when mapped. */
  erpMode: z.string().min(1).optional(),
  erpAccount: z.string().min(1).optional(),
});
export type Credit = z.infer<typeof Credit>;

/** The gateway payment: captured once WooCommerce has a paid date (payment complete), never on mere authorization. */
export const Payment = z.object({
  method: z.string(),
  title: z.string(),
  /** True once captured (`date_paid` set). */
  captured: z.boolean(),
  paidAt: z.string().nullable(),
  transactionId: z.string(),
  /** Captured amount in minor units (the order total; 0 until captured). */
  amount: Minor.nonnegative(),
  /** ERP payment mode code from the payment-method mapping (`MODE` of `MODE:ACCOUNT`), when mapped. */
  erpMode: z.string().min(1).optional(),
  /** ERP bank account from the mapping (`ACCOUNT` of `MODE:ACCOUNT`), when mapped. */
  erpAccount: z.string().min(1).optional(),
});
export type Payment = z.infer<typeof Payment>;

/** One refunded item: a product line, shipping or a fee, or (`amount`) a refund without line detail. */
export const RefundLine = z.object({
  kind: z.enum(['line', 'shipping', 'fee', 'amount']),
  /** The order's line id it refunds (0 for `amount`). */
  wcLineId: z.number().int().nonnegative(),
  name: z.string(),
  /** ERP product reference (product lines: the line's; shipping: the mapped service), when there is one. */
  erpRef: z.string().min(1).optional(),
  /** Units given back (0 when only money was refunded). */
  quantity: z.number().int().nonnegative(),
  /** Refunded amount excluding tax, positive minor units. */
  total: Minor,
  totalTax: Minor,
  /** Tax refunded per rate, positive. */
  taxes: z.array(LineTax),
});
export type RefundLine = z.infer<typeof RefundLine>;

export const Refund = z.object({
  wcRefundId: z.number().int().positive(),
  createdAt: z.string(),
  /** Refunded amount including tax, positive minor units. */
  amount: Minor.nonnegative(),
  reason: z.string(),
  /** Whether the money went back through the gateway (else refunded by hand). */
  refundedPayment: z.boolean(),
  /** Lines, shipping and fees refunded, adding up to `amount` to the minor unit. */
  lines: z.array(RefundLine).min(1),
});
export type Refund = z.infer<typeof Refund>;

export const OrderStatus = z.enum([
  'pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed', 'checkout-draft', 'trash', 'other',
]);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const Order = z.object({
  schemaVersion: z.literal(1),
  wcId: z.number().int().positive(),
  number: z.string().min(1),
  /** One id for this order through PHP, the sidecar's logs, ERP references and the admin trace. */
  correlationId: z.string().min(1),
  status: OrderStatus,
  currency: Currency,
  pricesIncludeTax: z.boolean(),
  createdAt: z.string(),
  /** Set once the order is paid (payment captured). */
  paidAt: z.string().nullable(),
  paymentMethod: z.string(),
  paymentMethodTitle: z.string(),
  customer: Customer,
  lines: z.array(Line).min(1),
  shipping: z.array(Shipping),
  fees: z.array(Fee),
  discounts: z.array(Discount),
  taxes: z.array(Tax),
  discountTotal: Minor,
  discountTax: Minor,
  shippingTotal: Minor,
  shippingTax: Minor,
  totalTax: Minor,
  total: Minor,
  customerNote: z.string(),
  /** The gateway payment (captured or not). */
  payment: Payment,
  /** Refunds, oldest first. */
  refunds: z.array(Refund),
  /** Gift cards and store credit used as tender. */
  credits: z.array(Credit),
});
export type Order = z.infer<typeof Order>;

/** What the order's documents total: WooCommerce's total (left for the gateway) plus gift cards and store credit. */
export function grossTotal(o: Pick<Order, 'total' | 'credits'>): number {
  return o.total + o.credits.reduce((a, c) => a + c.amount, 0);
}
