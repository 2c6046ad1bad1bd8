/**
 * A real Odoo 17.0 Community (from ../shared/realstack/odoo-17.0.tar.xz, see ODOO.md there) on a private
 * PostgreSQL 15 cluster listening on 127.0.0.1 only, served headless (`--workers=0`) in its own process group.
 *
 * Initialising Odoo (60 modules: sale_management, sale_stock, account_payment, delivery and their closure) takes
 * about 40 s, so it happens once, into the template database `odoo_template` (+ its filestore). Each instance
 * (`startOdoo({ name, port })`) gets its own database `odoo_<name>`, created with `CREATE DATABASE … TEMPLATE
 * odoo_template` (a file copy in PostgreSQL, no Odoo install) and its own copy of the filestore; `reset()` stops
 * the server, recreates the database from the template and starts it again (a clean Odoo per test file).
 *
 *   node --import tsx scripts/env/odoo.ts template                  # unpack + PostgreSQL + template (if missing)
 *   node --import tsx scripts/env/odoo.ts start --name dev --port 8069
 *   node --import tsx scripts/env/odoo.ts stop --name dev | stop-all
 *
 * Debian packages it needs: postgresql and the python3-* list of ODOO.md (scripts/setup.sh installs them).
 * Ports: Odoo on --port (default SYNCLINE_ODOO_PORT or 8069); PostgreSQL on SYNCLINE_ODOO_DB_PORT, else
 * SYNCLINE_ODOO_PORT + 9 (5499 without either).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, createReadStream, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { realstackSource } from './realstack.js';
import { installOnce } from './once.js';
import { RUN, assertPortFree } from './wp-env.js';

export const ODOO_VERSION = '17.0';
const ARCHIVE = `odoo-${ODOO_VERSION}.tar.xz`;
const CACHE = join(RUN, 'cache', `odoo-${ODOO_VERSION}`);
const SOURCE = join(CACHE, 'odoo');
const DIR = join(RUN, 'odoo');
const PG_DATA = join(DIR, 'pg');
const PG_SOCK = join(DIR, 'pgsock');
const DATA_DIR = join(DIR, 'data');
const TEMPLATE_DB = 'odoo_template';
const TEMPLATE_INFO = join(DIR, 'template.json');
const PG_BIN = '/usr/lib/postgresql/15/bin';
const DB_USER = 'odoo';
const DB_PASS = 'odoo';
export const ODOO_ADMIN = { login: 'admin', password: 'admin' } as const;
const MODULES = 'sale_management,sale_stock,account_payment,delivery';
const ODOO_PORT = Number(process.env.SYNCLINE_ODOO_PORT ?? 8069);
const PG_PORT = Number(process.env.SYNCLINE_ODOO_DB_PORT ?? (process.env.SYNCLINE_ODOO_PORT ? ODOO_PORT + 9 : 5499));

const TemplateInfo = z.object({ db: z.string(), installMs: z.number(), serverVersion: z.string() });
type TemplateInfo = z.infer<typeof TemplateInfo>;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function run(cmd: string, args: string[], opts: { cwd?: string } = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, cwd: opts.cwd });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${(r.stderr || r.stdout).slice(-3000)}`);
  return r.stdout;
}

/** Says what is missing, loudly under CI=true (where the caller must fail) and as a plain error otherwise. */
export class OdooUnavailable extends Error {
  override readonly name = 'OdooUnavailable';
}

// ---------------------------------------------------------------------------------------------- the archive

function sha256(file: string): Promise<string> {
  return new Promise((res, rej) => {
    const h = createHash('sha256');
    createReadStream(file).on('data', (c) => h.update(c)).on('error', rej).on('end', () => res(h.digest('hex')));
  });
}

