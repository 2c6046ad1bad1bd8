/**
 * Oversell simulation: seeded, ≥1,000 orders over ≥50 scarce SKUs, random ERP lag (orders are counted by the
 * ERP when the sidecar validates them, seconds later), stock pulls whose readings are applied after a random
 * delay while orders keep coming (and sometimes out of order). Runs the real ATS rule (src/engine/ats/compute.ts)
 * and the apply model (src/engine/ats/apply-model.ts, a mirror of includes/Stock) against an ERP stand-in, and a
 * naive "copy the ERP quantity" sync on the same demand. Options: --seeds N (20), --orders N (1500), --skus N (60).
 */
import { computeAts } from '../src/engine/ats/compute.js';
import { parseRules } from '../src/engine/ats/rules.js';
import { StoreModel } from '../src/engine/ats/apply-model.js';
import type { StockReading } from '../src/canonical/stock.js';
import { prng } from '../tests/ts/support/prng.js';

const opt = (n: string, d: number): number => {
  const i = process.argv.indexOf(`--${n}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const SEEDS = opt('seeds', 20);
const ORDERS = opt('orders', 1500);
const SKUS = opt('skus', 60);
const rules = parseRules({ channels: { web: ['1'] } });

type Ev = { at: number; seq: number; run: () => void };

class Queue {
  private evs: Ev[] = [];
  private seq = 0;
  push(at: number, run: () => void): void { this.evs.push({ at, seq: this.seq++, run }); }
  drain(): void {
    while (this.evs.length > 0) {
      this.evs.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const e = this.evs.shift();
      e?.run();
    }
  }
}

interface Outcome { sold: Map<string, number>; supply: Map<string, number> }

/** One seeded world; `naive` copies the ERP quantity, otherwise the Syncline model applies relatively. */
function simulate(seed: number, naive: boolean): Outcome {
  const rand = prng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const skus = Array.from({ length: SKUS }, (_, i) => `SKU-${i}`);
  const erp = new Map(skus.map((s) => [s, int(3, 15)]));
  const supply = new Map(erp);
  const sold = new Map<string, number>();
  const store = new StoreModel();
  const q = new Queue();
  const readAll = (t: number): StockReading[] => skus.map((sku) => ({
    sku, readAt: new Date(t).toISOString(), warehouses: [{ id: '1', onHand: erp.get(sku) ?? 0, reserved: 0 }],
  }));
  const pull = (t: number): void => {
    const items = computeAts(readAll(t), rules, 'web');
    const delay = int(50, 20_000);
    q.push(t + delay, () => {
      for (const i of items) {
        if (naive) store.stock.set(i.sku, i.ats);
        else store.apply(i.sku, i.ats, Date.parse(i.read_at));
      }
    });
  };
  for (let t = 0; t < ORDERS * 400; t += int(5_000, 30_000)) q.push(t, () => pull(t));
  for (let n = 0; n < ORDERS; n++) {
    const t = 1_000 + n * 400 + int(0, 399);
    const sku = skus[int(0, skus.length - 1)] ?? 'SKU-0';
    const qty = int(1, 3);
    q.push(t, () => {
      if (!store.checkout(n, sku, qty)) return;
      sold.set(sku, (sold.get(sku) ?? 0) + qty);
      const lag = int(200, 90_000);
      q.push(t + lag, () => erp.set(sku, (erp.get(sku) ?? 0) - qty));
      const ackAt = t + lag + int(5, 3_000);
      q.push(ackAt, () => store.counted(n, ackAt));
    });
    if (rand() < 0.02) q.push(t, () => { const k = int(1, 4); erp.set(sku, (erp.get(sku) ?? 0) + k); supply.set(sku, (supply.get(sku) ?? 0) + k); });
  }
  q.drain();
  return { sold, supply };
}

const oversold = (o: Outcome): number => [...o.sold].reduce((s, [sku, n]) => s + Math.max(0, n - (o.supply.get(sku) ?? 0)), 0);

const total = (o: Outcome): number => [...o.sold.values()].reduce((a, b) => a + b, 0);
let naiveUnits = 0;
let synclineUnits = 0;
let naiveSold = 0;
let synclineSold = 0;
const perSeed: Array<{ seed: number; naive: number; syncline: number }> = [];
for (let seed = 1; seed <= SEEDS; seed++) {
  const naive = simulate(seed, true);
  const syncline = simulate(seed, false);
  naiveUnits += oversold(naive);
  synclineUnits += oversold(syncline);
  naiveSold += total(naive);
  synclineSold += total(syncline);
  perSeed.push({ seed, naive: oversold(naive), syncline: oversold(syncline) });
}
process.stderr.write(`[bench oversell] per seed: ${JSON.stringify(perSeed)}\n`);
const failed = perSeed.some((p) => p.syncline > 0) || naiveUnits === 0;
console.log(JSON.stringify({ bench: 'oversell', seeds: SEEDS, orders: ORDERS, skus: SKUS, naive_sold_units: naiveSold, syncline_sold_units: synclineSold, naive_oversold_units: naiveUnits, syncline_oversold_units: synclineUnits }));
if (failed) process.exit(1);
