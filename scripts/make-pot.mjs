/**
 * languages/syncline.pot: every translatable string of the plugin (text domain `syncline`), PHP and admin JS.
 * - PHP (plugin.php, uninstall.php, includes/): GNU xgettext with WordPress's translation functions as keywords
 *   (WP-CLI's `wp i18n make-pot` is not in the Packagist copy this project can reach; see docs/ENVIRONMENT.md);
 * - admin TSX: Babel with @wordpress/babel-plugin-makepot, the extractor of the WordPress JS packages;
 * merged with msgcat, references by file only (no line numbers) and no creation date, so `npm run build` leaves it unchanged
 * unless a string changed, and `npm test` fails when the committed file is stale.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformFileSync } from '@babel/core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'languages', 'syncline.pot');
const check = process.argv.includes('--check');
const tmp = mkdtempSync(join(tmpdir(), 'syncline-pot-'));

const walk = (dir, exts) => readdirSync(dir).flatMap((n) => {
  const p = join(dir, n);
  return statSync(p).isDirectory() ? walk(p, exts) : exts.some((e) => n.endsWith(e)) ? [p] : [];
});
const rel = (files) => files.map((f) => relative(ROOT, f)).sort();

try {
  // PHP.
  const php = join(tmp, 'php.pot');
  const keywords = ['__', '_e', 'esc_html__', 'esc_html_e', 'esc_attr__', 'esc_attr_e', '_x:1,2c', '_ex:1,2c', 'esc_html_x:1,2c',
    'esc_attr_x:1,2c', '_n:1,2', '_nx:1,2,4c', '_n_noop:1,2', '_nx_noop:1,2,3c'];
  execFileSync('xgettext', ['--language=PHP', '--from-code=UTF-8', '--add-comments=translators:', '--no-wrap', '--sort-by-file',
    '--package-name=Syncline', ...keywords.map((k) => `--keyword=${k}`), '-o', php,
    ...rel(['plugin.php', 'uninstall.php'].map((f) => join(ROOT, f)).concat(walk(join(ROOT, 'includes'), ['.php'])))], { cwd: ROOT });

  // Admin JS: one .pot per file (the plugin keeps what it saw per plugin instance), merged below.
  const prevCwd = process.cwd();
  process.chdir(ROOT);
  const jsPots = [];
  for (const [i, file] of rel(walk(join(ROOT, 'admin', 'src'), ['.ts', '.tsx'])).entries()) {
    const out = join(tmp, `js-${i}.pot`);
    transformFileSync(file, {
      babelrc: false, configFile: false, code: false, cwd: ROOT,
      presets: [['@babel/preset-typescript', { isTSX: true, allExtensions: true }], ['@babel/preset-react', { runtime: 'automatic' }]],
      plugins: [['@wordpress/babel-plugin-makepot', { output: out }]],
    });
    try { statSync(out); jsPots.push(out); } catch { /* no strings in this file */ }
  }
  process.chdir(prevCwd);

  const merged = join(tmp, 'syncline.pot');
  execFileSync('msgcat', ['--use-first', '--no-wrap', '--sort-by-file', '--add-location=file', '-o', merged, php, ...jsPots]);
  const header = [
    '# Copyright (C) Syncline contributors',
    '# This file is distributed under the same license as the Syncline plugin.',
    'msgid ""',
    'msgstr ""',
    '"Project-Id-Version: Syncline\\n"',
    '"Report-Msgid-Bugs-To: \\n"',
    '"MIME-Version: 1.0\\n"',
    '"Content-Type: text/plain; charset=UTF-8\\n"',
    '"Content-Transfer-Encoding: 8bit\\n"',
    '"X-Domain: syncline\\n"',
    '',
  ].join('\n');
  // Everything after msgcat's own header (its first empty msgid entry).
  const body = readFileSync(merged, 'utf8').split(/\n\n/).filter((block) => !/^msgid ""\nmsgstr ""/m.test(block) || /^msgid "[^"]/m.test(block)).join('\n\n');
  const pot = `${header}\n${body.trim()}\n`;
  const count = (pot.match(/^msgid "/gm) ?? []).length - 1;
  if (check) {
    const committed = (() => { try { return readFileSync(OUT, 'utf8'); } catch { return ''; } })();
    if (committed !== pot) {
      process.stderr.write(`languages/syncline.pot is stale: run npm run build:pot and commit it (${count} strings now)\n`);
      process.exit(1);
    }
    process.stdout.write(`languages/syncline.pot is up to date (${count} strings)\n`);
  } else {
    writeFileSync(OUT, pot);
    process.stdout.write(`languages/syncline.pot written (${count} strings)\n`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
