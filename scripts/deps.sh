#!/bin/sh
# scripts/deps.sh: installs the Debian packages askonce needs, if any are missing.
# As root it uses apt-get directly; otherwise sudo. Safe to run again: it does nothing
# when everything is present.
set -eu

# build tools, then one line per library and why ("# ..." is a comment, not a package).
PACKAGES=$(sed 's/#.*//' <<'LIST'
  g++ cmake make     # the compiler and the build
  pkg-config         # FindPkgConfig in CMake, for libraries without a CMake config
  tao-pegtl-dev      # dsl/: the parser (PEGTL, header-only)
  libpoco-dev        # engine/: JSON, regular expressions; server/: HTTP (Net, NetSSL), config (Util), SQLite (Data)
  libutf8proc-dev    # engine/: Unicode normalization (found with pkg-config)
  libpcre3-dev       # engine/plan.cpp: form patterns on PCRE itself, with its JIT (pkg-config libpcre); not only via libpoco-dev
  libboost-test-dev  # tests/: Boost.Test
  libxml2-dev        # engine/: agency XML documents (find_package(LibXml2))
  libssl-dev         # engine/: OpenSSL libcrypto (find_package(OpenSSL)); not only via libpoco-dev
  libsqlite3-dev     # server/store/sqlite_store.cpp: prepared statements on SQLite itself (find_package(SQLite3))
  libpq-dev          # server/store: the PostgreSQL backend, on libpq itself (find_package(PostgreSQL))
  postgresql         # tests/: a throwaway cluster (scripts/test-postgres.sh); the default cluster Debian starts is never used
  libhpdf-dev        # renderers/pdf.cpp: PDF (libharu; find_library, no CMake config)
  fonts-dejavu-core  # renderers/pdf.cpp: DejaVu Sans, embedded in every PDF
  fonts-dejavu-extra # renderers/pdf.cpp: DejaVu Sans Oblique, for hints on the paper form
  poppler-utils      # tests/: pdftotext, pdftoppm (PDF goldens by extracted text)
  qpdf               # tests/: qpdf --check (PDF structure)
  zbar-tools         # tests/: zbarimg reads back the QR code on every page of the paper form (rendered by pdftoppm)
  nodejs             # tests/: ajv checks agency views against their JSON Schema contracts
  chromium           # tests/browser/: axe-core and the show/hide checks run in headless Chromium
  sqlite3            # docs/operations.md: integrity checks, .backup and VACUUM INTO backups
  python3-aiosmtpd   # tests/smtp/smtp_server.py: a real SMTP relay on loopback (STARTTLS, AUTH) for mail_tests; run by /usr/bin/python3
  openssl            # tests/smtp_support.hpp: `openssl req` makes the test relay's certificate
  libargon2-dev      # server/staff/password.cpp: staff passwords hashed with Argon2id (libargon2's encoded form)
  libqrencode-dev    # renderers/pdf.cpp: the QR code on every page of the paper form; server/staff/qr.cpp: a staff member's otpauth URI as inline SVG at enrolment
  oathtool           # tests/staff_tests.cpp: TOTP codes computed by another implementation than ours
  python3-scipy      # tests/performance/attack.py (performance_tests): bounds every suppressed cell of the published results by linear programming
  faketime           # tests/performance/history.py (performance_history_tests): libfaketime walks one real server through several fiscal quarters, without a clock hook in the product
LIST
)
# npm: Debian packages it apart; NodeSource's nodejs carries its own, which must not be replaced.
command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES npm"
# java: the Nu HTML Checker (vnu-jar, tests/browser/); any Java 11 or later will do, and when
# there is one, vnu-jar's install step downloads none of its own.
command -v java >/dev/null 2>&1 || PACKAGES="$PACKAGES default-jre-headless"
# --bench: also what only the benchmarks need. wrk drives the server in `make bench-server`
# (bench/server/run.sh); nothing else uses it, so `make run` and `make test` never install it.
if [ "${1:-}" = "--bench" ]; then
  PACKAGES="$PACKAGES wrk"
fi

# node_modules/ (ajv, @uswds/uswds, vnu-jar, axe-core, playwright-core, @getodk/xforms-engine and
# jsdom: package-lock.json) at the root: npm ci when it is missing
# or older than the lock file; nothing otherwise.
node_modules() {
  root=$(cd "$(dirname "$0")/.." && pwd)
  if [ ! -f "$root/node_modules/.package-lock.json" ] ||
     [ -n "$(find "$root/package-lock.json" -newer "$root/node_modules/.package-lock.json")" ]; then
    echo "askonce: installing node_modules (npm ci)"
    (cd "$root" && npm ci --no-audit --no-fund)
  fi
}

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  node_modules
  exit 0
fi

cannot() {
  echo "askonce: these Debian packages are missing:$missing" >&2
  echo "askonce: $1; install them as root, then run make again:" >&2
  echo "  apt-get update && apt-get install -y --no-install-recommends$missing" >&2
  exit 1
}

if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif ! command -v sudo >/dev/null 2>&1; then
  cannot "you are not root and sudo is not installed"
elif ! sudo -n true 2>/dev/null && ! [ -t 0 ]; then
  # sudo wants a password and there is no terminal to type it (CI, cron, stdin redirected).
  cannot "sudo needs a password and there is no terminal to ask for it"
else
  # env: sudo resets the environment, and apt must not stop to ask questions.
  SUDO="sudo"
fi

echo "askonce: installing missing packages:$missing"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
node_modules
