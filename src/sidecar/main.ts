import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { systemClock } from '../common/clock.js';
import { ConfigError } from '../common/errors.js';
import { VERSION } from '../common/version.js';
import { resolveConfig, stockRules, type SidecarConfig } from '../config/index.js';
import { StockSync } from '../engine/ats/stock-sync.js';
import { Reconciler } from '../engine/reconcile/reconciler.js';
import { Consumer } from '../engine/consumer.js';
import { ErpChanges } from '../engine/products/erp-changes.js';
import { ProductSync } from '../engine/products/product-sync.js';
import { WpProducts } from '../engine/products/wp-products.js';
import { HeartbeatLoop } from '../engine/heartbeat.js';
import { createShipmentSync } from '../engine/shipments/create.js';
import { exponentialBackoff } from '../engine/retry/backoff.js';
import { CircuitBreaker } from '../engine/retry/circuit-breaker.js';
import { EngineStats } from '../engine/stats.js';
import { createLogger } from '../observability/logger.js';
import { CIRCUIT_GAUGE, createMetrics } from '../observability/metrics.js';
import { WpClient } from '../wp/client.js';
import { createAdapter } from './adapters.js';
import { settingsFromWordPress } from './connection.js';
import { parseCliArgs, USAGE } from './args.js';
import { startHttpServer } from './http.js';

/** Entry point of build/sidecar.cjs. Resolves to the process exit code (2: bad config or arguments). */
export async function main(argv: string[]): Promise<number> {
  let config: SidecarConfig;
  let once: boolean;
  try {
    const args = parseCliArgs(argv);
    if (args.version) return print(VERSION, 0);
    if (args.help) return print(USAGE, 0);
    once = args.once;
    config = await resolveConfig(args.config, process.env, settingsFromWordPress());
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(`config error: ${e.message}`);
    return 2;
  }
  return run(config, once);
}

function print(text: string, code: number): number {
  console.log(text);
  return code;
}

/** Wires the object graph (the composition root) and runs until SIGTERM/SIGINT, or one batch with --once. */
async function run(config: SidecarConfig, once: boolean): Promise<number> {
  const clock = systemClock;
  const logger = createLogger(config.log.level);
  const adapter = createAdapter(config, logger);
  const stats = new EngineStats(clock.now());
  const metrics = createMetrics();
  const breaker = new CircuitBreaker({
    failureThreshold: config.circuit.failure_threshold, openMs: config.circuit.open_ms,
    onChange: (from, to) => { metrics.circuitState.set(CIRCUIT_GAUGE[to]); logger.warn({ from, to }, 'ERP circuit breaker changed state'); },
  });
  const backoff = exponentialBackoff({ baseMs: config.retry.base_ms, maxMs: config.retry.max_ms });
  const wp = new WpClient({ url: config.wordpress.url, secret: config.wordpress.secret, clock });
  const w = config.worker;
  const concurrency = w.concurrency ?? adapter.maxConcurrency;
  const stock = createStockSync(config, { adapter, wp, clock, logger, stats });
  const reconcile = new Reconciler(wp, adapter, logger, config.stock.enabled ? { stock: { rules: stockRules(config), channel: config.stock.channel } } : {});
  const products = config.products.enabled && adapter.readProducts
    ? new ProductSync({ changedIntervalMs: config.products.changed_interval_seconds * 1000 }, { adapter, wp: new WpProducts(wp), clock, logger })
    : undefined;
  const erpChanges = new ErpChanges({ adapter, clock, logger, ...(stock ? { stock } : {}), ...(products ? { products } : {}) }, { confirmAfterMs: config.products.confirm_after_ms });
  const consumer = new Consumer(
    { worker: w.id, batch: w.batch, leaseSeconds: w.lease_seconds, waitSeconds: w.wait_seconds, maxAttempts: w.max_attempts, concurrency },
    { wp, adapter, breaker, backoff, clock, logger, stats, metrics, secrets: [config.erp.api_key], ...(stock ? { stock } : {}), ...(products ? { products } : {}), erpChanges, reconcile },
  );
  const heartbeat = new HeartbeatLoop({ wp, worker: w.id, version: VERSION, stats, breaker, clock, logger, ping: () => adapter.ping(), erpType: config.erp.type });
  logger.info({ worker: w.id, wordpress: config.wordpress.url, erp: config.erp.type, concurrency, once }, 'syncline sidecar starting');
  if (once) return runOnce(consumer, heartbeat, logger);
  const server = config.http.port > 0
    ? await startHttpServer(config.http.host, config.http.port, { version: VERSION, stats, breaker, metrics, clock, logger })
    : undefined;
  const shipments = createShipmentSync(config, { adapter, wp, clock, logger });
  handleSignals(consumer, logger, stock);
  heartbeat.start();
  stock?.start();
  products?.start();
  shipments?.start();
  await consumer.run();
  await stock?.stop();
  await products?.stop();
  await shipments?.stop();
  heartbeat.stop();
  await heartbeat.beat('stopped'); // WordPress stops listing this worker as live at once
  await closeServer(server);
  logger.info('sidecar stopped');
  return 0;
}

async function runOnce(consumer: Consumer, heartbeat: HeartbeatLoop, logger: Logger): Promise<number> {
  try {
    const n = await consumer.runOnce();
    await heartbeat.beat();
    logger.info({ events: n }, 'one batch done (--once)');
    return 0;
  } catch (e) {
    logger.error({ err: e }, 'lease failed (--once)');
    return 1;
  }
}

/** The stock sync when `stock.enabled` and the adapter can read stock (stock.resync events need it too). */
function createStockSync(config: SidecarConfig, deps: ConstructorParameters<typeof StockSync>[1]): StockSync | undefined {
  const s = config.stock;
  if (!s.enabled || !deps.adapter.readStock) return undefined;
  deps.logger.info({ channel: s.channel, full_interval_seconds: s.full_interval_seconds, changed: Boolean(deps.adapter.readStockChanges) }, 'stock sync on');
  return new StockSync({
    channel: s.channel, rules: stockRules(config), fullIntervalMs: s.full_interval_seconds * 1000,
    changedIntervalMs: s.changed_interval_seconds * 1000, staleAfterMs: s.stale_after_seconds * 1000,
    ...(s.degraded_cap_percent === undefined ? {} : { degradedCapPercent: s.degraded_cap_percent }),
  }, deps);
}

function handleSignals(consumer: Consumer, logger: Logger, stock: StockSync | undefined): void {
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) {
      logger.warn({ signal }, 'second signal: exiting without draining (leases will expire)');
      process.exit(1);
    }
    logger.info({ signal }, 'signal received: draining');
    consumer.stop();
    void stock?.stop();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

function closeServer(server: Server | undefined): Promise<void> {
  return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`fatal: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    process.exit(1);
  },
);
