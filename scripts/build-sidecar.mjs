// Bundles the sidecar (src/sidecar/main.ts) and everything it imports into one CommonJS file that plain
// `node build/sidecar.cjs` runs with no node_modules beside it.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['src/sidecar/main.ts'],
  outfile: 'build/sidecar.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: false,
  sourcemap: false,
  legalComments: 'none',
  define: { SYNCLINE_VERSION: JSON.stringify(pkg.version) },
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
console.log('build/sidecar.cjs written');
