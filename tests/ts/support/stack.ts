/**
 * A whole Syncline stack for integration tests and benchmarks, all on loopback: real WordPress 7 + WooCommerce 11
 * + MariaDB (scripts/env/wp-env.ts), a real Dolibarr 20.0.2 (scripts/env/dolibarr.ts, reset to a clean install)
 * behind the fault proxy (support/fault-proxy.ts), and the bundled sidecar (build/sidecar.cjs) as a child
 * process. Without ../shared/realstack (and CI unset) it falls back to the stand-ins, loudly; `erp: 'standin'`
 * picks the in-process Dolibarr stand-in on purpose, only for what the real one cannot be made to do.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { realstack } from '../../../scripts/env/realstack.js';
import { ROOT, RUN, TEST_TOKEN, siteCreate, siteServe, siteStop, sql, wp, wpAsync, type Site } from '../../../scripts/env/wp-env.js';
import { startErp, type ErpUnderTest } from './erp.js';
import { signHeaders } from './sign.js';

export interface StackOptions {
  name: string;
  port: number;
  hpos?: boolean;
  erpLatencyMs?: number;
  /** ERP products (refs) created with 100 units in warehouse 1. */
  products?: string[];
  /** The real Dolibarr behind the fault proxy (default when ../shared/realstack exists) or the stand-in. */
  erp?: 'dolibarr' | 'standin';
}

export const DEFAULT_SKUS = ['TSHIRT-PLAIN', 'HOODIE-S-GREY', 'HOODIE-M-BLACK', 'MUG-RED', 'CAP-BLUE'];

/** Sidecars this process started and that still run: killed when it exits, however a test ended. */
const live = new Map<ChildProcess, string>();
process.once('exit', () => {
  for (const [c, pidPath] of live) {
    c.kill('SIGKILL');
    rmSync(pidPath, { force: true });
  }
});

/**
 * Notes a started sidecar: in `live`, and in a pid file under .run/sidecars that `wp-env.ts cleanup` (the end of
 * `npm test`) stops even when this process died without running its `after` hooks.
 */
function track(child: ChildProcess, pidPath: string): void {
  if (child.pid === undefined) return;
  live.set(child, pidPath);
  writeFileSync(pidPath, String(child.pid));
  child.once('exit', () => {
    live.delete(child);
    rmSync(pidPath, { force: true });
  });
}

export class Stack {
  sidecars: ChildProcess[] = [];
  private constructor(readonly site: Site, readonly erp: ErpUnderTest, readonly name: string) {}

  /**
   * SYNCLINE_STACK_PREFIX (prepended to the site name) and SYNCLINE_STACK_PORT (replaces the port) let a second
   * run of the same test or benchmark (e.g. against real WooCommerce) use its own site beside the usual one.
   */
  static async start(o: StackOptions): Promise<Stack> {
    const name = `${process.env.SYNCLINE_STACK_PREFIX ?? ''}${o.name}`;
    const port = process.env.SYNCLINE_STACK_PORT ? Number(process.env.SYNCLINE_STACK_PORT) : o.port;
    const kind = o.erp ?? ((await realstack()) ? 'dolibarr' : 'standin');
    // One Dolibarr instance for all stacks of a run (reset to a clean install at each start): SYNCLINE_STACK_PREFIX
    // keeps two runs apart.
    const erpName = `${process.env.SYNCLINE_STACK_PREFIX ?? ''}stack`;
    const [site, erp] = await Promise.all([
      siteCreate(name, port, { hpos: o.hpos ?? true }).then(async (s) => { await siteServe(s); return s; }),
      startErp({ kind, name: erpName, latencyMs: o.erpLatencyMs ?? 0, products: o.products ?? DEFAULT_SKUS }),
    ]);
    return new Stack(site, erp, name);
  }

