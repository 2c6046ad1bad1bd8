/**
 * A real Dolibarr 20.0.2 (from ../shared/realstack, see realstack.ts) on the harness MariaDB, installed without
 * a person and served by `php -S` with 4 workers in its own process group.
 *
 * Installing is slow (the web installer creates 276 tables), so it happens once: into a template (web root +
 * documents under .run/dolibarr/template/, database `dolibarr_template`), which is then dumped. Each instance
 * (`startDolibarr({ name, port })`) gets its own hard-linked web root, its own conf.php (same instance id, so the
 * encrypted API key still decrypts), its own documents directory and its own database loaded from the dump;
 * `reset()` reloads that database and documents directory (a clean Dolibarr per test file).
 *
 *   node --import tsx scripts/env/dolibarr.ts template                 # install the template (if missing)
 *   node --import tsx scripts/env/dolibarr.ts start --name dev --port 8090
 *   node --import tsx scripts/env/dolibarr.ts stop --name dev
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { installOnce } from './once.js';
import { realstack, REAL_VERSIONS } from './realstack.js';
import { DB_PASS, DB_PORT, DB_USER, ROOT, RUN, assertPortFree, dbSocket, dbStart, sql, stopPidFile } from './wp-env.js';

const DIR = join(RUN, 'dolibarr');
const TEMPLATE = join(DIR, 'template');
const TEMPLATE_DB = 'dolibarr_template';
const TEMPLATE_DUMP = join(DIR, 'template.sql');
const TEMPLATE_INFO = join(TEMPLATE, 'template.json');
export const DOLIBARR_VERSION = REAL_VERSIONS.dolibarr;
/** Above this many products, addProducts uses Dolibarr's PHP API in one process instead of the REST API. */
const BULK_PRODUCTS = 20;

const TemplateInfo = z.object({ apiKey: z.string(), adminPassword: z.string(), url: z.string(), installMs: z.number(), revision: z.number().optional() });
/** Bumped when dolibarr-setup.php changes what the template holds (2: module Categories), so older templates are installed again. */
const TEMPLATE_REVISION = 2;
type TemplateInfo = z.infer<typeof TemplateInfo>;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function run(cmd: string, args: string[], opts: { input?: string } = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input: opts.input, maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

// ---------------------------------------------------------------------------------------------- php -S server

function pidFile(name: string): string {
  return join(DIR, `${name}.php-server.pid`);
}

/** Serves a web root with PHP's built-in server, 4 workers, detached in its own process group. */
async function serve(name: string, webroot: string, port: number): Promise<void> {
  stopServer(name);
  await assertPortFree(port, `Dolibarr ${name}`);
  const log = openSync(join(DIR, `${name}.php-server.log`), 'a');
  const child = spawn('php', ['-d', 'memory_limit=512M', '-d', 'max_execution_time=120', '-S', `127.0.0.1:${port}`, '-t', webroot], {
    detached: true, stdio: ['ignore', log, log], env: { ...process.env, PHP_CLI_SERVER_WORKERS: '4' },
  });
  child.unref();
  writeFileSync(pidFile(name), String(child.pid));
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/robots.txt`)).status < 500) return;
    } catch { /* not yet */ }
    await sleep(50);
  }
  throw new Error(`Dolibarr's PHP server (${name}) did not answer on port ${port}; see ${join(DIR, `${name}.php-server.log`)}`);
}

/** Stops the server's whole process group. */
export function stopServer(name: string): void {
  stopPidFile(pidFile(name));
}

// ------------------------------------------------------------------------------------------ the web installer

/** Hidden inputs of an installer page: each step carries some of them to the next (charset, collation, …). */
function hiddenInputs(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of html.match(/<input[^>]*type="hidden"[^>]*>/gi) ?? []) {
    const name = /name="([^"]*)"/i.exec(tag)?.[1];
    const value = /value="([^"]*)"/i.exec(tag)?.[1] ?? '';
    if (name) out[name] = value.replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  }
  return out;
}

