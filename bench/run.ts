/**
 * `npm run bench -- NAME [--flags]`: runs bench/NAME.ts. Every benchmark ends with one JSON line.
 */
const name = process.argv[2];
const known = ['orders', 'admin', 'oversell', 'stock', 'faults'];
known.push('reconcile');
known.push('products', 'freshness'); // master data sync, push from the ERP (issue 9)
known.push('books');
if (!name || !known.includes(name)) {
  console.error(`usage: npm run bench -- <${known.join('|')}> [options]`);
  process.exit(2);
}
// `orders --erp odoo`: the same benchmark on a real Odoo 17.0 (bench/odoo-orders.ts).
const erpArg = process.argv.indexOf('--erp');
// `orders` and `books` have an Odoo variant (bench/odoo-<name>.ts); any other bench would silently run on Dolibarr.
const onOdoo = erpArg > 0 && process.argv[erpArg + 1] === 'odoo';
const odooBenches = ['orders', 'books'];
if (onOdoo && !odooBenches.includes(name)) { console.error(`bench ${name} has no --erp odoo variant yet`); process.exit(2); }
await import(`./${onOdoo ? `odoo-${name}` : name}.js`);
