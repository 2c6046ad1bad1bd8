import { NeedsHumanError } from '../../common/errors.js';
import type { Order } from '../../canonical/index.js';
import { formatMinor } from './decimal.js';

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

/**
 * The figures an order must balance on, in minor units. Exact to the minor unit: a rounding difference is not
 * tolerated, because the ERP would then book an amount the customer was not charged.
 */
export function orderFigures(o: Order): Record<string, number> {
  const lineTaxes = sum([...o.lines, ...o.shipping, ...o.fees].map((l) => l.totalTax));
  return {
    lines_total: sum(o.lines.map((l) => l.total)),
    shipping_lines_total: sum(o.shipping.map((s) => s.total)),
    fees_total: sum(o.fees.map((f) => f.total)),
    total_tax: o.totalTax,
    total: o.total,
    line_taxes: lineTaxes,
    shipping_total: o.shippingTotal,
    shipping_tax: o.shippingTax,
    shipping_lines_tax: sum(o.shipping.map((s) => s.totalTax)),
    tax_lines_total: sum(o.taxes.map((t) => t.taxTotal + t.shippingTaxTotal)),
  };
}

/** Throws NeedsHumanError(`totals_mismatch`) naming the amounts when the order does not add up exactly. */
export function checkTotals(o: Order): void {
  const f = orderFigures(o);
  const money = (minor: number | undefined): string => formatMinor(minor ?? 0, o.currency);
  const problems: string[] = [];
  // Gift cards and store credit pay part of the order: WooCommerce's total is what is left for the gateway.
  const credits = sum(o.credits.map((c) => c.amount));
  const expected = (f.lines_total ?? 0) + (f.shipping_lines_total ?? 0) + (f.fees_total ?? 0) + o.totalTax - credits;
  if (expected !== o.total) {
    const less = credits === 0 ? '' : ` − credits ${money(credits)}`;
    problems.push(`lines ${money(f.lines_total)} + shipping ${money(f.shipping_lines_total)} + fees ${money(f.fees_total)} + tax ${money(o.totalTax)}${less} = ${money(expected)}, but the order total is ${money(o.total)}`);
  }
  if (f.line_taxes !== o.totalTax) problems.push(`the line taxes add up to ${money(f.line_taxes)}, but the order's total tax is ${money(o.totalTax)}`);
  if (o.taxes.length > 0 && f.tax_lines_total !== o.totalTax) problems.push(`the tax rates add up to ${money(f.tax_lines_total)}, but the order's total tax is ${money(o.totalTax)}`);
  if (f.shipping_lines_total !== o.shippingTotal || f.shipping_lines_tax !== o.shippingTax) {
    problems.push(`the shipping lines add up to ${money(f.shipping_lines_total)} + tax ${money(f.shipping_lines_tax)}, but the order's shipping is ${money(o.shippingTotal)} + tax ${money(o.shippingTax)}`);
  }
  for (const line of [...o.lines, ...o.shipping, ...o.fees]) {
    const perRate = sum(line.taxes.map((t) => t.amount));
    if (line.taxes.length > 0 && perRate !== line.totalTax) {
      problems.push(`line ${line.wcLineId} has taxes per rate of ${money(perRate)} (after rounding), but a line tax of ${money(line.totalTax)}`);
    }
  }
  if (problems.length > 0) {
    throw new NeedsHumanError('totals_mismatch', `Order #${o.number} does not add up: ${problems.join('; ')}.`, {
      currency: o.currency, ...f, expected_total: expected, problems,
    });
  }
}
