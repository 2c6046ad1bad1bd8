#!/usr/bin/env bash
# The main job: set up and run Syncline on a local WordPress (loopback only), against an ERP.
#   ERP: a real Dolibarr when SYNCLINE_DOLIBARR_URL and SYNCLINE_DOLIBARR_KEY are set, else the protocol-level
#   Dolibarr stand-in (tests/ts/standins/dolibarr/fake-server.ts) on 127.0.0.1:8090.
#   WooCommerce: SYNCLINE_WC_DIR (a built WooCommerce; needs SYNCLINE_WP_DIR with WordPress >= 6.9) or the stand-in.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
PORT="${SYNCLINE_PORT:-8080}"
ERP_PORT="${SYNCLINE_ERP_PORT:-8090}"
mkdir -p .run
node --import tsx scripts/env/up.ts --port "$PORT" --erp-port "$ERP_PORT"
