/**
 * Sales orders in Odoo, exactly once. The key is `origin` = `syncline:<correlation id>` (binder.ts). The lookup
 * that decides to create is the state lookup made before the pipeline's steps (findOrderState), as for Dolibarr:
 * inside the write slot only the writes go out (create, then confirm: what a bare client does), unless this
 * process created the same order lately (two events of one order), which looks again in the slot first. Pipelines
 * of one order take turns. After the create the order is searched again and extra quotations of ours (another
 * sidecar raced us) are cancelled and deleted (quotations hold no stock; the lowest id survives, or the confirmed
 * one). An order found with our key is adopted only when it is provably ours
 * (our partner, our total to the cent), else needs-human `erp_foreign_document`. Confirmation (`action_confirm`,
 * where Odoo reserves stock) happens only when Odoo's own totals equal WooCommerce's to the cent.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import { grossTotal, type Order } from '../../canonical/index.js';
import { NeedsHumanError, RetryableError } from '../../common/errors.js';
import { currencyExponent } from '../../engine/mapping/decimal.js';
import type { ErpDocument, ErpOrderState } from '../../ports/erp.js';
import { KeyedMutex } from '../../common/keyed-mutex.js';
import { minorText } from './amounts.js';
import { orderKey } from './binder.js';
import { CreatedId, WriteOutcomeUnknownError, type OdooClient } from './client.js';
import type { OdooCustomers } from './customers.js';
import { SALE_ORDER_FIELDS, SaleOrderRow, type OdooLookups } from './lookups.js';
import { neededProducts, neededTaxes, planOrder } from './mapper.js';

export type { SaleOrderRow };

export interface SalesOrderConfig {
  refPrefix: string;
  shippingProductRef: string;
  feeProductRef?: string;
  commitGraceMs: number;
}

interface Found { rows: SaleOrderRow[]; ours: Set<number> }

const confirmed = (o: SaleOrderRow): boolean => o.state === 'sale' || o.state === 'done';
const quotation = (o: SaleOrderRow): boolean => o.state === 'draft' || o.state === 'sent';

function cents(order: Order, amount: number): number {
  return Math.round(amount * 10 ** currencyExponent(order.currency));
}

/** How long this process remembers that it created an order (its next create of that order looks first). */
const CREATED_TTL_MS = 10 * 60_000;

export class OdooSalesOrders {
  private readonly perOrder = new KeyedMutex();
  private readonly createdHere = new Map<string, number>();
  /** The latest row read per order id (the confirm step checks its totals without reading again). */
  private readonly seen = new Map<number, SaleOrderRow>();

  constructor(
    private readonly client: OdooClient,
    private readonly lookups: OdooLookups,
    private readonly customers: OdooCustomers,
    private readonly cfg: SalesOrderConfig,
    private readonly logger?: Logger,
  ) {}

  doc(o: SaleOrderRow): ErpDocument & { validated: boolean; cancelled?: boolean } {
    return {
      type: 'sales_order', id: String(o.id), ref: o.name, url: `${this.client.webRoot}/web#id=${o.id}&model=sale.order&view_type=form`, validated: confirmed(o),
      ...(o.state === 'cancel' ? { cancelled: true } : {}),
    };
  }

  /**
   * The orders carrying this order's key, and which of their partners are this order's customer. `when`: `batched`
   * (with other orders' lookups of the same moment), `patient` (the re-lookup after a create: may wait longer for other
   * orders' lookups to share its request) or `now` (inside a write slot: at once, carrying the lookups that wait).
   */
  async search(order: Order, partnerId: number, when: 'batched' | 'patient' | 'now' = 'batched'): Promise<Found> {
    const key = orderKey(order);
    const rows = when === 'now' ? await this.lookups.saleOrdersNow(key) : await this.lookups.saleOrders(key, when === 'patient');
    const others = [...new Set(rows.map((o) => (o.partner_id === false ? 0 : o.partner_id[0])).filter((id) => id > 0 && id !== partnerId))];
    const ours = await this.customers.alsoOurs(order, others);
    ours.add(partnerId);
    if (this.seen.size > 10_000) this.seen.clear();
    for (const r of rows) this.seen.set(r.id, r);
    return { rows, ours };
  }

