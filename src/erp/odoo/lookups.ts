/**
 * What the Odoo adapter reads to build an order: products by `default_code`, sale taxes per rate, the company's
 * currency, the "Product Price" precision and the warehouse's stock location. Settings-like answers are cached for
 * the process (taxes and products found are kept; "not found" is always asked again).
 */
import { z } from 'zod';
import { NeedsHumanError } from '../../common/errors.js';
import { CreatedId, Many2one, OdooChar, type OdooClient } from './client.js';
import { parseRatio } from './amounts.js';
import { taxKey } from './mapper.js';

const ProductRow = z.object({ id: CreatedId, default_code: OdooChar });
const TaxRow = z.object({ id: CreatedId, amount: z.number(), price_include: z.boolean() });

export interface CompanyFacts { companyId: number; currency: string; priceDigits: number }

export class OdooLookups {
  private readonly products = new Map<string, number>();
  private readonly taxes = new Map<string, number>();
  private company: Promise<CompanyFacts> | undefined;

  constructor(private readonly client: OdooClient) {}

  /** `default_code` → product.product id for the refs Odoo has (active products only). */
  async productIds(refs: readonly string[]): Promise<Map<string, number>> {
    const missing = [...new Set(refs)].filter((r) => !this.products.has(r));
    for (let i = 0; i < missing.length; i += 200) {
      const chunk = missing.slice(i, i + 200);
      const rows = await this.client.call('product.product', 'search_read', [[['default_code', 'in', chunk]]], { fields: ['default_code'], order: 'id asc' }, z.array(ProductRow));
      for (const r of rows) if (r.default_code !== '' && !this.products.has(r.default_code)) this.products.set(r.default_code, r.id);
    }
    return new Map(refs.filter((r) => this.products.has(r)).map((r) => [r, this.products.get(r) ?? 0]));
  }

  /** The company's currency and Odoo's "Product Price" decimals (once per process). */
  companyFacts(): Promise<CompanyFacts> {
    this.company ??= (async () => {
      const [company] = await this.client.call('res.company', 'search_read', [[]], { fields: ['currency_id'], limit: 1, order: 'id asc' },
        z.array(z.object({ id: CreatedId, currency_id: Many2one })).min(1));
      const precision = await this.client.call('decimal.precision', 'search_read', [[['name', '=', 'Product Price']]], { fields: ['digits'], limit: 1 },
        z.array(z.object({ digits: z.number().int().nonnegative() })));
      if (!company || company.currency_id === false) throw new NeedsHumanError('erp_settings', 'The Odoo company has no currency.', {});
      return { companyId: company.id, currency: company.currency_id[1], priceDigits: precision[0]?.digits ?? 2 };
    })();
    return this.company.catch((e: unknown) => { this.company = undefined; throw e; });
  }

  /** The Odoo sale tax for each (rate, included); a rate Odoo has no tax for is needs-human `tax_mismatch`. */
  async taxIds(needed: ReadonlyArray<{ rate: string; included: boolean }>, orderNumber: string): Promise<Map<string, number>> {
    const { companyId } = await this.companyFacts();
    for (const t of needed) {
      const key = taxKey(t.rate, t.included);
      if (this.taxes.has(key)) continue;
      const r = parseRatio(t.rate);
      const rows = await this.client.call('account.tax', 'search_read', [[
        ['type_tax_use', '=', 'sale'], ['amount_type', '=', 'percent'], ['price_include', '=', t.included], ['company_id', '=', companyId],
      ]], { fields: ['amount', 'price_include'], order: 'sequence asc, id asc' }, z.array(TaxRow));
      // Odoo stores the rate as a float: compare to a millionth of a percent.
      const hit = rows.find((row) => Math.round(row.amount * 1e6) === Number((r.n * 1000000n) / r.d));
      if (!hit) {
        throw new NeedsHumanError('tax_mismatch',
          `Order #${orderNumber} is taxed at ${t.rate} % but Odoo has no sale tax of ${t.rate} % (percentage, ${t.included ? 'included in price' : 'not included in price'}). ` +
          'Create it in Odoo (Invoicing → Configuration → Taxes), then retry.', { rate: t.rate, priceInclude: t.included });
      }
      this.taxes.set(key, hit.id);
    }
    return new Map(needed.map((t) => [taxKey(t.rate, t.included), this.taxes.get(taxKey(t.rate, t.included)) ?? 0]));
  }
}
