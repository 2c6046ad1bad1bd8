import type { Logger } from 'pino';
import type { ErpAdapter } from '../../ports/erp.js';
import { DolibarrAdapter } from './adapter.js';
import type { ShipmentReadOptions } from './shipments.js';
import { DolibarrClient } from './client.js';

export interface DolibarrAdapterOptions {
  /** API base, e.g. `http://erp.example/api/index.php`. */
  url: string;
  /** Value of the `DOLAPIKEY` header. Never logged. */
  apiKey: string;
  /** Warehouse whose stock is decremented on validation. */
  warehouseId: number;
  /** Bank account for payments (later issues). */
  bankAccountId?: number;
  /** Prefix of the Dolibarr `ref_client`, e.g. `WC-`. */
  refClientPrefix: string;
  /** Per-request timeout in milliseconds. */
  timeoutMs: number;
  /**
   * How long after a create whose outcome is unknown (timeout, broken connection) Dolibarr may still commit it, in
   * ms; the retry looks up only after that. @defaultValue 2 × timeoutMs
   */
  commitGraceMs?: number;
  /**
   * Order pipelines at once (reads run in parallel; only writes take the write slot, so enough pipelines keep it fed
   * while their lookups wait to be batched: real Dolibarr 20.0.2, 8 pipelines 0.84-0.87 of the bare client, 16: 0.89).
   * @defaultValue 16
   */
  concurrency?: number;
  /** Writes at once; Dolibarr deadlocks under concurrent writes. @defaultValue 1 */
  writeConcurrency?: number;
  logger?: Logger;
  /** Shipments read window and the database clock's offset (src/erp/dolibarr/shipments.ts). */
  shipments?: Partial<Omit<ShipmentReadOptions, 'now'>>;
}

export function createDolibarrAdapter(opts: DolibarrAdapterOptions): ErpAdapter {
  const logger = opts.logger?.child({ erp: 'dolibarr' });
  const client = new DolibarrClient({
    baseUrl: opts.url, apiKey: opts.apiKey, timeoutMs: opts.timeoutMs, writeConcurrency: opts.writeConcurrency ?? 1, ...(logger ? { logger } : {}),
  });
  return new DolibarrAdapter(client, {
    warehouseId: opts.warehouseId,
    refClientPrefix: opts.refClientPrefix,
    concurrency: opts.concurrency ?? 16,
    commitGraceMs: opts.commitGraceMs ?? 2 * opts.timeoutMs,
    ...(opts.bankAccountId === undefined ? {} : { bankAccountId: opts.bankAccountId }),
    ...(opts.shipments ? { shipments: opts.shipments } : {}),
  }, logger);
}
