/**
 * Local environment for development, tests and benchmarks: a MariaDB server and WordPress sites on loopback.
 *
 *   node --import tsx scripts/env/wp-env.ts db-start | db-stop
 *   node --import tsx scripts/env/wp-env.ts site --name dev --port 8080 [--hpos on|off]   (create + serve)
 *   node --import tsx scripts/env/wp-env.ts site-stop --name dev
 *
 * By default the sites run the real systems (scripts/env/realstack.ts): WordPress 7.0.4 and WooCommerce 11.0.1
 * unpacked from ../shared/realstack into .run/cache/. SYNCLINE_WP_DIR (a WordPress core) and SYNCLINE_WC_DIR (a
 * built WooCommerce with vendor/) override them. Without the realstack archives (and without CI=true, where that
 * is an error) the old stand-ins are used, loudly: Debian's `wordpress` package (/usr/share/wordpress) and
 * tests/wp/woocommerce-standin. Sites get pretty permalinks (/%postname%/, so /wp-json/ works) and the
 * twentytwentyfive theme when the core has it. Everything lives under .run/ and listens on 127.0.0.1 only.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { REAL_VERSIONS, fallbackWarning, realstack } from './realstack.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RUN = join(ROOT, '.run');
export const DB_PORT = Number(process.env.SYNCLINE_DB_PORT ?? 3307);
const DB_DIR = join(RUN, 'mariadb');
const DB_SOCK = join(DB_DIR, 'mysqld.sock');
export const DB_USER = 'syncline';
export const DB_PASS = 'syncline';
export const TEST_TOKEN = 'syncline-test-token';

export interface Site {
  name: string;
  url: string;
  path: string;
  port: number;
  db: string;
  adminUser: string;
  adminPassword: string;
  secret: string;
  wcVersion: string;
  wpVersion: string;
  /** WordPress 7.0.4 + WooCommerce 11.0.1 from the realstack archives (not an override or a stand-in). */
  real: boolean;
}

function sh(cmd: string, args: string[], opts: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input: opts.input, cwd: opts.cwd, env: opts.env ?? process.env });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  }
  return r.stdout;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The MariaDB server's socket (root logs in over it). */
export function dbSocket(): string {
  return DB_SOCK;
}

/** Runs SQL as root over the server's socket. */
export function sql(statement: string): string {
  return sh('mariadb', ['--socket', DB_SOCK, '-uroot', '-N', '-B', '-e', statement]);
}

function dbAlive(): boolean {
  return spawnSync('mariadb-admin', ['--socket', DB_SOCK, '-uroot', 'ping'], { encoding: 'utf8' }).status === 0;
}

