import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NeedsHumanError, RetryableError } from '../../common/errors.js';
import { DolibarrClient, NOT_FOUND, NOT_MODIFIED } from './client.js';
import { classifyHttpFailure, parseRetryAfter } from './errors.js';
import { startFakeDolibarr, type StartedFakeDolibarr } from '../../../tests/ts/standins/dolibarr/fake.js';
import { CreatedId, ProductRef, Status } from './schemas.js';
import { z } from 'zod';

const KEY = 'super-secret-dolapikey-123';

function scripted(status: number, body: string, headers: Record<string, string> = {}): typeof fetch {
  return async () => new Response(status === 304 ? null : body, { status, headers });
}

async function caught(p: Promise<unknown>): Promise<RetryableError | NeedsHumanError> {
  try { await p; } catch (err) {
    assert.ok(err instanceof RetryableError || err instanceof NeedsHumanError, String(err));
    return err;
  }
  return assert.fail('expected an error');
}

describe('Dolibarr client', () => {
  let fake: StartedFakeDolibarr;
  before(async () => { fake = await startFakeDolibarr({ apiKey: KEY }); });
  after(async () => fake.stop());
  const client = (over: Partial<ConstructorParameters<typeof DolibarrClient>[0]> = {}): DolibarrClient =>
    new DolibarrClient({ baseUrl: fake.url, apiKey: KEY, timeoutMs: 1000, ...over });

  it('sends DOLAPIKEY and parses string-typed numbers and bare-integer ids', async () => {
    assert.equal(await client().get('/status', {}, Status), '20.0.2');
    const id = await client().post('/products', { ref: 'C-1', label: 'x', price: 1 }, CreatedId);
    assert.equal(typeof id, 'number');
    assert.deepEqual(await client().get(`/products/ref/C-1`, {}, ProductRef), { id, ref: 'C-1' });
  });

  it('asks for answers uncompressed (Dolibarr gzips at level 9 whenever Accept-Encoding names gzip, as fetch does by default)', async () => {
    const seen: Array<Record<string, string>> = [];
    const fetchImpl: typeof fetch = async (_url, init) => {
      seen.push(Object.fromEntries(new Headers(init?.headers).entries()));
      return new Response(seen.length === 1 ? '{"dolibarr_version":"20.0.2"}' : '"7"', { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const c = new DolibarrClient({ baseUrl: 'http://x/api/index.php', apiKey: KEY, timeoutMs: 1000, fetchImpl });
    await c.get('/status', {}, Status);
    await c.post('/orders', {}, z.string());
    assert.deepEqual(seen.map((h) => h['accept-encoding']), ['identity', 'identity']);
  });

  it('turns 404 into NOT_FOUND for lookups and 304 into NOT_MODIFIED', async () => {
    assert.equal(await client().find('/products/999999', {}, ProductRef), NOT_FOUND);
    const c = new DolibarrClient({ baseUrl: 'http://x/api/index.php', apiKey: KEY, timeoutMs: 1000, fetchImpl: scripted(304, '') });
    assert.equal(await c.postIdempotent('/orders/1/validate', {}, z.unknown()), NOT_MODIFIED);
  });

  it('never puts the API key in error messages', async () => {
    const bad = await caught(client({ apiKey: `${KEY}-wrong` }).get('/products', {}, z.unknown()));
    assert.equal(bad.code, 'erp_auth');
    assert.ok(!bad.message.includes(KEY), bad.message);
    const echo = new DolibarrClient({ baseUrl: 'http://x/api/index.php', apiKey: KEY, timeoutMs: 1000, fetchImpl: scripted(500, `<html><body>Error near DOLAPIKEY=${KEY}</body></html>`, { 'content-type': 'text/html' }) });
    const e1 = await caught(echo.get('/orders', {}, z.unknown()));
    assert.ok(!e1.message.includes(KEY) && !JSON.stringify(e1).includes(KEY), e1.message);
    const thrower = new DolibarrClient({ baseUrl: 'http://x/api/index.php', apiKey: KEY, timeoutMs: 1000, fetchImpl: async () => { throw new TypeError(`fetch failed for key ${KEY}`); } });
    const e2 = await caught(thrower.get('/orders', {}, z.unknown()));
    assert.equal(e2.code, 'erp_unreachable');
    assert.ok(!e2.message.includes(KEY), e2.message);
  });

  it('times out a request that does not answer', async () => {
    fake.faults.push({ kind: 'delay', ms: 400, times: 1 });
    const err = await caught(client({ timeoutMs: 100 }).get('/status', {}, Status));
    assert.equal(err.code, 'erp_timeout');
    assert.equal((err as RetryableError).options.erpDown, true);
  });

  it('handles the 501 plain-text answer for an unknown API', async () => {
    const err = await caught(client().get('/nosuchresource', {}, z.unknown()));
    assert.ok(err instanceof NeedsHumanError);
    assert.match(err.message, /API not found/);
  });

  it('takes the 202 "temporarily not available" page Dolibarr shows when its database is down for the ERP being down', async () => {
    const page = '<html><body>This website or feature is currently temporarily not available or failed after a technical error.</body></html>';
    const c = new DolibarrClient({ baseUrl: 'http://x/api/index.php', apiKey: KEY, timeoutMs: 1000, fetchImpl: scripted(202, page) });
    const err = await caught(c.get('/orders', {}, z.unknown()));
    assert.ok(err instanceof RetryableError, 'transient, never needs-human');
    assert.equal(err.code, 'erp_unavailable');
    assert.equal(err.options.erpDown, true);
  });

  it('reads a 200 that is not JSON as an unexpected response, not a crash', async () => {
    const c = new DolibarrClient({ baseUrl: 'http://x/api/index.php', apiKey: KEY, timeoutMs: 1000, fetchImpl: scripted(200, '<html>login</html>') });
    assert.equal((await caught(c.get('/status', {}, Status))).code, 'erp_unexpected_response');
  });
});

describe('Dolibarr failure classification', () => {
  const f = (status: number, bodyText: string, contentType = 'application/json', retryAfter: string | null = null) =>
    classifyHttpFailure({ method: 'POST', path: '/orders', status, contentType, bodyText, retryAfter });
  const restler = (code: number, message: string, extra?: string): string => JSON.stringify({ error: { code, message, ...(extra ? { 0: extra } : {}) } });
  const table: [string, RetryableError | NeedsHumanError, 'R' | 'H', string, boolean?][] = [
    ['429 Retry-After seconds', f(429, '', 'text/plain', '3'), 'R', 'erp_rate_limited'],
    ['401', f(401, restler(401, 'Unauthorized: x')), 'R', 'erp_auth', true],
    ['400 validation', f(400, restler(400, 'Bad Request: socid field missing')), 'H', 'erp_rejected'],
    ['500 deadlock', f(500, restler(500, 'Error', 'Deadlock found when trying to get lock')), 'R', 'erp_deadlock', false],
    ['503 deadlock', f(503, restler(503, 'Service Unavailable: Deadlock found when trying to get lock')), 'R', 'erp_deadlock', false],
    ['500 HTML duplicate order ref', f(500, "<html><b>Duplicate entry 'CO2611-0004-1' for key 'uk_commande_ref'</b></html>", 'text/html'), 'R', 'erp_ref_race', false],
    ['500 foreign key', f(500, restler(500, 'Internal Server Error: Error creating order', 'a foreign key constraint fails')), 'H', 'erp_rejected'],
    ['503 plain', f(503, 'Service Unavailable', 'text/html'), 'R', 'erp_unavailable', true],
    ['502', f(502, '<html>Bad gateway</html>', 'text/html'), 'R', 'erp_unavailable', true],
    ['503 SQL syntax', f(503, restler(503, 'Service Unavailable: You have an error in your SQL syntax')), 'R', 'erp_sql_error', false],
    ['501 text', f(501, 'API not found (failed to include API file)', 'text/html'), 'H', 'erp_unsupported'],
    ['403 injection protection (a path with \' ( or ))', f(403, 'Access refused to 127.0.0.1 by SQL or Script injection protection in main.inc.php', 'text/html'), 'H', 'erp_refused_value'],
  ];
  for (const [name, err, cls, code, down] of table) {
    it(`classifies ${name} as ${cls === 'R' ? 'retryable' : 'needs human'} ${code}`, () => {
      assert.ok(cls === 'R' ? err instanceof RetryableError : err instanceof NeedsHumanError, err.message);
      assert.equal(err.code, code);
      if (down !== undefined && err instanceof RetryableError) assert.equal(err.options.erpDown, down);
    });
  }
  it('reads Retry-After as seconds or as an HTTP date', () => {
    assert.equal(parseRetryAfter('2'), 2000);
    assert.equal(parseRetryAfter(new Date(10_000 + 5000).toUTCString(), 10_000), 5000);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(f(429, '', 'text/plain', '3') instanceof RetryableError && (f(429, '', 'text/plain', '3') as RetryableError).options.retryAfterMs, 3000);
  });
});
