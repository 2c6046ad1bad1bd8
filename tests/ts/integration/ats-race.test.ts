/**
 * Checkouts and stock applies race over HTTP against real WordPress + MariaDB: no decrement is lost.
 * Checkouts go through the stand-in's wc_reduce_stock_levels (WooCommerce 11's relative SQL) and the in-flight
 * hook; applies go through the signed POST /syncline/v1/stock/apply, concurrently and sometimes out of order.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Stack } from '../support/stack.js';

interface Stored { id: number; meta: Record<string, string>; lookup: { stock_quantity: string; stock_status: string } }

describe('ATS apply racing checkouts', () => {
  let stack: Stack;
  const skus = ['RACE-A', 'RACE-B', 'RACE-C'];
  before(async () => {
    stack = await Stack.start({ name: 'itatsrace', port: 18211 });
    for (const sku of skus) await stack.testApi('POST', '/products', { sku, stock: 0 });
  });
  after(async () => stack?.stop());

  const product = async (sku: string): Promise<Stored> => (await stack.testApi('POST', '/products/by-sku', { sku })).product as Stored;

  it('final _stock == last ERP ATS − every checkout, with applies and checkouts in parallel', async () => {
    const t0 = Date.now() - 60_000;
    const first = await stack.signed('/syncline/v1/stock/apply', { items: skus.map((sku) => ({ sku, ats: 500, read_at: t0 })) });
    assert.equal(first.status, 200, JSON.stringify(first.body));

    const sold = new Map<string, number>(skus.map((s) => [s, 0]));
    const lastAts = new Map<string, { ats: number; at: number }>(skus.map((s) => [s, { ats: 500, at: t0 }]));
    const checkouts = Array.from({ length: 90 }, (_, i) => async () => {
      const sku = skus[i % skus.length] ?? 'RACE-A';
      const qty = 1 + (i % 3);
      await stack.testApi('POST', '/checkout', { line_items: [{ sku, quantity: qty }] });
      sold.set(sku, (sold.get(sku) ?? 0) + qty);
    });
    // The ERP restocks over time; readings are sent out of order on purpose (odd ones delayed).
    const applies = Array.from({ length: 30 }, (_, i) => async () => {
      const readAt = t0 + 1_000 * (i + 1);
      const ats = 500 + 2 * (i + 1);
      if (i % 2 === 1) await new Promise((r) => setTimeout(r, 40));
      const r = await stack.signed('/syncline/v1/stock/apply', { items: skus.map((sku) => ({ sku, ats, read_at: readAt })) });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const body = r.body as { applied: number; unchanged: number; skipped_stale: number };
      if (body.skipped_stale === 0) for (const sku of skus) { const l = lastAts.get(sku); if (l && readAt > l.at) lastAts.set(sku, { ats, at: readAt }); }
    });
    const jobs = checkouts.flatMap((c, i) => (i % 3 === 2 ? [c, applies[(i - 2) / 3]] : [c])).filter((j) => j !== undefined);
    let next = 0;
    await Promise.all(Array.from({ length: 5 }, async () => {
      while (next < jobs.length) { const job = jobs[next++]; if (job) await job(); }
    }));

    for (const sku of skus) {
      const p = await product(sku);
      const expected = (lastAts.get(sku)?.ats ?? 0) - (sold.get(sku) ?? 0);
      assert.equal(Number(p.meta._stock), expected, `${sku}: a decrement or an apply was lost`);
      assert.equal(Number(p.lookup.stock_quantity), expected, `${sku}: lookup table out of step`);
      assert.equal(p.meta._stock_status, expected > 0 ? 'instock' : 'outofstock');
    }
  });

  it('an apply of a reading taken before concurrent checkouts keeps them deducted (a copy would erase them)', async () => {
    await stack.testApi('POST', '/products', { sku: 'RACE-NAIVE', stock: 100 });
    // The "copy" reads the ERP value first; checkouts land in between; the copy then overwrites them.
    const before = await product('RACE-NAIVE');
    await Promise.all(Array.from({ length: 10 }, () => stack.testApi('POST', '/checkout', { line_items: [{ sku: 'RACE-NAIVE', quantity: 1 }] })));
    const r = await stack.signed('/syncline/v1/stock/apply', { items: [{ sku: 'RACE-NAIVE', ats: Number(before.meta._stock), read_at: Date.now() }] });
    assert.equal(r.status, 200);
    const after1 = await product('RACE-NAIVE');
    assert.equal(Number(after1.meta._stock), 90, 'Syncline keeps the 10 in-flight checkouts deducted where a copy would show 100');
  });
});
