/**
 * `npm run down`: stops what `npm run up` started (sidecar, ERP stand-in or the real Dolibarr's PHP server, the
 * site's PHP server, MariaDB), each as a whole process group (PHP's server workers outlive their parent).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopServer } from './dolibarr.js';
import { RUN, dbStop, siteStop } from './wp-env.js';

/** Stops the process group (or the process) whose id the file holds, and removes the file. */
export function killPidFile(file: string): void {
  if (!existsSync(file)) return;
  const pid = Number(readFileSync(file, 'utf8'));
  try { process.kill(-pid, 'SIGTERM'); } catch { try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ } }
  rmSync(file, { force: true });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const f of ['dev-sidecar.pid', 'dev-erp.pid']) killPidFile(join(RUN, f));
  stopServer('dev');
  siteStop('dev');
  dbStop();
  console.log('stopped');
}
