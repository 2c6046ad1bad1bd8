/**
 * `npm run up`: WordPress + MariaDB + WooCommerce (or stand-in) + Syncline on loopback, an ERP, and the sidecar.
 * Re-running it restarts the services and keeps the site's data.
 */
import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, RUN, dbStart, siteCreate, siteServe, siteStop, type Site } from './wp-env.js';

const arg = (n: string, d: string): string => {
  const i = process.argv.indexOf(`--${n}`);
  return i > 0 ? (process.argv[i + 1] ?? d) : d;
};
const port = Number(arg('port', '8080'));
const erpPort = Number(arg('erp-port', '8090'));
const name = 'dev';

function killPidFile(file: string): void {
  if (!existsSync(file)) return;
  try { process.kill(Number(readFileSync(file, 'utf8')), 'SIGTERM'); } catch { /* already gone */ }
}

function startDetached(file: string, args: string[], logName: string): number {
  const log = openSync(join(RUN, logName), 'a');
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log], cwd: ROOT });
  child.unref();
  writeFileSync(file, String(child.pid));
  return child.pid ?? 0;
}

async function startErp(): Promise<{ url: string; key: string; kind: string }> {
  if (process.env.SYNCLINE_DOLIBARR_URL && process.env.SYNCLINE_DOLIBARR_KEY) {
    return { url: process.env.SYNCLINE_DOLIBARR_URL, key: process.env.SYNCLINE_DOLIBARR_KEY, kind: 'Dolibarr (real)' };
  }
  const pidFile = join(RUN, 'dev-erp.pid');
  killPidFile(pidFile);
  const key = 'dev-dolibarr-key';
  startDetached(pidFile, ['--import', 'tsx', 'tests/ts/standins/dolibarr/fake-server.ts', '--port', String(erpPort), '--api-key', key,
    '--latency-ms', '15', '--seed-products', 'TSHIRT-PLAIN,HOODIE-S-GREY,HOODIE-M-BLACK,MUG-RED,CAP-BLUE'], 'dev-erp.log');
  const url = `http://127.0.0.1:${erpPort}/api/index.php`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${url}/status`, { headers: { DOLAPIKEY: key } })).ok) break; } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, key, kind: 'Dolibarr stand-in' };
}

await dbStart();
const siteFile = join(RUN, 'sites', name, 'site.json');
let site: Site;
if (existsSync(siteFile)) {
  site = JSON.parse(readFileSync(siteFile, 'utf8')) as Site;
  siteStop(name);
} else {
  site = await siteCreate(name, port, { hpos: true });
}
await siteServe(site);
const erp = await startErp();
const cfgFile = join(RUN, 'dev-sidecar.json');
writeFileSync(cfgFile, JSON.stringify({
  wordpress: { url: site.url, secret: site.secret },
  erp: { type: 'dolibarr', url: erp.url, api_key: erp.key, warehouse_id: 1, ref_client_prefix: 'WC-' },
  http: { host: '127.0.0.1', port: 9464 },
}, null, 2));
chmodSync(cfgFile, 0o600);
const sidecarPid = join(RUN, 'dev-sidecar.pid');
killPidFile(sidecarPid);
startDetached(sidecarPid, [join(ROOT, 'build', 'sidecar.cjs'), '--config', cfgFile], 'dev-sidecar.log');

console.log(`
Syncline is running.
  wp-admin:   ${site.url}/wp-admin/admin.php?page=syncline   (login: ${site.adminUser} / ${site.adminPassword})
  WooCommerce: ${site.wcVersion}
  ERP:        ${erp.kind} at ${erp.url}
  sidecar:    health http://127.0.0.1:9464/health, metrics /metrics, log .run/dev-sidecar.log
  CLI:        php vendor/bin/wp --path=${site.path} syncline status
  Stop:       npm run down
`);
