#!/bin/bash
# shellcheck disable=SC2317  # the scenario functions are called indirectly, by name
# scripts/fresh-debian-check.sh: prove that `make test` and `make run` work on a fresh Debian 12
# (bookworm) machine that has nothing but git, make, cmake and g++ (issue 2).
#
# NOT for CI. It needs root (debootstrap, chroot, mount), a Debian mirror, about 3 GB of disk
# and 5 to 15 minutes. CI refuses it (CI=true).
#
# What it does, in order:
#   1. Once: debootstrap a minimal bookworm (git make cmake g++ ca-certificates sudo) into
#      $CHROOT and keep a pristine copy as $CHROOT.pristine.tar. REBUILD=1 starts again.
#   2. For each scenario, restore $CHROOT from the pristine copy (so every scenario starts
#      with no askonce dependency installed), mount /proc, /dev, /dev/pts, this repository
#      read-only at /src/askonce and the shared folder read-only at /work/shared, then
#      `git clone /src/askonce` (the COMMITTED state only) beside /work/shared.
#   3. Scenarios (default: all):
#        root    as root, CI=true, stdin from /dev/null: `bash .ci/run`, then `make test`
#                again (must not touch apt), then `make run`.           log: $LOGDIR/fresh-root.log
#        user    as user "dev" with passwordless sudo, with a root-owned /tmp/askonce-cli-test
#                left behind as by an earlier `sudo make test`: `make test`, then `make run`.
#                                                                       log: $LOGDIR/fresh-user.log
#        nosudo  as user "dev", no terminal: `sh scripts/deps.sh` must fail with a clear message
#                and exit status 1, both when sudo wants a password and when there is no sudo.
#                                                                       log: $LOGDIR/fresh-nosudo.log
#   4. Unmount everything (also on failure or Ctrl-C). The chroot is kept for inspection.
#
# Usage:   sudo scripts/fresh-debian-check.sh [root|user|nosudo]...
# Environment:
#   CHROOT   where the chroot lives            (default /work/chroot-bookworm)
#   SHARED   the shared folder                 (default: <repo>/../shared)
#   MIRROR   Debian mirror                     (default: the one in this machine's apt sources)
#   LOGDIR   where the logs go                 (default /tmp)
#   REBUILD  1: debootstrap again              (default 0)
#   PATCH    a patch file (git diff) to apply to each fresh clone, to test build fixes that
#            are not committed yet. Unset by default: the point is to test what is committed.
set -euo pipefail

if [ "${CI:-}" = true ]; then
  echo "fresh-debian-check: not for CI (it needs root, debootstrap and a mirror)" >&2
  exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "fresh-debian-check: must run as root (debootstrap, chroot, mount)" >&2
  exit 2
fi