export async function dbStart(): Promise<void> {
  if (dbAlive()) return;
  mkdirSync(DB_DIR, { recursive: true });
  if (!existsSync(join(DB_DIR, 'mysql'))) {
    sh('mariadb-install-db', [`--datadir=${DB_DIR}`, '--user=root', '--auth-root-authentication-method=socket', '--skip-test-db']);
  }
  const log = openSync(join(RUN, 'mariadb.log'), 'a');
  const child = spawn('mariadbd', [
    `--datadir=${DB_DIR}`, `--socket=${DB_SOCK}`, `--port=${DB_PORT}`, '--bind-address=127.0.0.1', '--user=root',
    `--pid-file=${join(DB_DIR, 'mariadbd.pid')}`, '--innodb-flush-log-at-trx-commit=2', '--skip-name-resolve',
    '--max-connections=500', '--innodb-buffer-pool-size=256M',
  ], { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  for (let i = 0; i < 150 && !dbAlive(); i++) await sleep(200);
  if (!dbAlive()) throw new Error(`MariaDB did not start; see ${join(RUN, 'mariadb.log')}`);
  sql(`CREATE USER IF NOT EXISTS '${DB_USER}'@'127.0.0.1' IDENTIFIED BY '${DB_PASS}'; GRANT ALL ON *.* TO '${DB_USER}'@'127.0.0.1'; FLUSH PRIVILEGES;`);
}

export function dbStop(): void {
  if (dbAlive()) spawnSync('mariadb-admin', ['--socket', DB_SOCK, '-uroot', 'shutdown']);
}

/** Where a site's WordPress core and WooCommerce come from, and whether they are the real ones. */
export interface SiteSources {
  wpDir: string;
  wcDir: string;
  /** True when both are the realstack copies (not an override, not a stand-in). */
  real: boolean;
  /** The core is our own unpacked copy: sites may hard-link it instead of copying. */
  linkable: boolean;
}

let warned = false;

export async function siteSources(): Promise<SiteSources> {
  const rs = await realstack();
  if (!rs && !warned && !(process.env.SYNCLINE_WP_DIR && process.env.SYNCLINE_WC_DIR)) {
    console.error(fallbackWarning());
    warned = true;
  }
  const wpDir = process.env.SYNCLINE_WP_DIR ?? rs?.wordpress ?? '/usr/share/wordpress';
  const wcDir = resolve(process.env.SYNCLINE_WC_DIR ?? rs?.woocommerce ?? join(ROOT, 'tests', 'wp', 'woocommerce-standin'));
  if (!existsSync(join(wpDir, 'wp-includes', 'version.php'))) {
    throw new Error(`No WordPress core at ${wpDir}: provide ../shared/realstack, install Debian's wordpress package or set SYNCLINE_WP_DIR`);
  }
  return { wpDir, wcDir, real: !!rs && wpDir === rs.wordpress && wcDir === rs.woocommerce, linkable: !!rs && wpDir === rs.wordpress };
}

function writeConfig(site: Site): void {
  const salts = ['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT']
    .map((k) => `define( '${k}', '${randomBytes(24).toString('hex')}' );`).join('\n');
  writeFileSync(join(site.path, 'wp-config.php'), `<?php
// Written by scripts/env/wp-env.ts for a local Syncline site. Loopback only.
define( 'DB_NAME', '${site.db}' );
define( 'DB_USER', '${DB_USER}' );
define( 'DB_PASSWORD', '${DB_PASS}' );
define( 'DB_HOST', '127.0.0.1:${DB_PORT}' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
${salts}
$table_prefix = 'wp_';
define( 'WP_HOME', '${site.url}' );
define( 'WP_SITEURL', '${site.url}' );
define( 'WP_ENVIRONMENT_TYPE', 'local' );
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_LOG', __DIR__ . '/wp-content/debug.log' );
define( 'WP_DEBUG_DISPLAY', false );
define( 'FS_METHOD', 'direct' );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'SYNCLINE_TEST_TOKEN', '${TEST_TOKEN}' );
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
`);
}

function linkPlugins(site: Site, wcDir: string): void {
  const plugins = join(site.path, 'wp-content', 'plugins');
  mkdirSync(plugins, { recursive: true });
  symlinkSync(ROOT, join(plugins, 'syncline'));
  symlinkSync(wcDir, join(plugins, 'woocommerce'));
  symlinkSync(join(ROOT, 'tests', 'wp', 'syncline-test-helper'), join(plugins, 'syncline-test-helper'));
}

/** Creates (or re-creates) a site: fresh core copy, fresh database, WordPress installed, plugins active. */
export async function siteCreate(name: string, port: number, opts: { hpos?: boolean } = {}): Promise<Site> {
  await dbStart();
  const path = join(RUN, 'sites', name);
  siteStop(name);
  rmSync(path, { recursive: true, force: true });
  mkdirSync(dirname(path), { recursive: true });
  const src = await siteSources();
  // Our own unpacked core is hard-linked (fast, no space; nothing writes into core files: updates are off);
  // an external core (Debian's is full of symlinks) is copied.
  sh('cp', [src.linkable ? '-al' : '-rL', src.wpDir, path]);
  rmSync(join(path, 'wp-content', 'plugins'), { recursive: true, force: true });
  const db = `syncline_${name.replace(/[^a-z0-9_]/gi, '_')}`;
  sql(`DROP DATABASE IF EXISTS \`${db}\`; CREATE DATABASE \`${db}\` CHARACTER SET utf8mb4;`);
  const site: Site = { name, url: `http://127.0.0.1:${port}`, path, port, db, adminUser: 'admin', adminPassword: 'password', secret: '', wcVersion: '', wpVersion: '', real: src.real };
  writeConfig(site);
  linkPlugins(site, src.wcDir);
  const out = sh('php', [join(ROOT, 'scripts', 'env', 'wp-install.php'), path, site.url, opts.hpos === false ? 'off' : 'on']);
  const info = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { secret: string; wc_version: string; wp_version: string };
  site.secret = info.secret;
  site.wcVersion = info.wc_version;
  site.wpVersion = info.wp_version;
  if (src.real && (site.wcVersion !== REAL_VERSIONS.woocommerce || site.wpVersion !== REAL_VERSIONS.wordpress)) {
    throw new Error(`site ${name} runs WordPress ${site.wpVersion} + WooCommerce ${site.wcVersion}, expected the realstack's ${REAL_VERSIONS.wordpress} + ${REAL_VERSIONS.woocommerce}`);
  }
  writeFileSync(join(path, 'site.json'), JSON.stringify(site, null, 2));
  return site;
}

function pidFile(name: string): string {
  return join(RUN, 'sites', `${name}.php-server.pid`);
}

/**
 * Throws when something already listens on 127.0.0.1:port: a server left over from another run would otherwise
 * answer in place of the one about to start (php -S only logs its bind failure).
 */
export async function assertPortFree(port: number, what: string): Promise<void> {
  const inUse = (): Promise<boolean> => new Promise((ok) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => { s.destroy(); ok(true); });
    s.once('error', () => ok(false));
  });
  // A server stopped a moment ago (SIGTERM to its group) may still hold the port briefly.
  for (let i = 0; i < 30; i++) {
    if (!(await inUse())) return;
    await sleep(100);
  }
  throw new Error(`port ${port} (for ${what}) is already in use by another process; stop it or choose another port`);
}

