/**
 * Admin screen benchmark (`npm run bench -- admin`): WordPress 7 + WooCommerce 11 (the realstack) + MariaDB with
 * --events N (100,000) outbox events and --skus M (50,000) SKU mappings, each with its audit line, seeded by bulk SQL
 * (bench/admin-seed.ts). Measures, logged in as admin in headless Chromium (cookie + REST nonce):
 *   - routes: p50/p95 of every admin list route (GET), --requests R (30) each, rotating pages, filters and searches
 *     (bench/admin-routes.ts); the target is p95 ≤ 200 ms; floor_p95_ms is WordPress's own /wp/v2/users/me on the
 *     same site (boot + auth + JSON, no Syncline query), to tell the routes' cost from the machine's;
 *   - handlers: p50/p95 of the same requests dispatched inside one booted WordPress process (bench/admin-dispatch.php:
 *     permission, arguments, SQL, shaping; no boot, no HTTP): the routes' own cost, steady on a loaded machine;
 *   - first_paint_ms: navigation start → first row of the Exceptions tab painted (median of 3 loads), null when
 *     the list never paints a row (the selector is in bench/admin-routes.ts); first_paint_breakdown_ms (last load):
 *     when the page's HTML, WordPress's and WooCommerce's scripts, Syncline's scripts and its REST calls had arrived;
 *     wp_admin_floor_dom_content_loaded_ms: WordPress's own profile screen loaded (median of 3), the floor of any
 *     wp-admin page here;
 *   - bundle_kb: size of build/admin/*.js; bundle_files: each file raw and gzip (KB); exceptions_tab_js: the
 *     build/admin scripts the Exceptions tab loaded (the browser's resource entries), raw and gzip (KB).
 * Ends with one JSON line naming the WordPress and WooCommerce versions. Needs the build (npm run build) and
 * /usr/bin/chromium. The port is SYNCLINE_STACK_PORT + 2 (18402 by default), --port to override.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { Stack } from '../tests/e2e/helpers.js';
import { ROOT, wp } from '../scripts/env/wp-env.js';
import { seed } from './admin-seed.js';
import { EXCEPTIONS_ROW, FLOOR_ROUTE, ROUTES } from './admin-routes.js';

const opt = (n: string, d: number): number => {
  const i = process.argv.indexOf(`--${n}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const EVENTS = opt('events', 100_000);
const SKUS = opt('skus', 50_000);
const REQUESTS = opt('requests', 30);
const TARGET_P95_MS = 200;
const log = (m: string): void => { process.stderr.write(`[bench admin] ${m}\n`); };
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Number((s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0).toFixed(1)) : 0;
};

/** Each route's own cost: dispatched inside one booted WordPress process (no boot, no HTTP): p50/p95 in ms. */
function dispatchTimes(stack: Stack): Record<string, { p50_ms: number; p95_ms: number }> {
  process.env.SYNCLINE_BENCH_ROUTES = JSON.stringify(ROUTES); // wp() passes this process's environment on.
  process.env.SYNCLINE_BENCH_REQUESTS = String(REQUESTS);
  const out = wp(stack.site, ['eval', `require '${join(ROOT, 'bench', 'admin-dispatch.php')}';`]);
  const times = JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, number[]>;
  return Object.fromEntries(Object.entries(times).map(([route, ms]) => [route, { p50_ms: pct(ms, 50), p95_ms: pct(ms, 95) }]));
}

function bundleKb(): number {
  const dir = join(ROOT, 'build', 'admin');
  const bytes = readdirSync(dir).filter((f) => f.endsWith('.js')).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
  return Number((bytes / 1024).toFixed(1));
}

/** Raw and gzip (level 9) size of build/admin files, in KB. */
function sizes(files: string[]): { raw_kb: number; gzip_kb: number } {
  const dir = join(ROOT, 'build', 'admin');
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const bytes = readFileSync(join(dir, f));
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw_kb: Number((raw / 1024).toFixed(1)), gzip_kb: Number((gz / 1024).toFixed(1)) };
}

