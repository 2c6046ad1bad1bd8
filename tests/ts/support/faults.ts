/**
 * The fault vocabulary of the test ERPs (the fault proxy in front of the real Dolibarr; meant to be shared with
 * the in-process stand-in once it lives with the tests): what a fault is, how a request picks one, its JSON form
 * for control APIs, and the small request helpers both servers need.
 */
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';

export type Fault = { match?: { method?: string; path?: RegExp }; times?: number } & (
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: 'delay'; ms: number }
  | { kind: 'timeout_after_commit' }
  | { kind: 'down' }
  | { kind: 'deadlock' }
  | { kind: 'commit_late'; ms: number }
);

/** The first fault matching the request, used up by one (removed when its `times` run out). */
/** The message Dolibarr 20 puts in a 503 when MariaDB reports a deadlock on a create (the `deadlock` fault). */
export const DEADLOCK_MESSAGE = 'Error when create : Deadlock found when trying to get lock; try restarting transaction';

/** One request as the stand-in or the proxy saw it. */
export interface RecordedCall {
  method: string;
  /** Full path, e.g. `/api/index.php/orders`. */
  path: string;
  query: string;
  body: unknown;
  /** HTTP status sent to the client, or `'no-response'` when the socket was dropped (down, timeout_after_commit). */
  status: number | 'no-response';
  at: number;
}

export function takeFault(faults: Fault[], method: string, path: string): Fault | undefined {
  const i = faults.findIndex((f) => (f.match?.method === undefined || f.match.method === method) && (f.match?.path === undefined || f.match.path.test(path)));
  const fault = faults[i];
  if (!fault) return undefined;
  const left = (fault.times ?? 1) - 1;
  if (left <= 0) faults.splice(i, 1);
  else fault.times = left;
  return fault;
}

export const FaultBody = z.object({
  match: z.object({ method: z.string().optional(), path: z.string().optional() }).optional(),
  times: z.number().int().positive().optional(),
  kind: z.enum(['status', 'delay', 'timeout_after_commit', 'down', 'deadlock', 'commit_late']),
  status: z.number().int().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  ms: z.number().nonnegative().optional(),
});

export function toFault(b: z.infer<typeof FaultBody>): Fault {
  const match = { ...(b.match?.method ? { method: b.match.method } : {}), ...(b.match?.path ? { path: new RegExp(b.match.path) } : {}) };
  const common = { match, ...(b.times ? { times: b.times } : {}) };
  switch (b.kind) {
    case 'status': return { ...common, kind: 'status', status: b.status ?? 503, ...(b.headers ? { headers: b.headers } : {}) };
    case 'delay': return { ...common, kind: 'delay', ms: b.ms ?? 1000 };
    case 'commit_late': return { ...common, kind: 'commit_late', ms: b.ms ?? 20_000 };
    default: return { ...common, kind: b.kind };
  }
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

export function parseOrRaw(raw: string): unknown {
  if (raw === '') return null;
  try { return JSON.parse(raw) as unknown; } catch { return raw; }
}
