import { NeedsHumanError } from '../../common/errors.js';

/** ISO 4217 minor-unit exponents that are not 2 (the default). */
const EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0,
  XAF: 0, XOF: 0, XPF: 0, BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

/** Digits after the decimal point in `currency`'s minor unit (2 unless listed). */
export function currencyExponent(currency: string): number {
  return EXPONENTS[currency] ?? 2;
}

/**
 * How to treat more decimals than the currency has: `exact` accepts only trailing zeros, `round` rounds half
 * up (away from zero), which is what WooCommerce does when it stores line taxes like `1.6667`.
 */
export type Precision = 'exact' | 'round';

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * A decimal string (`"93.98"`, `"-19.99"`, `"1.6667"`) in integer minor units, by string arithmetic only.
 * Throws NeedsHumanError(`invalid_amount`) naming `field`.
 */
export function toMinor(value: string, exponent: number, precision: Precision, field: string): number {
  const m = DECIMAL.exec(value.trim());
  if (!m) throw new NeedsHumanError('invalid_amount', `${field} is "${value}", which is not a decimal amount.`, { field, value });
  const [, sign, whole = '0', fraction = ''] = m;
  const kept = fraction.slice(0, exponent).padEnd(exponent, '0');
  const dropped = fraction.slice(exponent);
  let minor = BigInt(whole + kept);
  if (/[1-9]/.test(dropped)) {
    if (precision === 'exact') {
      throw new NeedsHumanError('invalid_amount', `${field} is "${value}", which has more decimals than the currency allows (${exponent}).`, { field, value, exponent });
    }
    if (dropped.charCodeAt(0) >= '5'.charCodeAt(0)) minor += 1n;
  }
  const result = Number(sign ? -minor : minor);
  if (!Number.isSafeInteger(result)) throw new NeedsHumanError('invalid_amount', `${field} is "${value}", which is too large.`, { field, value });
  return result;
}

/** Minor units as a human amount with its currency code, e.g. `93.98 USD`. */
export function formatMinor(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const digits = Math.abs(minor).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = exponent > 0 ? `.${digits.slice(digits.length - exponent)}` : '';
  return `${minor < 0 ? '-' : ''}${whole}${fraction} ${currency}`;
}
