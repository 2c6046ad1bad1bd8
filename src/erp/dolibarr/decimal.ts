/**
 * Exact decimal arithmetic on bigint fractions, for money in requests to Dolibarr and for predicting its totals.
 * No floats anywhere: amounts arrive as integer minor units and leave as decimal strings.
 */

/** An exact fraction n/d with d > 0. */
export interface Fraction {
  n: bigint;
  d: bigint;
}

const ZERO_DECIMAL = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);
const THREE_DECIMAL = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

/** ISO 4217 minor-unit exponent (2 unless the currency is known to differ). */
export function currencyExponent(currency: string): number {
  if (ZERO_DECIMAL.has(currency)) return 0;
  if (THREE_DECIMAL.has(currency)) return 3;
  return 2;
}

export function pow10(k: number): bigint {
  return 10n ** BigInt(k);
}

/** `"5.5"` → 55/10; `"-0.25"` → -25/100. Throws on anything that is not a plain decimal. */
export function parseDecimal(text: string): Fraction {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`not a decimal: ${text}`);
  const frac = m[3] ?? '';
  const n = BigInt(`${m[2] ?? '0'}${frac}`);
  return { n: m[1] === '-' ? -n : n, d: pow10(frac.length) };
}

export function fraction(n: bigint, d: bigint = 1n): Fraction {
  return d < 0n ? { n: -n, d: -d } : { n, d };
}

export function mul(a: Fraction, b: Fraction): Fraction {
  return { n: a.n * b.n, d: a.d * b.d };
}

export function add(a: Fraction, b: Fraction): Fraction {
  return { n: a.n * b.d + b.n * a.d, d: a.d * b.d };
}

/** Rounds n/d to an integer, halves away from zero (PHP's `round`). */
export function roundHalfAway(f: Fraction): bigint {
  const neg = f.n < 0n;
  const n = neg ? -f.n : f.n;
  const q = (2n * n + f.d) / (2n * f.d);
  return neg ? -q : q;
}

/** Integer `units` with `scale` decimals → `"12.34"`, trailing zeros trimmed (`"12.3"`, `"12"`). */
export function formatScaled(units: bigint, scale: number): string {
  const neg = units < 0n;
  const abs = (neg ? -units : units).toString().padStart(scale + 1, '0');
  const intPart = abs.slice(0, abs.length - scale);
  const fracPart = abs.slice(abs.length - scale).replace(/0+$/, '');
  return `${neg ? '-' : ''}${intPart}${fracPart === '' ? '' : `.${fracPart}`}`;
}

/** Minor units → decimal string in major units: (1999, 2) → `"19.99"`. */
export function minorToDecimal(minor: number | bigint, exponent: number): string {
  return formatScaled(BigInt(minor), exponent);
}

/**
 * f as a decimal string with at most `maxDecimals` places; `exact` says whether no rounding was needed.
 * The shortest exact representation is preferred.
 */
export function toDecimal(f: Fraction, maxDecimals: number): { text: string; exact: boolean } {
  for (let k = 0; k <= maxDecimals; k++) {
    const scaled = f.n * pow10(k);
    if (scaled % f.d === 0n) return { text: formatScaled(scaled / f.d, k), exact: true };
  }
  return { text: formatScaled(roundHalfAway(mul(f, fraction(pow10(maxDecimals)))), maxDecimals), exact: false };
}

/** Sum of decimal strings, exactly: ["20", "5.5"] → "25.5". */
export function sumDecimals(values: readonly string[]): string {
  const total = values.map(parseDecimal).reduce(add, fraction(0n));
  return toDecimal(total, 12).text;
}
