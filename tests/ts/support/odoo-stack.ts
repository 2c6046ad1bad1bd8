/**
 * A Syncline stack on Odoo, for the Odoo integration tests and benchmarks, all on loopback: real WordPress 7 +
 * WooCommerce 11 + MariaDB (scripts/env/wp-env.ts), a real Odoo 17.0 (scripts/env/odoo.ts, reset to a clean install
 * at start) and the bundled sidecar (build/sidecar.cjs, `erp.type: "odoo"`) as child processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startOdoo, type Odoo } from '../../../scripts/env/odoo.js';
import { ROOT, RUN, TEST_TOKEN, siteCreate, siteServe, siteStop, sql, wp, type Site } from '../../../scripts/env/wp-env.js';

export interface OdooSaleOrder { id: number; name: string; state: string; client_order_ref: string | false; amount_total: number; origin: string | false }

export class OdooStack {
  readonly sidecars: ChildProcess[] = [];
  private constructor(readonly site: Site, readonly odoo: Odoo, readonly name: string) {}

  /**
   * Site on SYNCLINE_STACK_PORT + portOffset; Odoo instance `odooName` (default `stack`) on SYNCLINE_ODOO_PORT +
   * odooPortOffset (default 3); `products` with `qty` units in WH/Stock.
   */
  static async start(o: { name: string; portOffset: number; products: readonly string[]; qty?: number; odooName?: string; odooPortOffset?: number }): Promise<OdooStack> {
    const odoo = await startOdoo({ name: o.odooName ?? 'stack', port: Number(process.env['SYNCLINE_ODOO_PORT'] ?? 8069) + (o.odooPortOffset ?? 3) });
    await odoo.addProducts(o.products, o.qty ?? 100);
    const site = await siteCreate(o.name, Number(process.env['SYNCLINE_STACK_PORT'] ?? 18200) + o.portOffset, { hpos: true });
    await siteServe(site);
    return new OdooStack(site, odoo, o.name);
  }

  /** `erp` of the sidecar's config. */
  erpConfig(): Record<string, unknown> {
    return { type: 'odoo', url: this.odoo.url, database: this.odoo.db, login: this.odoo.login, api_key: this.odoo.password, warehouse_id: 1, ref_client_prefix: 'WC-', timeout_ms: 20_000 };
  }

  startSidecar(o: { worker?: Record<string, unknown>; erp?: Record<string, unknown>; retry?: Record<string, unknown>; circuit?: Record<string, unknown> } = {}): ChildProcess {
    const n = this.sidecars.length;
    const dir = join(RUN, 'sidecars');
    mkdirSync(dir, { recursive: true });
    const cfg = join(dir, `${this.name}-${n}.json`);
    writeFileSync(cfg, JSON.stringify({
      wordpress: { url: this.site.url, secret: this.site.secret },
      erp: { ...this.erpConfig(), ...o.erp },
      worker: { id: `${this.name}-w${n}`, batch: 20, lease_seconds: 30, wait_seconds: 2, max_attempts: 10, ...o.worker },
      retry: { base_ms: 200, max_ms: 5000, ...o.retry }, circuit: { failure_threshold: 5, open_ms: 2000, ...o.circuit }, http: { host: '127.0.0.1', port: 0 }, log: { level: 'info' },
      stock: { enabled: false },
    }));
    const log = openSync(join(dir, `${this.name}-${n}.log`), 'a');
    const child = spawn(process.execPath, [join(ROOT, 'build', 'sidecar.cjs'), '--config', cfg], { stdio: ['ignore', log, log] });
    this.sidecars.push(child);
    return child;
  }

  async stopSidecars(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await Promise.all(this.sidecars.splice(0).map((c) => new Promise<void>((r) => {
      if (c.exitCode !== null || c.signalCode !== null) { r(); return; }
      c.once('exit', () => r());
      c.kill(signal);
    })));
  }

  /** Test-helper routes (tests/wp/syncline-test-helper). */
  async testApi(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const res = await fetch(`${this.site.url}/?rest_route=${encodeURIComponent(`/syncline-test/v1${path}`).replace(/%2F/g, '/')}`, {
      method, headers: { 'Content-Type': 'application/json', 'X-Syncline-Test-Token': TEST_TOKEN }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`test api ${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  }

  async createOrder(body: Record<string, unknown>): Promise<number> {
    return Number((await this.testApi('POST', '/orders', body)).id);
  }

  events(where = '1=1'): Array<Record<string, string>> {
    const cols = ['id', 'object_id', 'state', 'last_error_code', 'last_error_message', 'correlation_id'];
    return sql(`SELECT ${cols.join(',')} FROM \`${this.site.db}\`.wp_syncline_events WHERE ${where} ORDER BY id`)
      .split('\n').filter(Boolean).map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i] ?? '', v])));
  }

  /** Outbox events per state. */
  countByState(): Record<string, number> {
    return Object.fromEntries(sql(`SELECT state, COUNT(*) FROM \`${this.site.db}\`.wp_syncline_events GROUP BY state`)
      .split('\n').filter(Boolean).map((l) => { const [s, c] = l.split('\t'); return [s ?? '', Number(c)]; }));
  }

  allDone(): boolean {
    return this.events("state <> 'done'").length === 0;
  }

  async waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 300_000): Promise<void> {
    const t0 = Date.now();
    while (Date.now() - t0 < ms) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`timed out after ${ms} ms waiting for ${what}; events not done: ${JSON.stringify(this.events("state <> 'done'")).slice(0, 600)}`);
  }

  wp(args: string[]): string {
    return wp(this.site, args);
  }

  saleOrders(): Promise<OdooSaleOrder[]> {
    return this.odoo.call<OdooSaleOrder[]>('sale.order', 'search_read', [[]], { fields: ['name', 'state', 'client_order_ref', 'amount_total', 'origin'] });
  }

  async stop(): Promise<void> {
    await this.stopSidecars('SIGKILL');
    await this.odoo.stop();
    siteStop(this.name);
  }
}
