import pLimit, { type LimitFunction } from 'p-limit';
import type { Logger } from 'pino';
import type { Clock } from '../common/clock.js';
import { NeedsHumanError, RetryableError } from '../common/errors.js';
import { isLeaseLost, withFence } from '../common/fence.js';
import type { Metrics } from '../observability/metrics.js';
import { CIRCUIT_GAUGE } from '../observability/metrics.js';
import type { ErpAdapter } from '../ports/erp.js';
import type { LeaseBatch, WpApi } from '../wp/client.js';
import { WpAuthError } from '../wp/errors.js';
import type { AckResult, LeasedEvent, LeaseRequest } from '../wp/schemas.js';
import { AckBuffer } from './acks.js';
import type { StockResync } from './ats/stock-sync.js';
import type { ErpChanges } from './products/erp-changes.js';
import type { ProductResync } from './products/product-sync.js';
import { LeaseKeeper } from './lease-keeper.js';
import { decisionAck, deferAck, doneAck, isErpDown, isUntried, type RetryAck } from './outcome.js';
import { type PipelineDeps, runPipeline } from './pipeline.js';
import type { Backoff } from './retry/backoff.js';
import { CircuitOpenError, type CircuitBreaker } from './retry/circuit-breaker.js';
import { classify, RETRY_AFTER_MARGIN_MS } from './retry/classify.js';
import { erpAnswered, erpDown, type EngineStats } from './stats.js';

export interface ConsumerOptions {
  worker: string;
  /** Most events held at once (capped at 2 × concurrency so none waits out its lease in our queue). */
  batch: number;
  leaseSeconds: number;
  /** Long-poll wait when idle, in seconds. */
  waitSeconds: number;
  maxAttempts: number;
  concurrency: number;
  /** An ack waits at most about this many ms for a lease request to carry it (default ACK_WINDOW_MS). */
  ackWindowMs?: number;
}

export interface ConsumerDeps {
  wp: WpApi;
  adapter: ErpAdapter;
  breaker: CircuitBreaker;
  /** Delay between attempts of one event. */
  backoff: Backoff;
  clock: Clock;
  logger: Logger;
  stats: EngineStats;
  metrics?: Metrics;
  /** Stock sync, for `stock.resync` events (absent: they are acked done with reason `stock_sync_disabled`). */
  stock?: StockResync;
  /** Master data sync and pushed ERP changes (`products.sync`, `erp.product_changed`). */
  products?: ProductResync;
  erpChanges?: ErpChanges;
  /** Values never sent back to WordPress in an ack (the ERP API key). */
  secrets?: string[];
  /** Reconciliation, for `reconcile.run` events. */
  reconcile?: PipelineDeps['reconcile'];
}

/** Pause when leasing returns nothing while busy, or when an idle lease does not wait, in milliseconds. */
const EMPTY_PAUSE_MS = 1000;
/**
 * Acks ride on lease requests (WordPress applies them before it leases: one bootstrap for both, and an order's next
 * event, freed by the ack, comes back in the same answer). While pipelines run, leases go in chunks; an ack waits
 * for the next chunk at most this long, then a lease goes for it (taking what fits, without long-polling). A second
 * gathers about one ack per order pushed in that second (the lease is 60 s).
 */
export const ACK_WINDOW_MS = 1000;
/** Acks no lease took this much after ACK_WINDOW_MS (leasing stalled: circuit open, WordPress failing) go alone on /ack. */
const ACK_ALONE_AFTER_MS = 3000;
/** Long-poll wait, in seconds, of a lease made while pipelines run (a new order waits no idle pause). */
const BUSY_WAIT_S = 1;
/** Most ids sent as `exclude` in a lease request (the route's limit). */
const MAX_EXCLUDE = 500;
/** When WooCommerce could not load an order, try it again after this long, in milliseconds. */
const ORDER_UNAVAILABLE_RETRY_MS = 60_000;

/**
 * The outbox consumer: lease (long-poll when idle) → run order pipelines with bounded concurrency → ack in batches,
 * carried on the next lease request (`POST /ack` alone only when no lease is coming, and when draining).
 * Every held lease is renewed while its event waits or runs (LeaseKeeper), and each pipeline runs inside the fence
 * of its lease: once the lease is lost no ERP write starts and no ack is sent for it.
 * `stop()` (SIGTERM) stops leasing; events not started yet are given back, running ones finish and are acked.
 */
export class Consumer {
  private stopping = false;
  private readonly stopCtl = new AbortController();
  private readonly outstanding = new Set<Promise<void>>();
  /** At most `concurrency` pipelines at once, the others wait their turn first in, first out. */
  private readonly slots: LimitFunction;
  private readonly acks: AckBuffer;
  private readonly leases: LeaseKeeper;
  private leaseFailures = 0;

