/**
 * What the Odoo adapter reads to build an order: the sales orders carrying an order's key, products by
 * `default_code`, sale taxes per rate, the company's currency, the "Product Price" precision and the warehouse's
 * stock location. Settings-like answers are cached for the process (taxes and products found are kept; "not found"
 * is always asked again). Sales orders are always asked of Odoo (never a local record of what was created), so a
 * replay sees what was committed; lookups of different orders made within a short window go out as one
 * `search_read` (`origin in [...]`).
 */
import { z } from 'zod';
import { NeedsHumanError } from '../../common/errors.js';
import { WindowedLookups } from '../windowed-lookups.js';
import { CreatedId, Many2one, OdooChar, type OdooClient } from './client.js';
import { parseRatio } from './amounts.js';
import { taxKey } from './mapper.js';

const ProductRow = z.object({ id: CreatedId, default_code: OdooChar });
const TaxRow = z.object({ id: CreatedId, amount: z.number(), price_include: z.boolean() });

export const SaleOrderRow = z.object({
  id: CreatedId, name: z.string(), state: z.string(), partner_id: Many2one, amount_total: z.number(), amount_tax: z.number(), client_order_ref: OdooChar, origin: OdooChar,
});
export type SaleOrderRow = z.infer<typeof SaleOrderRow>;
export const SALE_ORDER_FIELDS = ['name', 'state', 'partner_id', 'amount_total', 'amount_tax', 'client_order_ref', 'origin'];

export interface CompanyFacts { companyId: number; currency: string; priceDigits: number }

/** The order lookups' window while no write runs (windowed-lookups.ts). */
const IDLE_WINDOW_MS = 5;

export class OdooLookups {
  private readonly products = new Map<string, number>();
  private readonly taxes = new Map<string, number>();
  /** Product refs being asked of Odoo now → that request. */
  private readonly productsAsked = new Map<string, Promise<void>>();
  private company: Promise<CompanyFacts> | undefined;
  private readonly ordersByKey: WindowedLookups<SaleOrderRow[]>;

  constructor(private readonly client: OdooClient) {
    this.ordersByKey = new WindowedLookups((keys) => this.loadOrders(keys), client.writeSlots, IDLE_WINDOW_MS);
  }

  /**
   * Every sales order whose `origin` is `key`, lowest id first, batched with other orders' lookups and always asked of Odoo. `patient`: may wait a little longer for
   * the next lookup to carry it (the re-lookup after a create).
   */
  saleOrders(key: string, patient = false): Promise<SaleOrderRow[]> {
    return this.ordersByKey.get(key, patient);
  }

  /**
   * The same, sent at once (inside a write slot, where waiting would hold the slot); lookups waiting for their
   * window ride along.
   */
  saleOrdersNow(key: string): Promise<SaleOrderRow[]> {
    return this.ordersByKey.getNow(key);
  }

  private async loadOrders(keys: string[]): Promise<Map<string, SaleOrderRow[]>> {
    const domain = keys.length === 1 ? [['origin', '=', keys[0]]] : [['origin', 'in', keys]];
    const rows = await this.client.call('sale.order', 'search_read', [domain], { fields: SALE_ORDER_FIELDS, order: 'id asc' }, z.array(SaleOrderRow));
    const out = new Map<string, SaleOrderRow[]>(keys.map((k) => [k, []]));
    for (const r of rows) out.get(r.origin)?.push(r);
    return out;
  }

  /**
   * `default_code` → product.product id for the refs Odoo has (active products only). A ref another pipeline is
   * asking for right now is awaited rather than asked again (the orders of a lease share their SKUs).
   */
  async productIds(refs: readonly string[]): Promise<Map<string, number>> {
    const unknown = [...new Set(refs)].filter((r) => !this.products.has(r));
    const asking = new Set(unknown.map((r) => this.productsAsked.get(r)).filter((p): p is Promise<void> => p !== undefined));
    const missing = unknown.filter((r) => !this.productsAsked.has(r));
    if (missing.length > 0) {
      const load = this.loadProducts(missing).finally(() => { for (const r of missing) if (this.productsAsked.get(r) === load) this.productsAsked.delete(r); });
      for (const r of missing) this.productsAsked.set(r, load);
      asking.add(load);
    }
    await Promise.all(asking);
    return new Map(refs.filter((r) => this.products.has(r)).map((r) => [r, this.products.get(r) ?? 0]));
  }

  private async loadProducts(missing: readonly string[]): Promise<void> {
    for (let i = 0; i < missing.length; i += 200) {
      const chunk = missing.slice(i, i + 200);
      const rows = await this.client.call('product.product', 'search_read', [[['default_code', 'in', chunk]]], { fields: ['default_code'], order: 'id asc' }, z.array(ProductRow));
      for (const r of rows) if (r.default_code !== '' && !this.products.has(r.default_code)) this.products.set(r.default_code, r.id);
    }
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
