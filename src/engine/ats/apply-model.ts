/**
 * An in-memory model of WordPress's stock apply (includes/Stock/ApplyPlan.php, StockApplier.php, InFlight.php),
 * for simulations: the same decisions (monotonic read_at, relative delta with the counted window, first-sight
 * absolute minus in-flight). The PHP code is the product; tests/ts/integration/ats-race.test.ts checks it for real.
 */
export interface InFlightRow { orderId: number; sku: string; qty: number; state: 'reduced' | 'counted' | 'restored'; countedAt?: number }

export class StoreModel {
  readonly stock = new Map<string, number>();
  readonly inflight: InFlightRow[] = [];
  private readonly last = new Map<string, { ats: number; readAt: number }>();

  /** Checkout (WooCommerce: relative decrement, then the reduce hook writes the in-flight row). Refuses when short. */
  checkout(orderId: number, sku: string, qty: number): boolean {
    const s = this.stock.get(sku) ?? 0;
    if (s < qty) return false;
    this.stock.set(sku, s - qty);
    this.inflight.push({ orderId, sku, qty, state: 'reduced' });
    return true;
  }

  /** The sidecar acked the order done with the counting step. */
  counted(orderId: number, now: number): void {
    for (const r of this.inflight) if (r.orderId === orderId && r.state === 'reduced') { r.state = 'counted'; r.countedAt = now; }
  }

  /** One reading (ms). Returns what the route reports for it. */
  apply(sku: string, ats: number, readAt: number): 'applied' | 'unchanged' | 'skipped_stale' {
    const prior = this.last.get(sku);
    if (prior && readAt <= prior.readAt) return 'skipped_stale';
    this.last.set(sku, { ats, readAt });
    if (!prior) {
      const outstanding = this.inflight
        .filter((r) => r.sku === sku && ((r.countedAt === undefined && r.state === 'reduced') || (r.countedAt !== undefined && r.countedAt > readAt)))
        .reduce((s, r) => s + r.qty, 0);
      this.stock.set(sku, ats - outstanding);
      return 'applied';
    }
    const counted = this.inflight
      .filter((r) => r.sku === sku && r.countedAt !== undefined && r.countedAt > prior.readAt && r.countedAt <= readAt)
      .reduce((s, r) => s + r.qty, 0);
    const delta = ats - prior.ats + counted;
    if (delta === 0) return 'unchanged';
    this.stock.set(sku, (this.stock.get(sku) ?? 0) + delta);
    return 'applied';
  }
}
