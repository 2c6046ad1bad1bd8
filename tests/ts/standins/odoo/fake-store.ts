/**
 * What the Odoo stand-in's model modules share (tests only): Odoo's fault, and the record store the accounting and
 * delivery modules (fake-finance.ts, fake-pickings.ts) work on, implemented by FakeOdooModels (fake-models.ts).
 */
import type { Rec, Value } from './fake-domain.js';

export class OdooFault extends Error {
  constructor(readonly odooName: string, message: string) { super(message); }
}

export interface Store {
  table(model: string): Map<number, Rec>;
  insert(model: string, values: Record<string, Value>): number;
  touch(rec: Rec, values: Record<string, Value>): void;
  get(model: string, id: number): Rec;
  displayName(model: string, id: number): string;
  /** A line's untaxed amount and tax (`price_unit`, `product_uom_qty`, `tax_id`), rounded per line half-up. */
  lineAmounts(line: Record<string, Value>): { subtotal: number; tax: number };
}
