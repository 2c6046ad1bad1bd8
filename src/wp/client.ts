import { RetryableError } from '../common/errors.js';
import type { Clock } from '../common/clock.js';
import { systemClock } from '../common/clock.js';
import { httpError } from './errors.js';
import { signRequest } from './sign.js';
import { SHIPMENTS_ROUTE, ShipmentApplyResponse, type ShipmentApplyRequest } from './shipments.js';
import {
  AckResponse, HeartbeatResponse, LeasedEvent, LeaseResponse, RenewResponse, StockApplyResponse, StockMissingResponse, StockPullCompleteResponse,
  type AckItemResult, type AckResult, type HeartbeatRequest, type LeaseRequest, type RenewRequest, type StockApplyItem,
} from './schemas.js';

/** An event WordPress leased to us that does not match the contract (answered needs_human when possible). */
export interface InvalidEvent {
  id: number | undefined;
  lease_token: string | undefined;
  reason: string;
}

export interface LeaseBatch {
  events: LeasedEvent[];
  invalid: InvalidEvent[];
  /** WordPress's clock, Unix seconds. */
  serverTime: number;
  /** WordPress's answer for each ack the request carried, in order (absent: it carried none, or an older plugin ignored them). */
  acks?: AckItemResult[];
}

/** The `syncline/v1` calls the consumer makes. The port the consumer depends on (faked in tests). */
export interface WpApi {
  /** Leases events; acks carried in `request.acks` are applied first (answered in `acks`). */
  lease(request: LeaseRequest): Promise<LeaseBatch>;
  /** Extends the leases still held with their tokens; answers which were renewed and which are lost. */
  renew(request: RenewRequest): Promise<RenewResponse>;
  ack(worker: string, results: AckResult[]): Promise<AckResponse>;
  heartbeat(request: HeartbeatRequest): Promise<void>;
}

/** The shipments route ShipmentSync calls (faked in tests). */
export interface WpShipmentsApi {
  /** `POST /shipments/apply`: 1..100 ERP shipments, each applied once to its WooCommerce order. */
  applyShipments(request: ShipmentApplyRequest): Promise<ShipmentApplyResponse>;
}

/** The stock routes StockSync calls (faked in tests). */
export interface WpStockApi {
  /** `POST /stock/apply`: 1..500 items with distinct SKUs. */
  applyStock(items: StockApplyItem[]): Promise<StockApplyResponse>;
  /** `POST /stock/missing`: store SKUs the ERP lacks (WordPress keeps only those in the store). */
  reportMissing(skus: string[]): Promise<StockMissingResponse>;
  /**
   * `POST /stock/pull-complete`, after a complete full pull only: WordPress records the store SKUs (managed stock)
   * that no reading at or after `startedAt` (the pull's first read time, ISO 8601 or Unix ms) reached.
   */
  pullComplete(startedAt: string | number, erpSkusSeen: number): Promise<StockPullCompleteResponse>;
}

export interface WpClientOptions {
  /** Site URL without trailing slash. */
  url: string;
  /** 64-hex site secret. */
  secret: string;
  /** Timeout of a non-waiting request, in milliseconds; a lease adds its `wait_seconds`. @defaultValue 15000 */
  timeoutMs?: number;
  clock?: Clock;
  fetch?: typeof fetch;
}

