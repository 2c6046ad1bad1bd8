#!/usr/bin/env bash
# The whole suite (`npm test`): static checks, unit tests, PHP integration tests on real WordPress + MariaDB,
# sidecar integration tests (real WordPress + bundled sidecar + Dolibarr stand-in), admin e2e in Chromium.
# Set SYNCLINE_SKIP_E2E=1 to leave out the browser tests.
set -uo pipefail
shopt -s globstar nullglob
cd "$(dirname "$0")/.."
fail=0
step() {
  local name="$1"; shift
  echo "::: $name"
  local t0=$SECONDS
  if "$@"; then echo "::: $name ok ($((SECONDS - t0)) s)"; else echo "::: $name FAILED ($((SECONDS - t0)) s)"; fail=1; fi
}

npm run build >/dev/null || { echo "build failed"; exit 1; }
# Was MariaDB already up (e.g. `npm run up`)? Then leave it running at the end.
keep_db=""; node --import tsx scripts/env/wp-env.ts db-status && keep_db="--keep-db"

step "tsc (strict)" npx tsc --noEmit -p tsconfig.json
step "eslint" npx eslint src tests/ts tests/e2e bench scripts --max-warnings=0
step "circular imports (madge)" npx madge --circular --extensions ts src
step "php -l" bash -c 'find plugin.php uninstall.php includes tests/php tests/wp scripts -name "*.php" -print0 | xargs -0 -n1 -P2 php -l >/dev/null'
step "phpcs (WordPress standards)" vendor/bin/phpcs -q
step "phpstan" vendor/bin/phpstan analyse --no-progress --memory-limit=1G
step "unit tests (engine)" node --import tsx --test --test-reporter=spec src/**/*.test.ts
step "php integration tests (real WordPress + MariaDB)" node --import tsx scripts/env/phpunit.ts
step "sidecar integration tests (real WordPress + bundled sidecar + ERP stand-in)" \
  node --import tsx --test --test-concurrency=1 --test-reporter=spec tests/ts/integration/**/*.test.ts
if [ "${SYNCLINE_SKIP_E2E:-0}" != "1" ] && ls tests/e2e/*.test.ts >/dev/null 2>&1; then
  step "admin e2e (Chromium)" node --import tsx --test --test-concurrency=1 --test-reporter=spec tests/e2e/**/*.test.ts
fi
# Leave nothing running: the PHP servers and MariaDB the tests started.
node --import tsx scripts/env/wp-env.ts cleanup $keep_db || true
if [ $fail -ne 0 ]; then echo "npm test: FAILED (see the steps marked FAILED above)"; else echo "npm test: all steps passed"; fi
exit $fail