  /** Our order among those found by key (throws for foreign or duplicate confirmed ones). */
  survivor(order: Order, { rows: found, ours }: Found, partnerId: number): { survivor?: SaleOrderRow; extras: SaleOrderRow[] } {
    const exp = currencyExponent(order.currency);
    for (const o of found) {
      const reasons: string[] = [];
      if (o.partner_id === false || !ours.has(o.partner_id[0])) reasons.push(`its customer is partner ${o.partner_id === false ? '?' : o.partner_id[0]}, this order's is partner ${partnerId}`);
      if (cents(order, o.amount_total) !== grossTotal(order) && quotation(o) === false) reasons.push(`its total is ${o.amount_total.toFixed(exp)}, this order's is ${minorText(BigInt(grossTotal(order)), exp)}`);
      if (reasons.length === 0) continue;
      throw new NeedsHumanError('erp_foreign_document',
        `Odoo order ${o.name} (id ${o.id}) carries the key of WooCommerce order #${order.number} (${orderKey(order)} in Source Document) but does not match it: ` +
        `${reasons.join(' and ')}. Syncline did not adopt it and sent nothing. In Odoo, correct that order if it is this one, or clear its Source Document; then retry.`,
        { orderNumber: order.number, key: orderKey(order), odooId: o.id, odooRef: o.name, state: o.state, reason: reasons.join('; ') });
    }
    const done = found.filter(confirmed);
    if (done.length > 1) {
      throw new NeedsHumanError('erp_duplicate', `Odoo already has ${done.length} confirmed sales orders for WooCommerce order #${order.number}: ${done.map((o) => o.name).join(' and ')}. Cancel the extra ones in Odoo, then retry.`,
        { orderNumber: order.number, refs: done.map((o) => o.name) });
    }
    // A cancelled order of ours is the order withdrawn (cancel_order), kept only when no live one exists.
    const live = found.filter((o) => o.state !== 'cancel');
    const survivor = done[0] ?? live[0] ?? found[0];
    return survivor === undefined ? { extras: [] } : { survivor, extras: live.filter((o) => o.id !== survivor.id) };
  }

  /** Creates the quotation (the state lookup before the steps found none), then adopts the survivor of ours. */
  async ensure(order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    if (state.salesOrder) return state;
    const partner = await this.customers.ensure(order);
    const facts = await this.lookups.companyFacts();
    if (facts.currency !== order.currency) {
      throw new NeedsHumanError('currency_mismatch', `Order #${order.number} is in ${order.currency} but the Odoo company's currency is ${facts.currency}.`, { orderCurrency: order.currency, odooCurrency: facts.currency });
    }
    const ctx = { partnerId: partner.id, priceDigits: facts.priceDigits, refPrefix: this.cfg.refPrefix, shippingProductRef: this.cfg.shippingProductRef, ...(this.cfg.feeProductRef === undefined ? {} : { feeProductRef: this.cfg.feeProductRef }) };
    const [productIds, taxIds] = await Promise.all([this.lookups.productIds(neededProducts(order, ctx)), this.lookups.taxIds(neededTaxes(order), order.number)]);
    const plan = planOrder(order, { ...ctx, productIds, taxIds });
    return this.perOrder.run(orderKey(order), async () => {
      const created = await this.create(order, plan.values, partner.id);
      const { survivor, extras } = this.survivor(order, await this.search(order, partner.id, 'patient'), partner.id);
      if (extras.length > 0) await this.dropExtras(order, partner.id);
      const mine = survivor ?? (await this.search(order, partner.id)).rows.find((o) => o.id === created);
      if (!mine) throw new RetryableError('erp_not_visible', `Odoo order ${created} of WooCommerce order #${order.number} is not visible yet`);
      return { ...state, customer: state.customer ?? this.customerDoc(partner.id, partner.name), salesOrder: this.doc(mine) };
    });
  }

