import { z } from 'zod';

/**
 * The subset of the WooCommerce wc/v3 order JSON the mapping reads (WooCommerce 11, see
 * ../shared/fixtures/woocommerce/orders_*.json). Money stays a decimal string here; src/engine/mapping/map-order.ts
 * turns it into minor units once the currency is known. Unknown fields are dropped.
 */

/** A decimal amount as WooCommerce sends it (a string; a JSON number is accepted and kept as its text). */
const Money = z.union([z.string(), z.number().finite()]).transform((v) => (typeof v === 'number' ? String(v) : v));
/** Tax entries of shipping lines have `"subtotal": ""`. */
const OptionalMoney = Money.transform((v) => (v.trim() === '' ? '0' : v));
const text = z.string().nullish().transform((v) => v ?? '');

export const WcTaxEntry = z.object({
  id: z.number().int(),
  total: OptionalMoney,
  subtotal: OptionalMoney.optional(),
});

export const WcAddress = z.object({
  first_name: text, last_name: text, company: text, address_1: text, address_2: text,
  city: text, state: text, postcode: text, country: text, email: z.string().nullish(), phone: text,
});
export type WcAddress = z.output<typeof WcAddress>;

export const WcLineItem = z.object({
  id: z.number().int().default(0),
  name: text,
  product_id: z.number().int().default(0),
  variation_id: z.number().int().default(0),
  quantity: z.number().int(),
  subtotal: Money,
  subtotal_tax: OptionalMoney.default('0'),
  total: Money,
  total_tax: OptionalMoney.default('0'),
  taxes: z.array(WcTaxEntry).default([]),
  sku: z.string().nullish(),
});
export type WcLineItem = z.output<typeof WcLineItem>;

export const WcShippingLine = z.object({
  id: z.number().int().default(0),
  method_title: text,
  method_id: text,
  total: Money,
  total_tax: OptionalMoney.default('0'),
  taxes: z.array(WcTaxEntry).default([]),
});

export const WcFeeLine = z.object({
  id: z.number().int().default(0),
  name: text,
  total: Money,
  total_tax: OptionalMoney.default('0'),
  taxes: z.array(WcTaxEntry).default([]),
});

export const WcCouponLine = z.object({
  code: text,
  discount: Money,
  discount_tax: OptionalMoney.default('0'),
});

export const WcTaxLine = z.object({
  rate_id: z.number().int(),
  rate_code: text,
  label: text,
  /** A JSON number in WooCommerce 11 (`20`, `5.5`); older versions send a string. */
  rate_percent: z.union([z.number().nonnegative(), z.string()]).transform((v) => String(v)),
  tax_total: OptionalMoney,
  shipping_tax_total: OptionalMoney.default('0'),
});

/** One refunded item of a refund (amounts and quantity negative, as WooCommerce stores them). */
export const WcRefundItem = z.object({
  refunded_item_id: z.number().int().nonnegative().default(0),
  name: text,
  quantity: z.number().int().default(0),
  total: Money,
  total_tax: OptionalMoney.default('0'),
  taxes: z.array(WcTaxEntry).default([]),
});

/** `refunds_detail`: added by Syncline's WooCommerce seam (includes/Woo) from WooCommerce's own refund objects. */
export const WcRefundDetail = z.object({
  id: z.number().int().positive(),
  date_created_gmt: text,
  amount: Money,
  reason: text,
  refunded_payment: z.boolean().default(false),
  line_items: z.array(WcRefundItem).default([]),
  shipping_lines: z.array(WcRefundItem).default([]),
  fee_lines: z.array(WcRefundItem).default([]),
});
export type WcRefundDetail = z.output<typeof WcRefundDetail>;

/** wc/v3's own `refunds` summary (total negative). */
export const WcRefundSummary = z.object({ id: z.number().int().positive(), reason: text, total: Money });

/** `credits_detail`: gift cards / store credit used as tender (filled by the `syncline_order_credits` filter). */
export const WcCredit = z.object({ kind: z.enum(['gift_card', 'store_credit']), code: text, amount: Money });

export const WcOrder = z.object({
  id: z.number().int().positive(),
  number: z.union([z.string(), z.number()]).transform(String).optional(),
  status: z.string(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  prices_include_tax: z.boolean().default(false),
  date_created: text,
  date_created_gmt: text,
  date_paid_gmt: z.string().nullish(),
  payment_method: text,
  payment_method_title: text,
  customer_id: z.number().int().nonnegative().default(0),
  customer_note: text,
  billing: WcAddress.prefault({}),
  shipping: WcAddress.prefault({}),
  line_items: z.array(WcLineItem),
  shipping_lines: z.array(WcShippingLine).default([]),
  fee_lines: z.array(WcFeeLine).default([]),
  coupon_lines: z.array(WcCouponLine).default([]),
  tax_lines: z.array(WcTaxLine).default([]),
  discount_total: Money.default('0'),
  discount_tax: OptionalMoney.default('0'),
  shipping_total: Money.default('0'),
  shipping_tax: OptionalMoney.default('0'),
  total_tax: OptionalMoney.default('0'),
  total: Money,
  transaction_id: text,
  refunds: z.array(WcRefundSummary).default([]),
  refunds_detail: z.array(WcRefundDetail).optional(),
  credits_detail: z.array(WcCredit).default([]),
});
export type WcOrder = z.output<typeof WcOrder>;

/** Just the status, read before the full mapping so skipped statuses never become exceptions. */
export const WcOrderHead = z.object({ id: z.number().int(), status: z.string() });
