/**
 * Profile of the master data write path (not in `npm test`, not a benchmark with targets): a fresh WordPress 7 +
 * WooCommerce 11 site (no ERP needed), `--products N` (200) simple products, then bench/products-profile.php in
 * one `wp eval-file` with SAVEQUERIES: plain WC_Product::save() and Syncline's ProductsApplier, each changing name
 * and regular price of every product. Prints the probe's JSON (wall, queries per product by caller, inclusive
 * time per action). `--mode plain|applier|both`.
 *   node --import tsx bench/products-profile.ts --products 200
 */
import { join } from 'node:path';
import { ROOT, dbStart, siteCreate, wp } from '../scripts/env/wp-env.js';

const arg = (n: string, d: string): string => {
  const i = process.argv.indexOf(`--${n}`);
  return i > 0 ? (process.argv[i + 1] ?? d) : d;
};
process.env.PROFILE_N = arg('products', '200');
process.env.PROFILE_MODE = arg('mode', 'both');
await dbStart();
const port = Number(process.env.SYNCLINE_STACK_PORT ?? 18506) + 9;
const site = await siteCreate(`${process.env.SYNCLINE_STACK_PREFIX ?? ''}productsprofile`, port, { hpos: true });
// This WP-CLI has no eval-file: the probe registers itself as a command when required.
console.log(wp(site, [`--require=${join(ROOT, 'bench', 'products-profile.php')}`, "--exec=define('SAVEQUERIES', true);", 'syncline-products-profile']));
