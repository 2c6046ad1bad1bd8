/**
 * The real systems Syncline is tested against: WordPress 7.0.4, WooCommerce 11.0.1 and Dolibarr 20.0.2, taken
 * from pristine archives in `../shared/realstack` (relative to the repository root, see `realstackSource`)
 * and unpacked once into `.run/cache/<archive>/` (never into tracked paths).
 *
 * The first unpack checks each archive's sha256 against the list in the realstack README and leaves a marker
 * file; later runs only look at the marker. When the archives are absent: with CI=true that is a hard failure,
 * otherwise the caller falls back to stand-ins and says so (see `fallbackWarning`).
 *
 *   node --import tsx scripts/env/realstack.ts        # unpack (or confirm the cache), print the paths
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CACHE = join(ROOT, '.run', 'cache');

export const REAL_VERSIONS = { wordpress: '7.0.4', woocommerce: '11.0.1', dolibarr: '20.0.2' } as const;
type Part = keyof typeof REAL_VERSIONS;

export interface RealStack {
  /** The archives' directory. */
  source: string;
  /** WordPress core (contains wp-includes/). */
  wordpress: string;
  /** The built WooCommerce plugin directory (contains woocommerce.php and vendor/). */
  woocommerce: string;
  /** Dolibarr's web root (upstream htdocs/, contains install/ and conf/). */
  dolibarr: string;
}

export class RealStackMissing extends Error {}

/**
 * Where the archives are expected (whether or not they exist): SYNCLINE_REALSTACK, else `../shared/realstack`
 * beside the checkout, else one level higher (a git worktree kept in a subdirectory, e.g. `wt/<branch>`).
 */
export function realstackSource(): string {
  if (process.env.SYNCLINE_REALSTACK) return resolve(process.env.SYNCLINE_REALSTACK);
  const near = join(ROOT, '..', 'shared', 'realstack');
  const candidates = [near, join(ROOT, '..', '..', 'shared', 'realstack')];
  return resolve(candidates.find((c) => existsSync(c)) ?? near);
}

/** sha256 per archive file name, read from the README's checksum block. */
function expectedChecksums(source: string): Map<string, string> {
  const out = new Map<string, string>();
  const readme = join(source, 'README.md');
  if (!existsSync(readme)) return out;
  for (const m of readFileSync(readme, 'utf8').matchAll(/^([0-9a-f]{64})\s+(\S+\.tar\.xz)$/gm)) {
    if (m[1] && m[2]) out.set(m[2], m[1]);
  }
  return out;
}

function sha256(file: string): Promise<string> {
  return new Promise((res, rej) => {
    const h = createHash('sha256');
    createReadStream(file).on('data', (c) => h.update(c)).on('error', rej).on('end', () => res(h.digest('hex')));
  });
}

/** Top-level directory each archive unpacks to. */
const INNER: Record<Part, string> = { wordpress: 'wordpress', woocommerce: 'woocommerce', dolibarr: 'dolibarr' };

async function unpackOnce(source: string, part: Part, sums: Map<string, string>): Promise<string> {
  const name = `${part}-${REAL_VERSIONS[part]}`;
  const archive = join(source, `${name}.tar.xz`);
  const dest = join(CACHE, name);
  const marker = join(dest, '.syncline-unpacked');
  const inner = join(dest, INNER[part]);
  if (existsSync(marker) && existsSync(inner)) return inner;
  if (!existsSync(archive)) throw new RealStackMissing(`${archive} is missing`);
  const want = sums.get(`${name}.tar.xz`);
  if (!want) throw new RealStackMissing(`no sha256 for ${name}.tar.xz in ${join(source, 'README.md')}`);
  const got = await sha256(archive);
  if (got !== want) throw new Error(`${archive}: sha256 ${got}, the realstack README lists ${want}; refusing to use it`);
  // Unpack beside the destination, then rename: a half-unpacked tree (killed run) never carries the marker.
  const tmp = `${dest}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const r = spawnSync('tar', ['-xJf', archive, '-C', tmp], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tar -xJf ${archive} failed: ${r.stderr}`);
  writeFileSync(join(tmp, '.syncline-unpacked'), `${want}  ${name}.tar.xz\n`);
  if (existsSync(marker)) { // another process finished first: keep its copy (it may be in use)
    rmSync(tmp, { recursive: true, force: true });
    return inner;
  }
  rmSync(dest, { recursive: true, force: true });
  renameSync(tmp, dest);
  return inner;
}

let cached: RealStack | null | undefined;

/**
 * The unpacked real systems, or null when the archives are absent and CI is not set (the caller then uses
 * stand-ins and must say so, see `fallbackWarning`). Throws with CI=true when they are absent.
 */
export async function realstack(): Promise<RealStack | null> {
  if (cached !== undefined) return cached;
  const source = realstackSource();
  if (!existsSync(source)) {
    if (process.env.CI === 'true') {
      throw new RealStackMissing(`CI=true but the real systems are missing: no ${source}. Tests and benchmarks must run on ` +
        'WordPress 7.0.4 + WooCommerce 11.0.1 + Dolibarr 20.0.2; point SYNCLINE_REALSTACK at the directory holding ' +
        'wordpress-7.0.4.tar.xz, woocommerce-11.0.1.tar.xz, dolibarr-20.0.2.tar.xz and their README.md.');
    }
    cached = null;
    return null;
  }
  const sums = expectedChecksums(source);
  mkdirSync(CACHE, { recursive: true });
  const [wordpress, woocommerce, dolibarr] = await Promise.all([
    unpackOnce(source, 'wordpress', sums), unpackOnce(source, 'woocommerce', sums), unpackOnce(source, 'dolibarr', sums),
  ]);
  const found: RealStack = { source, wordpress, woocommerce, dolibarr };
  cached = found;
  return found;
}

/** The loud message printed when stand-ins replace the real systems. */
export function fallbackWarning(): string {
  const bar = '!'.repeat(100);
  return `${bar}
!! NOT THE REAL SYSTEMS: ${realstackSource()} is absent.
!! Running on Debian's WordPress (or SYNCLINE_WP_DIR), the WooCommerce stand-in (or SYNCLINE_WC_DIR) and the
!! in-process Dolibarr stand-in. To use the real ones: set SYNCLINE_REALSTACK to a directory with the realstack
!! archives, or SYNCLINE_WP_DIR (WordPress >= 6.9) + SYNCLINE_WC_DIR (a built WooCommerce) and
!! SYNCLINE_DOLIBARR_URL + SYNCLINE_DOLIBARR_KEY (a running Dolibarr 20).
${bar}`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  realstack().then((rs) => {
    if (!rs) console.error(fallbackWarning());
    else console.log(JSON.stringify({ ...rs, ms: Date.now() - t0 }));
  }).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
