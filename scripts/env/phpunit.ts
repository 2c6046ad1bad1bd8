/**
 * Runs the PHPUnit suite in-process against a real WordPress + MariaDB site created for it.
 * HPOS on and off are both exercised (the option the plugin's seam reads).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, siteCreate } from './wp-env.js';

let status = 0;
for (const hpos of [true, false]) {
  const site = await siteCreate(hpos ? 'phpunit' : 'phpunit_legacy', hpos ? 18181 : 18182, { hpos });
  console.log(`phpunit against ${site.path} (HPOS ${hpos ? 'on' : 'off'}, WooCommerce ${site.wcVersion})`);
  const r = spawnSync('php', [join(ROOT, 'vendor', 'bin', 'phpunit'), '--colors=never'], {
    stdio: 'inherit', cwd: ROOT, env: { ...process.env, SYNCLINE_WP_PATH: site.path },
  });
  if (r.status !== 0) status = r.status ?? 1;
}
process.exit(status);
