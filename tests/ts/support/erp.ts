/**
 * The ERP a test stack talks to, behind one surface: the real Dolibarr 20.0.2 (scripts/env/dolibarr.ts) behind
 * the fault proxy (the default), or the in-process stand-in (`erp: 'standin'`, only for what a real system cannot
 * be made to do). Faults, latency and the call log are the proxy's (or the stand-in's); the assertion helpers read
 * the ERP's own state: SQL on Dolibarr's database for the real one.
 */
import { createHash } from 'node:crypto';
import { startDolibarr, type Dolibarr } from '../../../scripts/env/dolibarr.js';
import { startFakeDolibarr } from '../standins/dolibarr/fake.js';
import { startFaultProxy, type Fault, type FaultProxy, type RecordedCall } from './fault-proxy.js';

export interface ErpOrder {
  id: number;
  ref: string;
  ref_client: string | null;
  ref_ext: string | null;
  /** 0 draft, 1 validated, … (Dolibarr's fk_statut). */
  statut: number;
  socid: number;
  total_ht: string;
  total_tva: string;
  total_ttc: string;
  /** When the create was answered (the proxy's log), else Dolibarr's creation time. */
  created_at_ms: number;
}

export interface ErpThirdparty { id: number; name: string; email: string | null; ref_ext: string | null; code_client: string | null; country_id: number | null }

export interface ErpUnderTest {
  kind: 'dolibarr' | 'standin';
  /** `dolibarr 20.0.2` or `stand-in`, for benchmark lines. */
  label: string;
  /** The API base the sidecar uses (the proxy's, for the real one). */
  url: string;
  apiKey: string;
  faults: Fault[];
  calls: RecordedCall[];
  setLatency(ms: number): void;
  /** Products with `qty` units in warehouse 1. */
  addProducts(refs: readonly string[], qty?: number): Promise<void>;
  /** A customer the Dolibarr adapter will find for this e-mail (guest orders' ref_ext), created in the ERP. */
  addCustomer(email: string, name?: string): Promise<number>;
  /** A stock movement (positive in, negative out). */
  move(ref: string, warehouseId: number, qty: number, label?: string): Promise<void>;
  addWarehouse(label: string): Promise<number>;
  orders(): ErpOrder[];
  thirdparties(): ErpThirdparty[];
  /** Physical stock per product ref (all warehouses, or one). */
  stock(ref: string, warehouseId?: number): number;
  orderCountsByRefClient(): Record<string, number>;
  findOrderByRefClient(refClient: string): ErpOrder | undefined;
  /** Back to a clean ERP: data, faults, latency and call log. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** The ref_ext the Dolibarr adapter (src/erp/dolibarr/binder.ts) looks a guest customer up by. */
export function guestCustomerRefExt(email: string): string {
  return `wc-customer-${createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 20)}`;
}

function countBy(orders: ErpOrder[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of orders) if (o.ref_client !== null) counts[o.ref_client] = (counts[o.ref_client] ?? 0) + 1;
  return counts;
}

function rows(out: string, cols: string[]): Array<Record<string, string | null>> {
  return out.split('\n').filter(Boolean).map((line) => Object.fromEntries(line.split('\t').map((v, i) => [cols[i] ?? '', v === 'NULL' ? null : v])));
}

class RealErp implements ErpUnderTest {
  readonly kind = 'dolibarr' as const;
  readonly label: string;
  constructor(readonly dolibarr: Dolibarr, readonly proxy: FaultProxy) {
    this.label = `dolibarr ${dolibarr.version}`;
  }

  get url(): string { return this.proxy.url; }
  get apiKey(): string { return this.dolibarr.apiKey; }
  get faults(): Fault[] { return this.proxy.faults; }
  get calls(): RecordedCall[] { return this.proxy.calls; }
  setLatency(ms: number): void { this.proxy.setLatency(ms); }

  async addProducts(refs: readonly string[], qty = 100): Promise<void> {
    await this.dolibarr.addProducts(refs, qty);
  }

