import type { Logger } from 'pino';
import type { ErpAdapter } from '../../ports/erp.js';
import { OdooAdapter } from './adapter.js';
import { OdooClient } from './client.js';

export interface OdooAdapterOptions {
  /** Odoo site root, e.g. `https://erp.example` (JSON-RPC at `/jsonrpc`). */
  url: string;
  database: string;
  login: string;
  /** API key (or password) of `login`. Never logged. */
  apiKey: string;
  timeoutMs: number;
  /** Prefix of `client_order_ref`, e.g. `WC-`. */
  refClientPrefix: string;
  /** Internal Reference of the delivery product for shipping lines without a mapped one. @defaultValue `Delivery_007` (Odoo's "Standard delivery") */
  shippingProductRef?: string;
  /** Internal Reference of the product fee lines go on. @defaultValue unset (orders with fees are needs-human) */
  feeProductRef?: string;
  /** @defaultValue 2 × timeoutMs */
  commitGraceMs?: number;
  /** @defaultValue 8 */
  concurrency?: number;
  /** @defaultValue 1 */
  writeConcurrency?: number;
  logger?: Logger;
}

export const DEFAULT_SHIPPING_PRODUCT_REF = 'Delivery_007';

export function createOdooAdapter(opts: OdooAdapterOptions): ErpAdapter {
  const logger = opts.logger?.child({ erp: 'odoo' });
  const client = new OdooClient({
    url: opts.url, db: opts.database, login: opts.login, apiKey: opts.apiKey, timeoutMs: opts.timeoutMs, writeConcurrency: opts.writeConcurrency ?? 1, ...(logger ? { logger } : {}),
  });
  return new OdooAdapter(client, {
    refPrefix: opts.refClientPrefix,
    shippingProductRef: opts.shippingProductRef ?? DEFAULT_SHIPPING_PRODUCT_REF,
    ...(opts.feeProductRef === undefined ? {} : { feeProductRef: opts.feeProductRef }),
    commitGraceMs: opts.commitGraceMs ?? 2 * opts.timeoutMs,
    concurrency: opts.concurrency ?? 8,
  }, logger);
}
