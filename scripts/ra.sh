#!/usr/bin/env bash
# The private ACME registration authority of the demo: pebble inside the zt-ra host, HTTPS on
# 10.77.0.1:443 with a root generated here, validating TLS-ALPN-01 on port 443, and
# pebble-challtestsrv as its DNS server with web.test -> 10.77.0.2 and fd77::2.
#
# usage: ra.sh up [POLICY_CERTS_DIR] | down
#   up writes the RA's HTTPS root to out/ra/ra-root.pem and to POLICY_CERTS_DIR/ra-root.pem
#   (default policies/certs), and pebble's issuing root to out/ra/issuer-root.pem.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$PWD/out/ra"
ns=zt-ra

down() {
  for name in pebble challtestsrv; do
    if [ -f "$dir/$name.pid" ]; then
      kill "$(cat "$dir/$name.pid")" 2>/dev/null || true
      rm -f "$dir/$name.pid"
    fi
  done
}

up() {
  local certs="${1:-policies/certs}"
  down
  mkdir -p "$dir" "$certs"
  # The RA's own HTTPS: a private root and a server certificate for its addresses.
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=ztpol demo RA root" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$dir/ra-root.key" -out "$dir/ra-root.pem" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=ra.test" \
    -keyout "$dir/https.key" -out "$dir/https.csr" 2>/dev/null
  openssl x509 -req -in "$dir/https.csr" -CA "$dir/ra-root.pem" -CAkey "$dir/ra-root.key" -CAcreateserial \
    -days 30 -out "$dir/https.pem" \
    -extfile <(printf 'subjectAltName=IP:10.77.0.1,IP:fd77::1,DNS:ra.test\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n') 2>/dev/null
  chmod 600 "$dir"/*.key
  cp "$dir/ra-root.pem" "$certs/ra-root.pem"

  cat > "$dir/pebble.json" <<JSON
{
  "pebble": {
    "listenAddress": ":443",
    "managementListenAddress": "127.0.0.1:15000",
    "certificate": "$dir/https.pem",
    "privateKey": "$dir/https.key",
    "httpPort": 5002,
    "tlsPort": 443,
    "ocspResponderURL": "",
    "externalAccountBindingRequired": false
  }
}
JSON
  ip netns exec "$ns" setsid pebble-challtestsrv -dns01 127.0.0.1:8053 -http01 "" -https01 "" -tlsalpn01 "" \
    -management 127.0.0.1:8055 -defaultIPv4 10.77.0.2 -defaultIPv6 fd77::2 >"$dir/challtestsrv.log" 2>&1 &
  echo $! >"$dir/challtestsrv.pid"
  PEBBLE_VA_NOSLEEP=1 PEBBLE_AUTHZREUSE=0 PEBBLE_WFE_NONCEREJECT=0 \
    ip netns exec "$ns" setsid pebble -config "$dir/pebble.json" -dnsserver 127.0.0.1:8053 -strict=false \
    >"$dir/pebble.log" 2>&1 &
  echo $! >"$dir/pebble.pid"
  # pebble says it is listening before its listener can fail: wait for the directory to answer.
  for _ in $(seq 100); do
    if ip netns exec "$ns" curl -fsS --cacert "$dir/ra-root.pem" https://10.77.0.1/dir >/dev/null 2>&1; then
      for kind in add-a add-aaaa; do
        address=$([ "$kind" = add-a ] && echo 10.77.0.2 || echo fd77::2)
        ip netns exec "$ns" curl -fsS -d "{\"host\":\"web.test\",\"addresses\":[\"$address\"]}" \
          "http://127.0.0.1:8055/$kind" >/dev/null
      done
      ip netns exec "$ns" curl -fsSk https://127.0.0.1:15000/roots/0 >"$dir/issuer-root.pem"
      echo "ra: pebble at https://10.77.0.1/dir (root $dir/ra-root.pem), issuing root $dir/issuer-root.pem"
      return 0
    fi
    sleep 0.1
  done
  echo "ra: pebble did not come up; its log:" >&2
  cat "$dir/pebble.log" >&2
  return 1
}

case "${1:-}" in
  up) up "${2:-}" ;;
  down) down ;;
  *) echo "usage: $0 up [CERTS_DIR] | down" >&2; exit 1 ;;
esac
