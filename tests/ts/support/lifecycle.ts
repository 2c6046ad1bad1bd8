/**
 * Order lifecycles on a real WooCommerce, for scenario tests and the books benchmark: a seeded mix of the
 * finance scenarios of issue 8 (paid card order, bank transfer paid later, authorization then capture or void,
 * refunds of lines with tax, full refund after invoice, two refunds, refund before invoice, coupon + fee + free
 * shipping, prices including tax with two rates, cancellation before and after invoice), each a list of phases
 * of WooCommerce actions. A phase of many orders runs inside one PHP process with WooCommerce's own APIs
 * (tests/ts/support/lifecycle.php through `wp eval`), so 500 lifecycles take seconds, not minutes of REST calls,
 * and WooCommerce's hooks fire exactly as on a shop. Between phases the caller lets the sidecar post what
 * happened (e.g. waits for the outbox to drain), so "before invoice" and "after invoice" really are.
 *
 *   const lc = new Lifecycles(stack.site);
 *   await lc.setup();
 *   const orders = lc.plan(500, seed);
 *   for (let p = 0; p < lc.phaseCount(orders); p++) { await lc.runPhase(orders, p); await drain(); }
 *   const truth = await lc.truth(orders);
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ROOT, type Site } from '../../../scripts/env/wp-env.js';
import { prng } from './prng.js';

/** Products the scenarios sell (the ERP needs the same refs): standard rate, and books at the reduced rate. */
export const CATALOGUE = [
  { sku: 'TSHIRT-PLAIN', price: '19.99', tax_class: '' },
  { sku: 'HOODIE-S-GREY', price: '49.00', tax_class: '' },
  { sku: 'MUG-RED', price: '12.95', tax_class: '' },
  { sku: 'BOOK-LEDGER', price: '23.70', tax_class: 'reduced-rate' },
  { sku: 'BOOK-ATLAS', price: '9.99', tax_class: 'reduced-rate' },
] as const;
export const CATALOGUE_SKUS: string[] = CATALOGUE.map((p) => p.sku);
export const COUPON = { code: 'BOOKS10', type: 'percent', amount: '10' } as const;
export const RATES = { standard: '20', reduced: '5.5' } as const;

type Step =
  | { op: 'create'; variant: 'card' | 'transfer' | 'taxed_lines' | 'coupon_fee_free_shipping' | 'incl_tax_two_rates' }
  | { op: 'authorize' | 'await_transfer' | 'pay' | 'complete' | 'cancel' }
  | { op: 'refund'; what: 'one_line' | 'shipping' | 'all' };

const create = (variant: Extract<Step, { op: 'create' }>['variant']): Step => ({ op: 'create', variant });
const act = (op: 'authorize' | 'await_transfer' | 'pay' | 'complete' | 'cancel'): Step => ({ op });
const refund = (what: 'one_line' | 'shipping' | 'all'): Step => ({ op: 'refund', what });

/**
 * The scenarios: phases of steps. A step list in one phase happens before the sidecar can post anything of it
 * (e.g. `refund_before_invoice` is paid and refunded before its invoice can exist); the next phase starts after
 * the caller let the sidecar work. Completion comes before "after invoice" steps, so they are after the invoice
 * whether the shop invoices at capture or at completion.
 */
export const SCENARIOS = {
  paid_card: [[create('card'), act('pay')], [act('complete')]],
  bank_transfer_paid_later: [[create('transfer'), act('await_transfer')], [act('pay')], [act('complete')]],
  authorization_then_capture: [[create('card'), act('authorize')], [act('pay')]],
  authorization_then_void: [[create('card'), act('authorize')], [act('cancel')]],
  partial_refund_line_with_tax: [[create('taxed_lines'), act('pay')], [refund('one_line')]],
  full_refund_after_invoice: [[create('card'), act('pay')], [act('complete')], [refund('all')]],
  two_refunds: [[create('taxed_lines'), act('pay')], [act('complete'), refund('one_line')], [refund('shipping')]],
  refund_before_invoice: [[create('taxed_lines'), act('pay'), refund('one_line')], [act('complete')]],
  coupon_fee_free_shipping: [[create('coupon_fee_free_shipping'), act('pay')], [act('complete')]],
  incl_tax_two_rates: [[create('incl_tax_two_rates'), act('pay')], [act('complete')]],
  cancel_before_invoice: [[create('transfer'), act('await_transfer')], [act('cancel')]],
  cancel_after_invoice: [[create('card'), act('pay')], [act('complete')], [act('cancel')]],
} satisfies Record<string, Step[][]>;
export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