  async addCustomer(email: string, name = email.split('@')[0] ?? email): Promise<number> {
    const r = await this.dolibarr.api<number>('POST', '/thirdparties', {
      name, email, client: 1, code_client: 'auto', country_id: 1, ref_ext: guestCustomerRefExt(email),
    });
    return Number(r.body);
  }

  private productId(ref: string): number {
    const id = Number(this.dolibarr.sql(`SELECT rowid FROM llx_product WHERE ref = '${ref.replace(/'/g, "''")}'`).trim());
    if (!id) throw new Error(`no Dolibarr product ${ref}`);
    return id;
  }

  async move(ref: string, warehouseId: number, qty: number, label = 'test movement'): Promise<void> {
    await this.dolibarr.api('POST', '/stockmovements', { product_id: this.productId(ref), warehouse_id: warehouseId, qty, movementlabel: label });
  }

  async addWarehouse(label: string): Promise<number> {
    return Number((await this.dolibarr.api<number>('POST', '/warehouses', { label, ref: label, statut: 1 })).body);
  }

  orders(): ErpOrder[] {
    const cols = ['id', 'ref', 'ref_client', 'ref_ext', 'statut', 'socid', 'total_ht', 'total_tva', 'total_ttc', 'datec'];
    const out = this.dolibarr.sql('SELECT rowid, ref, ref_client, ref_ext, fk_statut, fk_soc, ROUND(total_ht, 2), ROUND(total_tva, 2), ROUND(total_ttc, 2), '
      + 'UNIX_TIMESTAMP(date_creation) * 1000 FROM llx_commande ORDER BY rowid');
    const answered = new Map<string, number>();
    for (const c of this.proxy.calls) {
      const ref = (c.body as { ref_client?: unknown } | null)?.ref_client;
      if (c.method === 'POST' && /\/orders$/.test(c.path) && typeof ref === 'string' && c.committedAt && !answered.has(ref)) answered.set(ref, c.committedAt);
    }
    return rows(out, cols).map((r) => ({
      id: Number(r['id']), ref: r['ref'] ?? '', ref_client: r['ref_client'] ?? null, ref_ext: r['ref_ext'] ?? null, statut: Number(r['statut']),
      socid: Number(r['socid']), total_ht: r['total_ht'] ?? '0', total_tva: r['total_tva'] ?? '0', total_ttc: r['total_ttc'] ?? '0',
      created_at_ms: answered.get(r['ref_client'] ?? '') ?? Number(r['datec']),
    }));
  }

  thirdparties(): ErpThirdparty[] {
    const out = this.dolibarr.sql('SELECT rowid, nom, email, ref_ext, code_client, fk_pays FROM llx_societe ORDER BY rowid');
    return rows(out, ['id', 'name', 'email', 'ref_ext', 'code_client', 'country_id']).map((r) => ({
      id: Number(r['id']), name: r['name'] ?? '', email: r['email'] ?? null, ref_ext: r['ref_ext'] ?? null, code_client: r['code_client'] ?? null,
      country_id: r['country_id'] === null ? null : Number(r['country_id']),
    }));
  }

  stock(ref: string, warehouseId?: number): number {
    const where = warehouseId === undefined ? '' : ` AND ps.fk_entrepot = ${Number(warehouseId)}`;
    return Number(this.dolibarr.sql(`SELECT IFNULL(SUM(ps.reel), 0) FROM llx_product_stock ps JOIN llx_product p ON p.rowid = ps.fk_product WHERE p.ref = '${ref.replace(/'/g, "''")}'${where}`).trim());
  }

  orderCountsByRefClient(): Record<string, number> { return countBy(this.orders()); }
  findOrderByRefClient(refClient: string): ErpOrder | undefined { return this.orders().find((o) => o.ref_client === refClient); }

  async reset(): Promise<void> {
    this.proxy.clearFaults();
    this.proxy.setLatency(0);
    this.proxy.calls.length = 0;
    await this.dolibarr.reset();
  }

