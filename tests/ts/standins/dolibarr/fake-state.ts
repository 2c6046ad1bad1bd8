/**
 * In-memory data of the fake Dolibarr (fake.ts). Plain records; fake-render.ts turns them into the recorded
 * Dolibarr 20.0.2 JSON shapes. Business rules mirrored from the fixtures: no uniqueness on ref_client/ref_ext,
 * unique product ref, `CO<yymm>-NNNN` refs assigned on validation, stock decremented per warehouse on
 * validation when `idwarehouse` is given.
 */
import { lineTotals, type Totals } from '../../../../src/erp/dolibarr/totals.js';

export interface FakeProduct { id: number; ref: string; label: string; price: string; tva_tx: string; type: number }
export interface FakeWarehouse { id: number; label: string; lieu: string; statut: number }
export interface FakeMovement { id: number; product_id: number; warehouse_id: number; qty: number; label: string; price: string; inventorycode: string | null; type: number; datem: number }
export interface FakeThirdparty {
  id: number; name: string; email: string | null; ref_ext: string | null; code_client: string | null; client: number;
  address: string | null; zip: string | null; town: string | null; phone: string | null; country_code: string | null; created: number;
}
export interface FakeLine {
  id: number; fk_product: number | null; desc: string; qty: number; subprice: string; tva_tx: string;
  remise_percent: string; product_type: number; totals: Totals;
}
export interface FakeOrder {
  id: number; ref: string; ref_client: string | null; ref_ext: string | null; socid: number; statut: number;
  date: number; note_private: string | null; lines: FakeLine[]; created: number; validated: number | null;
  /** Wall-clock creation time in ms (for latency measurements in the bench). */
  created_at_ms: number;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export function yymm(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${String(d.getUTCFullYear() % 100).padStart(2, '0')}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

export class FakeState {
  products: FakeProduct[] = [];
  /** Product categories and their products (module Categories). */
  categories: Array<{ id: number; label: string; fk_parent: number; products: number[] }> = [];
  warehouses: FakeWarehouse[] = [];
  bankAccounts: { id: number; ref: string; label: string }[] = [];
  movements: FakeMovement[] = [];
  thirdparties: FakeThirdparty[] = [];
  orders: FakeOrder[] = [];
  /** productId → warehouseId → { rowId, qty } */
  stock = new Map<number, Map<number, { rowId: number; qty: number }>>();
  private seq = new Map<string, number>();

  next(kind: string): number {
    const n = (this.seq.get(kind) ?? 0) + 1;
    this.seq.set(kind, n);
    return n;
  }

  /** Warehouses 1 WH-MAIN, 2 WH-SHOP and bank account 1, as in the recorded database. */
  seedBase(): void {
    this.addWarehouse('WH-MAIN', 'Main warehouse');
    this.addWarehouse('WH-SHOP', 'Shop floor');
    this.bankAccounts.push({ id: this.next('bank'), ref: 'BANK1', label: 'Main bank' });
  }

  addWarehouse(label: string, lieu: string): number {
    const id = this.next('warehouse');
    this.warehouses.push({ id, label, lieu, statut: 1 });
    return id;
  }

  addProduct(p: Omit<FakeProduct, 'id'>): number | 'duplicate' {
    if (this.products.some((x) => x.ref === p.ref)) return 'duplicate';
    const id = this.next('product');
    this.products.push({ id, ...p });
    return id;
  }

  addCategory(label: string, parent: number): number {
    const id = this.next('category');
    this.categories.push({ id, label, fk_parent: parent, products: [] });
    return id;
  }

  linkCategory(category: number, product: number): void {
    const c = this.categories.find((x) => x.id === category);
    if (c && !c.products.includes(product)) c.products.push(product);
  }

  /** Adds refs that are not there yet, each with 100 units in warehouse 1 (for tests and the bench). */
  addProducts(refs: readonly string[], stockQty = 100): void {
    for (const ref of refs) {
      const id = this.addProduct({ ref, label: ref, price: '10', tva_tx: '20', type: 0 });
      if (id !== 'duplicate' && stockQty !== 0 && this.warehouses.some((w) => w.id === 1)) this.move(id, 1, stockQty, 'Seed', '0', null, 3);
    }
  }

  move(productId: number, warehouseId: number, qty: number, label: string, price: string, inventorycode: string | null, type: number): number {
    const perWh = this.stock.get(productId) ?? new Map<number, { rowId: number; qty: number }>();
    this.stock.set(productId, perWh);
    const row = perWh.get(warehouseId) ?? { rowId: this.next('stockrow'), qty: 0 };
    row.qty += qty;
    perWh.set(warehouseId, row);
    const id = this.next('movement');
    this.movements.push({ id, product_id: productId, warehouse_id: warehouseId, qty, label, price, inventorycode, type, datem: nowSeconds() });
    return id;
  }

  stockTotal(productId: number): number | null {
    const perWh = this.stock.get(productId);
    if (!perWh || perWh.size === 0) return null;
    return [...perWh.values()].reduce((s, r) => s + r.qty, 0);
  }

  addThirdparty(t: Omit<FakeThirdparty, 'id' | 'code_client' | 'created'>, codeAuto: boolean): number {
    const id = this.next('thirdparty');
    const created = nowSeconds();
    const code = codeAuto && t.client === 1 ? `CU${yymm(created)}-${String(this.next(`cu${yymm(created)}`)).padStart(5, '0')}` : null;
    this.thirdparties.push({ id, code_client: code, created, ...t });
    return id;
  }

  addOrder(o: Pick<FakeOrder, 'ref_client' | 'ref_ext' | 'socid' | 'date' | 'note_private'>, lines: Omit<FakeLine, 'id' | 'totals'>[]): number {
    const id = this.next('order');
    const full = lines.map((l) => ({ ...l, id: this.next('orderline'), totals: lineTotals({ qty: l.qty, subprice: l.subprice, tva_tx: l.tva_tx, remise_percent: l.remise_percent }) }));
    this.orders.push({ ...o, id, ref: `(PROV${id})`, statut: 0, lines: full, created: nowSeconds(), validated: null, created_at_ms: Date.now() });
    return id;
  }

  /** Returns false when the order was already validated (the API answers 304). */
  validateOrder(order: FakeOrder, warehouseId: number): boolean {
    if (order.statut >= 1) return false;
    const at = nowSeconds();
    order.ref = `CO${yymm(at)}-${String(this.next(`co${yymm(at)}`)).padStart(4, '0')}`;
    order.statut = 1;
    order.validated = at;
    if (warehouseId > 0) {
      for (const l of order.lines) {
        if (l.fk_product !== null && l.product_type === 0) this.move(l.fk_product, warehouseId, -l.qty, `Order ${order.ref} validated`, '0', null, 2);
      }
    }
    return true;
  }

  orderTotals(order: FakeOrder): Totals {
    return order.lines.reduce((a, l) => ({ ht: a.ht + l.totals.ht, tva: a.tva + l.totals.tva, ttc: a.ttc + l.totals.ttc }), { ht: 0n, tva: 0n, ttc: 0n });
  }
}
