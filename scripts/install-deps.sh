#!/usr/bin/env bash
# Installs everything ztpol needs to build, run its demo and run its tests on Debian 12.
# The Swift toolchain itself is expected on PATH (it is not a Debian package).
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "install-deps: run as root (apt-get, network namespaces)" >&2; exit 1; }

packages=(
  # build: C libraries through system-library targets
  pkg-config libnftnl-dev libmnl-dev libssl-dev libcurl4-openssl-dev
  # run: the kernel's nf_tables from user space, namespaces, TLS tooling
  nftables iproute2 openssl curl ca-certificates procps kmod
  # tests and demo: the ACME server and DNS test server, the peer ACME client, Python clients
  pebble lego python3 python3-venv socat
  # the CI example's test drives a real git repository
  git
  # tests: a static shell for the chroot trust-store tests (--root-dir with its own refresh command)
  busybox-static
  # tests: a C compiler for the shims preloaded into ztpol to put races between its reads and writes
  gcc libc6-dev linux-libc-dev
  # tests: systemd-analyze checks the bootstrap example's units offline (nothing is started)
  systemd
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
command -v swift >/dev/null || { echo "install-deps: swift not on PATH (expected /opt/swift/usr/bin)" >&2; exit 1; }
