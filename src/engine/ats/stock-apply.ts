/**
 * Sending ATS values to WordPress: `POST /stock/apply` in chunks of at most 500 (the route's limit), answers
 * summed; SKUs the ERP lacks reported to `POST /stock/missing` in chunks. Pure of scheduling (stock-sync.ts).
 */
import type { WpStockApi } from '../../wp/client.js';
import type { StockApplyItem, StockApplyResponse } from '../../wp/schemas.js';
import type { AtsItem } from './compute.js';
import type { AtsRules } from './rules.js';

export const APPLY_CHUNK = 500;

/** The summed answers of one pass. */
export interface ApplyTotals {
  applied: number;
  unchanged: number;
  skipped_stale: number;
  /** SKUs the ERP has and the store does not. */
  unknown_in_store: string[];
  /** SKUs whose store product does not manage stock. */
  not_managed: string[];
}

export const emptyTotals = (): ApplyTotals => ({ applied: 0, unchanged: 0, skipped_stale: 0, unknown_in_store: [], not_managed: [] });

export function addTotals(into: ApplyTotals, r: StockApplyResponse): ApplyTotals {
  into.applied += r.applied;
  into.unchanged += r.unchanged;
  into.skipped_stale += r.skipped_stale;
  into.unknown_in_store.push(...r.unknown_in_store);
  into.not_managed.push(...r.not_managed);
  return into;
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Applies every item, chunk by chunk (the route serialises applies under a lock, so no parallelism). */
export async function applyAll(wp: WpStockApi, items: readonly AtsItem[], size = APPLY_CHUNK): Promise<ApplyTotals> {
  const totals = emptyTotals();
  const wire: StockApplyItem[] = items.map((i) => ({ sku: i.sku, ats: i.ats, read_at: i.read_at }));
  for (const chunk of chunks(wire, Math.min(size, APPLY_CHUNK))) addTotals(totals, await wp.applyStock(chunk));
  return totals;
}

/** Reports SKUs the ERP does not have (WordPress records only the ones the store sells); returns how many it recorded. */
export async function reportMissing(wp: WpStockApi, skus: readonly string[]): Promise<number> {
  let recorded = 0;
  for (const chunk of chunks([...new Set(skus)], APPLY_CHUNK)) recorded += (await wp.reportMissing(chunk)).recorded;
  return recorded;
}

/**
 * Refs to re-read so that every kit touching a changed ref can be computed (all of its components), through kits of
 * kits in any order.
 */
export function expandForKits(refs: readonly string[], rules: AtsRules): string[] {
  const out = new Set(refs);
  const touched = new Set<string>();
  for (let grew = true; grew;) {
    grew = false;
    for (const [kit, def] of Object.entries(rules.kits)) {
      const components = Object.keys(def.components);
      if (touched.has(kit) || !(out.has(kit) || components.some((c) => out.has(c) || touched.has(c)))) continue;
      touched.add(kit);
      grew = true;
      for (const c of components) out.add(c);
    }
  }
  return [...out];
}
