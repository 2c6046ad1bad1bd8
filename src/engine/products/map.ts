/**
 * Canonical product → what WordPress writes: only fields the ERP owns (Settings) and has; prices on the store's
 * basis (net or gross, `woocommerce_prices_include_tax`) as decimals of the store's currency; the VAT rate through
 * the tax mapping to a tax class. A value that cannot be mapped becomes an exception with a reason (the other
 * fields of the product are still written). Pure.
 */
import type { Product, ProductField, ProductPrice } from '../../canonical/product.js';
import { currencyExponent } from '../mapping/decimal.js';
import type { ProductApplyItem, ProductException, ProductsContext } from './wire.js';

export interface MappedProduct {
  item: ProductApplyItem;
  exceptions: ProductException[];
  /** The ERP's VAT rate when no WooCommerce tax class has it (one exception per rate: `vatRateException`). */
  unmappedVatRate?: string;
}

/** How many refs a grouped exception's message names. */
const NAMED_REFS = 5;

/**
 * One exception for every product of one unmapped VAT rate: the fix (a mapping) is one, so is the row an admin sees.
 * Its ref is the rate's (`vat-rate-7.7`), so a pass meeting the same rate again adds nothing while it is open.
 */
export function vatRateException(rate: string, refs: readonly string[]): ProductException {
  const named = refs.slice(0, NAMED_REFS).join(', ') + (refs.length > NAMED_REFS ? ', …' : '');
  return {
    ref: `vat-rate-${rate}`, code: 'unmapped_vat_rate',
    message: `The ERP's VAT rate ${rate} % has no WooCommerce tax class (${refs.length} product${refs.length === 1 ? '' : 's'}: ${named}): map a tax rate of ${rate} % (Mappings → Tax rates) or add one to a tax class, then retry. Their tax class was left as it is.`,
  };
}

/** Integer minor units → a decimal string with `exponent` decimals (`1250`, 2 → `12.50`). */
export function minorToDecimal(minor: number, exponent: number): string {
  if (exponent === 0) return String(minor);
  const digits = String(minor).padStart(exponent + 1, '0');
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

export function mapProduct(p: Product, ctx: ProductsContext): MappedProduct {
  const owned = new Set<ProductField>(ctx.owned);
  const exponent = currencyExponent(ctx.currency);
  const price = (v: ProductPrice): string => minorToDecimal(ctx.prices_include_tax ? v.gross : v.net, exponent);
  const item: ProductApplyItem = { ref: p.ref };
  const exceptions: ProductException[] = [];
  let unmappedVatRate: string | undefined;
  if (owned.has('name') && p.name !== undefined) item.name = p.name;
  if (owned.has('regular_price') && p.regularPrice) item.regular_price = price(p.regularPrice);
  if (owned.has('sale_price') && p.salePrice) item.sale_price = price(p.salePrice);
  if (owned.has('tax_class') && p.vatRate !== undefined) {
    const taxClass = ctx.tax_classes[p.vatRate];
    if (taxClass === undefined) {
      unmappedVatRate = p.vatRate;
    } else {
      item.tax_class = taxClass;
    }
  }
  if (owned.has('weight') && p.weightG !== undefined) item.weight_g = p.weightG;
  if (owned.has('dimensions')) {
    if (p.lengthMm !== undefined) item.length_mm = p.lengthMm;
    if (p.widthMm !== undefined) item.width_mm = p.widthMm;
    if (p.heightMm !== undefined) item.height_mm = p.heightMm;
  }
  if (owned.has('status') && p.active !== undefined) item.status = p.active ? 'publish' : 'draft';
  if (owned.has('categories') && p.categories) item.categories = p.categories;
  return { item, exceptions, ...(unmappedVatRate === undefined ? {} : { unmappedVatRate }) };
}
