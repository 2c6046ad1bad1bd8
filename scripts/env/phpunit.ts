/**
 * Runs the PHPUnit suite in-process against a real WordPress + MariaDB site created for it.
 * HPOS on and off are both exercised (the option the plugin's seam reads).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, siteCreate } from './wp-env.js';

let status = 0;
for (const hpos of [true, false]) {
  // SYNCLINE_PHPUNIT_PREFIX/PORT let two checkouts (or two developers) run the suite at once on one machine.
  const prefix = process.env.SYNCLINE_PHPUNIT_PREFIX ?? 'phpunit';
  const port = Number(process.env.SYNCLINE_PHPUNIT_PORT ?? 18181);
  const site = await siteCreate(hpos ? prefix : `${prefix}_legacy`, hpos ? port : port + 1, { hpos });
  console.log(`phpunit against ${site.path} (HPOS ${hpos ? 'on' : 'off'}, WooCommerce ${site.wcVersion})`);
  const r = spawnSync('php', [join(ROOT, 'vendor', 'bin', 'phpunit'), '--colors=never'], {
    stdio: 'inherit', cwd: ROOT, env: { ...process.env, SYNCLINE_WP_PATH: site.path },
  });
  if (r.status !== 0) status = r.status ?? 1;
}
process.exit(status);
