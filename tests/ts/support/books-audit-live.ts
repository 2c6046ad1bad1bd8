/**
 * The books audit of a live (or interrupted) `npm run bench -- books` run, from the two systems' state alone:
 *   node --import tsx tests/ts/support/books-audit-live.ts [--site benchbooks] [--invoice-at completion|capture] [--dolibarr-db D]
 * (SYNCLINE_DB_PORT and SYNCLINE_DOLIBARR_PORT as for the run). Prints one JSON line: every WooCommerce order, and
 * only the "settled" ones (no outbox event pending or leased), which separates the engine's lag from its errors.
 * Without the bench's scenario map the breakdown is by WooCommerce status. In the settled subset, credit notes of
 * orders still in flight are counted as unaccounted for (unlinked); read `all` for those.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTemplate } from '../../../scripts/env/dolibarr.js';
import { RUN, sql, type Site } from '../../../scripts/env/wp-env.js';
import { auditBooks, readDolibarrBooks, type BooksAudit, type InvoicePoint } from './books-audit.js';
import { Lifecycles } from './lifecycle.js';

const arg = (n: string, d: string): string => { const i = process.argv.indexOf(`--${n}`); return i > 0 ? process.argv[i + 1] ?? d : d; };
const siteName = arg('site', 'benchbooks');
const invoiceAt: InvoicePoint = arg('invoice-at', 'completion') === 'capture' ? 'capture' : 'completion';
const port = Number(process.env.SYNCLINE_DOLIBARR_PORT ?? 8091);
/** The stack's Dolibarr database (`dolibarr_<SYNCLINE_STACK_PREFIX>stack`). */
const dolibarrDb = arg('dolibarr-db', `dolibarr_${process.env.SYNCLINE_STACK_PREFIX ?? ''}stack`);

const site = JSON.parse(readFileSync(join(RUN, 'sites', siteName, 'site.json'), 'utf8')) as Site;
const info = await ensureTemplate(port);
const list = (q: string): number[] => sql(q).split('\n').filter(Boolean).map(Number);
const ids = list(`SELECT id FROM \`${site.db}\`.wp_wc_orders WHERE type = 'shop_order' ORDER BY id`);
const busy = new Set(list(`SELECT DISTINCT object_id FROM \`${site.db}\`.wp_syncline_events WHERE object_type = 'order' AND state IN ('pending', 'leased')`));
const truths = await new Lifecycles(site).truth(ids.map((id, key) => ({ key, scenario: 'paid_card', email: '', lines: [], orderId: id, refundIds: [], errors: [] })));
const books = await readDolibarrBooks({ url: `http://127.0.0.1:${port}/api/index.php`, key: info.apiKey, sql: (q) => sql(`USE \`${dolibarrDb}\`; ${q}`) });
const status = new Map(truths.map((t) => [t.id, t.status]));
const run = (ts: typeof truths): BooksAudit => auditBooks(ts, books, { invoiceAt, scenarioOf: (id) => status.get(id) ?? '?' });
const figures = (a: BooksAudit): Record<string, unknown> => ({
  orders: a.orders, mismatched_orders: a.mismatched_orders, duplicate_documents: a.duplicate_documents, cents_off: a.cents_off, unposted: a.unposted,
  unlinked_credit_notes: a.unlinked_credit_notes, by_kind: a.details.by_kind, by_status: a.details.by_scenario, unattributed_documents: a.details.unattributed_documents.length,
  finding_samples: a.details.findings.slice(0, 10),
});
console.log(JSON.stringify({
  at: new Date().toISOString(), invoice_at: invoiceAt, orders_with_events_in_flight: busy.size,
  erp_documents: { sales_orders: books.orders.length, invoices: books.invoices.filter((i) => i.type !== 2).length, credit_notes: books.invoices.filter((i) => i.type === 2).length },
  all: figures(run(truths)), settled: figures(run(truths.filter((t) => !busy.has(t.id)))),
}));
