/**
 * Control API of the fake Dolibarr, for tests and benchmarks in another process:
 *   GET  /__fake/state     counts + orders (ref, ref_client, ref_ext, statut, totals)
 *   POST /__fake/faults    one fault as JSON; `match.path` is a RegExp source string
 *   DELETE /__fake/faults  clears the faults
 *   POST /__fake/products  {"refs": ["SKU1", …]} (100 units each in warehouse 1)
 *   POST /__fake/latency   {"ms": 20}
 *   POST /__fake/reset     back to the start state
 */
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { FakeDolibarr, Fault } from './fake.js';
import { formatScaled } from '../../../../src/erp/dolibarr/decimal.js';

const FaultBody = z.object({
  match: z.object({ method: z.string().optional(), path: z.string().optional() }).optional(),
  times: z.number().int().positive().optional(),
  kind: z.enum(['status', 'delay', 'timeout_after_commit', 'down', 'deadlock']),
  status: z.number().int().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  ms: z.number().nonnegative().optional(),
});

function toFault(b: z.infer<typeof FaultBody>): Fault {
  const match = { ...(b.match?.method ? { method: b.match.method } : {}), ...(b.match?.path ? { path: new RegExp(b.match.path) } : {}) };
  const common = { match, ...(b.times ? { times: b.times } : {}) };
  switch (b.kind) {
    case 'status': return { ...common, kind: 'status', status: b.status ?? 503, ...(b.headers ? { headers: b.headers } : {}) };
    case 'delay': return { ...common, kind: 'delay', ms: b.ms ?? 1000 };
    default: return { ...common, kind: b.kind };
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

export function fakeSnapshot(fake: FakeDolibarr): Record<string, unknown> {
  const s = fake.state;
  return {
    counts: { orders: s.orders.length, thirdparties: s.thirdparties.length, products: s.products.length, movements: s.movements.length, calls: fake.calls.length },
    ordersByRefClient: fake.orderCountsByRefClient(),
    orders: s.orders.map((o) => {
      const t = s.orderTotals(o);
      return { id: o.id, ref: o.ref, ref_client: o.ref_client, ref_ext: o.ref_ext, statut: o.statut, socid: o.socid,
        total_ht: formatScaled(t.ht, 2), total_tva: formatScaled(t.tva, 2), total_ttc: formatScaled(t.ttc, 2), created_at_ms: o.created_at_ms };
    }),
  };
}

export function handleControl(fake: FakeDolibarr, method: string, path: string, raw: string, res: ServerResponse): void {
  let body: unknown;
  try { body = raw === '' ? {} : JSON.parse(raw); } catch { return json(res, 400, { error: 'body is not JSON' }); }
  const key = `${method} ${path}`;
  if (key === 'GET /__fake/state') return json(res, 200, fakeSnapshot(fake));
  if (key === 'POST /__fake/reset') { fake.reset(); return json(res, 200, { ok: true }); }
  if (key === 'DELETE /__fake/faults') { fake.faults.length = 0; return json(res, 200, { ok: true }); }
  if (key === 'POST /__fake/faults') {
    const f = FaultBody.safeParse(body);
    if (!f.success) return json(res, 400, { error: f.error.message });
    fake.faults.push(toFault(f.data));
    return json(res, 200, { ok: true, faults: fake.faults.length });
  }
  if (key === 'POST /__fake/products') {
    const p = z.object({ refs: z.array(z.string().min(1)) }).safeParse(body);
    if (!p.success) return json(res, 400, { error: p.error.message });
    fake.addProducts(p.data.refs);
    return json(res, 200, { ok: true });
  }
  if (key === 'POST /__fake/latency') {
    const l = z.object({ ms: z.number().nonnegative() }).safeParse(body);
    if (!l.success) return json(res, 400, { error: l.error.message });
    fake.setLatency(l.data.ms);
    return json(res, 200, { ok: true });
  }
  return json(res, 404, { error: `unknown control route ${key}` });
}
