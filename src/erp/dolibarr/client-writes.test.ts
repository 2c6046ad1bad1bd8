/** Writes of the Dolibarr client: the write slot, the lease fence before every write, unknown outcomes, DELETE. */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { LeaseLostError, withFence } from '../../common/fence.js';
import { createLogger } from '../../observability/logger.js';
import { DolibarrClient, NOT_FOUND, WriteOutcomeUnknownError } from './client.js';
import { CreatedId, Status } from './schemas.js';

const KEY = 'client-writes-key-1234';
const STATUS = JSON.stringify({ success: { dolibarr_version: '20.0.2' } });

/** A fetch that records each request and answers 200 `1` (or what `answer` says). */
function recorder(answer: (method: string) => Response | Promise<Response> = () => new Response('1', { status: 200 })): { fetchImpl: typeof fetch; log: string[] } {
  const log: string[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    log.push(`${init?.method ?? 'GET'} ${String(input).replace(/^http:\/\/erp\/api\/index\.php/, '')}`);
    return answer(init?.method ?? 'GET');
  };
  return { fetchImpl, log };
}

const make = (fetchImpl: typeof fetch, timeoutMs = 1000): DolibarrClient => new DolibarrClient({ baseUrl: 'http://erp/api/index.php', apiKey: KEY, timeoutMs, fetchImpl });

describe('Dolibarr client writes', () => {
  it('asks the lease fence after taking the write slot and before sending; a lost lease sends nothing', async () => {
    const { fetchImpl, log } = recorder();
    const client = make(fetchImpl);
    let releaseSlot!: () => void;
    const slotHeld = new Promise<void>((r) => { releaseSlot = r; });
    const holder = client.withWriteSlot(() => slotHeld);
    let held = true;
    const asked: string[] = [];
    const fence = { assertHeld: (): void => { asked.push(log.length === 0 ? 'before-send' : 'late'); if (!held) throw new LeaseLostError('lease lost'); } };
    const write = withFence(fence, () => client.post('/orders', {}, CreatedId));
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(asked, [], 'the fence is asked only once the slot is ours');
    held = false;
    releaseSlot();
    await holder;
    await assert.rejects(write, LeaseLostError);
    assert.deepEqual(asked, ['before-send']);
    assert.deepEqual(log, [], 'nothing was sent');
  });

  it('reads are never fenced or held back by a write slot', async () => {
    const { fetchImpl } = recorder(() => new Response(STATUS, { status: 200 }));
    const client = make(fetchImpl);
    const fence = { assertHeld: (): void => { throw new LeaseLostError('lease lost'); } };
    let releaseSlot!: () => void;
    const holder = client.withWriteSlot(() => new Promise<void>((r) => { releaseSlot = r; }));
    assert.equal(await withFence(fence, () => client.get('/status', {}, Status)), '20.0.2');
    releaseSlot();
    await holder;
  });

  it('a lookup and a create inside withWriteSlot run with no other write in between', async () => {
    const { fetchImpl, log } = recorder((m) => new Response(m === 'GET' ? '[]' : '1', { status: 200 }));
    const client = make(fetchImpl);
    const a = client.withWriteSlot(async () => {
      await client.get('/orders', { sqlfilters: 'a' }, CreatedId.array());
      await new Promise((r) => setTimeout(r, 10));
      await client.post('/orders', { a: 1 }, CreatedId);
    });
    const b = client.post('/thirdparties', {}, CreatedId);
    await Promise.all([a, b]);
    assert.deepEqual(log, ['GET /orders?sqlfilters=a', 'POST /orders', 'POST /thirdparties']);
  });

  it('a write that timed out is WriteOutcomeUnknownError with its start time; a refused one is not', async () => {
    const slow = make(async (_i, init) => new Promise((_r, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted')))), 50);
    const t0 = Date.now();
    const err = await slow.post('/orders', {}, CreatedId).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof WriteOutcomeUnknownError, String(err));
    assert.ok(err.startedAt >= t0 && err.startedAt <= t0 + 20);
    assert.equal(err.code, 'erp_timeout');
    const refused = make(async () => { throw Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }); });
    const err2 = await refused.post('/orders', {}, CreatedId).then(() => undefined, (e: unknown) => e);
    assert.ok(err2 && !(err2 instanceof WriteOutcomeUnknownError), String(err2));
  });

  it('DELETE answers deleted, or NOT_FOUND when already gone', async () => {
    assert.equal(await make(recorder(() => new Response('{"success":{"code":200}}', { status: 200 })).fetchImpl).delete('/orders/3'), 'deleted');
    assert.equal(await make(recorder(() => new Response('{"error":{"code":404}}', { status: 404 })).fetchImpl).delete('/orders/3'), NOT_FOUND);
  });
});

describe('Dolibarr client privacy', () => {
  it('a failed by-email lookup names neither the e-mail in its error nor in the warn log line', async () => {
    const lines: string[] = [];
    const logger = createLogger('debug', new Writable({ write(c: Buffer, _e, cb) { lines.push(c.toString('utf8')); cb(); } }));
    const client = new DolibarrClient({ baseUrl: 'http://erp/api/index.php', apiKey: KEY, timeoutMs: 1000, logger, fetchImpl: async () => new Response('{"error":{"code":500,"message":"boom"}}', { status: 500, headers: { 'content-type': 'application/json' } }) });
    const err = await client.find('/thirdparties/email/jane.doe%40example.com', {}, Status).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof Error);
    assert.doesNotMatch(err.message, /jane|example\.com/);
    assert.match(err.message, /\/thirdparties\/email\/<e-mail>/);
    assert.ok(lines.length > 0);
    assert.doesNotMatch(lines.join(''), /jane|example\.com/);
    const down = new DolibarrClient({ baseUrl: 'http://erp/api/index.php', apiKey: KEY, timeoutMs: 1000, fetchImpl: async () => { throw new TypeError('fetch failed'); } });
    const err2 = await down.find('/thirdparties/email/jane.doe%40example.com', {}, Status).then(() => undefined, (e: unknown) => e);
    assert.ok(err2 instanceof Error);
    assert.doesNotMatch(err2.message, /jane/);
  });
});
