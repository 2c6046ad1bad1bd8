/**
 * Runs the PHPUnit suite in-process against a real WordPress + MariaDB site created for it: by default
 * WordPress 7.0.4 + WooCommerce 11.0.1 (scripts/env/realstack.ts), HPOS on and off (the option the plugin's seam
 * reads). SYNCLINE_PHPUNIT_HPOS=on|off runs one mode only (the compatibility job on the oldest WordPress the
 * plugin header claims runs HPOS on only).
 *
 * SYNCLINE_PHPUNIT_PREFIX/PORT let two checkouts (or two developers, or the compatibility job) run the suite at
 * once on one machine.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, siteCreate } from './wp-env.js';

const modes = { on: [true], off: [false] }[process.env.SYNCLINE_PHPUNIT_HPOS ?? ''] ?? [true, false];
const prefix = process.env.SYNCLINE_PHPUNIT_PREFIX ?? 'phpunit';
const port = Number(process.env.SYNCLINE_PHPUNIT_PORT ?? 18181);
let status = 0;
for (const hpos of modes) {
  const t0 = Date.now();
  const site = await siteCreate(hpos ? prefix : `${prefix}_legacy`, hpos ? port : port + 1, { hpos });
  console.log(`phpunit against ${site.path}: WordPress ${site.wpVersion}, WooCommerce ${site.wcVersion}, HPOS ${hpos ? 'on' : 'off'} (site created in ${Date.now() - t0} ms)`);
  // Arguments after the script go to PHPUnit (e.g. `--filter AdminPageTest`).
  const r = spawnSync('php', [join(ROOT, 'vendor', 'bin', 'phpunit'), '--colors=never', ...process.argv.slice(2)], {
    stdio: 'inherit', cwd: ROOT, env: { ...process.env, SYNCLINE_WP_PATH: site.path },
  });
  if (r.status !== 0) status = r.status ?? 1;
}
process.exit(status);
