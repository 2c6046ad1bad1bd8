/**
 * A protocol-level fake Dolibarr 20.0.2 REST API on node:http, built from the recorded fixtures
 * (../shared/fixtures/dolibarr; the contract test fake.contract.test.ts replays every one of them against it).
 * In-memory state, call recording, latency and fault injection, plus a control API under `/__fake/` for tests
 * and benchmarks running in another process (see fake-server.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEADLOCK_MESSAGE, type Fault, parseOrRaw, readBody, type RecordedCall, takeFault } from '../../support/faults.js';
import { handleControl } from './fake-control.js';
import { type FakeRequest, type FakeResponse, restlerError, unknownResource } from './fake-protocol.js';
import { renderOrder } from './fake-render.js';
import { route } from './fake-routes.js';
import { FakeState } from './fake-state.js';

export type { Fault, RecordedCall } from '../../support/faults.js';

export interface FakeDolibarrOptions {
  port?: number;
  apiKey: string;
  latencyMs?: number;
  /** Product refs to create at start (100 units each in warehouse 1). */
  products?: string[];
  /** Seed warehouses 1 WH-MAIN, 2 WH-SHOP and bank account 1 (default true). */
  seed?: boolean;
}

const API_PREFIX = '/api/index.php';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class FakeDolibarr {
  state = new FakeState();
  readonly calls: RecordedCall[] = [];
  readonly faults: Fault[] = [];
  latencyMs: number;
  url = '';

  constructor(private readonly opts: FakeDolibarrOptions) {
    this.latencyMs = opts.latencyMs ?? 0;
    this.reset();
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  addProducts(refs: readonly string[]): void {
    this.state.addProducts(refs);
  }

  /** Back to the start state: seeded warehouses, bank account and products; no calls, no faults. */
  reset(): void {
    this.state = new FakeState();
    if (this.opts.seed !== false) this.state.seedBase();
    this.state.addProducts(this.opts.products ?? []);
    this.calls.length = 0;
    this.faults.length = 0;
  }

  orderCountsByRefClient(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const o of this.state.orders) if (o.ref_client !== null) counts[o.ref_client] = (counts[o.ref_client] ?? 0) + 1;
    return counts;
  }

  /** The first order with this ref_client, as Dolibarr would render it, plus `created_at_ms`. */
  findOrderByRefClient(refClient: string): (Record<string, unknown> & { total_ttc: string; created_at_ms: number }) | undefined {
    const o = this.state.orders.find((x) => x.ref_client === refClient);
    if (!o) return undefined;
    const r = renderOrder(o, this.state, this.url);
    return { ...r, total_ttc: String(r['total_ttc']), created_at_ms: o.created_at_ms };
  }

  /** Every document the fake holds, for assertions. */
  documents(): { type: 'customer' | 'sales_order'; id: number; ref: string; ref_client?: string | null; ref_ext: string | null; statut?: number }[] {
    return [
      ...this.state.thirdparties.map((t) => ({ type: 'customer' as const, id: t.id, ref: t.code_client ?? String(t.id), ref_ext: t.ref_ext })),
      ...this.state.orders.map((o) => ({ type: 'sales_order' as const, id: o.id, ref: o.ref, ref_client: o.ref_client, ref_ext: o.ref_ext, statut: o.statut })),
    ];
  }

  takeFault(method: string, path: string): Fault | undefined {
    return takeFault(this.faults, method, path);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    if (url.pathname.startsWith('/__fake/')) return handleControl(this, req.method ?? 'GET', url.pathname, raw, res);
    await sleep(this.latencyMs);
    const call: RecordedCall = { method: req.method ?? 'GET', path: url.pathname, query: url.search, body: parseOrRaw(raw), status: 'no-response', at: Date.now() };
    this.calls.push(call);
    const fault = this.takeFault(call.method, call.path);
    if (fault?.kind === 'down') return void req.socket.destroy();
    if (fault?.kind === 'delay' || fault?.kind === 'commit_late') await sleep(fault.ms);
    const out = fault?.kind === 'status' ? faultResponse(fault)
      : fault?.kind === 'deadlock' ? restlerError(503, DEADLOCK_MESSAGE)
      : this.answer(req, url, raw);
    if (fault?.kind === 'timeout_after_commit') return void req.socket.destroy();
    call.status = out.status;
    send(res, out);
  }

  private answer(req: IncomingMessage, url: URL, raw: string): FakeResponse {
    if (!url.pathname.startsWith(`${API_PREFIX}/`)) return { status: 404, text: 'Not Found', contentType: 'text/plain' };
    let body: unknown = null;
    if (raw !== '') {
      try { body = JSON.parse(raw); } catch { return restlerError(400, 'Error encoding/decoding JSON: Syntax error'); }
    }
    // main.inc.php's injection protection scans PHP_SELF: ' ( ) anywhere in the path → 403 text/html.
    if (/['()]/.test(decodeURIComponent(url.pathname))) {
      return { status: 403, contentType: 'text/html; charset=UTF-8', text: `Access refused to 127.0.0.1 by SQL or Script injection protection in main.inc.php:analyseVarsForSqlAndScriptsInjection type=2<br>\nTry to go back, fix data of your form and resubmit it. You can contact also your technical support.\n` };
    }
    const parts = url.pathname.slice(API_PREFIX.length + 1).split('/').filter((p) => p !== '').map(phpDecode);
    const known = ['status', 'orders', 'thirdparties', 'products', 'warehouses', 'stockmovements', 'bankaccounts', 'setup', 'invoices', 'shipments', 'categories'];
    if (!known.includes(parts[0] ?? '')) return unknownResource();
    const key = req.headers['dolapikey'];
    if (key === undefined) return restlerError(401, "Failed to login to API. No parameter 'HTTP_DOLAPIKEY' on HTTP header (and no parameter DOLAPIKEY in URL).");
    if (key !== this.opts.apiKey) return restlerError(401, 'Error user not valid (not found with api key or bad status or bad validity dates) (conf->entity=1)');
    const fakeReq: FakeRequest = { method: req.method ?? 'GET', parts, query: url.searchParams, body };
    return route(this.state, fakeReq, this.url);
  }
}

/** PHP decodes `+` in the path as a space (fixture 92j). */
function phpDecode(segment: string): string {
  try { return decodeURIComponent(segment.replace(/\+/g, ' ')); } catch { return segment; }
}

function faultResponse(f: Extract<Fault, { kind: 'status' }>): FakeResponse {
  const base = f.body === undefined ? restlerError(f.status, f.status === 429 ? 'Too many requests' : 'Injected fault') : { status: f.status, json: f.body };
  return { ...base, status: f.status, ...(f.headers ? { headers: f.headers } : {}) };
}

function send(res: ServerResponse, out: FakeResponse): void {
  const headers: Record<string, string> = { 'X-Powered-By': 'Luracast Restler v3.1.0', 'Cache-Control': 'no-cache, must-revalidate', Expires: '0', ...(out.headers ?? {}) };
  if (out.json !== undefined) {
    res.writeHead(out.status, { ...headers, 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(out.json));
    return;
  }
  res.writeHead(out.status, { ...headers, 'Content-Type': out.contentType ?? 'application/json; charset=utf-8' });
  res.end(out.status === 304 ? undefined : out.text ?? '');
}

export type StartedFakeDolibarr = FakeDolibarr & { url: string; stop(): Promise<void> };

export async function startFakeDolibarr(opts: FakeDolibarrOptions): Promise<StartedFakeDolibarr> {
  const fake = new FakeDolibarr(opts);
  const server = createServer((req, res) => {
    fake.handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, restlerError(500, err instanceof Error ? err.message : 'fake error'));
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.url = `http://127.0.0.1:${port}${API_PREFIX}`;
  const stop = (): Promise<void> => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return Object.assign(fake, { stop });
}
