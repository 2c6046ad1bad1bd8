import { Mutex } from 'async-mutex';
import { ExponentialBackoff, handleAll, noJitterGenerator, retry } from 'cockatiel';
import type { Logger } from 'pino';
import type { WpApi } from '../wp/client.js';
import type { AckResult } from '../wp/schemas.js';
import type { EngineStats } from './stats.js';

const MAX_PER_CALL = 100;
/** An ack request that fails is sent again after 0.5 s, then 1 s (3 tries), then given up. */
const sendAgain = retry(handleAll, { maxAttempts: 2, backoff: new ExponentialBackoff({ generator: noJitterGenerator, initialDelay: 500 }) });

/**
 * Collects acks and sends them in batches (at most 100 per call, one call at a time), `windowMs` after the first of
 * a batch was added (0: on the next turn of the event loop). Every ack request costs WordPress a whole bootstrap
 * (measured: ~60 ms of CPU for an ack request, against a few ms per result in it), so a window that lets the acks of
 * several pipelines share one request saves more than it delays; when no other pipeline runs (`othersRunning`), no
 * ack is coming to share the request and the batch goes at once. An ack WordPress refuses
 * (`syncline_lease_lost`) changes nothing there and is only logged; an ack that cannot be delivered after a few
 * tries is dropped: the lease expires and the event is leased again, which the state-based pipeline tolerates.
 */
export class AckBuffer {
  private pending: AckResult[] = [];
  /** One ack request at a time. */
  private readonly sending = new Mutex();
  private scheduled = false;

  constructor(private readonly d: { wp: WpApi; worker: string; logger: Logger; stats: EngineStats; windowMs?: number; othersRunning?: () => boolean }) {}

  /** Queues an ack; it goes out with the next batch (within `windowMs`, at once when a batch is full). */
  add(result: AckResult): void {
    this.pending.push(result);
    if (this.pending.length % MAX_PER_CALL === 0) {
      void this.flush();
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    const go = (): void => {
      this.scheduled = false;
      void this.flush();
    };
    const windowMs = this.d.othersRunning?.() === false ? 0 : this.d.windowMs ?? 0;
    if (windowMs > 0) setTimeout(go, windowMs);
    else setImmediate(go);
  }

  get size(): number {
    return this.pending.length;
  }

  /** Sends everything queued so far; resolves when sent (or given up). Never throws. */
  flush(): Promise<void> {
    return this.sending.runExclusive(() => this.sendAll());
  }

  private async sendAll(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_PER_CALL);
      await this.send(batch);
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
      for (const r of res.results.filter((x) => !x.ok)) {
        this.d.stats.counters.lease_lost++;
        this.d.logger.warn({ event_id: r.id, code: r.code }, 'ack refused by WordPress (lease lost; another worker has the event)');
      }
    } catch {
      this.d.logger.error({ events }, 'acks dropped after retries; the leases will expire and the events be leased again');
    }
  }

}
