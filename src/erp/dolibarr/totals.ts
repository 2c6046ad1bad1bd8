/**
 * Predicts the totals Dolibarr will compute for an order, exactly, and refuses to send an order whose totals
 * would differ from what WooCommerce charged.
 *
 * Dolibarr 20 (core/lib/price.lib.php `calcul_price_total`, price_base_type HT, no local taxes) per line:
 *   ht_exact  = qty × subprice × (1 − remise_percent/100)
 *   total_ht  = round(ht_exact, 2)
 *   total_ttc = round(ht_exact × (1 + tva_tx/100), 2)
 *   total_tva = total_ttc − total_ht
 * and the order totals are the sums of the rounded line totals. When ht_exact is a whole number of cents (the
 * mapper makes sure it is) this equals total_tva = round(total_ht × tva_tx/100, 2).
 * Rounding is half away from zero (PHP `round`), to MAIN_MAX_DECIMALS_TOT = 2 decimals (Dolibarr's default).
 */
import { grossTotal, type Order } from '../../canonical/index.js';
import { NeedsHumanError } from '../../common/errors.js';
import { currencyExponent, formatScaled, fraction, type Fraction, mul, parseDecimal, pow10, roundHalfAway } from './decimal.js';

export interface PricedLine {
  qty: number;
  /** Unit price excluding tax, decimal string. */
  subprice: string;
  /** VAT rate in percent, decimal string. */
  tva_tx: string;
  remise_percent?: string;
}

/** Amounts in hundredths of the currency's major unit (Dolibarr rounds totals to 2 decimals). */
export interface Totals {
  ht: bigint;
  tva: bigint;
  ttc: bigint;
}

const HUNDRED = fraction(100n);

export function lineTotals(line: PricedLine): Totals {
  const remise = parseDecimal(line.remise_percent ?? '0');
  const keep: Fraction = { n: HUNDRED.n * remise.d - remise.n, d: 100n * remise.d };
  const htExact = mul(mul(fraction(BigInt(line.qty)), parseDecimal(line.subprice)), keep);
  const tva = parseDecimal(line.tva_tx);
  const factor: Fraction = { n: 100n * tva.d + tva.n, d: 100n * tva.d };
  const ht = roundHalfAway(mul(htExact, HUNDRED));
  const ttc = roundHalfAway(mul(mul(htExact, factor), HUNDRED));
  return { ht, tva: ttc - ht, ttc };
}

export function orderTotals(lines: readonly PricedLine[]): Totals {
  return lines.map(lineTotals).reduce((a, b) => ({ ht: a.ht + b.ht, tva: a.tva + b.tva, ttc: a.ttc + b.ttc }), { ht: 0n, tva: 0n, ttc: 0n });
}

/** Hundredths → Dolibarr's 8-decimal string, e.g. 6282n → `"62.82000000"`. */
export function hundredthsToDolibarr(h: bigint): string {
  const s = formatScaled(h * 1_000_000n, 8);
  const [i, f = ''] = s.split('.');
  return `${i}.${f.padEnd(8, '0')}`;
}

/** Whether `hundredths` equals `minor` units of a currency with the given exponent, exactly. */
function sameAmount(hundredths: bigint, minor: number, exponent: number): boolean {
  return hundredths * pow10(exponent) === BigInt(minor) * 100n;
}

function show(hundredths: bigint, currency: string): string {
  return `${formatScaled(hundredths, 2)} ${currency}`;
}

function showMinor(minor: number, exponent: number, currency: string): string {
  return `${formatScaled(BigInt(minor), exponent)} ${currency}`;
}

/**
 * Throws NeedsHumanError `totals_mismatch` unless Dolibarr's totals for `lines` equal the WooCommerce order's
 * total, tax and net amounts to the cent.
 */
export function assertTotalsMatch(order: Order, lines: readonly PricedLine[]): Totals {
  const predicted = orderTotals(lines);
  const exp = currencyExponent(order.currency);
  const gross = grossTotal(order);
  const wcNet = gross - order.totalTax;
  const ok = sameAmount(predicted.ttc, gross, exp) && sameAmount(predicted.tva, order.totalTax, exp) && sameAmount(predicted.ht, wcNet, exp);
  if (ok) return predicted;
  const c = order.currency;
  throw new NeedsHumanError('totals_mismatch',
    `WooCommerce order #${order.number} would total ${show(predicted.ttc, c)} in Dolibarr (tax ${show(predicted.tva, c)}) ` +
    `but WooCommerce charged ${showMinor(gross, exp, c)} (tax ${showMinor(order.totalTax, exp, c)}). ` +
    'Check the tax rates and rounding settings of both systems.',
    {
      orderNumber: order.number,
      dolibarr: { total_ht: formatScaled(predicted.ht, 2), total_tva: formatScaled(predicted.tva, 2), total_ttc: formatScaled(predicted.ttc, 2) },
      woocommerce: { net: showMinor(wcNet, exp, c), tax: showMinor(order.totalTax, exp, c), total: showMinor(gross, exp, c) },
    });
}

/** Whether Dolibarr's `total_ttc` (e.g. `"62.82000000"`) is the order's total, exactly. */
export function sameTotalTtc(order: Order, totalTtc: string | null | undefined): boolean {
  if (totalTtc === null || totalTtc === undefined || !/^-?\d+(\.\d+)?$/.test(totalTtc.trim())) return false;
  const f = parseDecimal(totalTtc);
  return f.n * pow10(currencyExponent(order.currency)) === BigInt(grossTotal(order)) * f.d;
}

/** The order's total as an admin reads it, e.g. `62.82 EUR`. */
export function orderTotalText(order: Order): string {
  const exp = currencyExponent(order.currency);
  return `${(grossTotal(order) / 10 ** exp).toFixed(exp)} ${order.currency}`;
}
