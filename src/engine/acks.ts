import { Mutex } from 'async-mutex';
import { ExponentialBackoff, handleAll, noJitterGenerator, retry } from 'cockatiel';
import type { Logger } from 'pino';
import type { Clock } from '../common/clock.js';
import type { WpApi } from '../wp/client.js';
import type { AckItemResult, AckResult } from '../wp/schemas.js';
import type { EngineStats } from './stats.js';

/** Most acks per request (the `/ack` route's and the lease's `acks` limit). */
export const MAX_ACKS_PER_CALL = 100;
/** An ack request that fails is sent again after 0.5 s, then 1 s (3 tries), then given up. */
const sendAgain = retry(handleAll, { maxAttempts: 2, backoff: new ExponentialBackoff({ generator: noJitterGenerator, initialDelay: 500 }) });

interface Pending {
  result: AckResult;
  /** When it was added (clock ms). */
  at: number;
}

export interface AckBufferDeps {
  wp: WpApi;
  worker: string;
  logger: Logger;
  clock: Clock;
  stats: EngineStats;
  /** An ack waits at most this long before it is sent alone on `POST /ack` (0: on the next turn of the event loop). */
  windowMs?: number;
  /** Whether other pipelines run (false: no ack is coming to share the request, so it goes at once). */
  othersRunning?: () => boolean;
  /** A carrier (the consumer's next lease) should take the acks once the oldest is this old. @defaultValue windowMs */
  dueMs?: number;
}

/**
 * Collects acks. They leave either carried on the consumer's next lease request (`take()`: WordPress applies them
 * before it leases, so one request does both) or alone on `POST /ack`: in batches of at most 100, one call at a
 * time, `windowMs` after the oldest was added (at once when no other pipeline runs), or on `flush()`. Every request
 * costs WordPress a whole bootstrap (measured: ~60 ms of CPU, against a few ms per result in it), so the acks of
 * several pipelines share one, best the lease that was coming anyway. An ack WordPress refuses
 * (`syncline_lease_lost`, `syncline_invalid_ack`) changes nothing there and is only logged; an ack that cannot be
 * delivered on `/ack` after a few tries is dropped: the lease expires and the event is leased again, which the
 * state-based pipeline tolerates.
 */
export class AckBuffer {
  private pending: Pending[] = [];
  /** One ack request at a time. */
  private readonly sending = new Mutex();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly d: AckBufferDeps) {}

  /** Queues an ack: a carrier takes it, or it goes alone within `windowMs` (at once when a batch is full). */
  add(result: AckResult): void {
    this.pending.push({ result, at: this.d.clock.now() });
    if (this.pending.length % MAX_ACKS_PER_CALL === 0) {
      void this.flush();
      return;
    }
    const alone = this.d.othersRunning?.() === false ? 0 : this.d.windowMs ?? 0;
    if (alone === 0) setImmediate(() => void this.flush());
    else this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, alone);
  }

  get size(): number {
    return this.pending.length;
  }

  /** Whether a carrier should take the acks now: a full batch, or the oldest has waited `dueMs`. */
  due(): boolean {
    return this.pending.length >= MAX_ACKS_PER_CALL || this.msUntilDue() === 0;
  }

  /** Milliseconds until `due()` (Infinity when nothing is pending). */
  msUntilDue(): number {
    const oldest = this.pending[0];
    if (oldest === undefined) return Number.POSITIVE_INFINITY;
    return Math.max(0, oldest.at + (this.d.dueMs ?? this.d.windowMs ?? 0) - this.d.clock.now());
  }

  /** Hands up to 100 pending acks, oldest first, to a carrier (which reports back with `carried()`). */
  take(): AckResult[] {
    const taken = this.pending.splice(0, MAX_ACKS_PER_CALL).map((p) => p.result);
    if (this.pending.length === 0 && this.timer !== undefined) {
      // Nothing left to send alone: the next ack starts its own window.
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    return taken;
  }

  /**
   * What WordPress answered for acks a carrier took. No answer (the carrier's request failed, or a WordPress
   * without acks on the lease ignored them): they go alone on `/ack` now, where a failure is retried and then
   * given up, so an ack WordPress cannot apply never holds back the lease.
   */
  carried(acks: AckResult[], answer: AckItemResult[] | undefined): void {
    if (acks.length === 0) return;
    if (answer === undefined) {
      this.pending.unshift(...acks.map((result) => ({ result, at: 0 })));
      void this.flush();
      return;
    }
    this.report(answer);
  }

  /** Sends everything queued so far on `/ack`; resolves when sent (or given up). Never throws. */
  flush(): Promise<void> {
    return this.sending.runExclusive(() => this.sendAll());
  }

  private async sendAll(): Promise<void> {
    while (this.pending.length > 0) {
      await this.send(this.take());
    }
  }

  private async send(batch: AckResult[]): Promise<void> {
    const events = batch.map((b) => b.id);
    try {
      const res = await sendAgain.execute(async ({ attempt }) => {
        try {
          return await this.d.wp.ack(this.d.worker, batch);
        } catch (e) {
          this.d.logger.warn({ err: e, attempt: attempt + 1, events }, 'ack failed');
          throw e;
        }
      });
      this.report(res.results);
    } catch {
      this.d.logger.error({ events }, 'acks dropped after retries; the leases will expire and the events be leased again');
    }
  }

  private report(results: AckItemResult[]): void {
    for (const r of results.filter((x) => !x.ok)) {
      if (r.code === 'syncline_invalid_ack') {
        this.d.logger.error({ event_id: r.id, code: r.code, message: r.message }, 'ack refused by WordPress as invalid (a sidecar bug); the lease will expire');
        continue;
      }
      this.d.stats.counters.lease_lost++;
      this.d.logger.warn({ event_id: r.id, code: r.code }, 'ack refused by WordPress (lease lost; another worker has the event)');
    }
  }
}
