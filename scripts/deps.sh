#!/bin/sh
# scripts/deps.sh: installs the Debian packages askonce needs, if any are missing.
# As root it uses apt-get directly; otherwise sudo. Safe to run again: it does nothing
# when everything is present.
set -eu

# build tools, then one line per library and why.
PACKAGES="
  g++ cmake make pkg-config
  tao-pegtl-dev
  libpoco-dev
  libboost-test-dev
  libxml2-dev
  libhpdf-dev
  fonts-dejavu-core
"

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  exit 0
fi

echo "askonce: installing missing packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "askonce: these packages are missing and neither root nor sudo is available:$missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