/** One planned lifecycle; `orderId` and `refundIds` fill in as its phases run, `errors` collects what failed. */
export interface PlannedOrder {
  key: number;
  scenario: ScenarioName;
  email: string;
  lines: Array<{ sku: string; qty: number }>;
  orderId?: number;
  refundIds: number[];
  errors: string[];
}

/** What a `create` step sends to lifecycle.php for a planned order. */
function createSpec(o: PlannedOrder, variant: Extract<Step, { op: 'create' }>['variant']): Record<string, unknown> {
  const base = { op: 'create', email: o.email, lines: o.lines, payment_method: variant === 'transfer' ? 'bacs' : 'stripe' };
  const flat = { method_id: 'flat_rate', title: 'Flat rate', total: '4.90' };
  switch (variant) {
    case 'coupon_fee_free_shipping':
      return { ...base, coupon: COUPON.code, fee: { name: 'Gift wrap', total: '2.50' }, shipping: { method_id: 'free_shipping', title: 'Free shipping', total: '0' } };
    case 'incl_tax_two_rates':
      return { ...base, lines: [{ sku: 'TSHIRT-PLAIN', qty: 1 }, { sku: 'BOOK-ATLAS', qty: 3 }, ...o.lines.slice(0, 1)], prices_include_tax: true, shipping: flat };
    case 'taxed_lines':
      return { ...base, lines: [{ sku: 'BOOK-LEDGER', qty: 2 }, ...o.lines.filter((l) => l.sku !== 'BOOK-LEDGER')], shipping: flat };
    default:
      return { ...base, shipping: flat };
  }
}

const Result = z.object({ results: z.array(z.union([z.object({ ok: z.unknown() }), z.object({ error: z.string() })])) });

export const Truth = z.object({
  id: z.number(),
  status: z.string(),
  currency: z.string(),
  total: z.string(),
  total_tax: z.string(),
  prices_include_tax: z.boolean(),
  payment_method: z.string(),
  transaction_id: z.string(),
  date_paid: z.string().nullable(),
  date_completed: z.string().nullable(),
  refunds: z.array(z.object({ id: z.number(), amount: z.string() })),
  total_refunded: z.string(),
  correlation_id: z.string().nullable(),
});
export type Truth = z.infer<typeof Truth>;

/**
 * `wp …` (the bundled WP-CLI, as scripts/env/wp-env.ts runs it) without blocking this process: a benchmark's
 * fault proxy lives in the same event loop and must keep serving the sidecar meanwhile.
 */
export function runWp(site: Site, args: string[], passStderr = false): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const all = ['--allow-root', `--path=${site.path}`, `--require=${join(ROOT, 'scripts', 'env', 'wp-cli-shim.php')}`, ...args];
  const env = { ...process.env, WP_CLI_PHP_ARGS: '-d display_errors=stderr -d error_reporting=22527 -d memory_limit=1G' };
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'vendor', 'bin', 'wp'), all, { env });
    if (passStderr) child.stderr.pipe(process.stderr);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs lifecycle.php's ops in one `wp eval` process. SYNCLINE_LIFECYCLE_TIMING=1 prints each op's time. */