/** Unpacks the archive once into .run/cache/odoo-17.0/ (sha256 checked against the realstack README). */
export async function odooSource(): Promise<string> {
  const marker = join(CACHE, '.syncline-unpacked');
  if (existsSync(marker) && existsSync(join(SOURCE, 'odoo-bin'))) return SOURCE;
  const source = realstackSource();
  const archive = join(source, ARCHIVE);
  if (!existsSync(archive)) throw new OdooUnavailable(`${archive} is missing: Odoo ${ODOO_VERSION} cannot be prepared`);
  const want = new RegExp(`^([0-9a-f]{64})\\s+${ARCHIVE.replace(/\./g, '\\.')}$`, 'm').exec(readFileSync(join(source, 'README.md'), 'utf8'))?.[1];
  if (!want) throw new OdooUnavailable(`no sha256 for ${ARCHIVE} in ${join(source, 'README.md')}`);
  const got = await sha256(archive);
  if (got !== want) throw new Error(`${archive}: sha256 ${got}, the realstack README lists ${want}; refusing to use it`);
  const tmp = `${CACHE}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  run('tar', ['-xJf', archive, '-C', tmp]);
  writeFileSync(join(tmp, '.syncline-unpacked'), `${want}  ${ARCHIVE}\n`);
  if (existsSync(marker)) { rmSync(tmp, { recursive: true, force: true }); return SOURCE; }
  rmSync(CACHE, { recursive: true, force: true });
  renameSync(tmp, CACHE);
  return SOURCE;
}

// ------------------------------------------------------------------------------------------------ PostgreSQL

function pgAlive(): boolean {
  return spawnSync(join(PG_BIN, 'pg_isready'), ['-h', PG_SOCK, '-p', String(PG_PORT)], { encoding: 'utf8' }).status === 0;
}

/** Runs SQL as the cluster's superuser (over the socket). */
export function psql(statement: string, db = 'postgres'): string {
  return run('psql', ['-h', PG_SOCK, '-p', String(PG_PORT), '-U', 'postgres', '-d', db, '-v', 'ON_ERROR_STOP=1', '-At', '-c', statement]);
}

function asPostgres(cmd: string, args: string[]): void {
  run('runuser', ['-u', 'postgres', '--', cmd, ...args]);
}

/** Starts the private cluster (initialising it on first use); PostgreSQL refuses to run as root, so it runs as `postgres`. */
export async function pgStart(): Promise<void> {
  if (pgAlive()) return;
  if (!existsSync(join(PG_BIN, 'initdb'))) throw new OdooUnavailable(`PostgreSQL 15 is not installed (${PG_BIN}); run scripts/setup.sh`);
  mkdirSync(PG_SOCK, { recursive: true });
  chownSync(PG_SOCK, pgUid(), pgGid());
  if (!existsSync(join(PG_DATA, 'PG_VERSION'))) {
    rmSync(PG_DATA, { recursive: true, force: true });
    mkdirSync(PG_DATA, { recursive: true });
    chownSync(PG_DATA, pgUid(), pgGid());
    asPostgres(join(PG_BIN, 'initdb'), ['-D', PG_DATA, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8']);
    writeFileSync(join(PG_DATA, 'postgresql.auto.conf'), [
      "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${PG_SOCK}'`, 'fsync = off', 'synchronous_commit = off',
      'full_page_writes = off', 'shared_buffers = 128MB', 'max_connections = 200', '',
    ].join('\n'));
    chownSync(join(PG_DATA, 'postgresql.auto.conf'), pgUid(), pgGid());
  }
  await assertPortFree(PG_PORT, 'the Odoo PostgreSQL cluster');
  asPostgres(join(PG_BIN, 'pg_ctl'), ['-D', PG_DATA, '-l', join(PG_DATA, 'server.log'), '-o', `-p ${PG_PORT}`, '-w', 'start']);
  if (!pgAlive()) throw new Error(`PostgreSQL did not start; see ${join(PG_DATA, 'server.log')}`);
  if (psql(`SELECT 1 FROM pg_roles WHERE rolname = '${DB_USER}'`).trim() !== '1') {
    psql(`CREATE ROLE ${DB_USER} WITH LOGIN CREATEDB PASSWORD '${DB_PASS}'`);
  }
}

export function pgStop(): void {
  if (existsSync(join(PG_DATA, 'postmaster.pid'))) spawnSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, 'pg_ctl'), '-D', PG_DATA, '-m', 'fast', 'stop']);
}

function pgUid(): number { return Number(run('id', ['-u', 'postgres']).trim()); }
function pgGid(): number { return Number(run('id', ['-g', 'postgres']).trim()); }

// ------------------------------------------------------------------------------------------------------ Odoo

function odooArgs(db: string): string[] {
  return [
    'odoo-bin', '--addons-path=addons,odoo/addons', '--db_host=127.0.0.1', `--db_port=${PG_PORT}`, `--db_user=${DB_USER}`,
    `--db_password=${DB_PASS}`, `--data-dir=${DATA_DIR}`, '-d', db, `--db-filter=^${db}$`, '--no-database-list',
  ];
}

function pidFile(name: string): string { return join(DIR, `${name}.odoo.pid`); }

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/** Stops an instance's server (its whole process group) and waits until it is gone (it holds database connections). */
export async function stopOdoo(name: string): Promise<void> {
  const file = pidFile(name);
  if (!existsSync(file)) return;
  const pid = Number(readFileSync(file, 'utf8'));
  try { process.kill(-pid, 'SIGTERM'); } catch { /* gone */ }
  for (let i = 0; i < 100 && alive(pid); i++) await sleep(100);
  if (alive(pid)) { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } await sleep(200); }
  rmSync(file, { force: true });
}