/** Signed HTTP client for `syncline/v1`, reached through `/?rest_route=` so any permalink setting works. */
export class WpClient implements WpApi, WpStockApi, WpShipmentsApi {
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly opts: WpClientOptions) {
    this.clock = opts.clock ?? systemClock;
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.fetchFn = opts.fetch ?? fetch;
  }

  async lease(request: LeaseRequest): Promise<LeaseBatch> {
    const raw = await this.post('/syncline/v1/lease', request, this.timeoutMs + request.wait_seconds * 1000);
    const envelope = parse(LeaseResponse, raw, '/syncline/v1/lease');
    const batch: LeaseBatch = { events: [], invalid: [], serverTime: envelope.server_time, ...(envelope.acks ? { acks: envelope.acks } : {}) };
    for (const item of envelope.events) {
      const parsed = LeasedEvent.safeParse(item);
      if (parsed.success) batch.events.push(parsed.data);
      else batch.invalid.push(invalidEvent(item, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')));
    }
    return batch;
  }

  async renew(request: RenewRequest): Promise<RenewResponse> {
    return parse(RenewResponse, await this.post('/syncline/v1/events/renew', request, this.timeoutMs), '/syncline/v1/events/renew');
  }

  async ack(worker: string, results: AckResult[]): Promise<AckResponse> {
    return parse(AckResponse, await this.post('/syncline/v1/ack', { worker, results }, this.timeoutMs), '/syncline/v1/ack');
  }

  async heartbeat(request: HeartbeatRequest): Promise<void> {
    parse(HeartbeatResponse, await this.post('/syncline/v1/heartbeat', request, this.timeoutMs), '/syncline/v1/heartbeat');
  }

  async applyStock(items: StockApplyItem[]): Promise<StockApplyResponse> {
    return parse(StockApplyResponse, await this.post('/syncline/v1/stock/apply', { items }, this.timeoutMs * 2), '/syncline/v1/stock/apply');
  }

  async reportMissing(skus: string[]): Promise<StockMissingResponse> {
    return parse(StockMissingResponse, await this.post('/syncline/v1/stock/missing', { skus }, this.timeoutMs), '/syncline/v1/stock/missing');
  }

  async pullComplete(startedAt: string | number, erpSkusSeen: number): Promise<StockPullCompleteResponse> {
    const route = '/syncline/v1/stock/pull-complete';
    return parse(StockPullCompleteResponse, await this.post(route, { started_at: startedAt, erp_skus_seen: erpSkusSeen }, this.timeoutMs * 2), route);
  }

  async applyShipments(request: ShipmentApplyRequest): Promise<ShipmentApplyResponse> {
    return parse(ShipmentApplyResponse, await this.post(SHIPMENTS_ROUTE, request, this.timeoutMs * 2), SHIPMENTS_ROUTE);
  }

  /** Any other signed route (e.g. reconciliation's): POSTs `body`, parses the answer with `schema`. */
  async call<T>(route: string, body: unknown, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { message: string } } }, timeoutMs = this.timeoutMs * 2): Promise<T> {
    return parse(schema, await this.post(route, body, timeoutMs), route);
  }

  /** Signs and POSTs a JSON body; returns the parsed JSON of a 2xx answer or throws a classified error (also used by src/engine/products). */
  async post(route: string, body: unknown, timeoutMs: number): Promise<unknown> {
    const raw = JSON.stringify(body);
    const headers = signRequest({ secret: this.opts.secret, method: 'POST', route, body: raw, nowMs: this.clock.now() });
    let res: Response;
    try {
      res = await this.fetchFn(`${this.opts.url}/?rest_route=${route}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
        body: raw,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const reason = e instanceof Error && e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : errorText(e);
      throw new RetryableError('wp_unreachable', `Could not reach WordPress for ${route}: ${reason}`, { cause: e });
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) throw httpError(route, res.status, text, res.headers.get('retry-after'));
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new RetryableError('wp_bad_response', `WordPress answered ${route} with non-JSON (${text.slice(0, 80)})`);
    }
  }
}

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { message: string } } }, value: unknown, route: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new RetryableError('wp_bad_response', `WordPress answered ${route} with an unexpected shape: ${result.error.message}`);
  return result.data;
}

function invalidEvent(item: unknown, reason: string): InvalidEvent {
  const o = item !== null && typeof item === 'object' ? (item as Record<string, unknown>) : {};
  return {
    id: typeof o.id === 'number' ? o.id : undefined,
    lease_token: typeof o.lease_token === 'string' ? o.lease_token : undefined,
    reason,
  };
}

function errorText(e: unknown): string {
  if (e instanceof Error) {
    const cause = e.cause instanceof Error ? ` (${e.cause.message})` : '';
    return `${e.message}${cause}`;
  }
  return String(e);
}
