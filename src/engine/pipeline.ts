import type { Logger } from 'pino';
import { z } from 'zod';
import type { Order } from '../canonical/index.js';
import { NeedsHumanError } from '../common/errors.js';
import type { ErpAdapter, ErpDocument, ErpOrderState, OrderStep } from '../ports/erp.js';
import type { AckRefs, LeasedEvent } from '../wp/schemas.js';
import type { StockResync } from './ats/stock-sync.js';
import { ERP_PING_TOPIC, runErpPing } from './erp-ping.js';
import type { Reconciler } from './reconcile/reconciler.js';
import { RECONCILE_TOPIC } from './reconcile/schemas.js';
import { mapOrder, mapStatus, WcOrderHead } from './mapping/index.js';
import { DEFAULT_FINANCE, planSteps, type FinanceSettings } from './plan.js';
import type { ErpChanges } from './products/erp-changes.js';
import type { ProductResync } from './products/product-sync.js';
import { runProductTopic } from './products/topics.js';
import { operatorSkip, pushPolicy } from './policy.js';

export interface PipelineDeps {
  adapter: ErpAdapter;
  /** Runs a stock pull for `stock.resync` events (absent: stock sync is off). */
  stock?: StockResync;
  /** Runs `reconcile.run` events (absent: they are acked done with reason `reconcile_disabled`). */
  reconcile?: Pick<Reconciler, 'run'>;
  /** Master data sync, for `products.sync` events (absent: acked done `product_sync_disabled`). */
  products?: ProductResync;
  /** Pushed ERP changes, for `erp.product_changed` events. */
  erpChanges?: ErpChanges;
  /** A child logger that already carries the event id and correlation id. */
  logger: Logger;
  /** Values never sent back to WordPress (the ERP API key). */
  secrets?: string[];
}

/** A finished pipeline: the `refs` of a `done` ack, and whether anything was written to the ERP. */
export interface PipelineResult {
  refs: AckRefs;
  pushed: boolean;
  /** How long each step it ran took, in ms, in the order they ran (for the consumer's one "event done" line). */
  stepMs?: Array<[OrderStep, number]>;
}

/**
 * Makes the ERP match one order as WooCommerce has it now: map → policy → products exist → find what the ERP has
 * → run the missing steps. Throws RetryableError / NeedsHumanError (the consumer turns them into acks).
 */
export async function runPipeline(event: LeasedEvent, deps: PipelineDeps): Promise<PipelineResult> {
  const { adapter, logger } = deps;
  const skip = (reason: string, state?: ErpOrderState): PipelineResult => {
    logger.info({ reason }, 'nothing to push');
    const refs: AckRefs = { ...refsOf(adapter, state ?? {}, []), reason };
    delete refs.erp_counted;
    return { refs, pushed: false };
  };
  if (event.topic === ERP_PING_TOPIC) return runErpPing(deps);
  if (event.topic === 'stock.resync') {
    if (!deps.stock) return skip('stock_sync_disabled');
    const r = await deps.stock.resync(event.payload.skus);
    logger.info({ pass: r.kind, applied: r.applied, unchanged: r.unchanged, read: r.read }, 'stock resync done');
    return skip('stock_resync_done');
  }
  if (event.topic === RECONCILE_TOPIC) {
    if (!deps.reconcile) return skip('reconcile_disabled');
    const r = await deps.reconcile.run(event.object_id);
    return skip(`reconcile_done_found_${r.found}`);
  }
  const productReason = await runProductTopic(event, deps);
  if (productReason !== undefined) return skip(productReason);
  // Recorded needs-human by WordPress; an admin's retry leases it again: the next full pull checks the SKU anew.
  if (event.topic === 'stock.unknown_sku') return skip('stock_recheck_on_next_pull');
  if (event.object_type !== 'order') return skip(`unsupported_object_type_${event.object_type}`);
  const raw = event.payload.order;
  if (raw === null || raw === undefined) return skip('order_deleted');
  const head = WcOrderHead.safeParse(raw);
  const status = head.success ? mapStatus(head.data.status) : 'other';
  const mapped = operatorSkip(head.success ? head.data.status : undefined, event.payload.mappings?.order_status);
  if (mapped?.kind === 'skip') return skip(mapped.reason);
  const first = pushPolicy(status);
  if (first.kind === 'skip') return skip(first.reason);
  const order = mapForStatus(raw, event, first.kind === 'need_state');
  if (order === null) return skip(`${status}_unmappable`);
  const settings = financeSettings(event);
  if (first.kind === 'need_state') {
    const state = await adapter.findOrderState(order);
    const second = pushPolicy(status, state);
    if (second.kind === 'skip') return skip(second.reason, state);
    return push(order, deps, settings, state);
  }
  return push(order, deps, settings);
}

/** The finance settings of the lease payload (`mappings.settings`), defaults where absent or unknown. */
export function financeSettings(event: LeasedEvent): FinanceSettings {
  const raw = (event.payload.mappings as { settings?: unknown } | undefined)?.settings;
  const parsed = SettingsPayload.safeParse(raw ?? {});
  const invoiceAt = parsed.success ? parsed.data.invoice_at : undefined;
  return { ...DEFAULT_FINANCE, ...(invoiceAt ? { invoiceAt } : {}) };
}

