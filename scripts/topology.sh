#!/usr/bin/env bash
# The demo and test topology: four hosts as network namespaces on one bridge.
#   zt-ra 10.77.0.1/fd77::1   zt-web 10.77.0.2/fd77::2   zt-svc 10.77.0.3/fd77::3   zt-other 10.77.0.4/fd77::4
# usage: topology.sh up|down|status
set -euo pipefail
hosts=(zt-ra zt-web zt-svc zt-other)
bridge_ns=zt-bridge

up() {
  down quiet
  ip netns add "$bridge_ns"
  ip -n "$bridge_ns" link set lo up
  ip -n "$bridge_ns" link add br0 type bridge
  # ND must not depend on MLD reports reaching a snooping bridge.
  ip -n "$bridge_ns" link set br0 type bridge mcast_snooping 0
  ip -n "$bridge_ns" link set br0 up
  # With br_netfilter loaded, bridged frames would cross the bridge namespace's own netfilter hooks.
  for key in iptables ip6tables arptables; do
    ip netns exec "$bridge_ns" sysctl -qw "net.bridge.bridge-nf-call-$key=0" 2>/dev/null || true
  done
  local index=1
  for host in "${hosts[@]}"; do
    # `ip netns exec` shows /etc/netns/HOST/hosts as /etc/hosts: the demo's names resolve in every host.
    mkdir -p "/etc/netns/$host"
    printf '127.0.0.1 localhost\n::1 localhost\n10.77.0.1 ra.test\nfd77::1 ra.test\n10.77.0.2 web.test\nfd77::2 web.test\n' \
      >"/etc/netns/$host/hosts"
    ip netns add "$host"
    ip -n "$host" link set lo up
    ip link add "veth-$index" netns "$host" type veth peer name "port$index" netns "$bridge_ns"
    ip -n "$bridge_ns" link set "port$index" master br0 up
    ip -n "$host" link set "veth-$index" name eth0
    # No duplicate-address detection: tentative addresses make bind/connect fail for ~1.6 s.
    ip netns exec "$host" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
    ip netns exec "$host" sysctl -qw net.ipv6.conf.eth0.accept_dad=0
    ip -n "$host" addr add "10.77.0.$index/24" dev eth0
    ip -n "$host" addr add "fd77::$index/64" dev eth0 nodad
    ip -n "$host" link set eth0 up
    index=$((index + 1))
  done
  # Wait until no address is tentative (link-local ones included).
  for _ in $(seq 50); do
    local tentative=0
    for host in "${hosts[@]}"; do
      [ -z "$(ip -n "$host" -6 addr show tentative)" ] || tentative=1
    done
    [ "$tentative" -eq 0 ] && return 0
    sleep 0.1
  done
  echo "topology: IPv6 addresses still tentative" >&2
  return 1
}

down() {
  for ns in "${hosts[@]}" "$bridge_ns"; do
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "/etc/netns/$ns"
  done
  [ "${1:-}" = quiet ] || echo "topology: down"
}

status() {
  for host in "${hosts[@]}"; do
    if ip netns list | grep -qw "$host"; then
      echo "$host: $(ip -n "$host" -br addr show eth0 | awk '{$1=$2=""; print}')"
    else
      echo "$host: absent"
    fi
  done
}

case "${1:-}" in
  up) up && status ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 1 ;;
esac
