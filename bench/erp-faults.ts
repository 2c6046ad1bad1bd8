/**
 * The ERP faults a benchmark switches on and off, one policy for every call the sidecar makes:
 * the ERP down (connection dropped), every write slowed, every Nth create committed with its response lost,
 * every Nth call answered 429 with Retry-After. Drivers: the Dolibarr stand-in's fault hook, and the
 * fault-injecting HTTP proxy in front of a real Dolibarr or a real Odoo (tests/ts/support/fault-proxy.ts).
 * What a call is (a write? a sales-order create?) is the ERP's: Dolibarr's REST says it by method and path
 * (`dolibarrCall`), Odoo's JSON-RPC only in the request body, every call being `POST /jsonrpc` (`odooCall`).
 */
export interface FaultPolicy {
  /** Every call: the connection is dropped (connection refused / reset). */
  down: boolean;
  /** Every write waits this long before the ERP sees it (0: off). */
  postDelayMs: number;
  /** Every Nth sales-order create reaches the ERP, commits, and its response is dropped (0: off). */
  timeoutAfterCommitEvery: number;
  /** Every Nth call answers 429 with `Retry-After: retryAfterS` (0: off). */
  tooManyEvery: number;
  retryAfterS: number;
}

export const NO_FAULTS: FaultPolicy = { down: false, postDelayMs: 0, timeoutAfterCommitEvery: 0, tooManyEvery: 0, retryAfterS: 0 };

/** What the policy did, for the benchmark's report. */
export interface FaultCounts { dropped: number; delayed: number; timeout_after_commit: number; too_many: number }

export type Verdict =
  | { kind: 'pass' }
  | { kind: 'down' }
  | { kind: 'delay'; ms: number }
  | { kind: 'timeout_after_commit' }
  | { kind: 'too_many'; retryAfterS: number };

/** What the policy needs to know of a call. */
export interface CallKind {
  /** The call changes the ERP (slowed in the slow-writes phase). */
  write: boolean;
  /** The call creates a sales order (its response may be lost after the commit). */
  create: boolean;
}

/** Dolibarr's REST: every POST writes; `POST /orders` creates a sales order. */
export function dolibarrCall(method: string, path: string): CallKind {
  return { write: method === 'POST', create: method === 'POST' && /\/orders\/?$/.test(path) };
}

/** `execute_kw` methods that only read: a write is any other (create, write, action_confirm, action_post, …). */
export const ODOO_READS = new Set(['search_read', 'read', 'search', 'search_count', 'fields_get', 'name_search', 'read_group', 'check_access_rights']);

/** The `[model, method]` of a JSON-RPC `execute_kw` body, or undefined for other services (version, login). */
export function odooRpc(body: unknown): [string, string] | undefined {
  const p = (body as { params?: { service?: unknown; method?: unknown; args?: unknown[] } } | null)?.params;
  if (p?.service !== 'object' || p.method !== 'execute_kw' || !Array.isArray(p.args)) return undefined;
  const [model, method] = [p.args[3], p.args[4]];
  return typeof model === 'string' && typeof method === 'string' ? [model, method] : undefined;
}

/** Odoo's JSON-RPC: a write is an `execute_kw` of any method but a read; `sale.order.create` creates a sales order. */
export function odooCall(method: string, path: string, body: unknown): CallKind {
  const rpc = method === 'POST' && path.endsWith('/jsonrpc') ? odooRpc(body) : undefined;
  if (!rpc) return { write: false, create: false };
  return { write: !ODOO_READS.has(rpc[1]), create: rpc[0] === 'sale.order' && rpc[1] === 'create' };
}

/** The decision for one call, shared by both drivers. */
export class FaultSwitch {
  policy: FaultPolicy = { ...NO_FAULTS };
  readonly counts: FaultCounts = { dropped: 0, delayed: 0, timeout_after_commit: 0, too_many: 0 };
  private calls = 0;
  private creates = 0;

  set(p: Partial<FaultPolicy>): void {
    this.policy = { ...NO_FAULTS, ...p };
    this.calls = 0;
    this.creates = 0;
  }

  decide(call: CallKind): Verdict {
    const p = this.policy;
    if (p.down) return this.count('dropped', { kind: 'down' });
    this.calls += 1;
    if (p.tooManyEvery > 0 && this.calls % p.tooManyEvery === 0) return this.count('too_many', { kind: 'too_many', retryAfterS: p.retryAfterS });
    if (call.create) {
      this.creates += 1;
      if (p.timeoutAfterCommitEvery > 0 && this.creates % p.timeoutAfterCommitEvery === 0) return this.count('timeout_after_commit', { kind: 'timeout_after_commit' });
    }
    if (call.write && p.postDelayMs > 0) return this.count('delayed', { kind: 'delay', ms: p.postDelayMs });
    return { kind: 'pass' };
  }

  snapshot(): FaultCounts {
    const c = { ...this.counts };
    for (const k of Object.keys(this.counts) as (keyof FaultCounts)[]) this.counts[k] = 0;
    return c;
  }

  private count(k: keyof FaultCounts, v: Verdict): Verdict {
    this.counts[k] += 1;
    return v;
  }
}
