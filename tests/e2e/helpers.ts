/**
 * Shared helpers of the admin e2e tests: Chromium, wp-admin login, outbox seeding by SQL, screenshots.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT, TEST_TOKEN, siteCreate, siteServe, siteStop, sql, type Site } from '../../scripts/env/wp-env.js';

/**
 * The part of tests/ts/support/stack.ts the admin tests use. The admin screen needs no ERP and no sidecar, so
 * this starts only WordPress 7 + WooCommerce 11 + MariaDB (scripts/env/wp-env.ts) with the plugin and the test helper.
 */
export class Stack {
  private constructor(readonly site: Site) {}

  static async start(o: { name: string; port: number; hpos?: boolean }): Promise<Stack> {
    const site = await siteCreate(o.name, o.port, { hpos: o.hpos ?? true });
    await siteServe(site);
    return new Stack(site);
  }

  /** Creates an order through the test-helper route (tests/wp/syncline-test-helper), as WooCommerce would. */
  async createOrder(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const res = await fetch(`${this.site.url}/?rest_route=/syncline-test/v1/orders`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Syncline-Test-Token': TEST_TOKEN }, body: JSON.stringify(body),
    });
    const out = (await res.json()) as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`createOrder: ${res.status} ${JSON.stringify(out)}`);
    return out;
  }

  /** Outbox rows (direct SQL, for assertions only). */
  events(where = '1=1'): Array<Record<string, string>> {
    const cols = ['id', 'topic', 'object_id', 'state', 'attempts', 'last_error_code', 'last_error_message', 'correlation_id'];
    const out = sql(`SELECT ${cols.join(',')} FROM \`${this.site.db}\`.wp_syncline_events WHERE ${where} ORDER BY id`);
    return out.split('\n').filter(Boolean).map((line) => Object.fromEntries(line.split('\t').map((v, i) => [cols[i] ?? '', v])));
  }

  countByState(): Record<string, number> {
    const out = sql(`SELECT state, COUNT(*) FROM \`${this.site.db}\`.wp_syncline_events GROUP BY state`);
    return Object.fromEntries(out.split('\n').filter(Boolean).map((l) => { const [s, c] = l.split('\t'); return [s ?? '', Number(c)]; }));
  }

  async stop(): Promise<void> {
    siteStop(this.site.name);
  }
}

export const SHOTS = join(ROOT, 'test-artifacts', 'screenshots');

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.SYNCLINE_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
}

export async function login(browser: Browser, stack: { site: Site }, user: string, password: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${stack.site.url}/wp-login.php`);
  await page.fill('#user_login', user);
  await page.fill('#user_pass', password);
  await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.click('#wp-submit')]);
  return page;
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

export function syncline(stack: { site: Site }, tab = '', extra = ''): string {
  return `${stack.site.url}/wp-admin/admin.php?page=syncline${tab ? `&tab=${tab}` : ''}${extra}`;
}

const q = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Moves an order's outbox events to the exception queue, as an ack `needs_human` would. */
export function parkOrder(stack: Stack, orderId: number, code: string, message: string, details: unknown = {}): void {
  sql(`UPDATE \`${stack.site.db}\`.wp_syncline_events SET state='needs_human', pending_key=NULL, attempts=1,
    last_error_code=${q(code)}, last_error_message=${q(message)}, last_error_details=${q(JSON.stringify(details))},
    updated_at=UNIX_TIMESTAMP() WHERE object_type='order' AND object_id=${orderId}`);
}

/** Inserts needs_human rows directly (orders that need not exist), returns nothing; ids are the latest. */
export function insertExceptions(stack: Stack, n: number, code: string, firstObjectId: number, ageSeconds = 0): void {
  const values: string[] = [];
  for (let i = 0; i < n; i++) {
    values.push(`('order.created','order',${firstObjectId + i},${q(randomUUID())},'needs_human',NULL,3,0,${q(code)},${q(`ERP refused order ${firstObjectId + i} (${code})`)},${q('{"erp_status":400}')},UNIX_TIMESTAMP()-${ageSeconds},UNIX_TIMESTAMP()-${ageSeconds})`);
  }
  for (let i = 0; i < values.length; i += 1000) {
    sql(`INSERT INTO \`${stack.site.db}\`.wp_syncline_events
      (topic, object_type, object_id, correlation_id, state, pending_key, attempts, available_at, last_error_code, last_error_message, last_error_details, created_at, updated_at)
      VALUES ${values.slice(i, i + 1000).join(',')}`);
  }
}

/** PHP's serialize() of JSON-like data (what get_option reads back from wp_options). */
export function phpSerialize(v: unknown): string {
  if (v === null || v === undefined) return 'N;';
  if (typeof v === 'boolean') return `b:${v ? 1 : 0};`;
  if (typeof v === 'number') return Number.isInteger(v) ? `i:${v};` : `d:${v};`;
  if (typeof v === 'string') return `s:${Buffer.byteLength(v, 'utf8')}:"${v}";`;
  const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v as Record<string, unknown>);
  const body = entries.map(([k, x]) => `${typeof k === 'number' ? `i:${k};` : phpSerialize(k)}${phpSerialize(x)}`).join('');
  return `a:${entries.length}:{${body}}`;
}

/** Writes an option directly (as update_option would store it). */
export function setOption(stack: Stack, name: string, value: unknown): void {
  sql(`INSERT INTO \`${stack.site.db}\`.wp_options (option_name, option_value, autoload) VALUES (${q(name)}, ${q(phpSerialize(value))}, 'no')
    ON DUPLICATE KEY UPDATE option_value=VALUES(option_value)`);
}
