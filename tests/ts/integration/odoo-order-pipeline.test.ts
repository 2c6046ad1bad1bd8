/**
 * Orders reach a real Odoo 17.0 exactly once through real WordPress 7 + WooCommerce 11 + the bundled sidecar
 * configured with `erp.type: "odoo"` (scripts/env/odoo.ts, reset to a clean install at start): new customers,
 * confirmation with stock reserved, a SIGKILL of the sidecar mid-batch, taxes per rate to the cent (and
 * needs-human for a rate Odoo has no tax for, then retried), unmapped SKUs.
 * Without ../shared/realstack (or PostgreSQL / Odoo's Python packages) the file is skipped, and fails under CI=true.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startOdoo, type Odoo } from '../../../scripts/env/odoo.js';
import { ROOT, RUN, TEST_TOKEN, siteCreate, siteServe, siteStop, sql, wp, type Site } from '../../../scripts/env/wp-env.js';
import { orderBody, simpleOrder } from '../support/orders.js';

const SKUS = ['TSHIRT-PLAIN', 'HOODIE-S-GREY', 'HOODIE-M-BLACK', 'MUG-RED', 'CAP-BLUE'];
const CI = process.env['CI'] === 'true';

interface SoRow { id: number; name: string; state: string; client_order_ref: string | false; amount_total: number; origin: string | false }

describe('order pipeline on the real Odoo 17.0', () => {
  let site: Site | undefined;
  let odoo: Odoo | undefined;
  let skipped = '';
  const sidecars: ChildProcess[] = [];
  const orderIds: number[] = [];

  const testApi = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const s = site as Site;
    const res = await fetch(`${s.url}/?rest_route=${encodeURIComponent(`/syncline-test/v1${path}`).replace(/%2F/g, '/')}`, {
      method, headers: { 'Content-Type': 'application/json', 'X-Syncline-Test-Token': TEST_TOKEN }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`test api ${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  const create = async (body: Record<string, unknown> = simpleOrder()): Promise<number> => {
    const id = Number((await testApi('POST', '/orders', body)).id);
    orderIds.push(id);
    return id;
  };
  const events = (where = '1=1'): Array<Record<string, string>> => {
    const cols = ['id', 'object_id', 'state', 'last_error_code', 'last_error_message', 'correlation_id'];
    return sql(`SELECT ${cols.join(',')} FROM \`${(site as Site).db}\`.wp_syncline_events WHERE ${where} ORDER BY id`)
      .split('\n').filter(Boolean).map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i] ?? '', v])));
  };
  const allDone = (): boolean => events("state <> 'done'").length === 0;
  const waitFor = async (what: string, check: () => boolean | Promise<boolean>, ms = 120_000): Promise<void> => {
    const t0 = Date.now();
    while (Date.now() - t0 < ms) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`timed out after ${ms} ms waiting for ${what}; events not done: ${JSON.stringify(events("state <> 'done'")).slice(0, 600)}`);
  };
  const startSidecar = (worker: Record<string, unknown> = {}): ChildProcess => {
    const s = site as Site;
    const o = odoo as Odoo;
    const dir = join(RUN, 'sidecars');
    mkdirSync(dir, { recursive: true });
    const cfg = join(dir, `itodoo-${sidecars.length}.json`);
    writeFileSync(cfg, JSON.stringify({
      wordpress: { url: s.url, secret: s.secret },
      erp: { type: 'odoo', url: o.url, database: o.db, login: o.login, api_key: o.password, warehouse_id: 1, ref_client_prefix: 'WC-', timeout_ms: 20_000 },
      worker: { id: `itodoo-w${sidecars.length}`, batch: 20, lease_seconds: 30, wait_seconds: 2, max_attempts: 10, ...worker },
      retry: { base_ms: 200, max_ms: 5000 }, circuit: { failure_threshold: 5, open_ms: 2000 }, http: { host: '127.0.0.1', port: 0 }, log: { level: 'info' },
      stock: { enabled: false },
    }));
    const child = spawn(process.execPath, [join(ROOT, 'build', 'sidecar.cjs'), '--config', cfg], { stdio: ['ignore', openSync(join(dir, `itodoo-${sidecars.length}.log`), 'a'), openSync(join(dir, `itodoo-${sidecars.length}.log`), 'a')] });
    sidecars.push(child);
    return child;
  };
  const stopSidecars = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    await Promise.all(sidecars.splice(0).map((c) => new Promise<void>((r) => {
      if (c.exitCode !== null || c.signalCode !== null) { r(); return; }
      c.once('exit', () => r());
      c.kill(signal);
    })));
  };
  const odooOrders = (): Promise<SoRow[]> => (odoo as Odoo).call<SoRow[]>('sale.order', 'search_read', [[]], { fields: ['name', 'state', 'client_order_ref', 'amount_total', 'origin'] });
  const assertExactlyOnce = async (): Promise<void> => {
    const rows = await odooOrders();
    for (const id of orderIds) {
      const mine = rows.filter((r) => r.client_order_ref === `WC-${id}`);
      assert.equal(mine.length, 1, `order ${id} is in Odoo exactly once`);
      assert.equal(mine[0]?.state, 'sale', `order ${id} confirmed in Odoo`);
    }
    assert.equal(rows.length, orderIds.length, 'no stray Odoo orders');
  };

  before(async () => {
    const base = Number(process.env['SYNCLINE_ODOO_PORT'] ?? 8069);
    try {
      odoo = await startOdoo({ name: 'stack', port: base + 3 });
    } catch (e) {
      skipped = `no real Odoo: ${e instanceof Error ? e.message : String(e)}`;
      if (CI) throw e;
      return;
    }
    await odoo.addProducts(SKUS, 100);
    site = await siteCreate('itodoo', Number(process.env['SYNCLINE_STACK_PORT'] ?? 18200) + 7, { hpos: true });
    await siteServe(site);
  });
  after(async () => {
    await stopSidecars('SIGKILL');
    await odoo?.stop();
    if (site) siteStop(site.name);
  });

  it('pushes orders of new customers (lines and shipping), confirms them with stock reserved, and stores the Odoo refs on the order', async (t) => {
    if (skipped) return t.skip(skipped);
    const emails = ['jane.doe@example.test', 'new.one@example.test', 'new.two@example.test'];
    for (let i = 0; i < 5; i++) await create(simpleOrder(emails[i % emails.length]));
    startSidecar();
    await waitFor('all events done', allDone);
    await assertExactlyOnce();
    const partners = await (odoo as Odoo).call<Array<{ email: string; ref: string }>>('res.partner', 'search_read', [[['email', 'in', emails]]], { fields: ['email', 'ref'] });
    assert.deepEqual(partners.map((p) => p.email).sort(), [...emails].sort(), 'each new customer created once');
    for (const p of partners) assert.match(p.ref, /^wc-customer-/);
    const order = await testApi('GET', `/orders/${orderIds[0]}`);
    assert.match(JSON.stringify(order), /_syncline_erp_refs/);
    assert.match(JSON.stringify(order), /S\d{5}/);
    const [tshirt] = await (odoo as Odoo).call<Array<{ qty_available: number; free_qty: number }>>('product.product', 'search_read', [[['default_code', '=', 'TSHIRT-PLAIN']]], { fields: ['qty_available', 'free_qty'] });
    assert.equal(tshirt?.qty_available, 100, 'nothing shipped yet');
    assert.equal(tshirt?.free_qty, 100 - 2 * 5, 'confirmation reserved the ordered units');
  });

  it('SIGKILL of the sidecar mid-batch, then restart: every order in Odoo exactly once', async (t) => {
    if (skipped) return t.skip(skipped);
    await stopSidecars();
    for (let i = 0; i < 12; i++) await create();
    const child = startSidecar({ lease_seconds: 5 });
    await waitFor('some orders pushed', () => events("state='done'").length >= orderIds.length - 10);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    sidecars.length = 0;
    assert.ok(!allDone(), 'the kill happened mid-batch');
    startSidecar({ lease_seconds: 5 });
    await waitFor('all done after restart', allDone);
    await assertExactlyOnce();
  });

  it('taxes per rate balance to the cent; a rate Odoo has no tax for is needs-human, and goes through once the tax exists', async (t) => {
    if (skipped) return t.skip(skipped);
    const o = odoo as Odoo;
    const s = site as Site;
    if (sidecars.length === 0) startSidecar();
    // WooCommerce computes the taxes itself: 20 % standard, 5.5 % reduced (MUG-RED), 7.25 % zero-rate class (CAP-BLUE).
    wp(s, ['option', 'update', 'woocommerce_calc_taxes', 'yes']);
    const rate = (percent: string, cls: string): string => `WC_Tax::_insert_tax_rate(array('tax_rate_country'=>'','tax_rate'=>'${percent}','tax_rate_name'=>'Tax ${percent}','tax_rate_priority'=>1,'tax_rate_compound'=>0,'tax_rate_shipping'=>0,'tax_rate_order'=>1,'tax_rate_class'=>'${cls}'));`;
    const taxClass = (sku: string, cls: string): string =>
      `$id = wc_get_product_id_by_sku('${sku}'); $p = $id ? wc_get_product($id) : new WC_Product_Simple(); $p->set_sku('${sku}'); $p->set_name('${sku}'); $p->set_regular_price('10'); $p->set_tax_class('${cls}'); $p->save();`;
    wp(s, ['eval', [rate('20.0000', ''), rate('5.5000', 'reduced-rate'), rate('7.2500', 'zero-rate'), taxClass('MUG-RED', 'reduced-rate'), taxClass('CAP-BLUE', 'zero-rate')].join(' ')]);
    for (const r of [20, 5.5]) await o.call('account.tax', 'create', [{ name: `${r}%`, amount: r, amount_type: 'percent', type_tax_use: 'sale', price_include: false }]);
    const id = await create(orderBody([{ sku: 'TSHIRT-PLAIN', qty: 3, unit: 1999 }, { sku: 'MUG-RED', qty: 1, unit: 1234 }]));
    await waitFor('the taxed order pushed', allDone);
    const wc = await testApi('GET', `/orders/${id}`);
    const wcOrder = (wc.order ?? wc) as { total: string; total_tax: string; tax_lines?: unknown[] };
    assert.equal(wcOrder.tax_lines?.length, 2, `WooCommerce taxed the order at two rates: ${JSON.stringify(wcOrder.tax_lines)}`);
    const mine = (await odooOrders()).find((r) => r.client_order_ref === `WC-${id}`);
    assert.equal(mine?.amount_total.toFixed(2), wcOrder.total, 'Odoo total = WooCommerce total');

    const bad = await create(orderBody([{ sku: 'CAP-BLUE', qty: 1, unit: 1000 }]));
    await waitFor('the exception', () => events(`object_id=${bad}`).every((e) => e.state === 'needs_human' || e.state === 'done') && events(`object_id=${bad} AND state='needs_human'`).length >= 1);
    const ev = events(`object_id=${bad} AND state='needs_human'`)[0];
    assert.equal(ev?.last_error_code, 'tax_mismatch');
    assert.match(ev?.last_error_message ?? '', /7\.25/);
    assert.equal((await odooOrders()).filter((r) => r.client_order_ref === `WC-${bad}`).length, 0, 'nothing was created');
    await o.call('account.tax', 'create', [{ name: '7.25%', amount: 7.25, amount_type: 'percent', type_tax_use: 'sale', price_include: false }]);
    for (const e of events(`object_id=${bad} AND state='needs_human'`)) wp(s, ['syncline', 'retry', String(e.id)]);
    await waitFor('pushed after the tax was created', allDone);
    await assertExactlyOnce();
  });

  it('an unmapped SKU is needs-human naming it', async (t) => {
    if (skipped) return t.skip(skipped);
    if (sidecars.length === 0) startSidecar();
    const id = await create(orderBody([{ sku: 'GHOST-SKU-9', qty: 1, unit: 1000 }]));
    orderIds.pop();
    await waitFor('the exception', () => events(`object_id=${id} AND state='needs_human'`).length >= 1 && events(`object_id=${id} AND state NOT IN ('needs_human','done')`).length === 0);
    const ev = events(`object_id=${id} AND state='needs_human'`)[0];
    assert.equal(ev?.last_error_code, 'unmapped_sku');
    assert.match(ev?.last_error_message ?? '', /GHOST-SKU-9/);
  });
});
