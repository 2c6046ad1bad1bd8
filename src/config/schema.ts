import { z } from 'zod';
import { AtsRulesSchema, type AtsRules } from '../engine/ats/rules.js';
import { ShipmentsConfig } from '../engine/shipments/config.js';

const url = z.string().url('Invalid url').transform((u) => u.replace(/\/+$/, ''));
const positiveInt = z.number().int().positive();

/** The WordPress site the sidecar leases events from. */
export const WordPressConfig = z.object({
  /** Site URL (home URL) without `/wp-json`, e.g. `https://shop.example`. */
  url,
  /** The site secret (`syncline_secret` option, 64 hex characters) that signs every request. Never logged. */
  secret: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal characters'),
});

/** The ERP the orders are pushed to. */
export const ErpConfig = z.object({
  /** Which adapter to use (the stand-ins used by tests live in tests/ts/standins/, not in the shipped sidecar). */
  type: z.enum(['dolibarr', 'odoo']),
  /** API base URL, e.g. `https://erp.example/api/index.php` (Odoo: the site root, JSON-RPC at `/jsonrpc`). */
  url,
  /** API key (Dolibarr `DOLAPIKEY`; Odoo: the API key or password of `login`). Never logged. */
  api_key: z.string().min(1),
  /** Odoo only: the database name. */
  database: z.string().min(1).optional(),
  /** Odoo only: the integration user's login. */
  login: z.string().min(1).optional(),
  /** Odoo only: Internal Reference of the product unmapped shipping lines go on. @defaultValue `Delivery_007` */
  shipping_product_ref: z.string().min(1).optional(),
  /** Odoo only: Internal Reference of the product fee lines go on. @defaultValue unset (orders with fees need a human) */
  fee_product_ref: z.string().min(1).optional(),
  /** ERP warehouse whose stock orders draw from. */
  warehouse_id: positiveInt,
  /** ERP bank account that receives payments. @defaultValue unset */
  bank_account_id: positiveInt.optional(),
  /** Prefix of the order's external reference in the ERP (`WC-22`). @defaultValue `'WC-'` */
  ref_client_prefix: z.string().max(20).default('WC-'),
  /** Timeout of one ERP request, in milliseconds. @defaultValue 15000 */
  timeout_ms: positiveInt.max(600_000).default(15_000),
  /**
   * How long after a create whose outcome is unknown (our timeout fired, or the connection broke after sending) the
   * ERP may still commit it, in milliseconds; the retry looks the order up only after that. Set it to at least the
   * ERP's own request limit (PHP `max_execution_time`, 30 s by default, or the web server's timeout).
   * @defaultValue 2 × `timeout_ms` (30000 with the default timeout)
   */
  commit_grace_ms: positiveInt.max(3_600_000).optional(),
  /**
   * ERP writes in flight at once. Dolibarr deadlocks under concurrent writes, so keep 1 unless the ERP is known
   * to cope (deadlocks are retried and every create is preceded by a lookup either way). @defaultValue 1
   */
  write_concurrency: positiveInt.max(16).default(1),
}).superRefine((erp, ctx) => {
  if (erp.type !== 'odoo') return;
  for (const field of ['database', 'login'] as const) {
    if (erp[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `is required when type is "odoo"` });
  }
});

