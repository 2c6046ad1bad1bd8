/**
 * ShipmentSync: ERP shipments → WooCommerce orders (docs/ARCHITECTURE.md, "Shipments").
 * Every `intervalMs` it reads the shipments changed since its cursor (`adapter.readShipments`, windows overlap),
 * keeps those of orders Syncline pushed (mapping.ts), and POSTs the ones not yet sent with this content to
 * `/shipments/apply` in requests of 100. WordPress applies each shipment once (keyed by the ERP's shipment id), so
 * a replay, an overlap or a second sidecar changes nothing; the in-memory fingerprints only save requests.
 * The cursor moves only after every request of a poll succeeded: a failure re-reads the same window next time.
 */
import { SerialLoop } from '../../common/serial-loop.js';
import type { Logger } from 'pino';
import type { Clock } from '../../common/clock.js';
import type { ShipmentReader } from '../../ports/erp.js';
import type { WpShipmentsApi } from '../../wp/client.js';
import { SHIPMENTS_PER_REQUEST, type ShipmentApplyItem, type ShipmentOutcome } from '../../wp/shipments.js';
import { fingerprint, toWire } from './mapping.js';

/** Longest wait after failed polls (each failure doubles the interval, up to 8 intervals or 30 s, at most this). */
const MAX_BACKOFF_MS = 300_000;

export interface ShipmentSyncOptions {
  /** Adapter name sent as `erp` (part of the idempotency key in WordPress). */
  erp: string;
  intervalMs: number;
  /** Prefix of the ERP order's customer reference (`erp.ref_client_prefix`). */
  refClientPrefix: string;
}

export interface ShipmentSyncDeps {
  adapter: ShipmentReader;
  wp: WpShipmentsApi;
  clock: Clock;
  logger: Logger;
}

export interface ShipmentPollResult {
  /** Shipments the ERP returned. */
  read: number;
  /** Of those, not of an order Syncline pushed, or without a product line. */
  skipped: number;
  /** Sent to WordPress (new or changed since last sent). */
  sent: number;
  outcomes: Partial<Record<ShipmentOutcome, number>>;
  overflow: boolean;
}

export class ShipmentSync {
  private cursor: string | null = null;
  /** shipment id → fingerprint of what WordPress last answered for. */
  private sent = new Map<string, string>();
  private readonly runner = new SerialLoop((signal) => this.loop(signal));

  constructor(private readonly o: ShipmentSyncOptions, private readonly d: ShipmentSyncDeps) {}

  start(): void {
    this.runner.start();
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }

  /** One poll (polls never overlap). */
  poll(): Promise<ShipmentPollResult> {
    return this.runner.serial(() => this.pollOnce());
  }

  private async loop(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let wait = this.o.intervalMs;
      try {
        if ((await this.poll()).overflow) wait = Math.min(1000, this.o.intervalMs);
        failures = 0;
      } catch (e) {
        failures++;
        // A slow ERP keeps working on a request we gave up on: back off rather than queue more behind it.
        wait = Math.min(this.o.intervalMs * 2 ** Math.min(failures, 8), Math.max(this.o.intervalMs, Math.min(MAX_BACKOFF_MS, Math.max(8 * this.o.intervalMs, 30_000))));
        this.d.logger.warn({ err: e, retry_in_ms: wait }, 'shipments poll failed; the same window is read again at the next poll');
      }
      await this.d.clock.sleep(wait, signal);
    }
  }

  private async pollOnce(): Promise<ShipmentPollResult> {
    const changes = await this.d.adapter.readShipments(this.cursor);
    const items: ShipmentApplyItem[] = [];
    let skipped = 0;
    for (const s of changes.shipments) {
      const decision = toWire(s, this.o.refClientPrefix);
      if (decision.kind === 'skip') skipped++;
      else items.push(decision.item);
    }
    const fresh = items.filter((i) => this.sent.get(i.shipment_id) !== fingerprint(i));
    const outcomes: Partial<Record<ShipmentOutcome, number>> = {};
    for (let i = 0; i < fresh.length; i += SHIPMENTS_PER_REQUEST) {
      const chunk = fresh.slice(i, i + SHIPMENTS_PER_REQUEST);
      const answer = await this.d.wp.applyShipments({ erp: this.o.erp, shipments: chunk });
      const byId = new Map(chunk.map((c) => [c.shipment_id, c]));
      for (const r of answer.results) {
        outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
        const item = byId.get(r.shipment_id);
        if (item) this.sent.set(item.shipment_id, fingerprint(item));
        if (r.outcome === 'unknown_order' || r.outcome === 'not_ours') {
          this.d.logger.warn({ shipment: r.shipment_id, order_id: r.order_id, outcome: r.outcome }, 'ERP shipment names an order this store does not have as ours: not applied');
        }
      }
    }
    this.cursor = changes.cursor;
    // Shipments out of the window are not returned again unless they change (and then they are in the window).
    if (!changes.overflow) {
      const inWindow = new Set(items.map((i) => i.shipment_id));
      for (const id of [...this.sent.keys()]) if (!inWindow.has(id)) this.sent.delete(id);
    }
    const result: ShipmentPollResult = { read: changes.shipments.length, skipped, sent: fresh.length, outcomes, overflow: changes.overflow === true };
    if (fresh.length > 0 || changes.overflow) this.d.logger.info({ ...result }, 'shipments poll done');
    return result;
  }
}