  /** Writes a sidecar config and starts build/sidecar.cjs; its JSON logs go to .run/<name>-sidecar-N.log. */
  startSidecar(overrides: { worker?: Record<string, unknown>; erp?: Record<string, unknown>; retry?: Record<string, unknown>; circuit?: Record<string, unknown>; stock?: Record<string, unknown>; products?: Record<string, unknown>; shipments?: Record<string, unknown>; httpPort?: number } = {}): ChildProcess {
    const n = this.sidecars.length;
    const dir = join(RUN, 'sidecars');
    mkdirSync(dir, { recursive: true });
    const cfgPath = join(dir, `${this.name}-${n}.json`);
    writeFileSync(cfgPath, JSON.stringify({
      wordpress: { url: this.site.url, secret: this.site.secret },
      erp: { type: 'dolibarr', url: this.erp.url, api_key: this.erp.apiKey, warehouse_id: 1, ref_client_prefix: 'WC-', timeout_ms: 2000, ...overrides.erp },
      worker: { id: `${this.name}-w${n}`, batch: 20, lease_seconds: 30, wait_seconds: 2, max_attempts: 10, ...overrides.worker },
      retry: { base_ms: 200, max_ms: 5000, ...overrides.retry },
      circuit: { failure_threshold: 5, open_ms: 2000, ...overrides.circuit },
      http: { host: '127.0.0.1', port: overrides.httpPort ?? 0 },
      log: { level: 'info' },
      ...(overrides.stock ? { stock: overrides.stock } : {}),
      // Master data sync is opt-in; tests that do not ask for it keep WordPress's exception list and the ERP log quiet.
      products: { enabled: overrides.products !== undefined, ...overrides.products },
      // Shipments polling is on by default in production; tests that do not ask for it keep the ERP's call log quiet.
      shipments: { enabled: overrides.shipments !== undefined, ...overrides.shipments },
    }));
    const log = openSync(join(dir, `${this.name}-${n}.log`), 'a');
    const child = spawn(process.execPath, [join(ROOT, 'build', 'sidecar.cjs'), '--config', cfgPath], { stdio: ['ignore', log, log] });
    this.sidecars.push(child);
    track(child, join(dir, `${this.name}-${n}.pid`));
    return child;
  }

  /** POSTs a signed request to a syncline/v1 route; returns status and parsed body. */
  async signed(route: string, body: unknown, tweak: Partial<Parameters<typeof signHeaders>[0]> = {}): Promise<{ status: number; body: unknown }> {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const headers = signHeaders({ secret: this.site.secret, route, body: raw, ...tweak });
    return this.http('POST', route, raw, headers);
  }

  async http(method: string, route: string, raw: string | undefined, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${this.site.url}/?rest_route=${encodeURIComponent(route).replace(/%2F/g, '/')}`, { method, headers, body: raw });
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* keep text */ }
    return { status: res.status, body: parsed };
  }

  /** Test-helper routes (tests/wp/syncline-test-helper): create and change orders as WooCommerce would. */
  async testApi(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const r = await this.http(method, `/syncline-test/v1${path}`, body === undefined ? undefined : JSON.stringify(body), {
      'Content-Type': 'application/json', 'X-Syncline-Test-Token': TEST_TOKEN,
    });
    if (r.status >= 300) throw new Error(`test api ${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as Record<string, unknown>;
  }

  createOrder(partial: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return this.testApi('POST', '/orders', partial);
  }

  /** Rows of the outbox table (direct SQL for assertions only). */
  events(where = '1=1'): Array<Record<string, string>> {
    const cols = ['id', 'topic', 'object_id', 'state', 'attempts', 'last_error_code', 'last_error_message', 'correlation_id', 'lease_owner'];
    const out = sql(`SELECT ${cols.join(',')} FROM \`${this.site.db}\`.wp_syncline_events WHERE ${where} ORDER BY id`);
    return out.split('\n').filter(Boolean).map((line) => Object.fromEntries(line.split('\t').map((v, i) => [cols[i] ?? '', v])));
  }

  countByState(): Record<string, number> {
    const out = sql(`SELECT state, COUNT(*) FROM \`${this.site.db}\`.wp_syncline_events GROUP BY state`);
    return Object.fromEntries(out.split('\n').filter(Boolean).map((l) => { const [s, c] = l.split('\t'); return [s ?? '', Number(c)]; }));
  }

  wp(args: string[]): string {
    return wp(this.site, args);
  }

  /**
   * `wp` without blocking this process: the fault proxy in front of the ERP runs in this process, so a command
   * that waits on the sidecar (`--wait`) must not freeze it. Returns stdout; throws on a non-zero exit.
   */
  async wpAsync(args: string[]): Promise<string> {
    const r = await wpAsync(this.site, args);
    if (r.status !== 0) throw new Error(`wp ${args.join(' ')} failed (${r.status}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  /** Polls until `check` returns true (or throws after timeoutMs). */
  async waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const t0 = Date.now();
    while (Date.now() - t0 < timeoutMs) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; outbox: ${JSON.stringify(this.countByState())}`);
  }

  async stopSidecars(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await Promise.all(this.sidecars.map((c) => new Promise<void>((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve();
      c.once('exit', () => resolve());
      c.kill(signal);
    })));
    this.sidecars = [];
  }

  async stop(): Promise<void> {
    await this.stopSidecars('SIGKILL');
    await this.erp.stop();
    siteStop(this.name);
  }
}
