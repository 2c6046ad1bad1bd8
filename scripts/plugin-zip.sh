#!/usr/bin/env bash
# Builds dist/syncline.zip: an installable plugin without dev files (no node_modules, vendor, tests, sources).
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/syncline/build" dist
cp plugin.php uninstall.php readme.txt "$stage/syncline/"
cp -r includes "$stage/syncline/"
cp build/sidecar.cjs "$stage/syncline/build/"
cp -r build/admin "$stage/syncline/build/"
[ -d languages ] && cp -r languages "$stage/syncline/"
rm -f dist/syncline.zip
(cd "$stage" && zip -qr - syncline) > dist/syncline.zip
echo "dist/syncline.zip: $(du -h dist/syncline.zip | cut -f1), $(unzip -l dist/syncline.zip | tail -1 | awk '{print $2}') files"
