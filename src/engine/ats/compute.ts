/**
 * Pure available-to-sell computation (no I/O). For a channel:
 *   erp_ats(sku) = max(0, Σ over the channel's warehouses (onHand − reserved) − safety(sku) − reserve(channel))
 *   erp_ats(kit) = min over components of floor(erp_ats(component) / qty)
 * In-flight store orders are NOT subtracted here: WordPress does that when it applies (see ARCHITECTURE "Stock (ATS)").
 * Backorders are not a rule: WooCommerce keeps its own backorder setting and status.
 */
import type { StockReading } from '../../canonical/stock.js';
import type { AtsRules } from './rules.js';

export interface AtsItem {
  sku: string;
  ats: number;
  /** ISO 8601 read time of the oldest reading the value depends on. */
  read_at: string;
}

function reserveUnits(rules: AtsRules, channel: string, net: number): number {
  const r = rules.reserve[channel];
  if (!r) return 0;
  if ('units' in r) return r.units;
  return Math.ceil((net * r.percent) / 100);
}

export function skuAts(reading: StockReading, rules: AtsRules, channel: string): number {
  const warehouses = new Set(rules.channels[channel] ?? []);
  const net = reading.warehouses.filter((w) => warehouses.has(w.id)).reduce((sum, w) => sum + (w.onHand - w.reserved), 0);
  const safety = rules.safetyStock.perSku[reading.sku] ?? rules.safetyStock.global;
  return Math.max(0, net - safety - reserveUnits(rules, channel, Math.max(0, net)));
}

function kitAts(components: Record<string, number>, bySku: Map<string, AtsItem>): AtsItem | undefined {
  let ats = Number.POSITIVE_INFINITY;
  let readAt = '';
  for (const [sku, qty] of Object.entries(components)) {
    const c = bySku.get(sku);
    if (!c) return undefined;
    ats = Math.min(ats, Math.floor(c.ats / qty));
    if (readAt === '' || Date.parse(c.read_at) < Date.parse(readAt)) readAt = c.read_at;
  }
  return { sku: '', ats: Math.max(0, ats), read_at: readAt };
}

/**
 * ATS for every reading plus every kit whose components were all read or computed (kits of kits included); kits
 * missing a component are left out.
 */
export function computeAts(readings: StockReading[], rules: AtsRules, channel: string): AtsItem[] {
  const bySku = new Map<string, AtsItem>();
  for (const r of readings) bySku.set(r.sku, { sku: r.sku, ats: skuAts(r, rules, channel), read_at: r.readAt });
  // A component may be another kit: compute in rounds until no kit can be added, so the order of `rules.kits` (where
  // JavaScript lists integer-like SKUs first) does not matter; a cycle (refused by Settings) just stays out.
  let pending = Object.entries(rules.kits);
  for (let before = -1; pending.length !== before;) {
    before = pending.length;
    pending = pending.filter(([kit, def]) => {
      const k = kitAts(def.components, bySku);
      if (k) bySku.set(kit, { ...k, sku: kit });
      return !k;
    });
  }
  return [...bySku.values()];
}

/** Items whose value differs from the last sent one (the sidecar skips the rest between full pulls). */
export function changedSince(items: AtsItem[], last: Map<string, number>): AtsItem[] {
  return items.filter((i) => last.get(i.sku) !== i.ats);
}
