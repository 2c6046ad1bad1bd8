/**
 * The master-data topics of the outbox, run by the consumer's pipeline:
 * - `products.sync` (object_id = the request id; WP-Cron master-data schedule, `wp syncline sync products`): the
 *   request's refs (none = every product) and dry-run flag come from `POST /products/request`;
 * - `erp.product_changed` / `erp.stock_changed` (object_id = the ERP's product id; recorded by the webhook route):
 *   see erp-changes.ts.
 * Returns the done reason, or undefined when the event is not one of these topics.
 */
import type { Logger } from 'pino';
import type { LeasedEvent } from '../../wp/schemas.js';
import { ERP_PRODUCT_CHANGED, ERP_STOCK_CHANGED, type ErpChanges } from './erp-changes.js';
import type { ProductResync } from './product-sync.js';

export const PRODUCTS_SYNC = 'products.sync';
export const PRODUCT_EXCEPTION = 'product.exception';

export interface ProductTopicDeps {
  products?: ProductResync;
  erpChanges?: ErpChanges;
  logger: Logger;
}

export async function runProductTopic(event: LeasedEvent, deps: ProductTopicDeps): Promise<string | undefined> {
  if (event.topic === ERP_PRODUCT_CHANGED || event.topic === ERP_STOCK_CHANGED) {
    if (!deps.erpChanges) return 'erp_changes_disabled';
    await deps.erpChanges.changed(String(event.object_id), event.topic === ERP_PRODUCT_CHANGED);
    return 'erp_change_pushed';
  }
  // Recorded needs-human by WordPress; an admin's retry leases it again: the next pass checks the product anew.
  if (event.topic === PRODUCT_EXCEPTION) return 'product_recheck_on_next_pass';
  if (event.topic !== PRODUCTS_SYNC) return undefined;
  if (!deps.products) return 'product_sync_disabled';
  const request = await deps.products.wp.productSyncRequest(event.object_id);
  const r = await deps.products.syncRefs(request.refs, { dryRun: request.dry_run, request: event.object_id });
  deps.logger.info({ pass: r.kind, dry_run: r.dry_run, read: r.read, written: r.written, unchanged: r.unchanged, created: r.created, unknown: r.unknown.length }, 'products sync done');
  return request.dry_run ? 'products_dry_run_done' : 'products_sync_done';
}
