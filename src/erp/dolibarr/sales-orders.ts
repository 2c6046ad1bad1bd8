/**
 * The sales order of one WooCommerce order: created as a draft, looked up again, extra drafts deleted, the one
 * survivor validated. Dolibarr has no uniqueness on `ref_ext`, and two workers (two sidecars, or a lease that
 * expired) or a create that commits after our timeout can each leave a draft; drafts hold no stock, so deleting the
 * extras before validating the survivor (the lowest id; a validated one if there is one) leaves exactly one order.
 * Validated orders are never deleted: two of them are a human's call (`erp_duplicate`, ownership.ts).
 *
 * Only writes run inside the write slot (Dolibarr's sequential ceiling is create + validate): the lookup that
 * decides to create is the state lookup made before (batched with other orders', outside the slot). A create that
 * raced with another worker's is caught by the re-lookup after the create, outside the slot and batched too, and
 * the extra draft deleted; when extras are found they are checked again inside the slot (rare path) before any
 * delete. Two pipelines of this process on the same order are serialised here, and the second looks again before
 * creating. A create whose outcome is unknown (our timeout fired, or the connection broke after sending) may still
 * commit: its retry is held back until `commitGraceMs` after the request started, so the re-lookup sees it.
 */
import type { Logger } from 'pino';
import type { Order } from '../../canonical/index.js';
import { NeedsHumanError, RetryableError } from '../../common/errors.js';
import { KeyedMutex } from '../../common/keyed-mutex.js';
import type { ErpOrderState } from '../../ports/erp.js';
import { type DolibarrClient, NOT_MODIFIED, segment, WriteOutcomeUnknownError } from './client.js';
import type { DolibarrCustomers } from './customers.js';
import type { DolibarrLookups } from './lookups.js';
import { toOrderBody } from './mapper.js';
import { resolveOurs } from './ownership.js';
import { CreatedId, OrderSummary } from './schemas.js';

export interface SalesOrderConfig {
  warehouseId: number;
  refClientPrefix: string;
  /** How long after a create with unknown outcome Dolibarr may still commit it, in ms. */
  commitGraceMs: number;
}

/** Orders this process remembers having created, for the second pipeline of the same order. */
const RECENT_KEYS = 10_000;
const FK_SOC = /fk_commande_fk_soc|fk_soc/i;

export class DolibarrSalesOrders {
  constructor(
    private readonly client: DolibarrClient,
    private readonly lookups: DolibarrLookups,
    private readonly customers: DolibarrCustomers,
    private readonly cfg: SalesOrderConfig,
    private readonly logger?: Logger,
  ) {}

  /** Per-order serialisation of this process's creates (two pipelines, two events of one order). */
  private readonly lock = new KeyedMutex();
  /** ref_ext of the orders this process created lately (oldest first, at most RECENT_KEYS). */
  private readonly created = new Set<string>();

  /** Adopts our sales order if Dolibarr has one, else creates a draft (the only request in the write slot). */
  async ensure(order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    if (state.salesOrder) return state;
    const customer = state.customer ?? this.lookups.customerDoc(await this.customers.ensure(order));
    const socid = Number(customer.id);
    const productIds = await this.resolveProducts(order);
    const body = toOrderBody(order, { socid, productIds, refClientPrefix: this.cfg.refClientPrefix });
    const adoptedOrCreated = await this.lock.run(body.ref_ext, async () => {
      // The caller's state came from an order lookup only when it knew the customer (findOrderState); and when this
      // process created this order before, that state may predate the create: look (again) in those cases.
      const createdHere = this.created.has(body.ref_ext);
      if (createdHere || !state.customer) {
        const { survivor } = resolveOurs(order, await this.lookups.salesOrders(order), socid);
        if (survivor) return survivor;
      }
      const id = await this.create(order, body, socid);
      this.noteCreated(body.ref_ext);
      this.logger?.debug({ correlationId: order.correlationId, orderId: id }, 'dolibarr sales order created (draft)');
      return { id, ref: `(PROV${id})`, statut: 0, ref_client: body.ref_client, ref_ext: body.ref_ext, socid } satisfies OrderSummary;
    });
    return { ...state, customer, salesOrder: this.lookups.orderDoc(adoptedOrCreated) };
  }