/** Serves the site with PHP's built-in server (several workers: WP-Cron and long-polls need them). */
/**
 * Serves a site with PHP's built-in server: `workers` processes (PHP_CLI_SERVER_WORKERS; default 6, or
 * SYNCLINE_PHP_WORKERS), OPcache on (the cli-server SAPI uses `opcache.enable`, not `opcache.enable_cli`).
 */
export async function siteServe(site: Site, workers = Number(process.env.SYNCLINE_PHP_WORKERS ?? 6)): Promise<void> {
  await assertPortFree(site.port, `the WordPress site ${site.name}`);
  const log = openSync(join(RUN, 'sites', `${site.name}.php-server.log`), 'a');
  const child = spawn('php', ['-d', 'memory_limit=512M', '-S', `127.0.0.1:${site.port}`, '-t', site.path, join(ROOT, 'scripts', 'env', 'router.php')], {
    detached: true, stdio: ['ignore', log, log], env: { ...process.env, PHP_CLI_SERVER_WORKERS: String(workers) },
  });
  child.unref();
  writeFileSync(pidFile(site.name), String(child.pid));
  for (let i = 0; i < 100; i++) {
    try {
      // /wp-json/ (pretty permalinks through router.php) must answer JSON, as on a real site.
      const r = await fetch(`${site.url}/wp-json/`);
      if (r.status === 200 && (r.headers.get('content-type') ?? '').includes('json')) return;
    } catch { /* not up yet */ }
    await sleep(100);
  }
  throw new Error(`PHP server for ${site.name} did not answer on ${site.url}`);
}

/**
 * Stops the process group (or the process) whose id the file holds, and removes the file. Servers here run in
 * their own group: with PHP's server workers, stopping the parent alone leaves the workers listening.
 */
export function stopPidFile(file: string): void {
  if (!existsSync(file)) return;
  const pid = Number(readFileSync(file, 'utf8'));
  try { process.kill(-pid, 'SIGTERM'); } catch { try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ } }
  rmSync(file, { force: true });
}

export function siteStop(name: string): void {
  stopPidFile(pidFile(name));
}

/**
 * Stops every PHP server this checkout started, every test sidecar a test process left running (its pid file under
 * .run/sidecars, written by tests/ts/support/stack.ts), and its MariaDB (the end of a test run).
 */
export function cleanup(keepDb = false): void {
  const dir = join(RUN, 'sites');
  if (existsSync(dir)) {
    for (const f of readdirSync(dir)) {
      if (f.endsWith('.php-server.pid') && f !== 'dev.php-server.pid') siteStop(f.replace(/\.php-server\.pid$/, ''));
    }
  }
  const sidecars = join(RUN, 'sidecars');
  if (existsSync(sidecars)) {
    for (const f of readdirSync(sidecars)) if (f.endsWith('.pid')) stopPidFile(join(sidecars, f));
  }
  if (!keepDb) dbStop();
}

/** Runs `wp …` (WP-CLI from vendor/) against a site; returns stdout. */
export function wp(site: Site, args: string[]): string {
  const [cmd, argv, env] = wpArgs(site, args);
  return sh(cmd, argv, { env });
}

/**
 * The same without blocking this process (a test's fault proxy keeps serving the sidecar meanwhile); the exit code
 * is returned, not thrown.
 */
export function wpAsync(site: Site, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const [cmd, argv, env] = wpArgs(site, args);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

function wpArgs(site: Site, args: string[]): [string, string[], NodeJS.ProcessEnv] {
  // PHP CLI prints notices on stdout by default; keep stdout for the command's own output.
  const env = { ...process.env, WP_CLI_PHP_ARGS: '-d display_errors=stderr -d error_reporting=22527' };
  const shim = `--require=${join(ROOT, 'scripts', 'env', 'wp-cli-shim.php')}`;
  return [join(ROOT, 'vendor', 'bin', 'wp'), ['--allow-root', `--path=${site.path}`, shim, ...args], env];
}

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : fallback;
  if (v === undefined) throw new Error(`missing --${name}`);
  return v;
}

async function cli(): Promise<void> {
  const cmd = process.argv[2];
  if (cmd === 'db-start') await dbStart();
  else if (cmd === 'db-stop') dbStop();
  else if (cmd === 'site') {
    const site = await siteCreate(arg('name', 'dev'), Number(arg('port', '8080')), { hpos: arg('hpos', 'on') !== 'off' });
    await siteServe(site);
    console.log(JSON.stringify(site));
  } else if (cmd === 'site-stop') siteStop(arg('name', 'dev'));
  else if (cmd === 'cleanup') cleanup(process.argv.includes('--keep-db'));
  else if (cmd === 'db-status') process.exit(dbAlive() ? 0 : 1);
  else throw new Error(`unknown command ${cmd ?? ''}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
