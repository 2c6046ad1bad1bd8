/**
 * The finance lifecycle (issues 8 and 11) written once for every ERP: the real pipeline (`runPipeline` with the ERP's
 * adapter) drives each scenario, one event per moment of the WooCommerce order; after the scenario the order is
 * replayed as it is at the end and nothing may be posted twice. What is asserted is read from the ERP itself,
 * through the `LifecycleBooks` each ERP's test file gives (tests/ts/integration/lifecycle-<erp>.test.ts): its
 * invoices and credit notes, amounts to the cent, the credit notes' link to their invoice, what remains to pay, the
 * payments and the stock. The cases every ERP runs are in tests/ts/support/lifecycle-cases.ts; what only one ERP can
 * be asked (or only its stand-in) stays in that ERP's file, as `extraCases`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { runPipeline, type PipelineResult } from '../../../src/engine/pipeline.js';
import type { ErpAdapter } from '../../../src/ports/erp.js';
import { leasedEvent } from '../standins/engine/testing.js';
import { sharedCases } from './lifecycle-cases.js';
import { financeOrder, type OrderSpec } from './wc-finance.js';

export { assertPaid, line, ship } from './lifecycle-cases.js';

export const LIFECYCLE_SKUS = ['FIN-A', 'FIN-B', 'FIN-C'];
const logger = pino({ level: 'silent' });

/**
 * An invoice or a credit note as the ERP books it, in cents and as positive amounts (a credit note of 12.00 is
 * 1200 whichever sign the ERP stores it with: each reader converts, so a wrong sign shows as a wrong amount).
 */
export interface FinanceDoc {
  id: string;
  name: string;
  kind: 'invoice' | 'credit_note';
  /** Validated (Dolibarr) or posted (Odoo). */
  posted: boolean;
  totalCents: number;
  residualCents: number;
  /** `paid`, `partial` or `not_paid`, as the ERP says it (other ERP states pass through). */
  payment: string;
  /** The invoice a credit note credits. */
  source: string | null;
}

/** A started ERP, read through its own API. */
export interface LifecycleBooks {
  adapter: ErpAdapter;
  /** The order's invoices and credit notes (drafts too), oldest first. */
  documents(corr: string): Promise<FinanceDoc[]>;
  /** Every payment of the order in cents, money in positive and money out negative, oldest first. */
  payments(corr: string): Promise<number[]>;
  /** The states of the order's sales orders. */
  orderStates(corr: string): Promise<string[]>;
  /** Every document of the order, for the replay check. */
  census(corr: string): Promise<string>;
  /** What the ERP counts as available of a product (Dolibarr: physical stock; Odoo: free quantity). */
  stock(sku: string): Promise<number>;
  /** Makes the ERP refuse the next invoice posting as a closed period; what the pipeline must say. Absent where it cannot be injected. */
  closePeriodOnce?(): { code: string; says: string };
  stop(): Promise<void>;
}

export interface LifecycleErp<B extends LifecycleBooks> {
  title: string;
  /** Prefix of the scenarios' correlation ids. */
  corrPrefix: string;
  /** WooCommerce payment method → ERP payment mode or journal. */
  paymentMethods: Record<string, string>;
  currency?: string;
  /** A withdrawn sales order's state (Dolibarr: back to draft, `0`; Odoo: `cancel`). */
  withdrawn: string;
  /** How document links into the ERP look. */
  documentLink: RegExp;
  /** Replay every event with the final order (`each`), or the final order once (a replay's lookups are the same whichever event it replays). */
  replays: 'each' | 'once';
  /** Skips the whole lifecycle (e.g. no real Dolibarr outside CI). */
  skip?: string | false;
  /** Starts and prepares the ERP; throws `ErpUnavailable` where it cannot be had (each case is then skipped, outside CI). */
  start(): Promise<B>;
  /** Cases only this ERP runs, after the shared ones. */
  extraCases?(ctx: LifecycleContext<B>): void;
}

