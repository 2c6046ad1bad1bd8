/**
 * What the Dolibarr contract tests share: the two backends (the real Dolibarr 20.0.2 and the stand-in), one call,
 * and the case runner that compares the stand-in's answer to the real one (status, JSON or not, body shape, the
 * values the reader relies on).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startDolibarr } from '../../../scripts/env/dolibarr.js';
import { realstack } from '../../../scripts/env/realstack.js';
import { startFakeDolibarr } from '../standins/dolibarr/fake.js';
import { shapeDiff } from './shape.js';

export interface Backend { url: string; apiKey: string; addProducts(refs: string[]): Promise<void>; stop(): Promise<void> }
export interface Answer { status: number; json: boolean; body: unknown }
export type Scenario = (b: Backend, tag: string) => Promise<Map<string, Answer>>;

export async function call(b: Backend, method: string, path: string, body?: unknown, key = b.apiKey): Promise<Answer> {
  const res = await fetch(`${b.url}${path}`, {
    method, headers: { DOLAPIKEY: key, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const json = (res.headers.get('content-type') ?? '').includes('json') && text !== '';
  return { status: res.status, json, body: json ? JSON.parse(text) as unknown : text };
}

/**
 * The real Dolibarr: SYNCLINE_DOLIBARR_URL + SYNCLINE_DOLIBARR_KEY when set, else one started from ../shared/realstack
 * (port SYNCLINE_DOLIBARR_PORT + `portOffset`); a string saying why when there is none.
 */
async function realBackend(name: string, portOffset: number): Promise<Backend | string> {
  const url = process.env['SYNCLINE_DOLIBARR_URL'];
  const apiKey = process.env['SYNCLINE_DOLIBARR_KEY'];
  if (url && apiKey) {
    const b: Backend = {
      url, apiKey, stop: async () => undefined,
      async addProducts(refs) {
        for (const ref of refs) {
          const id = Number((await call(b, 'POST', '/products', { ref, label: ref, type: 0, price: 10, price_base_type: 'HT', tva_tx: 20, status: 1, status_buy: 1 })).body);
          await call(b, 'POST', '/stockmovements', { product_id: id, warehouse_id: 1, qty: 100, movementlabel: 'Initial stock' });
        }
      },
    };
    return b;
  }
  if (!(await realstack())) return 'no real Dolibarr: set SYNCLINE_DOLIBARR_URL/KEY or provide ../shared/realstack';
  const d = await startDolibarr({ name, port: Number(process.env['SYNCLINE_DOLIBARR_PORT'] ?? 8091) + portOffset });
  return { url: d.url, apiKey: d.apiKey, stop: () => d.stop(), addProducts: async (refs) => { await d.addProducts(refs); } };
}

async function fakeBackend(): Promise<Backend> {
  const fake = await startFakeDolibarr({ apiKey: 'contract-key' });
  return { url: fake.url, apiKey: 'contract-key', stop: () => fake.stop(), addProducts: async (refs) => fake.addProducts(refs) };
}

export interface ContractOptions {
  /** The real Dolibarr's instance name and port offset (each contract file its own). */
  real: { name: string; portOffset: number };
  scenario: Scenario;
  /** The cases, by name, in the order they are reported. */
  names: string[];
  /** Per case, the values (not only the shape) the reader relies on. */
  values: Record<string, (a: Answer) => unknown>;
  /** Cases whose body shape is not compared (e.g. an error page that names the id). */
  noShape?: string[];
}

/** Registers, inside a describe(), the run of the scenario on both backends and one test per case. */
export function dolibarrContract(o: ContractOptions): void {
  const tag = Date.now().toString(36).toUpperCase();
  let real: Backend | string = 'not started';
  let fake: Backend | undefined;
  let realAnswers = new Map<string, Answer>();
  let fakeAnswers = new Map<string, Answer>();

  before(async () => {
    fake = await fakeBackend();
    fakeAnswers = await o.scenario(fake, `${tag}F`);
    real = await realBackend(o.real.name, o.real.portOffset);
    if (typeof real !== 'string') realAnswers = await o.scenario(real, `${tag}R`);
  });
  after(async () => {
    await fake?.stop();
    if (typeof real !== 'string') await real.stop();
  });

  it('has a real Dolibarr to compare with', (t) => {
    if (typeof real === 'string') {
      if (process.env['CI'] === 'true') assert.fail(real);
      t.skip(real);
    }
  });

  for (const name of o.names) {
    it(name, (t) => {
      const f = fakeAnswers.get(name);
      assert.ok(f, 'the stand-in answered');
      if (typeof real === 'string') return t.skip(real);
      const r = realAnswers.get(name);
      assert.ok(r, 'the real Dolibarr answered');
      assert.equal(f.status, r.status, `status (real body: ${JSON.stringify(r.body).slice(0, 300)})`);
      assert.equal(f.json, r.json, 'JSON or not');
      if (r.json && !o.noShape?.includes(name)) assert.deepEqual(shapeDiff(r.body, f.body, '$', ['real', 'stand-in']), [], 'body shape');
      const value = o.values[name];
      if (value) assert.deepEqual(value(f), value(r), 'the values the reader relies on');
    });
  }
}