const stack = await Stack.start({ name: 'benchadmin', port: opt('port', Number(process.env.SYNCLINE_STACK_PORT ?? 18400) + 2) });
const browser = await chromium.launch({ executablePath: process.env.SYNCLINE_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  log(`seeding ${EVENTS} events and ${SKUS} SKU mappings`);
  const seeded = seed(stack.site.db, EVENTS, SKUS);
  log(`seeded in ${seeded.ms} ms: ${JSON.stringify(seeded.counts)}`);
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  await page.goto(`${stack.site.url}/wp-login.php`);
  await page.fill('#user_login', 'admin');
  await page.fill('#user_pass', 'password');
  await Promise.all([page.waitForNavigation(), page.click('#wp-submit')]);

  const routes: Record<string, { p50_ms: number; p95_ms: number; max_ms: number; total: number | null }> = {};
  for (const [route, variants] of [[FLOOR_ROUTE, ['']] as const, ...Object.entries(ROUTES)]) {
    log(`timing ${REQUESTS} requests to ${route}`);
    const r = await page.evaluate(async ({ base, route, variants, requests }) => {
      const nonce = await (await fetch(`${base}/wp-admin/admin-ajax.php?action=rest-nonce`, { credentials: 'same-origin' })).text();
      const out: number[] = [];
      let total: string | null = null;
      for (let i = 0; i < requests + 1; i++) {
        const url = `${base}/?rest_route=${encodeURIComponent(route)}&${variants[i % variants.length] ?? ''}`;
        const t0 = performance.now();
        const res = await fetch(url, { credentials: 'same-origin', headers: { 'X-WP-Nonce': nonce } });
        await res.json();
        if (res.status !== 200) throw new Error(`${route} answered ${res.status}`);
        if (i === 0) { total = res.headers.get('X-WP-Total'); continue; } // The first request warms the opcode cache.
        out.push(performance.now() - t0);
      }
      return { times: out, total };
    }, { base: stack.site.url, route, variants, requests: REQUESTS });
    routes[route] = { p50_ms: pct(r.times, 50), p95_ms: pct(r.times, 95), max_ms: pct(r.times, 100), total: r.total === null ? null : Number(r.total) };
  }

  log(`timing ${REQUESTS} in-process dispatches of each route (bench/admin-dispatch.php)`);
  const handlers = dispatchTimes(stack);

  log('timing the first paint of the Exceptions tab');
  const paints: number[] = [];
  const breakdowns: Array<Record<string, number>> = [];
  let loaded: string[] = [];
  for (let i = 0; i < 3; i++) {
    await page.goto(`${stack.site.url}/wp-admin/admin.php?page=syncline&tab=exceptions`);
    try {
      const ms = await page.waitForFunction(
        (selector) => (document.querySelector(selector) ? performance.now() : 0),
        EXCEPTIONS_ROW,
        { polling: 'raf', timeout: 30_000 },
      );
      paints.push(Number(await ms.jsonValue()));
      // Where the time went (ms from navigation start): the page's HTML, the scripts, the REST calls of the list.
      // No named functions inside: tsx would wrap them in a helper the page does not have.
      breakdowns.push(await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
        const out: Record<string, number> = { html_ms: Math.round(nav?.responseEnd ?? 0), dom_content_loaded_ms: Math.round(nav?.domContentLoadedEventEnd ?? 0) };
        const groups: Array<[string, RegExp]> = [['wp_scripts_ms', /\/wp-includes\/|\/plugins\/woocommerce\//], ['syncline_js_ms', /\/build\/admin\//], ['rest_ms', /syncline(%2F|\/)v1/]];
        for (const [k, re] of groups) out[k] = Math.round(Math.max(0, ...res.filter((e) => re.test(e.name)).map((e) => e.responseEnd)));
        const scripts = res.filter((e) => e.initiatorType === 'script' || /\.js(\?|$)/.test(e.name));
        out['scripts'] = scripts.length;
        out['scripts_kb'] = Math.round(scripts.reduce((a, e) => a + e.decodedBodySize, 0) / 1024);
        return out;
      }));
      if (i === 0) {
        const biggest = await page.evaluate(() => (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
          .filter((e) => /\.js(\?|$)/.test(e.name)).sort((a, b) => b.decodedBodySize - a.decodedBodySize).slice(0, 12)
          .map((e) => `${(e.name.split('?')[0] ?? '').replace(/^.*\/(wp-includes|wp-content)\//, '')} ${Math.round(e.decodedBodySize / 1024)} KB`));
        log(`largest scripts of the page: ${biggest.join(', ')}`);
      }
      loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name)
        .filter((n) => n.includes('/build/admin/') && /\.js(\?|$)/.test(n)).map((n) => (n.split('/build/admin/')[1] ?? '').split('?')[0] ?? ''));
    } catch {
      log(`no exception row matched ${EXCEPTIONS_ROW} within 30 s`);
    }
  }
  // The floor of any wp-admin page on this site: WordPress's own profile screen, its HTML and scripts loaded.
  const floorPage: number[] = [];
  for (let i = 0; i < 3; i++) {
    await page.goto(`${stack.site.url}/wp-admin/profile.php`);
    floorPage.push(await page.evaluate(() => Math.round((performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.domContentLoadedEventEnd ?? 0)));
  }
  const { [FLOOR_ROUTE]: floor, ...syncline } = routes;
  const worst = Math.max(...Object.values(syncline).map((r) => r.p95_ms));
  const worstHandler = Math.max(...Object.values(handlers).map((r) => r.p95_ms));
  console.log(JSON.stringify({
    bench: 'admin',
    wordpress: stack.site.wpVersion,
    woocommerce: stack.site.wcVersion,
    events: EVENTS,
    sku_mappings: SKUS,
    seeded: seeded.counts,
    requests_per_route: REQUESTS,
    route_p95_ms: worst,
    route_p95_target_ms: TARGET_P95_MS,
    route_p95_ok: worst <= TARGET_P95_MS,
    floor_p95_ms: floor?.p95_ms ?? null,
    handler_p95_ms: worstHandler,
    handler_p95_ok: worstHandler <= TARGET_P95_MS,
    routes: syncline,
    handlers,
    first_paint_ms: paints.length ? pct(paints, 50) : null,
    first_paint_breakdown_ms: breakdowns[breakdowns.length - 1] ?? null,
    wp_admin_floor_dom_content_loaded_ms: pct(floorPage, 50),
    bundle_kb: bundleKb(),
    bundle_files: Object.fromEntries(readdirSync(join(ROOT, 'build', 'admin')).filter((f) => f.endsWith('.js')).map((f) => [f, sizes([f])])),
    exceptions_tab_js: { files: loaded, ...sizes(loaded) },
  }));
} finally {
  await browser.close();
  await stack.stop();
}