/** The outbox consumer. */
export const WorkerConfig = z.object({
  /** Worker id sent to WordPress (lease owner), 1–64 of `[A-Za-z0-9_.:@-]`. @defaultValue `<hostname>-<pid>` */
  id: z.string().regex(/^[A-Za-z0-9_.:@-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 _ . : @ -').optional(),
  /** Most events held (leased, not yet acknowledged) at once; also the largest lease. @defaultValue 20 */
  batch: positiveInt.max(100).default(20),
  /** How long a lease lasts, in seconds, before WordPress may hand the event to another worker. @defaultValue 60 */
  lease_seconds: z.number().int().min(5).max(600).default(60),
  /** Long-poll wait of an idle lease, in seconds. @defaultValue 10 */
  wait_seconds: z.number().int().min(0).max(25).default(10),
  /** Leases of one event after which a transient failure becomes needs-human (`retries_exhausted`). @defaultValue 10 */
  max_attempts: positiveInt.max(1000).default(10),
  /** Order pipelines run at once (their ERP reads overlap; writes follow `erp.write_concurrency`). @defaultValue the adapter's `maxConcurrency` (Dolibarr: 16) */
  concurrency: positiveInt.max(64).optional(),
});

/** Backoff between attempts of one event (exponential with full jitter). */
export const RetryConfig = z.object({
  /** Delay cap of the first retry, in milliseconds. @defaultValue 1000 */
  base_ms: positiveInt.default(1000),
  /** Largest delay, in milliseconds. @defaultValue 300000 */
  max_ms: positiveInt.default(300_000),
}).refine((r) => r.max_ms >= r.base_ms, { message: 'max_ms must be at least base_ms', path: ['max_ms'] });

/** The ERP circuit breaker. */
export const CircuitConfig = z.object({
  /** Consecutive "ERP down" failures that open the circuit. @defaultValue 5 */
  failure_threshold: positiveInt.default(5),
  /** How long the circuit stays open before a probe, in milliseconds. @defaultValue 30000 */
  open_ms: positiveInt.default(30_000),
});

/** The health/metrics HTTP server. */
export const HttpConfig = z.object({
  /** Listen address. @defaultValue `'127.0.0.1'` (loopback only) */
  host: z.string().min(1).default('127.0.0.1'),
  /** TCP port; 0 disables the server. @defaultValue 9464 */
  port: z.number().int().min(0).max(65535).default(9464),
});

export const LogConfig = z.object({
  /** pino level. @defaultValue `'info'` */
  level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Available-to-sell sync, ERP → WooCommerce (docs/ARCHITECTURE.md, "Stock (ATS)"). */
export const StockConfig = z.object({
  /** Pull ERP stock and apply it to WooCommerce (when the adapter can read stock). @defaultValue true */
  enabled: z.boolean().default(true),
  /** Seconds between full pulls of every product. @defaultValue 300 */
  full_interval_seconds: positiveInt.max(86_400).default(300),
  /** Seconds between changed-since passes, where the adapter supports them (Dolibarr: stock movements). @defaultValue 30 */
  changed_interval_seconds: positiveInt.max(3600).default(30),
  /** ERP stock unreadable for this long → `stale: true` in the heartbeat (last values are kept). @defaultValue 600 */
  stale_after_seconds: positiveInt.max(86_400).default(600),
  /**
   * Once stale, cap every SKU's sellable quantity at this percent of its last applied ATS (one apply pass per outage,
   * real figures back at the ERP's next answer). @defaultValue unset (no cap: the last values stay)
   */
  degraded_cap_percent: z.number().int().min(0).max(100).optional(),
  /** The channel WooCommerce sells as. @defaultValue `'web'` */
  channel: z.string().min(1).default('web'),
  /** ATS rules (src/engine/ats/rules.ts). @defaultValue the channel sells `erp.warehouse_id`, no safety stock, no reserve, no kits */
  rules: AtsRulesSchema.optional(),
});

/** Master data sync, ERP → WooCommerce, and pushed ERP changes (docs/ARCHITECTURE.md, "Master data"). */
export const ProductsConfig = z.object({
  /**
   * Read product master data from the ERP (when the adapter can); WordPress's field ownership decides what is written.
   * Opt-in: it overwrites the shop's product fields, so an operator turns it on after choosing the owned fields.
   * @defaultValue false
   */
  enabled: z.boolean().default(false),
  /** Seconds between changed-since passes (Dolibarr: `tms`). @defaultValue 60 */
  changed_interval_seconds: positiveInt.max(86_400).default(60),
  /** Pushed ERP changes (`erp.product_changed` from webhooks) are read again this many ms later (0: not). @defaultValue 2000 */
  confirm_after_ms: z.number().int().min(0).max(60_000).default(2000),
});

/** The sidecar's whole configuration (`--config <file>` plus `SYNCLINE_*` environment overrides). */
export const SidecarConfig = z.object({
  wordpress: WordPressConfig,
  erp: ErpConfig,
  worker: WorkerConfig.prefault({}),
  retry: RetryConfig.prefault({}),
  circuit: CircuitConfig.prefault({}),
  http: HttpConfig.prefault({}),
  log: LogConfig.prefault({}),
  stock: StockConfig.prefault({}),
  products: ProductsConfig.prefault({}),
  shipments: ShipmentsConfig.prefault({}),
});
export type SidecarConfigInput = z.input<typeof SidecarConfig>;
/** The parsed configuration, with `worker.id` resolved. */
export type SidecarConfig = z.output<typeof SidecarConfig> & { worker: { id: string } };

/** The configured ATS rules, or the default: the channel sells the order warehouse (`erp.warehouse_id`). */
export function stockRules(config: Pick<z.output<typeof SidecarConfig>, 'stock' | 'erp'>): AtsRules {
  return config.stock.rules ?? AtsRulesSchema.parse({ channels: { [config.stock.channel]: [String(config.erp.warehouse_id)] } });
}
