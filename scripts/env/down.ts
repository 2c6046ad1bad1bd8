/**
 * `npm run down`: stops what `npm run up` started (sidecar, ERP stand-in or the real Dolibarr's PHP server, the
 * site's PHP server, MariaDB), each as a whole process group (PHP's server workers outlive their parent).
 */
import { join } from 'node:path';
import { stopServer } from './dolibarr.js';
import { RUN, dbStop, siteStop, stopPidFile } from './wp-env.js';

for (const f of ['dev-sidecar.pid', 'dev-erp.pid']) stopPidFile(join(RUN, f));
stopServer('dev');
siteStop('dev');
dbStop();
console.log('stopped');