  /** The create in its write slot (looking first when this process created this order lately); the id of ours. */
  private async create(order: Order, values: Record<string, unknown>, partnerId: number): Promise<number> {
    const key = orderKey(order);
    const now = Date.now();
    for (const [k, at] of this.createdHere) if (now - at > CREATED_TTL_MS) this.createdHere.delete(k);
    const lookFirst = this.createdHere.has(key);
    const id = await this.client.withWriteSlot(async () => {
      if (lookFirst) {
        const { survivor } = this.survivor(order, await this.search(order, partnerId, 'now'), partnerId);
        if (survivor) return survivor.id;
      }
      const t0 = Date.now();
      try {
        return await this.client.call('sale.order', 'create', [values], {}, CreatedId);
      } catch (e) {
        if (e instanceof WriteOutcomeUnknownError) {
          this.createdHere.set(key, Date.now());
          throw new RetryableError('erp_outcome_unknown', `${e.message}; the order may still be created in Odoo, looking again after ${this.cfg.commitGraceMs} ms`,
            { retryAfterMs: Math.max(0, this.cfg.commitGraceMs - (Date.now() - t0)) });
        }
        throw e;
      }
    });
    this.createdHere.set(key, Date.now());
    return id;
  }

  /** Extra quotations of ours, decided again inside the write slot: cancelled and deleted (they hold no stock). */
  private async dropExtras(order: Order, partnerId: number): Promise<void> {
    await this.client.withWriteSlot(async () => {
      const { extras } = this.survivor(order, await this.search(order, partnerId, 'now'), partnerId);
      const drafts = extras.filter(quotation).map((o) => o.id);
      if (drafts.length === 0) return;
      this.logger?.warn({ order: order.number, drafts }, 'odoo: extra quotations of one order, deleting them');
      await this.client.call('sale.order', 'action_cancel', [drafts], {}, z.unknown());
      await this.client.call('sale.order', 'unlink', [drafts], {}, z.boolean());
    });
  }

  /**
   * `action_confirm` once Odoo's totals are WooCommerce's to the cent, checked on the row read right after the
   * create (or read now). Only the confirm itself goes into the write slot; when Odoo refuses it because the order
   * is confirmed already (another sidecar), that is the outcome wanted.
   */
  async confirm(order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    const current = state.salesOrder;
    if (!current) throw new Error('confirm before the sales order exists');
    if (current.validated) return state;
    const id = Number(current.id);
    const known = this.seen.get(id);
    const o = known && quotation(known) ? known : await this.read(id, current.ref);
    if (!confirmed(o)) {
      const exp = currencyExponent(order.currency);
      if (cents(order, o.amount_total) !== grossTotal(order) || cents(order, o.amount_tax) !== order.totalTax) {
        throw new NeedsHumanError('totals_mismatch',
          `Odoo quotation ${o.name} totals ${o.amount_total.toFixed(exp)} (tax ${o.amount_tax.toFixed(exp)}) but WooCommerce order #${order.number} totals ` +
          `${minorText(BigInt(grossTotal(order)), exp)} (tax ${minorText(BigInt(order.totalTax), exp)}). Syncline left it unconfirmed: correct it in Odoo (or delete it), then retry.`,
          { orderNumber: order.number, odooRef: o.name, odooTotal: o.amount_total, wcTotal: grossTotal(order) });
      }
      try {
        await this.client.withWriteSlot(() => this.client.call('sale.order', 'action_confirm', [[id]], {}, z.unknown()));
      } catch (e) {
        if (!(e instanceof NeedsHumanError && e.code === 'erp_rejected' && confirmed(await this.read(id, current.ref)))) throw e;
      }
    }
    this.seen.delete(id);
    return { ...state, salesOrder: { ...this.doc(o), validated: true } };
  }

  private async read(id: number, ref: string): Promise<SaleOrderRow> {
    const [o] = await this.client.call('sale.order', 'search_read', [[['id', '=', id]]], { fields: SALE_ORDER_FIELDS }, z.array(SaleOrderRow));
    if (!o) throw new RetryableError('erp_not_visible', `Odoo order ${ref} is gone; looking again`);
    return o;
  }

  customerDoc(id: number, name: string): ErpDocument {
    return { type: 'customer', id: String(id), ref: name, url: `${this.client.webRoot}/web#id=${id}&model=res.partner&view_type=form` };
  }
}
