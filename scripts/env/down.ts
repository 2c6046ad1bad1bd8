/** `npm run down`: stops what `npm run up` started (sidecar, ERP stand-in, PHP server, MariaDB). */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RUN, dbStop, siteStop } from './wp-env.js';

for (const f of ['dev-sidecar.pid', 'dev-erp.pid']) {
  const p = join(RUN, f);
  if (!existsSync(p)) continue;
  try { process.kill(Number(readFileSync(p, 'utf8')), 'SIGTERM'); } catch { /* gone */ }
  rmSync(p, { force: true });
}
siteStop('dev');
dbStop();
console.log('stopped');