async function post(base: string, page: string, fields: Record<string, string>): Promise<string> {
  const res = await fetch(`${base}/install/${page}`, {
    method: 'POST', body: new URLSearchParams({ testpost: 'ok', action: 'set', ...fields }),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  const html = await res.text();
  if (res.status !== 200 || /class="error"|Error<\/|Failed to/i.test(html.replace(/Duplicate key name 'uk_code_region'/g, ''))) {
    const text = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    const err = /.{0,200}(error|failed).{0,200}/i.exec(text)?.[0] ?? text.slice(0, 400);
    // step2's log lists statements with "OK"/"Error": only an error line that is not the known quirk stops us.
    if (res.status !== 200 || !/step2/.test(page)) throw new Error(`Dolibarr installer ${page} answered ${res.status}: ${err}`);
  }
  return html;
}

/** Writes conf values the installer gets wrong for us (charset) or that production sites set (prod = 1). */
function patchConf(file: string, values: Record<string, string>): void {
  let conf = readFileSync(file, 'utf8');
  for (const [k, v] of Object.entries(values)) {
    const line = `$${k}='${v}';`;
    const re = new RegExp(`^\\$${k}\\s*=.*$`, 'm');
    conf = re.test(conf) ? conf.replace(re, line) : conf.replace(/\?>\s*$/, '') + `\n${line}\n`;
  }
  writeFileSync(file, conf);
}

function writeLocks(webroot: string, documents: string): void {
  for (const d of [webroot, documents]) writeFileSync(join(d, 'install.lock'), 'locked by scripts/env/dolibarr.ts\n');
}

/** A web root of our own: hard links to the unpacked archive (no copy, no space); conf/ and custom/ are ours. */
function makeWebroot(source: string, webroot: string): void {
  rmSync(webroot, { recursive: true, force: true });
  mkdirSync(dirname(webroot), { recursive: true });
  run('cp', ['-al', source, webroot]);
  // Never write through a hard link into the cache: conf.php and install.lock are new files.
  rmSync(join(webroot, 'conf', 'conf.php'), { force: true });
  mkdirSync(join(webroot, 'custom'), { recursive: true });
}

async function installTemplate(port: number): Promise<TemplateInfo> {
  const rs = await realstack();
  if (!rs) throw new Error('Dolibarr needs ../shared/realstack (dolibarr-20.0.2.tar.xz); see scripts/env/realstack.ts');
  await dbStart();
  const t0 = Date.now();
  const webroot = join(TEMPLATE, 'htdocs');
  const documents = join(TEMPLATE, 'documents');
  rmSync(TEMPLATE, { recursive: true, force: true });
  mkdirSync(documents, { recursive: true });
  makeWebroot(rs.dolibarr, webroot);
  writeFileSync(join(webroot, 'conf', 'conf.php'), '');
  sql(`DROP DATABASE IF EXISTS \`${TEMPLATE_DB}\`; CREATE DATABASE \`${TEMPLATE_DB}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;`);
  const url = `http://127.0.0.1:${port}`;
  await serve('template', webroot, port);
  try {
    await fetch(`${url}/install/check.php`).then((r) => r.text());
    const lang = { selectlang: 'en_US' };
    const s1 = await post(url, 'step1.php', {
      ...lang, main_dir: webroot, main_data_dir: documents, main_url: url, db_type: 'mysqli', db_host: '127.0.0.1',
      db_port: String(DB_PORT), db_name: TEMPLATE_DB, db_user: DB_USER, db_pass: DB_PASS, db_prefix: 'llx_',
    });
    const s2 = await post(url, 'step2.php', { ...hiddenInputs(s1), ...lang });
    const s4 = await post(url, 'step4.php', { ...hiddenInputs(s2), ...lang, dolibarrpingno: 'checked' });
    const adminPassword = `Adm-${randomBytes(6).toString('hex')}`;
    await post(url, 'step5.php', { ...hiddenInputs(s4), ...lang, login: 'admin', pass: adminPassword, pass_verif: adminPassword });
    const confFile = join(webroot, 'conf', 'conf.php');
    patchConf(confFile, {
      dolibarr_main_db_character_set: 'utf8mb4', dolibarr_main_db_collation: 'utf8mb4_unicode_ci', dolibarr_main_prod: '1',
    });
    writeLocks(webroot, documents);
    const apiKey = randomBytes(20).toString('hex');
    run('php', [join(ROOT, 'scripts', 'env', 'dolibarr-setup.php'), webroot, apiKey]);
    const info: TemplateInfo = { apiKey, adminPassword, url, installMs: 0, revision: TEMPLATE_REVISION };
    const status = await apiStatus(`${url}/api/index.php`, apiKey);
    if (status !== DOLIBARR_VERSION) throw new Error(`template Dolibarr answers version ${status} on GET /status`);
    writeFileSync(TEMPLATE_DUMP, run('mariadb-dump', ['--socket', dbSocket(), '-uroot', '--single-transaction', '--skip-lock-tables',
      '--no-tablespaces', '--skip-comments', TEMPLATE_DB]));
    info.installMs = Date.now() - t0;
    writeFileSync(TEMPLATE_INFO, JSON.stringify(info, null, 2));
    return info;
  } finally {
    stopServer('template');
  }
}

/** The template's database is loaded from its dump when missing (e.g. a fresh MariaDB data directory). */
function templateReady(): TemplateInfo | null {
  if (!existsSync(TEMPLATE_INFO) || !existsSync(TEMPLATE_DUMP)) return null;
  if (sql(`SHOW DATABASES LIKE '${TEMPLATE_DB}'`).trim() === '') {
    sql(`CREATE DATABASE \`${TEMPLATE_DB}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    run('bash', ['-c', `mariadb --socket '${dbSocket()}' -uroot '${TEMPLATE_DB}' < '${TEMPLATE_DUMP}'`]);
  }
  const info = TemplateInfo.parse(JSON.parse(readFileSync(TEMPLATE_INFO, 'utf8')));
  return (info.revision ?? 1) === TEMPLATE_REVISION ? info : null;
}

/** The template, installed on first use (one installer at a time per checkout: a lock directory). */
export async function ensureTemplate(port: number): Promise<TemplateInfo> {
  await dbStart();
  mkdirSync(DIR, { recursive: true });
  return installOnce(join(DIR, 'template.lock'), templateReady, () => installTemplate(port));
}

async function apiStatus(api: string, key: string): Promise<string> {
  const r = await fetch(`${api}/status`, { headers: { DOLAPIKEY: key, Accept: 'application/json' } });
  const body = z.object({ success: z.object({ dolibarr_version: z.string() }) }).parse(await r.json());
  return body.success.dolibarr_version;
}

// -------------------------------------------------------------------------------------------------- instances

export interface DolibarrProduct { id: number; ref: string }

export interface Dolibarr {
  name: string;
  /** The REST API base, `http://127.0.0.1:<port>/api/index.php`. */
  url: string;
  /** The site root (UI login: admin / adminPassword). */
  siteUrl: string;
  webRoot: string;
  db: string;
  apiKey: string;
  adminPassword: string;
  version: string;
  /** Stops the PHP server (the database stays until the next reset or start). */
  stop(): Promise<void>;
  /** Back to the freshly installed state (database and documents); returns how long it took, in ms. */
  reset(): Promise<number>;
  /** Creates products (type product, 10.00 EUR excl. tax, 20 % VAT) with `qty` units in warehouse 1. */
  addProducts(refs: readonly string[], qty?: number): Promise<DolibarrProduct[]>;
  /** Runs SQL on this instance's database (as root); tab-separated rows, no header. */
  sql(statement: string): string;
  /** Calls the REST API with the admin's key; throws on a status >= 400 unless `allow` lists it. */
  api<T = unknown>(method: string, path: string, body?: unknown, allow?: number[]): Promise<{ status: number; body: T }>;
}

/**
 * Makes `db` equal to the template. The first time (or when its tables differ) the dump is loaded; after that
 * only rows move: every table emptied, the template's non-empty tables copied back, AUTO_INCREMENT counters put
 * back where they moved (DDL for 280 tables is what makes a reload slow; this is one short SQL session).
 */
function resetDatabase(db: string): void {
  const tables = (schema: string): Map<string, number> => new Map(sql(
    `SELECT table_name, IFNULL(auto_increment, 0) FROM information_schema.tables WHERE table_schema = '${schema}' AND table_type = 'BASE TABLE'`,
  ).split('\n').filter(Boolean).map((l) => { const [t, ai] = l.split('\t'); return [t ?? '', Number(ai)] as const; }));
  const template = tables(TEMPLATE_DB);
  const mine = tables(db);
  const same = mine.size === template.size && [...template.keys()].every((t) => mine.has(t));
  if (!same) {
    run('mariadb', ['--socket', dbSocket(), '-uroot', '-e', `DROP DATABASE IF EXISTS \`${db}\`; CREATE DATABASE \`${db}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;`]);
    run('bash', ['-c', `mariadb --socket '${dbSocket()}' -uroot '${db}' < '${TEMPLATE_DUMP}'`]);
    return;
  }
  const nonEmpty = new Set(sql(`SELECT table_name FROM information_schema.tables WHERE table_schema = '${TEMPLATE_DB}' AND table_rows > 0`).split('\n').filter(Boolean));
  // table_rows is an estimate for InnoDB: also copy every table the template has an AUTO_INCREMENT > 1 for.
  for (const [t, ai] of template) if (ai > 1) nonEmpty.add(t);
  const stmts = ['SET FOREIGN_KEY_CHECKS = 0', 'SET UNIQUE_CHECKS = 0'];
  for (const t of template.keys()) stmts.push(`DELETE FROM \`${db}\`.\`${t}\``);
  for (const t of nonEmpty) stmts.push(`INSERT INTO \`${db}\`.\`${t}\` SELECT * FROM \`${TEMPLATE_DB}\`.\`${t}\``);
  for (const [t, ai] of template) {
    if ((mine.get(t) ?? 0) !== ai && ai > 0) stmts.push(`ALTER TABLE \`${db}\`.\`${t}\` AUTO_INCREMENT = ${ai}`);
  }
  run('mariadb', ['--socket', dbSocket(), '-uroot'], { input: `${stmts.join(';\n')};\n` });
}

function instanceConf(templateConf: string, o: { webroot: string; documents: string; db: string; url: string }): string {
  const set = (conf: string, k: string, v: string): string => conf.replace(new RegExp(`^\\$${k}\\s*=.*$`, 'm'), `$${k}='${v}';`);
  let conf = set(templateConf, 'dolibarr_main_db_name', o.db);
  conf = set(conf, 'dolibarr_main_url_root', o.url);
  conf = set(conf, 'dolibarr_main_document_root', o.webroot);
  conf = set(conf, 'dolibarr_main_data_root', o.documents);
  return set(conf, 'dolibarr_main_document_root_alt', join(o.webroot, 'custom'));
}

/**
 * Starts (creating on first use) the instance `name` on 127.0.0.1:port. Its database is reset to the template
 * unless `keep` is set and it already has Dolibarr's tables (`npm run up` keeps the developer's data).
 */
export async function startDolibarr(o: { name: string; port: number; keep?: boolean }): Promise<Dolibarr> {
  const rs = await realstack();
  if (!rs) throw new Error('Dolibarr needs ../shared/realstack (dolibarr-20.0.2.tar.xz); see scripts/env/realstack.ts');
  await dbStart();
  const info = await ensureTemplate(o.port);
  const base = join(DIR, o.name);
  const webroot = join(base, 'htdocs');
  const documents = join(base, 'documents');
  const db = `dolibarr_${o.name.replace(/[^a-z0-9_]/gi, '_')}`;
  const siteUrl = `http://127.0.0.1:${o.port}`;
  const url = `${siteUrl}/api/index.php`;
  stopServer(o.name);
  const conf = instanceConf(readFileSync(join(TEMPLATE, 'htdocs', 'conf', 'conf.php'), 'utf8'), { webroot, documents, db, url: siteUrl });
  const confFile = join(webroot, 'conf', 'conf.php');
  // A web root from an earlier run with the same configuration is reused (the database is reset below).
  if (!existsSync(confFile) || readFileSync(confFile, 'utf8') !== conf || !existsSync(join(webroot, 'install.lock'))) {
    makeWebroot(rs.dolibarr, webroot);
    writeFileSync(confFile, conf);
    writeFileSync(join(webroot, 'install.lock'), 'locked by scripts/env/dolibarr.ts\n');
  }

  const reset = async (): Promise<number> => {
    const t0 = Date.now();
    rmSync(documents, { recursive: true, force: true });
    cpSync(join(TEMPLATE, 'documents'), documents, { recursive: true });
    resetDatabase(db);
    return Date.now() - t0;
  };
  const kept = o.keep === true && sql(`SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '${db}'`).trim() !== '0';
  if (!kept) await reset();
  await serve(o.name, webroot, o.port);

  const api = async <T>(method: string, path: string, body?: unknown, allow: number[] = []): Promise<{ status: number; body: T }> => {
    const r = await fetch(`${url}${path}`, {
      method, headers: { DOLAPIKEY: info.apiKey, Accept: 'application/json', 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    let parsed: unknown = text;
    try { parsed = text === '' ? null : JSON.parse(text); } catch { /* keep text */ }
    if (r.status >= 400 && !allow.includes(r.status)) throw new Error(`Dolibarr ${method} ${path}: ${r.status} ${text.slice(0, 300)}`);
    return { status: r.status, body: parsed as T };
  };
  const version = await apiStatus(url, info.apiKey);
  if (version !== DOLIBARR_VERSION) throw new Error(`Dolibarr ${o.name} answers version ${version}, expected ${DOLIBARR_VERSION}`);

  return {
    name: o.name, url, siteUrl, webRoot: webroot, db, apiKey: info.apiKey, adminPassword: info.adminPassword, version,
    stop: () => { stopServer(o.name); return Promise.resolve(); },
    reset,
    async addProducts(refs, qty = 100) {
      if (refs.length > BULK_PRODUCTS) {
        // Many: Dolibarr's own PHP API in one process (the same Product::create + stock movement, no HTTP).
        const out = run('php', ['-d', 'memory_limit=1G', join(ROOT, 'scripts', 'env', 'dolibarr-products.php'), webroot, String(qty)], { input: `${refs.join('\n')}\n` });
        const ids = z.record(z.string(), z.number()).parse(JSON.parse(out.trim().split('\n').pop() ?? '{}'));
        return refs.map((ref) => ({ id: ids[ref] ?? 0, ref }));
      }
      const out: DolibarrProduct[] = [];
      for (const ref of refs) {
        const created = await api<number>('POST', '/products', {
          ref, label: ref, type: 0, price: 10, price_base_type: 'HT', tva_tx: 20, status: 1, status_buy: 1,
        });
        const id = Number(created.body);
        if (qty > 0) await api('POST', '/stockmovements', { product_id: id, warehouse_id: 1, qty, movementlabel: 'Initial stock' });
        out.push({ id, ref });
      }
      return out;
    },
    sql: (statement) => sql(`USE \`${db}\`; ${statement}`),
    api,
  };
}

// ------------------------------------------------------------------------------------------------------- CLI

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

async function cli(): Promise<void> {
  const cmd = process.argv[2];
  const port = Number(arg('port', process.env.SYNCLINE_DOLIBARR_PORT ?? '8091'));
  if (cmd === 'products-bench') {
    const d = await startDolibarr({ name: arg('name', 'bench'), port });
    const n = Number(arg('n', '1000'));
    const t0 = Date.now();
    await d.addProducts(Array.from({ length: n }, (_, i) => `PB-${i}`), 5);
    const ms = Date.now() - t0;
    const check = d.sql("SELECT COUNT(*), SUM(reel) FROM llx_product_stock").trim();
    await d.stop();
    console.log(JSON.stringify({ products: n, ms, stock_rows_and_units: check }));
  } else if (cmd === 'reset-bench') {
    const d = await startDolibarr({ name: arg('name', 'bench'), port });
    const times: number[] = [];
    for (let i = 0; i < 5; i++) { await d.addProducts([`R${i}`], 1); times.push(await d.reset()); }
    await d.stop();
    console.log(JSON.stringify({ resetMs: times }));
  } else if (cmd === 'template') {
    const t0 = Date.now();
    const info = await ensureTemplate(port);
    console.log(JSON.stringify({ template: TEMPLATE, installMs: info.installMs, ms: Date.now() - t0 }));
  } else if (cmd === 'start') {
    const t0 = Date.now();
    const d = await startDolibarr({ name: arg('name', 'dev'), port });
    const resetMs = await d.reset();
    console.log(JSON.stringify({ url: d.url, siteUrl: d.siteUrl, apiKey: d.apiKey, adminPassword: d.adminPassword, version: d.version, startMs: Date.now() - t0 - resetMs, resetMs }));
  } else if (cmd === 'stop') stopServer(arg('name', 'dev'));
  else if (cmd === 'stop-all') {
    // The end of a test run: every Dolibarr server of this checkout except `npm run up`'s.
    for (const f of existsSync(DIR) ? readdirSync(DIR) : []) {
      const m = /^(.+)\.php-server\.pid$/.exec(f);
      if (m?.[1] && m[1] !== 'dev') stopServer(m[1]);
    }
  } else throw new Error(`unknown command ${cmd ?? ''} (template | start | stop | stop-all)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
