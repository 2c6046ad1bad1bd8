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
// `--erp odoo`: the same benchmark on a real Odoo 17.0. `faults` and `books` pick their ERP themselves
// (bench/erp-under-test.ts); `orders` still has an Odoo file of its own (bench/odoo-orders.ts); any other bench
// would silently run on Dolibarr, so it refuses the flag.
const erpArg = process.argv.indexOf('--erp');
const onOdoo = erpArg > 0 && process.argv[erpArg + 1] === 'odoo';
const seamed = ['faults', 'books'];
const odooFiles = ['orders'];
if (onOdoo && !seamed.includes(name) && !odooFiles.includes(name)) { console.error(`bench ${name} has no --erp odoo variant yet`); process.exit(2); }
await import(`./${onOdoo && odooFiles.includes(name) ? `odoo-${name}` : name}.js`);
