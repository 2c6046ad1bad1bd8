/**
 * `npm run up`: MariaDB + WordPress + WooCommerce + Syncline on loopback, an ERP, and the sidecar.
 *
 * With ../shared/realstack (scripts/env/realstack.ts): WordPress 7.0.4, WooCommerce 11.0.1 and a real Dolibarr
 * 20.0.2 on 127.0.0.1:8090, installed once and kept under .run/ (its data survive restarts). Without it: Debian's
 * WordPress, the WooCommerce stand-in and the Dolibarr stand-in, and it says so. SYNCLINE_DOLIBARR_URL +
 * SYNCLINE_DOLIBARR_KEY point the sidecar at any other Dolibarr. Re-running restarts the services and keeps data.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDolibarr } from './dolibarr.js';
import { killPidFile } from './down.js';
import { fallbackWarning, realstack } from './realstack.js';
import { ROOT, RUN, dbStart, siteCreate, siteServe, siteStop, type Site } from './wp-env.js';

const arg = (n: string, d: string): string => {
  const i = process.argv.indexOf(`--${n}`);
  return i > 0 ? (process.argv[i + 1] ?? d) : d;
};
const port = Number(arg('port', '8080'));
const erpPort = Number(arg('erp-port', '8090'));
const sidecarPort = Number(arg('sidecar-port', process.env.SYNCLINE_SIDECAR_PORT ?? '9464'));
const name = 'dev';
const SEED_SKUS = ['TSHIRT-PLAIN', 'HOODIE-S-GREY', 'HOODIE-M-BLACK', 'MUG-RED', 'CAP-BLUE'];

/** Starts a node script detached in its own process group (so `npm run down` can stop all of it). */
function startDetached(file: string, args: string[], logName: string): number {
  const log = openSync(join(RUN, logName), 'a');
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log], cwd: ROOT });
  child.unref();
  writeFileSync(file, String(child.pid));
  return child.pid ?? 0;
}

interface Erp { url: string; key: string; kind: string; ui?: string }

async function startStandinErp(): Promise<Erp> {
  const key = 'dev-dolibarr-key';
  startDetached(join(RUN, 'dev-erp.pid'), ['--import', 'tsx', 'tests/ts/standins/dolibarr/fake-server.ts', '--port', String(erpPort), '--api-key', key,
    '--latency-ms', '15', '--seed-products', SEED_SKUS.join(',')], 'dev-erp.log');
  const url = `http://127.0.0.1:${erpPort}/api/index.php`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${url}/status`, { headers: { DOLAPIKEY: key } })).ok) break; } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, key, kind: 'Dolibarr STAND-IN (protocol-level fake, not a real ERP)' };
}

async function startRealErp(): Promise<Erp> {
  const d = await startDolibarr({ name, port: erpPort, keep: true });
  // First start: the products the local shop sells.
  if (d.sql('SELECT COUNT(*) FROM llx_product').trim() === '0') await d.addProducts(SEED_SKUS, 100);
  return { url: d.url, key: d.apiKey, kind: `Dolibarr ${d.version} (real)`, ui: `${d.siteUrl}/  (login: admin / ${d.adminPassword})` };
}

/** `.run/bin/wp`: WP-CLI for this site as printed, root included (--allow-root only when root). */
function writeWpWrapper(site: Site): string {
  const dir = join(RUN, 'bin');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'wp');
  writeFileSync(file, `#!/usr/bin/env bash
# Written by scripts/env/up.ts: WP-CLI (vendor/) for the local site ${site.url}.
set -euo pipefail
root=()
[ "$(id -u)" -eq 0 ] && root=(--allow-root)
export WP_CLI_PHP_USED="$(command -v php)"
exec php -d display_errors=stderr -d error_reporting=22527 '${join(ROOT, 'vendor', 'wp-cli', 'wp-cli', 'php', 'boot-fs.php')}' \\
  "\${root[@]}" --path='${site.path}' --require='${join(ROOT, 'scripts', 'env', 'wp-cli-shim.php')}' "$@"
`);
  chmodSync(file, 0o755);
  return file;
}

const rs = await realstack();
if (!rs) console.error(fallbackWarning());
await dbStart();
const siteFile = join(RUN, 'sites', name, 'site.json');
let site: Site;
const existing = existsSync(siteFile) ? JSON.parse(readFileSync(siteFile, 'utf8')) as Site : null;
// A site built on other sources (stand-ins, before the realstack was there) is rebuilt on the real ones.
if (existing && (existing.real || !rs)) {
  site = existing;
  siteStop(name);
} else {
  site = await siteCreate(name, port, { hpos: true });
}
await siteServe(site);
killPidFile(join(RUN, 'dev-erp.pid'));
const erp: Erp = process.env.SYNCLINE_DOLIBARR_URL && process.env.SYNCLINE_DOLIBARR_KEY
  ? { url: process.env.SYNCLINE_DOLIBARR_URL, key: process.env.SYNCLINE_DOLIBARR_KEY, kind: 'Dolibarr (yours, SYNCLINE_DOLIBARR_URL)' }
  : rs ? await startRealErp() : await startStandinErp();
const cfgFile = join(RUN, 'dev-sidecar.json');
writeFileSync(cfgFile, JSON.stringify({
  wordpress: { url: site.url, secret: site.secret },
  erp: { type: 'dolibarr', url: erp.url, api_key: erp.key, warehouse_id: 1, ref_client_prefix: 'WC-' },
  http: { host: '127.0.0.1', port: sidecarPort },
}, null, 2));
chmodSync(cfgFile, 0o600);
const sidecarPid = join(RUN, 'dev-sidecar.pid');
killPidFile(sidecarPid);
startDetached(sidecarPid, [join(ROOT, 'build', 'sidecar.cjs'), '--config', cfgFile], 'dev-sidecar.log');
const wpBin = writeWpWrapper(site);

const standins = site.real ? '' : `
  NOTE: this runs on STAND-INS (WordPress ${site.wpVersion}, WooCommerce ${site.wcVersion}). For the real systems put the
  realstack archives in ../shared/realstack (or set SYNCLINE_REALSTACK), or set SYNCLINE_WP_DIR (WordPress >= 6.9) +
  SYNCLINE_WC_DIR (a built WooCommerce) and SYNCLINE_DOLIBARR_URL + SYNCLINE_DOLIBARR_KEY (your Dolibarr 20), then
  run npm run down && rm -rf .run/sites/dev && npm run up.`;
console.log(`
Syncline is running.
  site:        ${site.url}/   (WordPress ${site.wpVersion}, REST ${site.url}/wp-json/)
  wp-admin:    ${site.url}/wp-admin/admin.php?page=syncline   (login: ${site.adminUser} / ${site.adminPassword})
  WooCommerce: ${site.wcVersion}
  ERP:         ${erp.kind} at ${erp.url}${erp.ui ? `\n  ERP UI:      ${erp.ui}` : ''}
  sidecar:     health http://127.0.0.1:${sidecarPort}/health, metrics /metrics, log .run/dev-sidecar.log
  CLI:         ${wpBin} syncline status
  Stop:        npm run down${standins}
`);
