#!/usr/bin/env bash
# Installs what Syncline needs on a fresh Debian machine (idempotent), then builds.
#   apt: MariaDB, PHP extensions (Dolibarr 20 needs gd, intl, xml, mbstring, curl, zip, imap), Debian's WordPress
#        (core for the stand-in fallback when ../shared/realstack is absent), Chromium (admin e2e)
#   composer: dev tools (PHPUnit, PHPCS + WPCS, PHPStan + stubs, WP-CLI)
#   npm: engine + admin toolchain
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(mariadb-server mariadb-client php8.2-mysql php8.2-curl php8.2-gd php8.2-zip php8.2-mbstring php8.2-intl php8.2-xml php8.2-imap wordpress micro-httpd chromium zip unzip gettext)
# Odoo 17.0 (issue 11, scripts/env/odoo.ts): PostgreSQL and Debian's Python 3.11 packages, as ../shared/realstack/ODOO.md lists.
APT_PACKAGES+=(postgresql python3-babel python3-dateutil python3-decorator python3-docutils python3-gevent python3-greenlet
  python3-idna python3-jinja2 python3-libsass python3-lxml python3-markupsafe python3-num2words python3-ofxparse python3-passlib
  python3-polib python3-psutil python3-psycopg2 python3-pydot python3-openssl python3-pypdf2 python3-qrcode python3-reportlab
  python3-renderpm python3-requests python3-rjsmin python3-stdnum python3-urllib3 python3-vobject python3-werkzeug
  python3-xlsxwriter python3-xlrd python3-xlwt python3-zeep python3-geoip2 python3-asn1crypto python3-cbor2 python3-chardet
  python3-freezegun python3-pil python3-serial python3-usb python3-ldap python3-openpyxl python3-tz python3-cryptography)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q
  # --no-install-recommends keeps Apache's service out; WordPress here is only a source of core files.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ ! -f vendor/autoload.php ] || [ composer.json -nt vendor/autoload.php ]; then
  composer install --no-interaction --no-progress
fi
if [ ! -d node_modules ] || [ package.json -nt node_modules/.package-lock.json ]; then
  # `npm ci` refuses this lock file: the registry copy here lacks @unrs/resolver's optional bindings for other
  # platforms, which npm 11 then reports as "missing from lock file". `npm install` honours the lock otherwise.
  npm install --no-audit --no-fund
fi
npm run build
