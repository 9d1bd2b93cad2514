#!/usr/bin/env bash
# The private ACME registration authority of the demo, inside the zt-ra host.
#
# Like step-ca in the seed's setup, the RA's own HTTPS and the certificates it issues chain to ONE
# private root: pebble makes a new issuing root at every start, so its HTTPS is fronted on
# 10.77.0.1:443 / [fd77::1]:443 by a TLS terminator (socat) whose certificate is signed with that
# root's key (pebble hands it out on its management port). pebble validates TLS-ALPN-01 on port 443
# and asks pebble-challtestsrv for DNS, where web.test is 10.77.0.2 and fd77::2.
#
# usage: ra.sh up [CERTS_DIR] | down
#   up writes the private root to out/ra/ra-root.pem and to CERTS_DIR/ra-root.pem (default
#   policies/certs, where policies/webserver.zt looks for it).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$PWD/out/ra"
ns=zt-ra

down() {
  # Each service leads its own session (setsid): signal the whole group, so socat's per-connection
  # children go too, and wait until none is left holding a port.
  for name in front pebble challtestsrv; do
    if [ -f "$dir/$name.pid" ]; then
      local pid
      pid=$(cat "$dir/$name.pid")
      kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do pgrep -g "$pid" >/dev/null || break; sleep 0.1; done
      rm -f "$dir/$name.pid"
    fi
  done
}

in_ra() { ip netns exec "$ns" "$@"; }

# start NAME COMMAND...: runs a service in zt-ra in a session of its own and records the service's own
# pid (`ip netns exec` forks, so $! would be ip's).
start() {
  local name=$1; shift
  in_ra setsid bash -c 'echo $$ >"$0"; exec "$@"' "$dir/$name.pid" "$@" >"$dir/$name.log" 2>&1 &
  for _ in $(seq 50); do [ -s "$dir/$name.pid" ] && return 0; sleep 0.05; done
}

wait_for() {  # wait_for DESCRIPTION COMMAND...: up to 10 s
  local what=$1; shift
  for _ in $(seq 100); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "ra: $what did not come up; logs in $dir" >&2
  tail -n 20 "$dir"/*.log >&2
  return 1
}

up() {
  local certs="${1:-policies/certs}"
  down
  mkdir -p "$dir" "$certs"
  rm -f "$dir"/*.pid
  # pebble's own listener is internal (loopback of zt-ra) with a throwaway certificate.
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=pebble internal" \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$dir/internal.key" -out "$dir/internal.pem" 2>/dev/null
  cat > "$dir/pebble.json" <<JSON
{
  "pebble": {
    "listenAddress": "127.0.0.1:14000",
    "managementListenAddress": "127.0.0.1:15000",
    "certificate": "$dir/internal.pem",
    "privateKey": "$dir/internal.key",
    "httpPort": 5002,
    "tlsPort": 443,
    "ocspResponderURL": "",
    "externalAccountBindingRequired": false
  }
}
JSON
  start challtestsrv pebble-challtestsrv -dns01 127.0.0.1:8053 -http01 "" -https01 "" -tlsalpn01 "" \
    -management 127.0.0.1:8055 -defaultIPv4 10.77.0.2 -defaultIPv6 fd77::2
  PEBBLE_VA_NOSLEEP=1 PEBBLE_AUTHZREUSE=0 PEBBLE_WFE_NONCEREJECT=0 \
    start pebble pebble -config "$dir/pebble.json" -dnsserver 127.0.0.1:8053 -strict=false
  # pebble says it is listening before its listener can fail: wait until the directory answers.
  wait_for "pebble" in_ra curl -fsSk https://127.0.0.1:14000/dir
  wait_for "pebble-challtestsrv" in_ra curl -fsS -d '{"host":"web.test","addresses":["10.77.0.2"]}' \
    http://127.0.0.1:8055/add-a
  in_ra curl -fsS -d '{"host":"web.test","addresses":["fd77::2"]}' http://127.0.0.1:8055/add-aaaa >/dev/null

  # The private root (new at each start) and its key sign the RA's public-facing HTTPS certificate.
  in_ra curl -fsSk https://127.0.0.1:15000/roots/0 >"$dir/ra-root.pem"
  in_ra curl -fsSk https://127.0.0.1:15000/root-keys/0 >"$dir/ra-root.key"
  chmod 600 "$dir/ra-root.key"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=ra.test" \
    -keyout "$dir/https.key" -out "$dir/https.csr" 2>/dev/null
  openssl x509 -req -in "$dir/https.csr" -CA "$dir/ra-root.pem" -CAkey "$dir/ra-root.key" -CAcreateserial \
    -days 7 -out "$dir/https.pem" \
    -extfile <(printf 'subjectAltName=IP:10.77.0.1,IP:fd77::1,DNS:ra.test\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n') 2>/dev/null
  chmod 600 "$dir"/*.key
  start front socat "openssl-listen:443,pf=ip6,ipv6only=0,reuseaddr,fork,cert=$dir/https.pem,key=$dir/https.key,verify=0" \
    "openssl:127.0.0.1:14000,verify=0"
  wait_for "the HTTPS front" in_ra curl -fsS --cacert "$dir/ra-root.pem" https://10.77.0.1/dir
  cp "$dir/ra-root.pem" "$certs/ra-root.pem"
  echo "ra: ACME directory https://10.77.0.1/dir and https://[fd77::1]/dir, private root $certs/ra-root.pem"
}

case "${1:-}" in
  up) up "${2:-}" ;;
  down) down ;;
  *) echo "usage: $0 up [CERTS_DIR] | down" >&2; exit 1 ;;
esac
