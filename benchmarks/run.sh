#!/bin/sh
# The benchmarks of docs/benchmarks.md, in one command (as root; not part of the test suite):
#
#     benchmarks/run.sh [--runs N] [--sizes 1000,10000,100000] [--plot-sizes 3000,30000]
#
# Builds ztpol in release mode, installs what the measurements need (nft, pebble, lego, matplotlib in a
# virtual environment under benchmarks/.venv), then runs benchmarks/bench.py, which measures compile, apply
# against `nft -f`, re-apply and diff in network namespaces named ztb-*, and rewrites its own sections
# of docs/benchmarks.md and docs/benchmarks-apply.png; then benchmarks/acme_vs_lego.py, which times
# TLS-ALPN-01 issuance by ztpol and lego against one pebble and rewrites its section. Other sections of
# that file are kept. Cold applies delete /run/ztpol/parsed (zone statements ztpol keeps between runs;
# safe to delete) before they start. ACME_RUNS (default 10) sets the issuances per ACME client.
set -eu
cd "$(dirname "$0")/.."

case "${1:-}" in
    -h|--help)
        # The header above is the help.
        sed -n '2,/^set -eu/{/^set -eu/d;s/^# \{0,1\}//;p}' "$0"
        echo "bench.py's options:"
        python3 benchmarks/bench.py --help | sed -n '/^options:/,$p' | tail -n +2
        exit 0;;
esac

if [ "$(id -u)" -ne 0 ]; then
    echo "benchmarks/run.sh: needs root (network namespaces, nftables)" >&2
    exit 1
fi
if ! command -v nft >/dev/null || ! command -v ip >/dev/null || ! command -v pebble >/dev/null \
    || ! command -v lego >/dev/null; then
    apt-get install -y nftables iproute2 pebble lego
fi
if [ ! -x benchmarks/.venv/bin/python ]; then
    python3 -m venv benchmarks/.venv || { apt-get install -y python3-venv && python3 -m venv benchmarks/.venv; }
fi
benchmarks/.venv/bin/python -c "import matplotlib" 2>/dev/null || benchmarks/.venv/bin/pip install -q matplotlib

# Linked statically, as README.md builds it: start-up is most of a no-op apply.
swift build -c release --static-swift-stdlib --product ztpol
ztpol="$(swift build -c release --static-swift-stdlib --show-bin-path)/ztpol"
benchmarks/.venv/bin/python benchmarks/bench.py --ztpol "$ztpol" --command "benchmarks/run.sh${*:+ $*}" "$@"
exec python3 benchmarks/acme_vs_lego.py -n "${ACME_RUNS:-10}" --ztpol "$ztpol"
