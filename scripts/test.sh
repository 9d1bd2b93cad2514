#!/usr/bin/env bash
# Installs what the tests need and runs every test: the Swift unit and golden tests, then the
# end-to-end tests that drive the built ztpol against the real kernel (network namespaces) and a
# real ACME server (pebble). Run as root on Debian 12: `sudo scripts/test.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

scripts/install-deps.sh

# Python clients for the end-to-end tests come from PyPI, into a virtual environment of the checkout.
venv=.venv
if ! "$venv/bin/python" -c 'import pytest, requests, certifi, yaml' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check pytest requests certifi pyyaml
fi

echo "== build"
swift build --product ztpol 2>&1 | tail -n 3
export ZTPOL="$PWD/.build/debug/ztpol"

status=0
echo "== swift test"
set +e
swift test > .build/swift-test.log 2>&1
swift_status=$?
set -e
# The closing lines of both runners: XCTest's 'All tests' summary and Swift Testing's run line.
grep -A1 -E "^Test Suite 'All tests'" .build/swift-test.log | tail -n 2 || true
grep -E "Test run with [0-9]+ tests?" .build/swift-test.log | tail -n 1 || true
if [ "$swift_status" -ne 0 ]; then
  echo "swift test failed (exit $swift_status); last lines of .build/swift-test.log:"
  tail -n 40 .build/swift-test.log
  status=1
fi

echo "== end-to-end (pytest)"
"$venv/bin/pytest" -q Tests/EndToEnd "$@" || status=1
exit "$status"
