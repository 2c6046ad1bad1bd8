/**
 * `npm run bench -- NAME [--flags]`: runs bench/NAME.ts. Every benchmark ends with one JSON line.
 */
const name = process.argv[2];
const known = ['orders', 'admin', 'oversell', 'stock', 'faults'];
known.push('books');
if (!name || !known.includes(name)) {
  console.error(`usage: npm run bench -- <${known.join('|')}> [options]`);
  process.exit(2);
}
await import(`./${name}.js`);
