/**
 * Lookups of the ERP documents of an order (Dolibarr `GET /orders` by `ref_ext`, Odoo `sale.order` by `origin`),
 * batched: lookups of different orders made within a window go out as one request. Every read is a request on the
 * ERP's CPUs, the same ones the writes need, and waiting matters only while a write runs, so the window depends on
 * the client's write slots:
 * - a write runs: `BATCH_WINDOW_MS`, or `PATIENT_WINDOW_MS` for a re-lookup after a create (outside the slot), which
 *   can wait for the next in-slot lookup to carry it;
 * - no write runs: the ERP's short idle window (a waiting lookup holds the next write back);
 * - the last slot is given back: what waits goes at once (one turn later, so the re-lookup of the order that just
 *   left the slot rides along).
 * Windows measured on real Dolibarr 20.0.2 (tests/ts/contract/erp-throughput.ts, 8 pipelines, medians of 3
 * alternating rounds on a shared 2-core machine): 10/30 ms 1.41 GET /orders per order; 25/100 ms 0.98; 40/150 ms
 * 0.67 and 0.94; 80/300 ms 0.48. The added latency (at most the two windows, 0.4 s) is small against the 5 s p99
 * target.
 */
import { Batcher } from './batcher.js';
import type { WriteSlots } from './write-slots.js';

const BATCH_WINDOW_MS = 80;
const BATCH_MAX_KEYS = 40;
const PATIENT_WINDOW_MS = 300;

export class WindowedLookups<V> {
  private readonly batcher: Batcher<string, V>;

  /** `load` answers every key it is given (an empty list for a key the ERP has nothing for). */
  constructor(load: (keys: string[]) => Promise<Map<string, V>>, private readonly writes: WriteSlots, private readonly idleWindowMs: number) {
    this.batcher = new Batcher(load, { windowMs: BATCH_WINDOW_MS, maxKeys: BATCH_MAX_KEYS });
    writes.onIdle(() => setImmediate(() => this.batcher.flushWaiting()));
  }

  /** `key`'s documents, batched with other keys asked within the window. */
  get(key: string, patient = false): Promise<V> {
    const windowMs = this.writes.idle ? this.idleWindowMs : patient ? PATIENT_WINDOW_MS : BATCH_WINDOW_MS;
    return this.batcher.get(key, windowMs);
  }

  /**
   * The same, sent at once (inside a write slot, where waiting would hold the slot); lookups waiting for their
   * window ride along. One turn of the event loop first: the pipeline that just left the slot queues its re-lookup.
   */
  async getNow(key: string): Promise<V> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    return this.batcher.getNow(key);
  }
}
