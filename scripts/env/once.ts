/**
 * One installer at a time per checkout: `ready()` is asked until it answers, or this process takes the lock
 * directory and runs `install()` (a lock whose owner died is taken over after ~10 s). Used by scripts/env/odoo.ts and
 * scripts/env/dolibarr.ts.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export async function installOnce<T>(lock: string, ready: () => T | null, install: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    const done = ready();
    if (done) return done;
    try {
      mkdirSync(lock);
      break;
    } catch {
      const owner = Number(readFileSync(join(lock, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0);
      let alive = owner > 0;
      try { if (alive) process.kill(owner, 0); } catch { alive = false; }
      if (!alive && i > 20) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    writeFileSync(join(lock, 'pid'), String(process.pid));
    return ready() ?? await install();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
