/**
 * An in-process stand-in for Odoo 17's JSON-RPC endpoint (`POST /jsonrpc`: `common.version`, `common.login`,
 * `common.authenticate`, `object.execute_kw`) over fake-models.ts, with fault injection. Faults and error envelopes
 * are Odoo's: HTTP 200 with `error.data.name` = the Python exception. Tests only, never shipped.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { FakeOdooModels, OdooFault } from './fake-models.js';

export interface FakeOdooFault {
  /** `model.method` (or `common.authenticate`); any call when absent. */
  call?: string;
  /** `fault`: an Odoo error envelope; `status`: an HTTP status; `commit-then-hang`: runs the call, answers after `ms`. */
  kind: 'fault' | 'status' | 'commit-then-hang';
  name?: string;
  message?: string;
  status?: number;
  ms?: number;
  /** How many calls it hits (then it is removed). @defaultValue 1 */
  times?: number;
}

export interface StartedFakeOdoo {
  url: string;
  db: string;
  login: string;
  password: string;
  models: FakeOdooModels;
  faults: FakeOdooFault[];
  /** Storable products with `qty` units in WH/Stock, no tax, `price` in major units. */
  addProducts(refs: readonly string[], qty?: number, price?: number): void;
  stop(): Promise<void>;
}

const Request = z.object({
  jsonrpc: z.literal('2.0'), method: z.literal('call'), id: z.unknown(),
  params: z.object({ service: z.string(), method: z.string(), args: z.array(z.unknown()) }),
});

const VERSION = { server_version: '17.0-20240709', server_version_info: [17, 0, 0, 'final', 0, ''], server_serie: '17.0', protocol_version: 1 };

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8'))).on('error', reject);
  });
}

export async function startFakeOdoo(o: { db?: string; login?: string; password?: string } = {}): Promise<StartedFakeOdoo> {
  const db = o.db ?? 'odoo';
  const login = o.login ?? 'admin';
  const password = o.password ?? 'admin';
  const models = new FakeOdooModels();
  const faults: FakeOdooFault[] = [];

  const takeFault = (call: string): FakeOdooFault | undefined => {
    const f = faults.find((x) => x.call === undefined || x.call === call);
    if (!f) return undefined;
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) faults.splice(faults.indexOf(f), 1);
    return f;
  };

  const dispatch = (service: string, method: string, args: unknown[]): unknown => {
    if (service === 'common' && method === 'version') return VERSION;
    if (service === 'common' && (method === 'login' || method === 'authenticate')) {
      return args[0] === db && args[1] === login && args[2] === password ? 2 : false;
    }
    if (service === 'object' && method === 'execute_kw') {
      const [d, uid, pw, model, m, a, kw] = args as [string, number, string, string, string, unknown[], Record<string, unknown> | undefined];
      if (d !== db || uid !== 2 || pw !== password) throw new OdooFault('odoo.exceptions.AccessDenied', 'Access Denied');
      return models.execute(model, m, a ?? [], kw ?? {});
    }
    throw new OdooFault('builtins.NameError', `${service}.${method} is not a method`);
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const send = (status: number, body: unknown): void => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.url !== '/jsonrpc') { res.writeHead(404, { 'Content-Type': 'text/html' }); res.end('<h1>Not Found</h1>'); return; }
      const parsed = Request.safeParse(JSON.parse(await readBody(req)));
      if (!parsed.success) { send(200, { jsonrpc: '2.0', id: null, error: { code: 200, message: 'Odoo Server Error', data: { name: 'werkzeug.exceptions.BadRequest', message: 'bad request', arguments: [], context: {} } } }); return; }
      const { id, params } = parsed.data;
      const call = params.service === 'object' ? `${String(params.args[3])}.${String(params.args[4])}` : `${params.service}.${params.method}`;
      const fault = takeFault(call);
      if (fault?.kind === 'status') { res.writeHead(fault.status ?? 503, { 'Content-Type': 'text/html' }); res.end('<h1>Service Unavailable</h1>'); return; }
      const error = (name: string, message: string): unknown => ({ jsonrpc: '2.0', id, error: { code: 200, message: 'Odoo Server Error', data: { name, debug: `Traceback (most recent call last):\n${name}: ${message}`, message, arguments: [message], context: {} } } });
      if (fault?.kind === 'fault') { send(200, error(fault.name ?? 'builtins.RuntimeError', fault.message ?? 'injected')); return; }
      let body: unknown;
      try {
        const result = dispatch(params.service, params.method, params.args);
        body = result === undefined ? { jsonrpc: '2.0', id } : { jsonrpc: '2.0', id, result };
      } catch (e) {
        if (!(e instanceof OdooFault)) throw e;
        body = error(e.odooName, e.message);
      }
      if (fault?.kind === 'commit-then-hang') await new Promise((r) => setTimeout(r, fault.ms ?? 5000));
      if (!res.destroyed) send(200, body);
    })().catch((e: unknown) => { res.writeHead(500); res.end(String(e)); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, db, login, password, models, faults,
    addProducts(refs, qty = 100, price = 10) {
      const ids = models.execute('product.product', 'create', [refs.map((ref) => ({ name: ref, type: 'product', default_code: ref, list_price: price, taxes_id: [[6, 0, []]] }))], {}) as number[];
      if (qty <= 0) return;
      const quants = models.execute('stock.quant', 'create', [ids.map((p) => ({ product_id: p, location_id: 8, inventory_quantity: qty }))], {}) as number[];
      models.execute('stock.quant', 'action_apply_inventory', [quants], {});
    },
    stop: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
