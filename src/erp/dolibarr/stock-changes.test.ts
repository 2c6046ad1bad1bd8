import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DolibarrClient } from './client.js';
import { startFakeDolibarr, type StartedFakeDolibarr } from '../../../tests/ts/standins/dolibarr/fake.js';
import { readDolibarrStockChanges } from './stock-changes.js';

describe('Dolibarr changed-since stock pass (fake)', () => {
  let fake: StartedFakeDolibarr;
  let client: DolibarrClient;
  before(async () => {
    fake = await startFakeDolibarr({ apiKey: 'k', products: ['P1', 'P2', 'P3'] });
    client = new DolibarrClient({ baseUrl: fake.url, apiKey: 'k', timeoutMs: 2000 });
  });
  after(() => fake.stop());
  const idOf = (ref: string): number => fake.state.products.find((p) => p.ref === ref)?.id ?? 0;

  it('starts at the newest movement, then lists the refs moved since, and advances', async () => {
    const start = await readDolibarrStockChanges(client, null);
    assert.deepEqual(start.refs, []);
    assert.equal(start.cursor, String(fake.state.movements.at(-1)?.id));
    assert.deepEqual(await readDolibarrStockChanges(client, start.cursor), { refs: [], cursor: start.cursor });
    fake.state.move(idOf('P2'), 1, 5, 'in', '0', null, 0);
    fake.state.move(idOf('P3'), 1, -1, 'out', '0', null, 1);
    fake.state.move(idOf('P2'), 2, 1, 'in', '0', null, 0);
    const next = await readDolibarrStockChanges(client, start.cursor);
    assert.deepEqual(next.refs.sort(), ['P2', 'P3']);
    assert.equal(next.cursor, String(fake.state.movements.at(-1)?.id));
    const call = fake.calls.filter((c) => c.path.endsWith('/stockmovements')).at(-1);
    assert.match(decodeURIComponent(call?.query ?? ''), /sortorder=DESC.*sqlfilters=\(t\.rowid:>:\d+\)/);
  });

  it('more movements than it lists → overflow (the caller runs a full pull)', async () => {
    const from = String(fake.state.movements.at(-1)?.id);
    for (let i = 0; i < 5; i++) fake.state.move(idOf('P1'), 1, 1, 'in', '0', null, 0);
    const r = await readDolibarrStockChanges(client, from, { pageSize: 2, maxPages: 2 });
    assert.equal(r.overflow, true);
    assert.equal(r.cursor, String(fake.state.movements.at(-1)?.id));
  });
});