export async function runOps(site: Site, ops: Array<Record<string, unknown>>): Promise<Array<{ ok: unknown } | { error: string }>> {
  const dir = mkdtempSync(join(tmpdir(), 'syncline-lifecycle-'));
  const spec = join(dir, 'spec.json');
  writeFileSync(spec, JSON.stringify({ ops }));
  const php = `require_once ${JSON.stringify(join(ROOT, 'tests', 'ts', 'support', 'lifecycle.php'))}; syncline_lifecycle_main(${JSON.stringify(spec)});`;
  try {
    const r = await runWp(site, ['eval', php], !!process.env.SYNCLINE_LIFECYCLE_TIMING);
    const last = r.stdout.trim().split('\n').pop() ?? '';
    try {
      const parsed = Result.parse(JSON.parse(last));
      if (parsed.results.length !== ops.length) throw new Error(`${parsed.results.length} results for ${ops.length} ops`);
      return parsed.results;
    } catch (e) {
      throw new Error(`lifecycle.php (exit ${r.code ?? 'signal'}): ${e instanceof Error ? e.message : String(e)}; stdout ${r.stdout.slice(-400)}; stderr ${r.stderr.slice(-800)}`, { cause: e });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export class Lifecycles {
  constructor(private readonly site: Site, private readonly chunk = 100, private readonly parallel = 1) {}

  /** Taxes (standard + reduced rate), the catalogue and the coupon, in WooCommerce. */
  async setup(): Promise<void> {
    const [r] = await runOps(this.site, [{ op: 'setup', products: CATALOGUE, rates: RATES, coupons: [COUPON] }]);
    if (!r || 'error' in r) throw new Error(`lifecycle setup failed: ${r && 'error' in r ? r.error : 'no result'}`);
  }

  /**
   * `n` lifecycles, the scenarios in turn (each appears n/12 times or once more), customers, lines and quantities
   * drawn from `seed`: about a third of the orders come from 20 returning customers, the rest from new ones.
   */
  plan(n: number, seed: number, only?: ScenarioName[]): PlannedOrder[] {
    const rnd = prng(seed);
    const names = only ?? SCENARIO_NAMES;
    return Array.from({ length: n }, (_, key) => {
      const lines: Array<{ sku: string; qty: number }> = [];
      const count = 1 + Math.floor(rnd() * 3);
      for (let i = 0; i < count; i++) {
        const sku = CATALOGUE_SKUS[Math.floor(rnd() * CATALOGUE_SKUS.length)] ?? 'TSHIRT-PLAIN';
        if (!lines.some((l) => l.sku === sku)) lines.push({ sku, qty: 1 + Math.floor(rnd() * 3) });
      }
      const returning = rnd() < 0.33;
      const email = returning ? `books-returning-${Math.floor(rnd() * 20)}@example.test` : `books-${seed}-${key}@example.test`;
      return { key, scenario: names[key % names.length] ?? 'paid_card', email, lines, refundIds: [], errors: [] };
    });
  }

  phaseCount(orders: PlannedOrder[]): number {
    return Math.max(0, ...orders.map((o) => SCENARIOS[o.scenario].length));
  }

  /**
   * Runs phase `p` of every order: chunks of `chunk` orders, each in its own PHP process, `parallel` processes at
   * once (different orders, so they never touch the same order). Returns how many steps ran.
   */
  async runPhase(orders: PlannedOrder[], p: number): Promise<number> {
    const todo = orders.filter((o) => (SCENARIOS[o.scenario] as Step[][])[p] !== undefined && (p === 0 || o.orderId !== undefined));
    const chunks: PlannedOrder[][] = [];
    for (let i = 0; i < todo.length; i += this.chunk) chunks.push(todo.slice(i, i + this.chunk));
    let steps = 0;
    const worker = async (): Promise<void> => {
      for (let batch = chunks.shift(); batch; batch = chunks.shift()) {
        const n = await this.runChunk(batch, p);
        steps += n;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.parallel, chunks.length) }, worker));
    return steps;
  }

  private async runChunk(batch: PlannedOrder[], p: number): Promise<number> {
    let steps = 0;
    if (p === 0) {
      // Creates first (they return the ids the other steps of the phase need).
      const created = await runOps(this.site, batch.map((o) => createSpec(o, ((SCENARIOS[o.scenario] as Step[][])[0]?.[0] as Extract<Step, { op: 'create' }>).variant)));
      created.forEach((r, j) => {
        const o = batch[j] as PlannedOrder;
        if ('ok' in r) o.orderId = Number(r.ok);
        else o.errors.push(`create: ${r.error}`);
      });
      steps += batch.length;
    }
    const ops: Array<Record<string, unknown>> = [];
    const owners: Array<{ order: PlannedOrder; step: Step }> = [];
    for (const o of batch) {
      if (o.orderId === undefined) continue;
      for (const step of (SCENARIOS[o.scenario] as Step[][])[p] ?? []) {
        if (step.op === 'create') continue;
        ops.push({ ...step, order: o.orderId });
        owners.push({ order: o, step });
      }
    }
    if (ops.length === 0) return steps;
    // One order's steps run in sequence inside the process, orders one after the other: as a shop would.
    (await runOps(this.site, ops)).forEach((r, j) => {
      const { order, step } = owners[j] as { order: PlannedOrder; step: Step };
      if ('error' in r) order.errors.push(`${step.op}: ${r.error}`);
      else if (step.op === 'refund') order.refundIds.push(Number(r.ok));
    });
    return steps + ops.length;
  }

  /** What WooCommerce says about each order now (read inside WooCommerce, HPOS or not). */
  async truth(orders: PlannedOrder[]): Promise<Truth[]> {
    const ids = orders.map((o) => o.orderId).filter((id): id is number => id !== undefined);
    const out: Truth[] = [];
    for (let i = 0; i < ids.length; i += 250) {
      const [r] = await runOps(this.site, [{ op: 'truth', orders: ids.slice(i, i + 250) }]);
      if (!r || 'error' in r) throw new Error(`lifecycle truth failed: ${r && 'error' in r ? r.error : 'no result'}`);
      out.push(...z.array(Truth.nullable()).parse(r.ok).filter((t): t is Truth => t !== null));
    }
    return out;
  }
}
