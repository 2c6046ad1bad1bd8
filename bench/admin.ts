/**
 * Admin screen benchmark (`npm run bench -- admin`): real WordPress + MariaDB with --exceptions N (10000)
 * needs_human events seeded by bulk SQL. Measures, logged in as admin in headless Chromium:
 *   - route_p95_ms: GET /syncline/v1/admin/exceptions (20 per page, rotating pages, search and reason filters),
 *     --requests R (50) timed in the page with cookie + nonce auth;
 *   - first_paint_ms: navigation start → first row of the Exceptions tab painted (median of 3 loads);
 *   - bundle_kb: size of build/admin/index.js.
 * Ends with one JSON line. Needs the build (npm run build) and /usr/bin/chromium.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { Stack } from '../tests/e2e/helpers.js';
import { ROOT, sql } from '../scripts/env/wp-env.js';

const opt = (n: string, d: number): number => {
  const i = process.argv.indexOf(`--${n}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const N = opt('exceptions', 10_000);
const REQUESTS = opt('requests', 50);
const log = (m: string): void => { process.stderr.write(`[bench admin] ${m}\n`); };
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Number((s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0).toFixed(1)) : 0;
};

/** One INSERT … SELECT over MariaDB's sequence engine: N needs_human rows with four reason codes, ages 0 … N×30 s. */
function seed(stack: Stack, n: number): void {
  sql(`INSERT INTO \`${stack.site.db}\`.wp_syncline_events (topic, object_type, object_id, correlation_id, state, pending_key, attempts,
      available_at, last_error_code, last_error_message, last_error_details, created_at, updated_at)
    SELECT 'order.created', 'order', 100000 + seq, UUID(), 'needs_human', NULL, 3, 0,
      ELT(1 + seq % 4, 'unmapped_sku', 'erp_rejected', 'customer_invalid', 'duplicate_in_erp'),
      CONCAT('SKU BENCH-', seq, ' has no ERP product'), CONCAT('{"sku":"BENCH-', seq, '"}'),
      UNIX_TIMESTAMP() - seq * 30, UNIX_TIMESTAMP() - seq * 30
    FROM \`${stack.site.db}\`.seq_0_to_${n - 1}`);
}

const stack = await Stack.start({ name: 'benchadmin', port: opt('port', 18402) });
const browser = await chromium.launch({ executablePath: process.env.SYNCLINE_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  log(`seeding ${N} exceptions`);
  seed(stack, N);
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  await page.goto(`${stack.site.url}/wp-login.php`);
  await page.fill('#user_login', 'admin');
  await page.fill('#user_pass', 'password');
  await Promise.all([page.waitForNavigation(), page.click('#wp-submit')]);

  log(`timing ${REQUESTS} requests to the exceptions route`);
  const times = await page.evaluate(async ({ base, requests }) => {
    const nonce = await (await fetch(`${base}/wp-admin/admin-ajax.php?action=rest-nonce`, { credentials: 'same-origin' })).text();
    const variants = ['page=1', 'page=7', 'page=250', 'code=unmapped_sku&page=3', 'search=BENCH-4242', 'min_age_hours=24&page=2'];
    const out: number[] = [];
    for (let i = 0; i < requests; i++) {
      const url = `${base}/?rest_route=/syncline/v1/admin/exceptions&per_page=20&${variants[i % variants.length]}`;
      const t0 = performance.now();
      const res = await fetch(url, { credentials: 'same-origin', headers: { 'X-WP-Nonce': nonce } });
      await res.json();
      if (res.status !== 200) throw new Error(`exceptions route answered ${res.status}`);
      out.push(performance.now() - t0);
    }
    return out;
  }, { base: stack.site.url, requests: REQUESTS });

  log('timing the first paint of the Exceptions tab');
  const paints: number[] = [];
  for (let i = 0; i < 3; i++) {
    await page.goto(`${stack.site.url}/wp-admin/admin.php?page=syncline&tab=exceptions`);
    const ms = await page.waitForFunction(
      () => (document.querySelector('.syncline-exceptions-table tbody tr[data-event-id]') ? performance.now() : 0),
      undefined,
      { polling: 'raf', timeout: 60_000 },
    );
    paints.push(Number(await ms.jsonValue()));
  }
  const total = stack.countByState().needs_human ?? 0;
  const bundleKb = Number((statSync(join(ROOT, 'build', 'admin', 'index.js')).size / 1024).toFixed(1));
  console.log(JSON.stringify({
    bench: 'admin',
    exceptions: total,
    route_p50_ms: pct(times, 50),
    route_p95_ms: pct(times, 95),
    first_paint_ms: pct(paints, 50),
    bundle_kb: bundleKb,
  }));
} finally {
  await browser.close();
  await stack.stop();
}