  async stop(): Promise<void> {
    await this.proxy.stop();
    await this.dolibarr.stop();
  }
}

type Fake = Awaited<ReturnType<typeof startFakeDolibarr>>;

/** The in-process stand-in behind the same surface (its own fault injection; `fake` for its internals). */
class StandinErp implements ErpUnderTest {
  readonly kind = 'standin' as const;
  readonly label = 'stand-in';
  constructor(readonly fake: Fake, readonly apiKey: string) {}
  get url(): string { return this.fake.url; }
  get faults(): Fault[] { return this.fake.faults as Fault[]; }
  get calls(): RecordedCall[] { return this.fake.calls; }
  setLatency(ms: number): void { this.fake.setLatency(ms); }
  addProducts(refs: readonly string[], qty = 100): Promise<void> { this.fake.state.addProducts(refs, qty); return Promise.resolve(); }
  addCustomer(email: string, name = email): Promise<number> {
    return Promise.resolve(this.fake.state.addThirdparty({ name, email, ref_ext: guestCustomerRefExt(email), client: 1, address: null, zip: null, town: null, phone: null, country_code: 'FR' }, true));
  }
  private productId(ref: string): number {
    const p = this.fake.state.products.find((x) => x.ref === ref);
    if (!p) throw new Error(`no stand-in product ${ref}`);
    return p.id;
  }
  move(ref: string, warehouseId: number, qty: number, label = 'test movement'): Promise<void> {
    this.fake.state.move(this.productId(ref), warehouseId, qty, label, '0', null, qty < 0 ? 1 : 0);
    return Promise.resolve();
  }
  addWarehouse(label: string): Promise<number> { return Promise.resolve(this.fake.state.addWarehouse(label, label)); }
  orders(): ErpOrder[] {
    return this.fake.state.orders.map((o) => {
      const r = this.fake.findOrderByRefClient(o.ref_client ?? '') ?? { total_ttc: '0', created_at_ms: o.created_at_ms };
      const t = r as Record<string, unknown>;
      return { id: o.id, ref: o.ref, ref_client: o.ref_client, ref_ext: o.ref_ext, statut: o.statut, socid: o.socid,
        total_ht: String(t['total_ht'] ?? '0'), total_tva: String(t['total_tva'] ?? '0'), total_ttc: r.total_ttc, created_at_ms: o.created_at_ms };
    });
  }
  thirdparties(): ErpThirdparty[] {
    return this.fake.state.thirdparties.map((t) => ({ id: t.id, name: t.name, email: t.email, ref_ext: t.ref_ext, code_client: t.code_client, country_id: t.country_code === 'FR' ? 1 : null }));
  }
  stock(ref: string, warehouseId?: number): number {
    const id = this.productId(ref);
    return this.fake.state.movements.filter((m) => m.product_id === id && (warehouseId === undefined || m.warehouse_id === warehouseId)).reduce((s, m) => s + m.qty, 0);
  }
  orderCountsByRefClient(): Record<string, number> { return this.fake.orderCountsByRefClient(); }
  findOrderByRefClient(refClient: string): ErpOrder | undefined { return this.orders().find((o) => o.ref_client === refClient); }
  reset(): Promise<void> { this.fake.reset(); return Promise.resolve(); }
  stop(): Promise<void> { return this.fake.stop(); }
}

export const STANDIN_KEY = 'test-dolibarr-key';

/**
 * Starts the ERP for a stack. The real Dolibarr instance is named after the stack and served on
 * SYNCLINE_DOLIBARR_PORT (default 8091), reset to its freshly installed state; the proxy takes a free port.
 */
export async function startErp(o: { kind: 'dolibarr' | 'standin'; name: string; latencyMs?: number; products: readonly string[] }): Promise<ErpUnderTest> {
  if (o.kind === 'standin') {
    const fake = await startFakeDolibarr({ apiKey: STANDIN_KEY, latencyMs: o.latencyMs ?? 0 });
    fake.addProducts(o.products);
    return new StandinErp(fake, STANDIN_KEY);
  }
  const dolibarr = await startDolibarr({ name: o.name, port: Number(process.env.SYNCLINE_DOLIBARR_PORT ?? 8091) });
  const proxy = await startFaultProxy({ target: dolibarr.url, latencyMs: o.latencyMs ?? 0 });
  await dolibarr.addProducts(o.products, 100);
  return new RealErp(dolibarr, proxy);
}
