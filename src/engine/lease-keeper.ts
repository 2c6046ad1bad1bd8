import type { Logger } from 'pino';
import type { Clock } from '../common/clock.js';
import { LeaseLostError, type Fence } from '../common/fence.js';
import type { WpApi } from '../wp/client.js';

interface Held {
  token: string;
  /** Local clock (ms) after which the lease is no longer surely ours. */
  endsAt: number;
  /** WordPress said the token no longer holds the event. */
  lost: boolean;
}

export interface LeaseKeeperDeps {
  wp: WpApi;
  worker: string;
  leaseSeconds: number;
  clock: Clock;
  logger: Logger;
}

/** Most leases renewed per request (the route's limit). */
const RENEW_CHUNK = 100;
/** WordPress's times are whole seconds: a deadline derived from them is shortened by this much. */
const SECOND_ROUNDING_MS = 1000;

/**
 * Every lease this worker holds (leased events waiting for a pipeline slot or running one), renewed together in
 * one request every lease/3 seconds, and the fence each pipeline runs in: a write may start only while the lease
 * surely holds, i.e. before its local deadline (moved on by each successful renewal) minus a safety margin, and
 * while no renewal has answered that the lease is lost.
 */
export class LeaseKeeper {
  private readonly held = new Map<number, Held>();
  private stopCtl = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(private readonly d: LeaseKeeperDeps) {}

  /** How long before its deadline a lease counts as lost: room for the write that starts at the last moment. */
  get marginMs(): number {
    return Math.min(10_000, this.d.leaseSeconds * 250);
  }

  get intervalMs(): number {
    return Math.max(1000, Math.floor((this.d.leaseSeconds * 1000) / 3));
  }

  /** Ids held now (sent as the lease request's `exclude`). */
  ids(): number[] {
    return [...this.held.keys()];
  }

  has(id: number): boolean {
    return this.held.has(id);
  }

  /** Starts holding a freshly leased event; `endsAt` is its lease end on the local clock. */
  hold(id: number, token: string, endsAt: number): Fence {
    this.held.set(id, { token, endsAt: endsAt - SECOND_ROUNDING_MS, lost: false });
    return { assertHeld: () => this.assertHeld(id) };
  }

  /** Stops renewing an event (its ack is queued, or it was dropped). */
  release(id: number): void {
    this.held.delete(id);
  }

  /** Throws LeaseLostError unless the lease on `id` surely holds now. */
  assertHeld(id: number): void {
    const h = this.held.get(id);
    if (h === undefined) throw new LeaseLostError(`The lease on event ${id} is no longer held by this worker.`);
    if (h.lost) throw new LeaseLostError(`WordPress answered that the lease on event ${id} is lost (expired or taken by another worker).`);
    const left = h.endsAt - this.d.clock.now();
    if (left < this.marginMs) throw new LeaseLostError(`The lease on event ${id} ends in ${Math.max(0, Math.round(left / 1000))} s and could not be renewed; no write may start.`);
  }

  /** Renews every lease held now (one request per 100). Never throws: a failed renewal leaves the deadlines as they were. */
  async renewAll(): Promise<void> {
    const entries = [...this.held.entries()].filter(([, h]) => !h.lost);
    for (let i = 0; i < entries.length; i += RENEW_CHUNK) {
      await this.renew(entries.slice(i, i + RENEW_CHUNK));
    }
  }

  private async renew(entries: [number, Held][]): Promise<void> {
    const sentAt = this.d.clock.now();
    try {
      const res = await this.d.wp.renew({
        worker: this.d.worker,
        leases: entries.map(([id, h]) => ({ id, lease_token: h.token })),
        lease_seconds: this.d.leaseSeconds,
      });
      for (const r of res.renewed) {
        const h = this.held.get(r.id);
        if (h) h.endsAt = Math.max(h.endsAt, sentAt + (r.leased_until - res.server_time) * 1000 - SECOND_ROUNDING_MS);
      }
      for (const id of res.lost) {
        const h = this.held.get(id);
        if (!h || h.lost) continue;
        h.lost = true;
        this.d.logger.warn({ event_id: id }, 'lease lost: WordPress refused to renew it; no ERP write will start for this event');
      }
    } catch (e) {
      this.d.logger.warn({ err: e, events: entries.length }, 'lease renewal failed; leases run out at their last known end unless a later renewal succeeds');
    }
  }

  /** Renews every `intervalMs` until stop(). */
  start(): void {
    if (this.loop) return;
    const ctl = new AbortController();
    this.stopCtl = ctl;
    this.loop = (async () => {
      while (!ctl.signal.aborted) {
        await this.d.clock.sleep(this.intervalMs, ctl.signal);
        if (!ctl.signal.aborted && this.held.size > 0) await this.renewAll();
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopCtl.abort();
    await this.loop;
    this.loop = undefined;
  }
}
