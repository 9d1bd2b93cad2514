#!/usr/bin/env bash
# Runs a command in a private mount namespace in which the trust store directories (and the certifi
# bundles of the given interpreters) are throwaway copies: what the command installs there is gone
# when it ends, and this machine's own trust store is never changed. ztpol's default state directory
# (/var/lib/ztpol, where the trust journal lives) is a throwaway too, so a command run without
# --state-dir leaves no journal claiming a root is installed. Used by the demo and the tests.
#
# usage: PYTHONS="/path/to/python ..." with-private-trust.sh COMMAND [ARGS...]
set -euo pipefail
if [ -z "${ZTPOL_PRIVATE_TRUST:-}" ]; then
  exec env ZTPOL_PRIVATE_TRUST=1 unshare --mount --propagation private "$0" "$@"
fi
copy=$(mktemp -d /tmp/ztpol-trust.XXXXXX)
mounted=()
created_state=""
cleanup() {
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount "${mounted[i]}" || true; done
  # Made only to have something to mount over; empty again once unmounted.
  [ -n "$created_state" ] && rmdir /var/lib/ztpol 2>/dev/null
  rm -rf "$copy"
}
trap cleanup EXIT
if [ ! -d /var/lib/ztpol ]; then
  mkdir -p /var/lib/ztpol
  created_state=1
fi
for d in /etc/ssl /usr/local/share/ca-certificates /etc/profile.d /etc/systemd /var/lib/ztpol; do
  [ -d "$d" ] || continue
  mkdir -p "$copy$d"
  cp -a "$d/." "$copy$d/"
  mount --bind "$copy$d" "$d"
  mounted+=("$d")
done
for py in ${PYTHONS:-} /usr/local/bin/python3 /usr/bin/python3; do
  [ -x "$py" ] || continue
  where=$("$py" -c 'import certifi, os; print(os.path.dirname(os.path.realpath(certifi.where())))' 2>/dev/null) \
    || continue
  mountpoint -q "$where" && continue
  mkdir -p "$copy$where"
  cp -a "$where/." "$copy$where/"
  mount --bind "$copy$where" "$where"
  mounted+=("$where")
done
"$@"
