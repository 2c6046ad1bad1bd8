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
// Only `orders` has an Odoo variant so far: any other bench would silently run on Dolibarr (books/faults on Odoo: issue 11, not built yet).
if (erpArg > 0 && process.argv[erpArg + 1] === 'odoo' && name !== 'orders') { console.error(`bench ${name} has no --erp odoo variant yet`); process.exit(2); }
await import(`./${name === 'orders' && erpArg > 0 && process.argv[erpArg + 1] === 'odoo' ? 'odoo-orders' : name}.js`);
