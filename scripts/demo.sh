#!/usr/bin/env bash
# The README's main command: on a fresh Debian 12 machine, as root, installs what ztpol needs, builds
# it, brings up the four-host topology and locks it down with policies/webserver.zt, then shows the
# tcp/443 reachability matrix in both families. `--keep` leaves the topology up afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
keep=0
[ "${1:-}" = "--keep" ] && keep=1

step() { printf '\n== %s\n' "$*"; }

step "installing packages"
scripts/install-deps.sh

step "building ztpol (release)"
swift build -c release --product ztpol 2>&1 | tail -n 1
ztpol="$PWD/.build/release/ztpol"

step "bringing up the topology: zt-ra, zt-web, zt-svc, zt-other on one bridge"
scripts/topology.sh up
[ "$keep" -eq 1 ] || trap 'step "tearing down"; scripts/topology.sh down' EXIT

step "before: every host reaches every other"
python3 scripts/reachability.py

step "checking the policy"
"$ztpol" check policies/webserver.zt

for host in zt-ra zt-web zt-svc; do
  step "ztpol apply policies/webserver.zt  (in $host; zone found from its addresses)"
  ip netns exec "$host" "$ztpol" apply policies/webserver.zt
done

step "after: tcp/443 is open for exactly zt-ra -> zt-web, zt-svc -> zt-web, zt-web -> zt-ra"
python3 scripts/reachability.py