repo=$(cd "$(dirname "$0")/.." && pwd)
CHROOT=${CHROOT:-/work/chroot-bookworm}
SHARED=${SHARED:-$(cd "$repo/.." && pwd)/shared}
LOGDIR=${LOGDIR:-/tmp}
REBUILD=${REBUILD:-0}
PATCH=${PATCH:-}
[ -z "$PATCH" ] || PATCH=$(realpath "$PATCH")
PRISTINE="$CHROOT.pristine.tar"
SCENARIOS=("$@")
[ ${#SCENARIOS[@]} -gt 0 ] || SCENARIOS=(root user nosudo)

case "$CHROOT" in
  /|/work|/work/|"$repo"|"$repo"/*) echo "fresh-debian-check: refusing CHROOT=$CHROOT" >&2; exit 2 ;;
esac
[ -d "$SHARED" ] || { echo "fresh-debian-check: no shared folder at $SHARED" >&2; exit 2; }

# The mirror: the first Debian archive this machine's apt uses, else deb.debian.org.
if [ -z "${MIRROR:-}" ]; then
  MIRROR=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null |
           grep -oE 'https?://[^ ]+/debian/?( |$)' | head -n1 | tr -d ' ' || true)
  MIRROR=${MIRROR:-http://deb.debian.org/debian}
fi
MIRROR=${MIRROR%/}
SECURITY=${MIRROR%/debian}/debian-security

# NODE_EXTRA_CA_CERTS: npm trusts the system store (with the proxy's authority, see reset_chroot).
ROOTENV=(env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin CI=true
         NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt)
DEVENV=(env -i HOME=/home/dev USER=dev LOGNAME=dev PATH=/usr/local/bin:/usr/bin:/bin CI=true
        NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt)

mounted() { awk -v c="$CHROOT" '$2 == c || index($2, c "/") == 1 { print $2 }' /proc/self/mounts; }

unmount_all() {
  local m
  # Deepest first.
  for m in $(mounted | sort -r); do umount "$m" 2>/dev/null || umount -l "$m"; done
  if [ -n "$(mounted)" ]; then
    echo "fresh-debian-check: still mounted under $CHROOT:" >&2; mounted >&2; return 1
  fi
}
trap unmount_all EXIT

mount_all() {
  mkdir -p "$CHROOT/proc" "$CHROOT/dev" "$CHROOT/src/askonce" "$CHROOT/work/shared"
  mount -t proc proc "$CHROOT/proc"
  mount --bind /dev "$CHROOT/dev"
  mount -t devpts devpts "$CHROOT/dev/pts" -o newinstance,ptmxmode=0666,mode=620
  mount --bind "$repo" "$CHROOT/src/askonce"
  mount -o remount,bind,ro "$CHROOT/src/askonce"
  mount --bind "$SHARED" "$CHROOT/work/shared"
  mount -o remount,bind,ro "$CHROOT/work/shared"
}

build_pristine() {
  command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap
  local new="$CHROOT.new"
  rm -rf --one-file-system "$new"
  echo "== debootstrap bookworm from $MIRROR into $new"
  debootstrap --variant=minbase --include=git,make,cmake,g++,ca-certificates,sudo \
    bookworm "$new" "$MIRROR"
  # The apt sources of a fresh Debian 12 install: main, updates and security.
  rm -f "$new/etc/apt/sources.list"
  cat >"$new/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  # debootstrap leaves its package lists behind; a fresh machine may have none.
  rm -rf "$new/var/lib/apt/lists/"* "$new/var/cache/apt/"*.bin
  tar -C "$new" -cf "$PRISTINE.tmp" . && mv "$PRISTINE.tmp" "$PRISTINE"
  rm -rf --one-file-system "$new"
}

# Restore $CHROOT from the pristine copy, add user dev (passwordless sudo), mount, clone.
reset_chroot() {
  unmount_all || exit 1
  # Never delete through a bind mount (the repository and the shared folder are mounted here).
  [ -z "$(mounted)" ] || { echo "fresh-debian-check: $CHROOT still has mounts" >&2; exit 1; }
  rm -rf --one-file-system "$CHROOT"
  mkdir -p "$CHROOT"
  tar -C "$CHROOT" -xf "$PRISTINE"
  cp /etc/resolv.conf "$CHROOT/etc/resolv.conf"
  # sudo looks up the host name; a real machine has it in /etc/hosts.
  printf '127.0.0.1 localhost\n127.0.1.1 %s\n' "$(hostname)" >"$CHROOT/etc/hosts"
  chroot "$CHROOT" useradd -m -s /bin/bash dev
  echo 'dev ALL=(ALL) NOPASSWD: ALL' >"$CHROOT/etc/sudoers.d/dev"
  chmod 440 "$CHROOT/etc/sudoers.d/dev"
  # /src/askonce belongs to the host's owner, not to dev: let git read it.
  chroot "$CHROOT" git config --system --add safe.directory '*'
  # This workplace reaches the package registries through a proxy with its own certificate
  # authority, which the host trusts; the chroot must trust it too (npm refuses it otherwise).
  # A real fresh machine has no such proxy, so this is not a project dependency.
  if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
    cp /usr/local/share/ca-certificates/*.crt "$CHROOT/usr/local/share/ca-certificates/"
    chroot "$CHROOT" update-ca-certificates >/dev/null
  fi
  mount_all
}

clone() {  # clone USER DIR
  local user=$1 dir=$2 envv
  if [ "$user" = root ]; then envv=("${ROOTENV[@]}"); else envv=("${DEVENV[@]}"); fi
  chroot "$CHROOT" install -d -o "$user" -g "$user" "$dir"
  chroot --userspec="$user:$user" "$CHROOT" "${envv[@]}" git clone -q /src/askonce "$dir"
  if [ -n "$PATCH" ]; then
    echo "== PATCH: applying $PATCH to the clone"
    chroot --userspec="$user:$user" "$CHROOT" "${envv[@]}" git -C "$dir" apply --stat --apply - <"$PATCH"
  fi
  chroot "$CHROOT" git -C "$dir" log --oneline -1
}

scenario_root() {
  reset_chroot
  clone root /work/main-fresh
  echo "== root: bash .ci/run (CI=true, stdin /dev/null)"
  local t0=$SECONDS
  chroot "$CHROOT" "${ROOTENV[@]}" bash -c 'cd /work/main-fresh && bash .ci/run' </dev/null
  echo "== root: .ci/run took $((SECONDS - t0)) s"
  echo "== root: make test again (no apt-get expected)"
  chroot "$CHROOT" "${ROOTENV[@]}" bash -c 'cd /work/main-fresh && make test' </dev/null >"$LOGDIR/fresh-root-again.log" 2>&1
  if grep -q 'apt-get\|installing missing packages' "$LOGDIR/fresh-root-again.log"; then
    echo "FAIL: the second make test ran apt" ; return 1
  fi
  echo "   ok: deps.sh did nothing"
  echo "== root: make run"
  chroot "$CHROOT" "${ROOTENV[@]}" bash -c 'cd /work/main-fresh && make run' </dev/null
}

scenario_user() {
  reset_chroot
  clone dev /work/main-user
  # What an earlier root run leaves in /tmp: a directory dev cannot write into, holding a file
  # with other content. Tests must not depend on /tmp being theirs.
  mkdir -p "$CHROOT/tmp/askonce-cli-test" "$CHROOT/tmp/askonce-hash-test"
  echo 'stale' >"$CHROOT/tmp/askonce-cli-test/bad.form"
  chmod 755 "$CHROOT/tmp/askonce-cli-test" "$CHROOT/tmp/askonce-hash-test"
  echo "== dev (passwordless sudo): make test (CI=true, stdin /dev/null)"
  local t0=$SECONDS
  chroot --userspec=dev:dev "$CHROOT" "${DEVENV[@]}" bash -c 'cd /work/main-user && make test' </dev/null
  echo "== dev: make test took $((SECONDS - t0)) s"
  echo "== dev: make run"
  chroot --userspec=dev:dev "$CHROOT" "${DEVENV[@]}" bash -c 'cd /work/main-user && make run' </dev/null
  echo "== dev: sh scripts/deps.sh with everything installed (expect no output, exit 0)"
  chroot --userspec=dev:dev "$CHROOT" "${DEVENV[@]}" sh -c 'cd /work/main-user && sh scripts/deps.sh; echo "exit $?"' </dev/null
}

scenario_nosudo() {
  reset_chroot
  clone dev /work/main-user
  local rc
  echo "== dev, sudo wants a password, no terminal: sh scripts/deps.sh (expect a clear message, exit 1)"
  echo 'dev ALL=(ALL) ALL' >"$CHROOT/etc/sudoers.d/dev"
  rc=0
  chroot --userspec=dev:dev "$CHROOT" "${DEVENV[@]}" setsid sh -c 'cd /work/main-user && sh scripts/deps.sh' </dev/null || rc=$?
  echo "   exit $rc"
  [ "$rc" -eq 1 ]
  echo "== dev, no sudo: sh scripts/deps.sh (expect a clear message, exit 1)"
  mv "$CHROOT/usr/bin/sudo" "$CHROOT/usr/bin/sudo.hidden"
  rc=0
  chroot --userspec=dev:dev "$CHROOT" "${DEVENV[@]}" sh -c 'cd /work/main-user && sh scripts/deps.sh' </dev/null || rc=$?
  echo "   exit $rc"
  [ "$rc" -eq 1 ]
  echo "== nothing was installed"
  ! chroot "$CHROOT" dpkg-query -W tao-pegtl-dev >/dev/null 2>&1
}

if [ "$REBUILD" = 1 ] || [ ! -f "$PRISTINE" ]; then build_pristine; fi
status=0
for s in "${SCENARIOS[@]}"; do
  case "$s" in
    root|user|nosudo) ;;
    *) echo "fresh-debian-check: unknown scenario $s (root, user, nosudo)" >&2; exit 2 ;;
  esac
  log="$LOGDIR/fresh-$s.log"
  echo "fresh-debian-check: $s scenario, log in $log"
  t0=$SECONDS
  # Not `if ( ... )`: bash ignores set -e inside a tested subshell.
  set +e
  ( set -e; "scenario_$s" ) >"$log" 2>&1
  rc=$?
  set -e
  if [ "$rc" -eq 0 ]; then r=PASS; else r=FAIL; status=1; fi
  echo "fresh-debian-check: $s: $r in $((SECONDS - t0)) s"
  [ "$r" = PASS ] || tail -n 30 "$log"
done
exit $status
