/**
 * A fault-injecting HTTP proxy in front of a real Dolibarr (node:http, no dependencies). Everything the ERP
 * does is real; the proxy only adds what a test needs to happen on the wire: latency, 5xx, 429 + Retry-After,
 * a dropped connection, the response lost after Dolibarr committed (`timeout_after_commit`), a request held
 * before it reaches Dolibarr so the client times out and the commit lands later (`commit_late`), or the whole
 * ERP refusing connections (`refuse()`). Every call is logged.
 *
 * The fault vocabulary is the one of the in-process Dolibarr stand-in (kind, match, times), plus `commit_late`.
 *
 * In-process: `const p = await startFaultProxy({ target: 'http://127.0.0.1:8091' })`, then `p.url` (with the
 * target's path, e.g. `/api/index.php`), `p.faults.push(…)`, `p.setLatency(ms)`, `p.calls`.
 * Standalone (npm run up, benchmarks): `node --import tsx tests/ts/support/fault-proxy.ts --port 8090
 * --target http://127.0.0.1:8091`, controlled over HTTP (the stand-in's routes, under /__proxy/ or /__fake/):
 *   POST /__proxy/faults {kind, match: {method, path: "<RegExp source>"}, times, status, headers, ms}
 *   DELETE /__proxy/faults · POST /__proxy/latency {"ms"} · POST /__proxy/refuse {"on": true|false}
 *   GET /__proxy/calls (the call log) · DELETE /__proxy/calls
 */
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEADLOCK_MESSAGE, FaultBody, parseOrRaw, readBody, takeFault, toFault, type Fault, type RecordedCall as SeenCall } from './faults.js';

export type { Fault } from './faults.js';

/** A request through the proxy: what the client got, and what Dolibarr did. */
export interface RecordedCall extends SeenCall {
  /** Status Dolibarr answered (undefined when the request never reached it). */
  upstreamStatus?: number;
  fault?: Fault['kind'];
  /** When Dolibarr's answer arrived (undefined when not forwarded). */
  committedAt?: number;
}