/** One JSON-RPC call (the protocol facts are in ODOO.md); throws with Odoo's fault message. */
export async function jsonrpc<T = unknown>(url: string, service: string, method: string, args: unknown[]): Promise<T> {
  const r = await fetch(`${url}/jsonrpc`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: Date.now() }),
  });
  const body = z.object({ result: z.unknown().optional(), error: z.object({ message: z.string(), data: z.object({ name: z.string(), message: z.string() }).partial().optional() }).optional() })
    .parse(await r.json());
  if (body.error) throw new Error(`Odoo ${service}.${method}: ${body.error.data?.name ?? ''} ${body.error.data?.message ?? body.error.message}`);
  return body.result as T;
}

async function serve(name: string, db: string, port: number): Promise<string> {
  await stopOdoo(name);
  await assertPortFree(port, `Odoo ${name}`);
  const log = openSync(join(DIR, `${name}.odoo.log`), 'a');
  const child = spawn('/usr/bin/python3', [...odooArgs(db), '--http-interface=127.0.0.1', `--http-port=${port}`, '--workers=0', '--max-cron-threads=0', '--log-level=warn'], {
    cwd: SOURCE, detached: true, stdio: ['ignore', log, log],
  });
  child.unref();
  writeFileSync(pidFile(name), String(child.pid));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) break;
    try {
      return (await jsonrpc<{ server_version: string }>(url, 'common', 'version', [])).server_version;
    } catch { /* not yet */ }
    await sleep(100);
  }
  throw new Error(`Odoo ${name} did not answer on port ${port}; see ${join(DIR, `${name}.odoo.log`)}`);
}

function dbExists(db: string): boolean {
  return psql(`SELECT 1 FROM pg_database WHERE datname = '${db}'`).trim() === '1';
}

function templateReady(): TemplateInfo | null {
  if (!existsSync(TEMPLATE_INFO) || !dbExists(TEMPLATE_DB) || !existsSync(join(DATA_DIR, 'filestore', TEMPLATE_DB))) return null;
  return TemplateInfo.parse(JSON.parse(readFileSync(TEMPLATE_INFO, 'utf8')));
}

