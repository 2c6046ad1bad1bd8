#!/usr/bin/env bash
# The main job: set up and run Syncline on a local WordPress (loopback only), against an ERP.
#   With ../shared/realstack (or SYNCLINE_REALSTACK): WordPress 7.0.4 + WooCommerce 11.0.1 + a real Dolibarr 20.0.2
#   on 127.0.0.1:8090 (installed once, kept under .run/). Without it: Debian's WordPress, the WooCommerce stand-in
#   and the Dolibarr stand-in, said loudly. SYNCLINE_DOLIBARR_URL + SYNCLINE_DOLIBARR_KEY: your own Dolibarr;
#   SYNCLINE_WP_DIR / SYNCLINE_WC_DIR: your own WordPress core / built WooCommerce.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
PORT="${SYNCLINE_PORT:-8080}"
ERP_PORT="${SYNCLINE_ERP_PORT:-8090}"
mkdir -p .run
node --import tsx scripts/env/up.ts --port "$PORT" --erp-port "$ERP_PORT"
