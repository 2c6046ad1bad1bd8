import type { Logger } from 'pino';
import type { SidecarConfig } from '../config/index.js';
import { createDolibarrAdapter } from '../erp/dolibarr/index.js';
import { createOdooAdapter } from '../erp/odoo/index.js';
import type { ErpAdapter } from '../ports/erp.js';

type AdapterFactory = (config: SidecarConfig, logger: Logger) => ErpAdapter;

/** `erp.type` → adapter. A new ERP adds one line here (and its folder under src/erp/). */
const REGISTRY: Record<SidecarConfig['erp']['type'], AdapterFactory> = {
  dolibarr: (c, logger) => createDolibarrAdapter({
    url: c.erp.url,
    apiKey: c.erp.api_key,
    warehouseId: c.erp.warehouse_id,
    ...(c.erp.bank_account_id === undefined ? {} : { bankAccountId: c.erp.bank_account_id }),
    refClientPrefix: c.erp.ref_client_prefix,
    timeoutMs: c.erp.timeout_ms,
    ...(c.erp.commit_grace_ms === undefined ? {} : { commitGraceMs: c.erp.commit_grace_ms }),
    writeConcurrency: c.erp.write_concurrency,
    ...(c.worker.concurrency === undefined ? {} : { concurrency: c.worker.concurrency }),
    logger,
    shipments: { lookbackSeconds: c.shipments.lookback_seconds, startLookbackSeconds: c.shipments.start_lookback_seconds, dbUtcOffsetMinutes: c.shipments.erp_db_utc_offset_minutes },
  }),
  odoo: (c, logger) => createOdooAdapter({
    url: c.erp.url,
    database: c.erp.database ?? '',
    login: c.erp.login ?? '',
    apiKey: c.erp.api_key,
    timeoutMs: c.erp.timeout_ms,
    refClientPrefix: c.erp.ref_client_prefix,
    ...(c.erp.shipping_product_ref === undefined ? {} : { shippingProductRef: c.erp.shipping_product_ref }),
    ...(c.erp.fee_product_ref === undefined ? {} : { feeProductRef: c.erp.fee_product_ref }),
    ...(c.erp.commit_grace_ms === undefined ? {} : { commitGraceMs: c.erp.commit_grace_ms }),
    writeConcurrency: c.erp.write_concurrency,
    ...(c.worker.concurrency === undefined ? {} : { concurrency: c.worker.concurrency }),
    logger,
  }),
};

export function createAdapter(config: SidecarConfig, logger: Logger): ErpAdapter {
  return REGISTRY[config.erp.type](config, logger);
}