  constructor(private readonly o: ConsumerOptions, private readonly d: ConsumerDeps) {
    this.slots = pLimit(o.concurrency);
    const ackWindowMs = o.ackWindowMs ?? ACK_WINDOW_MS;
    this.acks = new AckBuffer({ wp: d.wp, worker: o.worker, logger: d.logger, clock: d.clock, stats: d.stats, dueMs: ackWindowMs, windowMs: ackWindowMs + ACK_ALONE_AFTER_MS });
    this.leases = new LeaseKeeper({ wp: d.wp, worker: o.worker, leaseSeconds: o.leaseSeconds, clock: d.clock, logger: d.logger });
  }

  /** Runs until stop(), then drains. */
  async run(): Promise<void> {
    this.d.logger.info({ worker: this.o.worker, concurrency: this.o.concurrency, erp: this.d.adapter.name }, 'consumer started');
    this.leases.start();
    while (!this.stopping) await this.tick();
    await this.drain();
    this.d.logger.info('consumer stopped; in-flight work drained and acknowledged');
  }

  /** One lease (waiting `waitSeconds` for events), everything it brought processed and acked (`--once`). */
  async runOnce(): Promise<number> {
    const batch = await this.d.wp.lease(this.leaseRequest(this.capacity(), this.o.waitSeconds));
    this.leases.start();
    this.accept(batch);
    await this.drain();
    return batch.events.length;
  }

  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.stopCtl.abort();
    this.d.logger.info({ in_flight: this.outstanding.size }, 'stopping: no more leases; draining');
  }

  private capacity(): number {
    return Math.min(this.o.batch, this.o.concurrency * 2);
  }

  /**
   * While pipelines run, leases are asked for in chunks of at least this many events: every lease request costs
   * WordPress a bootstrap, and with capacity − chunk events still held the pipelines stay fed meanwhile.
   */
  private leaseChunk(): number {
    return Math.max(1, Math.floor(this.capacity() / 4));
  }

  /**
   * Leases when idle, when a chunk is free, or when acks are due (they ride on the lease request, see
   * ACK_WINDOW_MS); otherwise waits for a pipeline to finish or the acks to fall due.
   */
  private async tick(): Promise<void> {
    if (await this.circuitGate()) return;
    const free = this.capacity() - this.outstanding.size;
    const idle = this.outstanding.size === 0;
    if (free <= 0) {
      // Nothing can be leased: acks that cannot wait longer go alone.
      if (this.acks.due()) await this.acks.flush();
      return this.waitForCompletion(EMPTY_PAUSE_MS);
    }
    const chunk = idle || free >= this.leaseChunk();
    if (!chunk && !this.acks.due()) return this.waitForCompletion(Math.min(EMPTY_PAUSE_MS, this.acks.msUntilDue()));
    const acks = this.acks.take();
    // A lease made for the acks does not long-poll: more pipelines finish meanwhile, and their acks wait for it.
    const waitSeconds = idle ? this.o.waitSeconds : chunk ? BUSY_WAIT_S : 0;
    const t0 = this.d.clock.now();
    let batch: LeaseBatch;
    try {
      batch = await this.d.wp.lease(this.leaseRequest(free, waitSeconds, acks));
    } catch (e) {
      this.acks.carried(acks, undefined);
      return this.onLeaseError(e);
    }
    this.acks.carried(acks, batch.acks);
    this.onLeaseOk();
    this.accept(batch);
    if (batch.events.length > 0) return;
    // An empty answer that did not wait (a server that does not long-poll, or a lease for acks): do not spin.
    if (this.d.clock.now() - t0 < EMPTY_PAUSE_MS / 2) {
      if (idle) await this.d.clock.sleep(EMPTY_PAUSE_MS, this.stopCtl.signal);
      else await this.waitForCompletion(Math.min(EMPTY_PAUSE_MS, this.acks.msUntilDue()));
    }
  }

  private leaseRequest(limit: number, waitSeconds: number, acks: AckResult[] = []): LeaseRequest {
    const exclude = this.leases.ids().slice(0, MAX_EXCLUDE);
    return {
      worker: this.o.worker, limit: Math.max(1, Math.min(100, limit)), lease_seconds: this.o.leaseSeconds, wait_seconds: waitSeconds,
      ...(exclude.length > 0 ? { exclude } : {}),
      ...(acks.length > 0 ? { acks } : {}),
    };
  }

  /** While the circuit is open no pushes start and nothing is leased; half-open → one ping decides. */
  private async circuitGate(): Promise<boolean> {
    const { breaker, adapter, logger, clock } = this.d;
    const state = breaker.state;
    this.d.metrics?.circuitState.set(CIRCUIT_GAUGE[state]);
    if (state === 'closed') return false;
    // No lease goes while the circuit is open: the acks (events given back meanwhile) go alone.
    if (this.acks.size > 0) await this.acks.flush();
    if (state === 'open') {
      await clock.sleep(Math.max(50, breaker.remainingOpenMs()), this.stopCtl.signal);
      return true;
    }
    try {
      await breaker.probe(() => adapter.ping());
      erpAnswered(this.d.stats, clock.now());
      logger.info('ERP answers again; circuit closed');
    } catch (e) {
      erpDown(this.d.stats, clock.now());
      logger.warn({ err: e, open_ms: breaker.remainingOpenMs() }, 'ERP still unreachable; circuit stays open');
    }
    return true;
  }

  private onLeaseOk(): void {
    this.leaseFailures = 0;
    this.d.stats.lastLeaseAt = this.d.clock.now();
    this.d.stats.wpReachable = true;
  }

  private async onLeaseError(e: unknown): Promise<void> {
    this.leaseFailures++;
    this.d.stats.wpReachable = false;
    const retryAfter = e instanceof RetryableError ? e.options.retryAfterMs : undefined;
    const delay = retryAfter ?? this.d.backoff(this.leaseFailures);
    if (e instanceof WpAuthError) {
      this.d.logger.error({ err: e, code: e.code, retry_in_ms: delay }, 'WORDPRESS REFUSED OUR SIGNATURE: check wordpress.secret (wp syncline sidecar config) and the clock');
    } else {
      this.d.logger.warn({ err: e, retry_in_ms: delay, failures: this.leaseFailures }, 'lease failed');
    }
    await this.d.clock.sleep(delay, this.stopCtl.signal);
  }

  /** Starts every leased event; answers malformed ones as needs-human. */
  private accept(batch: LeaseBatch): void {
    const offsetMs = this.d.clock.now() - batch.serverTime * 1000;
    for (const bad of batch.invalid) {
      this.d.logger.error({ event_id: bad.id, reason: bad.reason }, 'leased event does not match the contract');
      if (bad.id !== undefined && bad.lease_token !== undefined) {
        this.acks.add({ id: bad.id, lease_token: bad.lease_token, outcome: 'needs_human', error: { code: 'invalid_event', message: `The event does not match the sidecar contract: ${bad.reason}`.slice(0, 2000) } });
      }
    }
    for (const event of batch.events) {
      if (this.leases.has(event.id)) {
        // Never two pipelines for one event in one sidecar; the pipeline running already keeps (or loses) its lease.
        this.d.logger.warn({ event_id: event.id }, 'WordPress leased an event this worker already holds; ignored');
        continue;
      }
      const fence = this.leases.hold(event.id, event.lease_token, event.leased_until * 1000 + offsetMs);
      const p: Promise<void> = withFence(fence, () => this.process(event))
        .finally(() => {
          this.leases.release(event.id);
          this.outstanding.delete(p);
        });
      this.outstanding.add(p);
    }
  }

  private async process(event: LeasedEvent): Promise<void> {
    const log = this.d.logger.child({ event_id: event.id, correlation_id: event.correlation_id, topic: event.topic, object_id: event.object_id, attempt: event.attempts });
    await this.slots(async () => {
      const ack = await this.attempt(event, log);
      if (ack === undefined) return;
      this.count(ack);
      this.acks.add(ack);
    });
  }

  /**
   * Runs the pipeline for one event, or gives the event back untried when it should not start now. Undefined when
   * the lease was lost: no ack (WordPress would refuse it; the event's new holder answers for it).
   */
  private async attempt(event: LeasedEvent, log: Logger): Promise<AckResult | undefined> {
    try {
      this.leases.assertHeld(event.id);
    } catch (e) {
      return this.leaseLost(e, log, false);
    }
    const deferral = this.deferral(event);
    if (deferral) {
      log.info({ code: deferral.error.code }, 'event given back untried');
      return deferral;
    }
    const t0 = this.d.clock.now();
    this.d.metrics?.inflight.inc();
    try {
      const result = await this.d.breaker.run(() => runPipeline(event, { adapter: this.d.adapter, logger: log, ...(this.d.stock ? { stock: this.d.stock } : {}), ...(this.d.products ? { products: this.d.products } : {}), ...(this.d.erpChanges ? { erpChanges: this.d.erpChanges } : {}), ...(this.d.secrets ? { secrets: this.d.secrets } : {}), ...(this.d.reconcile ? { reconcile: this.d.reconcile } : {}) }));
      if (result.refs.reason === undefined) this.erpSucceeded();
      const stepMs = result.stepMs && result.stepMs.length > 0 ? { step_ms: Object.fromEntries(result.stepMs) } : {};
      log.info({ steps: result.refs.steps, documents: result.refs.documents, reason: result.refs.reason, ms: this.d.clock.now() - t0, ...stepMs }, 'event done');
      this.observe(t0, 'done');
      const ack = doneAck(event, result);
      // Echoed so WordPress closes the order's events this push covered (not re-pushed one after the other).
      return event.covers === undefined || ack.outcome !== 'done' ? ack : { ...ack, covers: event.covers };
    } catch (e) {
      if (isLeaseLost(e)) return this.leaseLost(e, log, true);
      if (e instanceof CircuitOpenError) return this.circuitOpen(event, log);
      return this.failed(event, e, log, t0);
    } finally {
      this.d.metrics?.inflight.dec();
    }
  }

  /** The lease is gone: log, count, and answer nothing. */
  private leaseLost(e: unknown, log: Logger, started: boolean): undefined {
    this.d.stats.counters.lease_lost++;
    this.d.metrics?.events.inc({ outcome: 'lease_lost' });
    log.warn({ err: e, started }, started
      ? 'lease lost while the pipeline ran: stopped before the next ERP write; no ack (another worker may hold the event)'
      : 'lease lost before the pipeline started: not started; no ack (another worker may hold the event)');
    return undefined;
  }

  private deferral(event: LeasedEvent): RetryAck | undefined {
    if (this.stopping) return deferAck(event, 0, 'sidecar_shutdown', 'The sidecar stopped before trying this event.');
    if (event.object_type === 'order' && event.payload.order_state === 'unavailable') {
      return deferAck(event, ORDER_UNAVAILABLE_RETRY_MS, 'order_unavailable', `WooCommerce could not load order ${event.object_id} just now (is WooCommerce active?); it is tried again later, never treated as deleted.`);
    }
    if (this.d.breaker.state !== 'closed') return this.circuitOpen(event);
    return undefined;
  }

  /** The circuit is open (or paused): the event goes back untried. */
  private circuitOpen(event: LeasedEvent, log?: Logger): RetryAck {
    const e = new CircuitOpenError(this.d.breaker.remainingOpenMs());
    log?.info({ code: e.code }, 'circuit opened before the pipeline started; event given back untried');
    return deferAck(event, e.options.retryAfterMs ?? 0, e.code, e.message);
  }

  private failed(event: LeasedEvent, e: unknown, log: Logger, t0: number): AckResult {
    const decision = classify(e, event.attempts, { maxAttempts: this.o.maxAttempts, backoff: this.d.backoff });
    // The circuit counted an ERP-down failure already (breaker.run).
    if (isErpDown(e)) {
      erpDown(this.d.stats, this.d.clock.now());
    } else if (e instanceof RetryableError && e.options.retryAfterMs !== undefined) {
      // Retry-After speaks for the whole ERP, not just this event: hold every push until it has passed.
      this.d.breaker.pause(e.options.retryAfterMs + RETRY_AFTER_MARGIN_MS);
    }
    const fields = { err: e, code: decision.error.code, decision: decision.kind };
    if (decision.kind === 'retry') log.warn({ ...fields, retry_in_ms: decision.delayMs }, 'event failed; will retry');
    else log.error({ ...fields, details: decision.error.details }, 'event needs a human');
    this.observe(t0, decision.kind);
    if (!(e instanceof NeedsHumanError) && !(e instanceof RetryableError)) log.error({ err: e }, 'unexpected error type from the pipeline');
    return decisionAck(event, decision);
  }

  private erpSucceeded(): void {
    erpAnswered(this.d.stats, this.d.clock.now());
  }

  private observe(t0: number, outcome: string): void {
    this.d.metrics?.pushDuration.observe({ outcome }, (this.d.clock.now() - t0) / 1000);
  }

  private count(ack: AckResult): void {
    const c = this.d.stats.counters;
    let outcome: string = ack.outcome;
    if (ack.outcome === 'done') {
      outcome = ack.refs.steps.length > 0 ? 'done' : 'skipped';
      if (outcome === 'done') c.pushed++; else c.skipped++;
    } else if (ack.outcome === 'needs_human') {
      c.needs_human++;
      c.failed++;
    } else if (isUntried(ack.error.code)) {
      outcome = 'deferred';
      c.deferred++;
    } else {
      c.retried++;
      c.failed++;
    }
    this.d.metrics?.events.inc({ outcome });
  }

  private async waitForCompletion(maxMs: number): Promise<void> {
    const timeout = this.d.clock.sleep(maxMs, this.stopCtl.signal);
    await Promise.race([timeout, ...this.outstanding]);
  }

  private async drain(): Promise<void> {
    await Promise.allSettled([...this.outstanding]);
    await this.leases.stop();
    await this.acks.flush();
  }
}