async function installTemplate(port: number): Promise<TemplateInfo> {
  const t0 = Date.now();
  psql(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
  rmSync(join(DATA_DIR, 'filestore', TEMPLATE_DB), { recursive: true, force: true });
  mkdirSync(DATA_DIR, { recursive: true });
  run('/usr/bin/python3', [...odooArgs(TEMPLATE_DB), '-i', MODULES, '--without-demo=all', '--stop-after-init', '--log-level=warn'], { cwd: SOURCE });
  const serverVersion = await serve('template', TEMPLATE_DB, port);
  try {
    // The template must serve JSON-RPC and let the administrator log in before it is cloned.
    const url = `http://127.0.0.1:${port}`;
    const uid = await jsonrpc<number>(url, 'common', 'authenticate', [TEMPLATE_DB, ODOO_ADMIN.login, ODOO_ADMIN.password, {}]);
    if (uid <= 0) throw new Error('template: admin cannot log in');
  } finally {
    await stopOdoo('template');
  }
  // Connections must be gone before the database can serve as a template.
  psql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${TEMPLATE_DB}' AND pid <> pg_backend_pid()`);
  const info: TemplateInfo = { db: TEMPLATE_DB, installMs: Date.now() - t0, serverVersion };
  writeFileSync(TEMPLATE_INFO, JSON.stringify(info, null, 2));
  return info;
}

/** The template, installed on first use (one installer at a time per checkout: a lock directory). */
export async function ensureOdooTemplate(port = ODOO_PORT + 8): Promise<TemplateInfo> {
  await odooSource();
  await pgStart();
  mkdirSync(DIR, { recursive: true });
  return installOnce(join(DIR, 'template.lock'), templateReady, () => installTemplate(port));
}

// -------------------------------------------------------------------------------------------------- instances

export interface OdooProduct { id: number; ref: string }

export interface Odoo {
  name: string;
  /** `http://127.0.0.1:<port>` (JSON-RPC at /jsonrpc). */
  url: string;
  db: string;
  login: string;
  password: string;
  /** `17.0-20240709`. */
  version: string;
  stop(): Promise<void>;
  /** Back to the freshly installed state (database + filestore, server restarted); returns how long it took, in ms. */
  reset(): Promise<number>;
  /** Storable products with `default_code` = ref, `price` (major units) and no tax, with `qty` units in WH/Stock. */
  addProducts(refs: readonly string[], qty?: number, price?: number): Promise<OdooProduct[]>;
  /** `execute_kw` as the administrator. */
  call<T = unknown>(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>): Promise<T>;
  /** SQL on this instance's database (as the PostgreSQL superuser); rows of `|`-separated values. */
  sql(statement: string): string;
}

function recreateDb(db: string): void {
  psql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname IN ('${db}', '${TEMPLATE_DB}') AND pid <> pg_backend_pid()`);
  psql(`DROP DATABASE IF EXISTS ${db}`);
  psql(`CREATE DATABASE ${db} TEMPLATE ${TEMPLATE_DB} OWNER ${DB_USER}`);
  const store = join(DATA_DIR, 'filestore', db);
  rmSync(store, { recursive: true, force: true });
  run('cp', ['-a', join(DATA_DIR, 'filestore', TEMPLATE_DB), store]);
}

export async function startOdoo(o: { name: string; port: number; keep?: boolean }): Promise<Odoo> {
  await ensureOdooTemplate(o.port + 8);
  const db = `odoo_${o.name.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`;
  const url = `http://127.0.0.1:${o.port}`;
  await stopOdoo(o.name);
  if (!(o.keep === true && dbExists(db))) recreateDb(db);
  let version = await serve(o.name, db, o.port);
  let uid = 0;
  const login = async (): Promise<void> => {
    uid = await jsonrpc<number>(url, 'common', 'authenticate', [db, ODOO_ADMIN.login, ODOO_ADMIN.password, {}]);
  };
  await login();
  const call = <T>(model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}): Promise<T> =>
    jsonrpc<T>(url, 'object', 'execute_kw', [db, uid, ODOO_ADMIN.password, model, method, args, kwargs]);
  let stockLocation = 0;
  const instance: Odoo = {
    name: o.name, url, db, login: ODOO_ADMIN.login, password: ODOO_ADMIN.password, version,
    stop: () => stopOdoo(o.name),
    async reset() {
      const t0 = Date.now();
      await stopOdoo(o.name);
      recreateDb(db);
      version = await serve(o.name, db, o.port);
      await login();
      stockLocation = 0;
      return Date.now() - t0;
    },
    async addProducts(refs, qty = 100, price = 10) {
      if (stockLocation === 0) {
        const wh = z.array(z.object({ lot_stock_id: z.tuple([z.number(), z.string()]) }))
          .parse(await call('stock.warehouse', 'search_read', [[]], { fields: ['lot_stock_id'], limit: 1 }));
        stockLocation = wh[0]?.lot_stock_id[0] ?? 0;
      }
      const ids = z.array(z.number()).parse(await call('product.product', 'create', [refs.map((ref) => ({
        name: ref, type: 'product', default_code: ref, list_price: price, taxes_id: [[6, 0, []]],
      }))]));
      if (qty > 0) {
        const quants = z.array(z.number()).parse(await call('stock.quant', 'create', [ids.map((id) => ({
          product_id: id, location_id: stockLocation, inventory_quantity: qty,
        }))]));
        await call('stock.quant', 'action_apply_inventory', [quants]);
      }
      return refs.map((ref, i) => ({ id: ids[i] ?? 0, ref }));
    },
    call,
    sql: (statement) => psql(statement, db),
  };
  return instance;
}

// ------------------------------------------------------------------------------------------------------- CLI

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

async function cli(): Promise<void> {
  const cmd = process.argv[2];
  const port = Number(arg('port', String(ODOO_PORT)));
  if (cmd === 'template') {
    const t0 = Date.now();
    const info = await ensureOdooTemplate(port + 8);
    console.log(JSON.stringify({ ...info, ms: Date.now() - t0 }));
  } else if (cmd === 'start') {
    const t0 = Date.now();
    const d = await startOdoo({ name: arg('name', 'dev'), port, keep: process.argv.includes('--keep') });
    console.log(JSON.stringify({ url: d.url, db: d.db, login: d.login, password: d.password, version: d.version, startMs: Date.now() - t0 }));
  } else if (cmd === 'stop') await stopOdoo(arg('name', 'dev'));
  else if (cmd === 'stop-all') {
    // The end of a test run: every Odoo server of this checkout except `npm run up`'s, then PostgreSQL
    // (unless --keep-db).
    for (const f of existsSync(DIR) ? readdirSync(DIR) : []) {
      const m = /^(.+)\.odoo\.pid$/.exec(f);
      if (m?.[1] && m[1] !== 'dev') await stopOdoo(m[1]);
    }
    if (!process.argv.includes('--keep-db') && !existsSync(pidFile('dev'))) pgStop();
  } else throw new Error(`unknown command ${cmd ?? ''} (template | start | stop | stop-all)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
