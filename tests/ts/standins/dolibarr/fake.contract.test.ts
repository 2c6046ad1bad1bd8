/**
 * Keeps the fake honest: replays every recorded Dolibarr 20.0.2 request (../shared/fixtures/dolibarr, in the
 * recorded order) against the fake and checks the status and the body shape (same keys, same JSON types;
 * ids, dates and other values may differ; null on either side matches any type).
 * Set SYNCLINE_DOLIBARR_FIXTURES to read the fixtures from elsewhere.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { invoicesOf } from './fake-routes-invoices.js';
import { shapeDiff } from '../../contract/shape.js';
import { startFakeDolibarr, type StartedFakeDolibarr } from './fake.js';

const DIR = process.env['SYNCLINE_DOLIBARR_FIXTURES'] ?? fixturesDir();
const KEY = 'contract-test-key';

/** `shared/fixtures/dolibarr` in the nearest ancestor that has it (../shared next to a clone or a worktree). */
function fixturesDir(): string {
  let dir = fileURLToPath(new URL('.', import.meta.url));
  for (;;) {
    const candidate = join(dir, 'shared', 'fixtures', 'dolibarr');
    if (existsSync(join(candidate, '_index.json')) || dirname(dir) === dir) return candidate;
    dir = dirname(dir);
  }
}

const Fixture = z.object({
  name: z.string(),
  request: z.object({ method: z.string(), path: z.string(), query: z.record(z.string(), z.union([z.string(), z.number()])), headers: z.record(z.string(), z.string()), body: z.unknown() }),
  response: z.object({ status: z.number(), body: z.unknown(), body_raw: z.string().optional() }),
});
type Fixture = z.infer<typeof Fixture>;
const Index = z.array(z.object({ file: z.string() }));

/** Every recorded request is simulated (invoices and payments since issue 8). */
const NOT_SIMULATED = /^$/;

/** Data the recording script created without recording the request (products 2 and 3, two stock movements). */
function seedUnrecorded(fake: StartedFakeDolibarr, after: string): void {
  if (after === 'setup_04_create_product.json') {
    fake.state.addProduct({ ref: 'WC-SKU-002', label: 'Mug white', price: '8.5', tva_tx: '20', type: 0 });
    fake.state.addProduct({ ref: 'WC-SKU-003', label: 'Cap red', price: '12', tva_tx: '20', type: 0 });
  }
  // A draft invoice (3) before 92g, and a validated credit note of 6.00 on invoice 1 (4) before 13 (issue 8).
  const line = () => ({ id: fake.state.next('invoiceline'), fk_product: null, desc: 'x', qty: 1, subprice: '5', tva_tx: '20', remise_percent: '0', product_type: 1, totals: { ht: 500n, tva: 100n, ttc: 600n } });
  if (after === '92f_error_product_duplicate_ref.json') {
    invoicesOf(fake.state).push({ id: fake.state.next('invoice'), ref: '(PROV3)', ref_ext: null, ref_client: null, type: 0, statut: 0, socid: 1, fk_facture_source: null, lines: [line()], orderId: null, payments: [], date: 1795420157 });
  }
  if (after === '92h_error_payment_missing_accountid.json') {
    invoicesOf(fake.state).push({ id: fake.state.next('invoice'), ref: 'AV2611-0002', ref_ext: null, ref_client: null, type: 2, statut: 1, socid: 1, fk_facture_source: 1, lines: [line()], orderId: null, payments: [], date: 1795420157 });
  }
  if (after === '04_create_stock_movement.json') {
    fake.state.move(1, 2, 5, '', '0', null, 3);
    fake.state.move(2, 1, 100, '', '0', null, 3);
  }
}

async function replay(fake: StartedFakeDolibarr, fx: Fixture): Promise<{ status: number; text: string }> {
  const q = new URLSearchParams(Object.entries(fx.request.query).map(([k, v]) => [k, String(v)]));
  const path = fx.request.path.replace(/^\/api\/index\.php/, '');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(fx.request.headers)) headers[k] = v === '<DOLAPIKEY>' ? KEY : v;
  const body = fx.request.body === null ? undefined : typeof fx.request.body === 'string' ? fx.request.body : JSON.stringify(fx.request.body);
  const res = await fetch(`${fake.url}${path}${q.size > 0 ? `?${q.toString()}` : ''}`, { method: fx.request.method, headers, body });
  return { status: res.status, text: await res.text() };
}

function checkBody(fx: Fixture, text: string): void {
  if (fx.response.body_raw !== undefined) {
    assert.equal(text, fx.response.body_raw, 'raw body');
    return;
  }
  const got: unknown = JSON.parse(text);
  assert.deepEqual(shapeDiff(fx.response.body, got), [], 'body shape');
  const recErr = z.object({ error: z.object({ code: z.number(), message: z.string() }) }).safeParse(fx.response.body);
  if (recErr.success) {
    const gotErr = z.object({ error: z.object({ code: z.number(), message: z.string() }) }).parse(got);
    assert.equal(gotErr.error.code, recErr.data.error.code);
    assert.equal(gotErr.error.message.slice(0, 60), recErr.data.error.message.slice(0, 60), 'error message');
  }
}

const available = existsSync(join(DIR, '_index.json'));

describe('fake Dolibarr replays every recorded Dolibarr 20.0.2 fixture', { skip: available ? false : `no fixtures at ${DIR}` }, () => {
  let fake: StartedFakeDolibarr;
  const files = available ? Index.parse(JSON.parse(readFileSync(join(DIR, '_index.json'), 'utf8'))).map((e) => e.file) : [];

  before(async () => { fake = await startFakeDolibarr({ apiKey: KEY, seed: false }); });
  after(async () => fake.stop());

  for (const file of files) {
    const fx = Fixture.parse(JSON.parse(readFileSync(join(DIR, file), 'utf8')));
    const todo = NOT_SIMULATED.test(fx.request.path) ? 'invoices/payments are not simulated by the fake yet' : undefined;
    it(`${file}: ${fx.request.method} ${fx.request.path} → ${fx.response.status}`, { todo }, async () => {
      if (todo) return;
      const res = await replay(fake, fx);
      seedUnrecorded(fake, file);
      assert.equal(res.status, fx.response.status, `status (body: ${res.text.slice(0, 200)})`);
      checkBody(fx, res.text);
    });
  }
});