const SettingsPayload = z.preprocess((v) => (Array.isArray(v) && v.length === 0 ? {} : v), z.object({ invoice_at: z.enum(['capture', 'completion']).optional() }).passthrough());

/** Steps at most per push: every step once, a credit note per refund, and room for a step the ERP undid meanwhile. */
const MAX_STEPS = 40;

/** Maps the order; for a withdrawn (cancelled) order a mapping problem is no reason to bother a human. */
function mapForStatus(raw: unknown, event: LeasedEvent, withdrawn: boolean): Order | null {
  const ctx = {
    correlationId: event.correlation_id, skuMap: event.payload.sku_map ?? {}, shippingMap: event.payload.mappings?.shipping_method ?? {},
    paymentMap: event.payload.mappings?.payment_method ?? {},
  };
  try {
    return mapOrder(raw, ctx);
  } catch (e) {
    if (withdrawn && e instanceof NeedsHumanError) return null;
    throw e;
  }
}

/**
 * Runs the missing steps, planning again after each one: a step's result (an invoice made) makes the next ones
 * (payment, credit notes) due in the same run. A step that leaves the state unchanged and is planned again stops the
 * run as needs-human rather than looping.
 */
async function push(order: Order, { adapter, logger }: PipelineDeps, settings: FinanceSettings, known?: ErpOrderState): Promise<PipelineResult> {
  await requireProducts(order, adapter);
  let state = known ?? await adapter.findOrderState(order);
  const plan = (s: ErpOrderState): OrderStep[] => planSteps(order, s, settings, adapter.supportedSteps);
  logger.info({ steps: plan(state), existing: refsOf(adapter, state, []).documents.map((d) => d.type) }, 'pushing order');
  const ran: OrderStep[] = [];
  const stepMs: Array<[OrderStep, number]> = [];
  for (let next = plan(state)[0]; next !== undefined; next = plan(state)[0]) {
    if (ran.length >= MAX_STEPS || (ran.at(-1) === next && ran.at(-2) === next)) {
      throw new NeedsHumanError('step_repeats', `Order #${order.number}: the ERP step ${next} did not take effect after it ran (steps run: ${ran.join(', ')}).`, { step: next, steps: ran });
    }
    const t0 = Date.now();
    state = await adapter.runStep(next, order, state);
    ran.push(next);
    stepMs.push([next, Date.now() - t0]);
    // Debug only: an order logs two info lines (this "pushing order", the consumer's "event done" with every step's ms).
    logger.debug({ step: next, ms: Date.now() - t0 }, 'step done');
  }
  return { refs: refsOf(adapter, state, ran), pushed: ran.length > 0, stepMs };
}

/** Throws NeedsHumanError(`unmapped_sku`) naming every SKU whose ERP product does not exist. */
async function requireProducts(order: Order, adapter: ErpAdapter): Promise<void> {
  const refs = [...new Set(order.lines.map((l) => l.erpRef))];
  const missing = new Set(await adapter.findMissingProducts(refs));
  if (missing.size === 0) return;
  const lines = order.lines.filter((l) => missing.has(l.erpRef));
  const skus = [...new Set(lines.map((l) => l.sku))];
  const named = lines.map((l) => (l.sku === l.erpRef ? l.sku : `${l.sku} (mapped to ${l.erpRef})`));
  const subject = skus.length === 1 ? `SKU ${[...new Set(named)].join('')} has` : `SKUs ${[...new Set(named)].join(', ')} have`;
  throw new NeedsHumanError('unmapped_sku', `${subject} no product in the ERP; create it there or map the SKU to an ERP product (wp syncline map sku), then retry.`, {
    skus, erp_refs: [...missing],
  });
}

/**
 * The documents the ERP holds for the order, in the ack's shape, each with its link into the ERP. `erp_counted`
 * comes from the state: the ERP's stock includes the order while its sales order is validated (and not withdrawn),
 * whatever steps this attempt ran (a replay after validation runs none).
 */
export function refsOf(adapter: Pick<ErpAdapter, 'name' | 'countsStockAt'>, state: ErpOrderState, steps: OrderStep[]): AckRefs {
  const docs: ErpDocument[] = [
    ...(state.customer ? [state.customer] : []),
    ...(state.salesOrder ? [state.salesOrder] : []),
    ...(state.invoice ? [state.invoice] : []),
    ...(state.payments ?? []),
    ...(state.creditNotes ?? []),
  ];
  const refs: AckRefs = {
    erp: adapter.name,
    documents: docs.map((d) => ({ type: d.type, id: d.id, ref: d.ref, ...(d.url ? { url: d.url } : {}) })),
    steps: [...steps],
  };
  if (adapter.countsStockAt !== undefined && state.salesOrder) refs.erp_counted = state.salesOrder.validated && state.salesOrder.cancelled !== true;
  return refs;
}
