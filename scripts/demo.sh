#!/usr/bin/env bash
# The README's main command: on a fresh Debian 12 machine, as root, installs what ztpol needs, builds
# it, and plays the whole story on four hosts (network namespaces on one bridge):
#   zt-ra     the private ACME RA (pebble), HTTPS on 10.77.0.1:443 chained to a private root
#   zt-web    locks itself down and obtains its certificate through its own firewall (TLS-ALPN-01)
#   zt-svc    locks itself down and trusts the private root (system store, certifi, env files)
#   zt-other  is in no zone: it cannot reach anyone
# Then it serves HTTPS on zt-web with the issued certificate, calls it from zt-svc with Python
# requests (verified, IPv4 and IPv6), shows that zt-other cannot connect, prints the tcp/443 matrix,
# and tears everything down. This machine's own trust store is never changed: zt-svc's installs
# happen in a private mount namespace. `--keep` leaves the topology and the RA up.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
keep=0
[ "${1:-}" = "--keep" ] && keep=1

step() { printf '\n== %s\n' "$*"; }

step "installing packages"
scripts/install-deps.sh
venv=.venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import requests, certifi' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check pytest requests certifi pyyaml
fi

step "building ztpol (release)"
swift build -c release --static-swift-stdlib --product ztpol 2>&1 | tail -n 1
ztpol="$PWD/.build/release/ztpol"
state="$PWD/out/demo"
rm -rf "$state"

cleanup() {
  step "tearing down"
  [ -n "${web_server:-}" ] && kill "$web_server" 2>/dev/null || true
  scripts/ra.sh down
  scripts/topology.sh down
}

step "bringing up the topology: zt-ra, zt-web, zt-svc, zt-other on one bridge"
scripts/topology.sh up
[ "$keep" -eq 1 ] || trap cleanup EXIT

step "before: every host reaches every other on tcp/443"
python3 scripts/reachability.py

step "starting the private RA in zt-ra (pebble behind https://10.77.0.1/dir)"
scripts/ra.sh up policies/certs

step "ztpol check policies/webserver.zt"
"$ztpol" check policies/webserver.zt

step "zt-ra: ztpol apply policies/webserver.zt (zone found from its addresses)"
ip netns exec zt-ra "$ztpol" apply policies/webserver.zt

step "zt-web: ztpol bootstrap policies/webserver.zt"
ip netns exec zt-web "$ztpol" bootstrap policies/webserver.zt --state-dir "$state/web" 2>/dev/null
cert="$state/web/acme/certificates/web.test"
openssl x509 -in "$cert/cert.pem" -noout -subject -issuer -enddate -ext subjectAltName | sed 's/^/   /'

step "zt-web: serving HTTPS on [::]:443 with that certificate"
ip netns exec zt-web python3 scripts/web_server.py "$cert/fullchain.pem" "$cert/privkey.pem" >"$state/web-server.log" 2>&1 &
web_server=$!
for _ in $(seq 50); do grep -q ready "$state/web-server.log" 2>/dev/null && break; sleep 0.1; done

step "zt-svc: bootstrap (firewall + trust), then Python requests to https://web.test/ (private mount namespace)"
PYTHONS="$PWD/$venv/bin/python" scripts/with-private-trust.sh bash -c '
  set -e
  echo "-- before the root is trusted:"
  ip netns exec zt-svc "$0/bin/python" scripts/web_client.py https://web.test/ 4 || true
  ip netns exec zt-svc "$0/bin/python" scripts/web_client.py https://web.test/ 6 || true
  ip netns exec zt-svc "$1" bootstrap policies/webserver.zt --state-dir "$2/svc" --python "$PWD/$0/bin/python"
  echo "-- after:"
  ip netns exec zt-svc "$0/bin/python" scripts/web_client.py https://web.test/ 4
  ip netns exec zt-svc "$0/bin/python" scripts/web_client.py https://web.test/ 6
  echo "-- a second bootstrap changes nothing and requests nothing:"
  ip netns exec zt-svc "$1" bootstrap policies/webserver.zt --state-dir "$2/svc" --python "$PWD/$0/bin/python" \
    | grep -E "firewall|trust|certificate"
' "$venv" "$ztpol" "$state"

step "zt-other (in no zone) calls https://web.test/"
ip netns exec zt-other "$venv/bin/python" scripts/web_client.py https://web.test/ 4 1 || true
ip netns exec zt-other "$venv/bin/python" scripts/web_client.py https://web.test/ 6 1 || true

step "after: tcp/443 is open for exactly zt-ra -> zt-web, zt-svc -> zt-web, zt-web -> zt-ra"
# The matrix puts its own listener on 443 in every host: the RA and the web server make way.
kill "$web_server" 2>/dev/null || true
wait "$web_server" 2>/dev/null || true
scripts/ra.sh down
python3 scripts/reachability.py
