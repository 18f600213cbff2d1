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
  libpoco-dev        # engine/: JSON, SHA-256, regular expressions
  libutf8proc-dev    # engine/: Unicode normalization (found with pkg-config)
  libboost-test-dev  # tests/: Boost.Test
  libxml2-dev        # engine/: agency XML documents (find_package(LibXml2))
  libssl-dev         # engine/: OpenSSL libcrypto (find_package(OpenSSL)); not only via libpoco-dev
  libhpdf-dev        # renderers: PDF (not yet used by the build)
  fonts-dejavu-core  # renderers: the PDF font (not yet used by the build)
  nodejs             # tests/: ajv checks agency views against their JSON Schema contracts
LIST
)
# npm: Debian packages it apart; NodeSource's nodejs carries its own, which must not be replaced.
command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES npm"

# node_modules/ (ajv, from package-lock.json) at the repository root: npm ci when it is missing
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