  /** Looks our orders up again (batched, outside the slot), deletes extra drafts, validates the survivor. */
  async validate(order: Order, state: ErpOrderState): Promise<ErpOrderState> {
    if (!state.salesOrder) throw new NeedsHumanError('step_order', `Order #${order.number} has no Dolibarr sales order to validate yet.`, { step: 'validate_order' });
    const socid = state.customer ? Number(state.customer.id) : undefined;
    const found = resolveOurs(order, await this.lookups.salesOrders(order, true), socid);
    if (!found.survivor) {
      throw new RetryableError('erp_order_vanished', `Dolibarr no longer has the sales order ${state.salesOrder.ref} of WooCommerce order #${order.number} (deleted there?); it will be created again.`, { erpDown: false });
    }
    const validated = await this.client.withWriteSlot(async () => {
      // Rare path (two workers, a late commit): decide the deletes on what Dolibarr holds now, not before the slot.
      const { survivor, extras } = found.extras.length === 0 ? found : resolveOurs(order, await this.lookups.salesOrdersNow(order), socid);
      if (!survivor) throw new RetryableError('erp_order_vanished', `Dolibarr no longer has the sales order ${state.salesOrder?.ref ?? ''} of WooCommerce order #${order.number}; it will be created again.`, { erpDown: false });
      for (const extra of extras) await this.deleteDraft(order, extra);
      if (survivor.statut >= 1) return survivor;
      const res = await this.client.postIdempotent(`/orders/${segment(survivor.id)}/validate`, { idwarehouse: this.cfg.warehouseId, notrigger: 0 }, OrderSummary);
      // 304: validated already (another worker, or an earlier attempt that committed and timed out).
      return res === NOT_MODIFIED ? this.lookups.orderById(survivor.id) : res;
    });
    this.logger?.debug({ correlationId: order.correlationId, orderId: validated.id, ref: validated.ref }, 'dolibarr sales order validated');
    return { ...state, salesOrder: this.lookups.orderDoc(validated) };
  }

  private async create(order: Order, body: ReturnType<typeof toOrderBody>, socid: number): Promise<number> {
    try {
      return await this.client.post('/orders', body, CreatedId);
    } catch (e) {
      if (e instanceof WriteOutcomeUnknownError) {
        const wait = Math.max(0, e.startedAt + this.cfg.commitGraceMs - Date.now());
        throw new RetryableError('erp_create_unconfirmed',
          `${e.message}. Dolibarr may still commit that sales order for WooCommerce order #${order.number}; ` +
          `Syncline looks again in ${Math.ceil(wait / 1000)} s and keeps exactly one.`, { ...e.options, retryAfterMs: wait });
      }
      if (e instanceof NeedsHumanError && FK_SOC.test(String(e.details['dolibarrMessage'] ?? e.message))) {
        this.customers.forget(socid);
        throw new RetryableError('erp_customer_gone', `Dolibarr refused customer thirdparty ${socid} for WooCommerce order #${order.number} (no longer there?); it will be looked up again.`, { erpDown: false });
      }
      throw e;
    }
  }

  private noteCreated(refExt: string): void {
    this.created.add(refExt);
    if (this.created.size <= RECENT_KEYS) return;
    const oldest = this.created.values().next();
    if (!oldest.done) this.created.delete(oldest.value);
  }

  private async deleteDraft(order: Order, draft: OrderSummary): Promise<void> {
    const res = await this.client.delete(`/orders/${segment(draft.id)}`);
    this.logger?.warn({ correlationId: order.correlationId, orderId: draft.id, gone: res !== 'deleted' }, 'deleted an extra draft sales order of the same WooCommerce order');
  }

  private async resolveProducts(order: Order): Promise<Map<string, number>> {
    const services = order.shipping.flatMap((s) => (s.erpRef === undefined ? [] : [s.erpRef]));
    const ids = await this.lookups.productIdsFor([...order.lines.map((l) => l.erpRef), ...services]);
    const missingServices = order.shipping.filter((s) => s.erpRef !== undefined && !ids.has(s.erpRef));
    if (missingServices.length > 0) {
      const list = missingServices.map((s) => `${s.methodId} → ${s.erpRef ?? ''}`).join(', ');
      throw new NeedsHumanError('unmapped_shipping', `Order #${order.number} maps shipping to Dolibarr services that do not exist: ${list}. Create them in Dolibarr or fix the shipping mapping.`,
        { methodIds: missingServices.map((s) => s.methodId), erpRefs: missingServices.map((s) => s.erpRef) });
    }
    const missing = order.lines.filter((l) => !ids.has(l.erpRef));
    if (missing.length > 0) {
      const list = missing.map((l) => (l.sku === l.erpRef ? l.sku : `${l.sku} (Dolibarr ref ${l.erpRef})`)).join(', ');
      throw new NeedsHumanError('unmapped_sku', `Order #${order.number} has products that do not exist in Dolibarr: ${list}. Create them in Dolibarr or map the SKUs.`,
        { skus: missing.map((l) => l.sku), erpRefs: missing.map((l) => l.erpRef) });
    }
    return ids;
  }
}
