/**
 * Customer lookups of pipelines started together are shared (the orders of one customer arrive in one lease).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFakeDolibarr, type StartedFakeDolibarr } from '../../../tests/ts/standins/dolibarr/fake.js';
import { DolibarrClient } from './client.js';
import { DolibarrLookups } from './lookups.js';
import { CreatedId } from './schemas.js';

describe('Dolibarr lookups: customers', () => {
  let fake: StartedFakeDolibarr;
  before(async () => { fake = await startFakeDolibarr({ apiKey: 'lookups-test-key', products: [] }); });
  after(async () => fake.stop());

  it('concurrent lookups of one customer share one request each (ref_ext, e-mail); a later lookup asks again', async () => {
    const lookups = new DolibarrLookups(new DolibarrClient({ baseUrl: fake.url, apiKey: 'lookups-test-key', timeoutMs: 2000 }));
    const from = fake.calls.length;
    const found = await Promise.all(Array.from({ length: 8 }, () => Promise.all([lookups.thirdpartiesByRefExt('wc-customer-7'), lookups.thirdpartyByEmail('shared@example.com')])));
    assert.ok(found.every(([byRef, byEmail]) => byRef.length === 0 && byEmail === undefined), 'nobody there yet');
    const paths = (): string[] => fake.calls.slice(from).map((c) => `${c.method} ${c.path.replace('/api/index.php', '')}`);
    assert.deepEqual(paths(), ['GET /thirdparties', 'GET /thirdparties/email/shared%40example.com']);
    await lookups.thirdpartyByEmail('shared@example.com');
    await lookups.thirdpartyByEmail('other@example.com');
    assert.equal(paths().length, 4, 'answered lookups are not cached here (the customers module remembers what it found)');
  });

  it('a customer is looked up by key or e-mail in one search: the key wins, else the e-mail, else none (404)', async () => {
    const client = new DolibarrClient({ baseUrl: fake.url, apiKey: 'lookups-test-key', timeoutMs: 2000 });
    const lookups = new DolibarrLookups(client);
    const make = async (body: Record<string, unknown>): Promise<number> => client.post('/thirdparties', { client: 1, code_client: '-1', ...body }, CreatedId);
    const byMail = await make({ name: 'By mail', email: 'both@example.com' });
    const byKey = await make({ name: 'By key', email: 'other@example.com', ref_ext: 'wc-customer-both' });
    const from = fake.calls.length;
    assert.equal((await lookups.thirdpartyByRefExtOrEmail('wc-customer-both', 'both@example.com'))?.id, byKey);
    assert.equal((await lookups.thirdpartyByRefExtOrEmail('wc-customer-none', ' both@example.com'))?.id, byMail);
    assert.equal(await lookups.thirdpartyByRefExtOrEmail('wc-customer-none', 'nobody@example.com'), undefined);
    assert.equal(fake.calls.length - from, 3, 'one request each');
  });
});