const REASON: Record<number, string> = {
  400: 'Bad Request', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Upstream { status: number; headers: IncomingHttpHeaders; body: Buffer }

export class FaultProxy {
  readonly faults: Fault[] = [];
  readonly calls: RecordedCall[] = [];
  latencyMs = 0;
  /** The proxy's base URL with the target's path, e.g. `http://127.0.0.1:41234/api/index.php`. */
  url = '';
  private refusing = false;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly target: URL;
  private readonly sockets = new Set<Socket>();
  private server: Server | null = null;
  private port = 0;

  constructor(target: string) {
    this.target = new URL(target);
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Calls matching method and a path RegExp, since index `from` of the log. */
  callsTo(method: string, path: RegExp, from = 0): RecordedCall[] {
    return this.calls.slice(from).filter((c) => c.method === method && path.test(c.path));
  }

  /** The fault for this call, if any. `body` (the parsed request) is for a benchmark's own hook: JSON-RPC says what a call does only there. */
  takeFault(method: string, path: string, _body?: unknown): Fault | undefined {
    return takeFault(this.faults, method, path);
  }

  async listen(port = 0): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch(() => { if (!res.headersSent) res.destroy(); });
    });
    server.on('connection', (s) => {
      if (this.refusing) return void s.destroy();
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((ok, fail) => { server.once('error', fail); server.listen(port, '127.0.0.1', () => ok()); });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.port}${this.target.pathname.replace(/\/$/, '')}`;
  }

  /**
   * The ERP refuses connections (on) or accepts them again (off): the listening socket is closed, so clients
   * get ECONNREFUSED, as from a stopped Dolibarr; open connections are cut.
   */
  async refuse(on: boolean): Promise<void> {
    if (on === this.refusing) return;
    this.refusing = on;
    if (on) {
      for (const s of this.sockets) s.destroy();
      await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
    } else {
      await this.listen(this.port);
    }
  }

  async stop(): Promise<void> {
    this.refusing = true;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server?.listening ? this.server.close(() => r()) : r()));
    this.agent.destroy();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const raw = await readBody(req);
    if (url.pathname.startsWith('/__proxy/') || url.pathname.startsWith('/__fake/')) return this.control(req.method ?? 'GET', url.pathname, raw, res);
    const call: RecordedCall = { method: req.method ?? 'GET', path: url.pathname, query: url.search, body: parseOrRaw(raw), status: 'no-response', at: Date.now() };
    this.calls.push(call);
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    const fault = this.takeFault(call.method, call.path, call.body);
    if (fault) call.fault = fault.kind;
    if (fault?.kind === 'down') return void req.socket.destroy();
    if (fault?.kind === 'status') return this.reply(call, res, injected(fault.status, fault.headers, fault.body));
    if (fault?.kind === 'deadlock') return this.reply(call, res, injected(503, undefined, undefined, DEADLOCK_MESSAGE));
    // Held before Dolibarr sees it: the client may give up meanwhile; the request is forwarded all the same.
    if (fault?.kind === 'delay' || fault?.kind === 'commit_late') await sleep(fault.ms);
    let up: Upstream;
    try {
      up = await this.forward(req, url, raw);
    } catch {
      return void req.socket.destroy(); // Dolibarr itself unreachable: the client sees the connection drop.
    }
    call.upstreamStatus = up.status;
    call.committedAt = Date.now();
    if (fault?.kind === 'timeout_after_commit') return void req.socket.destroy();
    this.reply(call, res, up);
  }

  private reply(call: RecordedCall, res: ServerResponse, out: Upstream): void {
    if (res.destroyed || res.socket?.destroyed) return; // the client is gone (timed out): nothing to answer
    call.status = out.status;
    const headers = { ...out.headers };
    for (const h of ['connection', 'keep-alive', 'transfer-encoding']) delete headers[h];
    headers['content-length'] = String(out.body.length);
    res.writeHead(out.status, headers);
    res.end(out.body);
  }

  private forward(req: IncomingMessage, url: URL, raw: string): Promise<Upstream> {
    const headers = { ...req.headers, host: this.target.host, 'content-length': String(Buffer.byteLength(raw)) };
    delete headers.connection;
    return new Promise((ok, fail) => {
      const up = request({ host: this.target.hostname, port: this.target.port, method: req.method, path: url.pathname + url.search, headers, agent: this.agent }, (r) => {
        // A 304/204 has no body by definition; php -S sends Dolibarr's JSON after a 304 all the same, and the parser's
        // error on those bytes ("Data after Connection: close") would drop the answer: it is complete at its headers.
        if (r.statusCode === 304 || r.statusCode === 204) {
          ok({ status: r.statusCode, headers: r.headers, body: Buffer.alloc(0) });
          r.resume();
          return;
        }
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => ok({ status: r.statusCode ?? 502, headers: r.headers, body: Buffer.concat(chunks) }));
        r.on('error', fail);
      });
      up.on('error', fail);
      up.end(raw);
    });
  }

  private control(method: string, path: string, raw: string, res: ServerResponse): void {
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    let body: unknown;
    try { body = raw === '' ? {} : JSON.parse(raw); } catch { return send(400, { error: 'body is not JSON' }); }
    const key = `${method} ${path.replace(/^\/__fake\//, '/__proxy/')}`;
    if (key === 'DELETE /__proxy/faults') { this.clearFaults(); return send(200, { ok: true }); }
    if (key === 'GET /__proxy/calls') return send(200, this.calls);
    if (key === 'DELETE /__proxy/calls') { this.calls.length = 0; return send(200, { ok: true }); }
    if (key === 'POST /__proxy/faults') {
      const f = FaultBody.safeParse(body);
      if (!f.success) return send(400, { error: f.error.message });
      this.faults.push(toFault(f.data));
      return send(200, { ok: true, faults: this.faults.length });
    }
    if (key === 'POST /__proxy/latency') {
      const l = z.object({ ms: z.number().nonnegative() }).safeParse(body);
      if (!l.success) return send(400, { error: l.error.message });
      this.setLatency(l.data.ms);
      return send(200, { ok: true });
    }
    if (key === 'POST /__proxy/refuse') {
      const r = z.object({ on: z.boolean() }).safeParse(body);
      if (!r.success) return send(400, { error: r.error.message });
      // Answer first: refusing closes this very listener.
      send(200, { ok: true });
      void this.refuse(r.data.on);
      return;
    }
    send(404, { error: `unknown control route ${key}` });
  }
}

/** An answer in the shape production Dolibarr (Restler, `$dolibarr_main_prod = 1`) gives for errors. */
function injected(status: number, headers: Record<string, string> | undefined, body: unknown, message?: string): Upstream {
  const json = body ?? { error: { code: status, message: `${REASON[status] ?? 'Error'}: ${message ?? (status === 429 ? 'Too many requests' : 'Injected fault')}` } };
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...(headers ?? {}) }, body: Buffer.from(JSON.stringify(json)) };
}

export async function startFaultProxy(o: { target: string; port?: number; latencyMs?: number }): Promise<FaultProxy> {
  const p = new FaultProxy(o.target);
  p.setLatency(o.latencyMs ?? 0);
  await p.listen(o.port ?? 0);
  return p;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (n: string): string | undefined => { const i = process.argv.indexOf(`--${n}`); return i >= 0 ? process.argv[i + 1] : undefined; };
  const target = arg('target');
  if (!target) {
    console.error('usage: fault-proxy.ts --port <port> --target http://127.0.0.1:<dolibarr port>/api/index.php [--latency-ms N]');
    process.exit(2);
  }
  startFaultProxy({ target, port: Number(arg('port') ?? 0), latencyMs: Number(arg('latency-ms') ?? 0) }).then((p) => {
    console.log(JSON.stringify({ url: p.url, target }));
    const bye = (): void => { void p.stop().then(() => process.exit(0)); };
    process.on('SIGTERM', bye);
    process.on('SIGINT', bye);
  }).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