/** The ERP cannot be started here: outside CI the cases skip, under CI=true they fail. */
export class ErpUnavailable extends Error {
  override readonly name = 'ErpUnavailable';
}

export type InvoiceAt = 'capture' | 'completion';
export interface ScenarioRun { corr: string; results: PipelineResult[] }

/** What a case gets: the started books and the scenario driver. */
export interface LifecycleContext<B extends LifecycleBooks> {
  books(): B;
  newCorr(): string;
  push(order: OrderSpec, corr: string, invoiceAt: InvoiceAt, via?: ErpAdapter): Promise<PipelineResult>;
  /** Runs the events in turn, then replays the final order: the replay runs no step and posts nothing. */
  scenario(events: OrderSpec[], invoiceAt: InvoiceAt): Promise<ScenarioRun>;
  /** The order's one invoice (exactly one, posted) and its credit notes. */
  one(corr: string): Promise<{ invoice: FinanceDoc; notes: FinanceDoc[] }>;
  /** `it` that skips when the ERP could not be started (outside CI). */
  it(name: string, body: (t: { skip(m: string): void }) => Promise<void>): void;
}

/** The shared finance lifecycle on one ERP: one `describe`, the shared cases, then the ERP's own. */
export function describeLifecycle<B extends LifecycleBooks>(erp: LifecycleErp<B>): void {
  describe(erp.title, { skip: erp.skip ?? false }, () => {
    let b: B | undefined;
    let unavailable = '';
    let seq = 0;
    const books = (): B => {
      assert.ok(b, 'the ERP is started');
      return b;
    };
    const push = (spec: OrderSpec, corr: string, invoiceAt: InvoiceAt, via?: ErpAdapter): Promise<PipelineResult> => {
      const order = { ...financeOrder(spec), ...(erp.currency ? { currency: erp.currency } : {}) };
      return runPipeline(leasedEvent(order, {
        correlation_id: corr,
        payload: { order, sku_map: {}, mappings: { payment_method: erp.paymentMethods, settings: { invoice_at: invoiceAt } } as never },
      }), { adapter: via ?? books().adapter, logger });
    };
    const newCorr = (): string => `${erp.corrPrefix}-${process.pid}-${++seq}`;
    const scenario = async (events: OrderSpec[], invoiceAt: InvoiceAt): Promise<ScenarioRun> => {
      const corr = newCorr();
      const results: PipelineResult[] = [];
      for (const e of events) results.push(await push(e, corr, invoiceAt));
      const census = await books().census(corr);
      const last = events.at(-1);
      assert.ok(last);
      for (let i = 0; i < (erp.replays === 'each' ? events.length : 1); i++) {
        assert.deepEqual((await push(last, corr, invoiceAt)).refs.steps, [], 'a replay runs no step');
      }
      assert.equal(await books().census(corr), census, 'nothing posted twice');
      return { corr, results };
    };
    const one = async (corr: string): Promise<{ invoice: FinanceDoc; notes: FinanceDoc[] }> => {
      const all = await books().documents(corr);
      const inv = all.filter((d) => d.kind === 'invoice');
      assert.equal(inv.length, 1, 'one invoice');
      const invoice = inv[0] as FinanceDoc;
      assert.ok(invoice.posted, 'the invoice is posted');
      return { invoice, notes: all.filter((d) => d.kind === 'credit_note') };
    };
    const ctx: LifecycleContext<B> = {
      books, newCorr, push, scenario, one,
      it: (name, body) => it(name, async (t) => {
        if (unavailable) return t.skip(unavailable);
        await body(t);
      }),
    };

    before(async () => {
      try {
        b = await erp.start();
      } catch (e) {
        if (!(e instanceof ErpUnavailable) || process.env['CI'] === 'true') throw e;
        unavailable = e.message;
      }
    });
    after(async () => b?.stop());

    sharedCases(ctx, erp);
    erp.extraCases?.(ctx);
  });
}
