/**
 * Exact money arithmetic for the Odoo mapper: rationals over BigInt, Odoo's half-up rounding (`float_round`,
 * `rounding_method='HALF-UP'`), decimal text for `price_unit`. Pure.
 */
export interface Ratio { n: bigint; d: bigint }

export function pow10(k: number): bigint {
  return 10n ** BigInt(k);
}

/** "5.5" → 55/10. */
export function parseRatio(text: string): Ratio {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`not a decimal: ${text}`);
  const frac = m[3] ?? '';
  const n = BigInt(`${m[2] ?? '0'}${frac}`) * (m[1] === '-' ? -1n : 1n);
  return { n, d: pow10(frac.length) };
}

/** Rounds half away from zero to an integer (what Odoo's HALF-UP does on amounts). */
export function roundHalfUp(r: Ratio): bigint {
  const sign = (r.n < 0n) !== (r.d < 0n) ? -1n : 1n;
  const n = r.n < 0n ? -r.n : r.n;
  const d = r.d < 0n ? -r.d : r.d;
  return sign * ((2n * n + d) / (2n * d));
}

/** `minor` units of a currency with `exponent` decimals as decimal text: 1999, 2 → "19.99". */
export function minorText(minor: bigint, exponent: number): string {
  const neg = minor < 0n;
  const abs = neg ? -minor : minor;
  const s = abs.toString().padStart(exponent + 1, '0');
  const text = exponent === 0 ? s : `${s.slice(0, -exponent)}.${s.slice(-exponent)}`;
  return neg ? `-${text}` : text;
}

/**
 * Splits a line total into unit prices expressible with `digits` decimals: one price when total / qty is exact,
 * else two (qty − r at the lower price, r one step higher), whose sum is the total exactly.
 * Amounts are in units of 10^-digits.
 */
export function splitUnitPrice(total: bigint, qty: number): Array<{ qty: number; unit: bigint }> {
  const q = BigInt(qty);
  const floor = total >= 0n ? total / q : -((-total + q - 1n) / q);
  const rest = Number(total - floor * q);
  if (rest === 0) return [{ qty, unit: floor }];
  return [{ qty: qty - rest, unit: floor }, { qty: rest, unit: floor + 1n }];
}
