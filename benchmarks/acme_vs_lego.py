#!/usr/bin/env python3
"""Times TLS-ALPN-01 issuance by ztpol and by lego against one pebble, in the same run.

pebble runs with PEBBLE_VA_NOSLEEP=1 (no random wait before validating), PEBBLE_AUTHZREUSE=0 (every
order is validated afresh) and PEBBLE_WFE_NONCEREJECT=0, on free loopback ports, with an HTTPS root
made here. Each client issues N certificates for distinct names, one process per certificate, with
its account kept between runs as in real use. The figures replace the section
"## TLS-ALPN-01 issuance vs lego" of docs/benchmarks.md.

usage: benchmarks/acme_vs_lego.py [-n N] [--ztpol PATH] [--no-write]
"""
import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from local_pebble import LocalPebble  # noqa: E402
HEADING = "## TLS-ALPN-01 issuance vs lego"


def timed(command, environment=None):
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, env=environment)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return elapsed


def build_ztpol():
    subprocess.run(["swift", "build", "-c", "release", "--product", "ztpol"], cwd=ROOT, check=True,
                   capture_output=True)
    return os.path.join(ROOT, ".build", "release", "ztpol")


def cpu_model():
    try:
        with open("/proc/cpuinfo") as file:
            for line in file:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def lego_version():
    """The Debian package's version: the binary itself reports only "dev"."""
    result = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "lego"], capture_output=True, text=True)
    return result.stdout.strip() or "unknown"


def write_section(text):
    path = os.path.join(ROOT, "docs", "benchmarks.md")
    existing = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    start = existing.find(HEADING)
    if start < 0:
        updated = existing.rstrip("\n") + "\n\n" + text
    else:
        following = existing.find("\n## ", start + len(HEADING))
        updated = existing[:start] + text + ("" if following < 0 else existing[following:])
    with open(path, "w") as file:
        file.write(updated)
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5, help="issuances per client (default 5)")
    parser.add_argument("--ztpol", help="ztpol binary (default: build the release product)")
    parser.add_argument("--no-write", action="store_true", help="print the section, leave docs/ alone")
    options = parser.parse_args()
    for tool in ("pebble", "pebble-challtestsrv", "lego", "openssl"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed (scripts/install-deps.sh installs it)")
    ztpol = options.ztpol or build_ztpol()

    ztpol_times, lego_times = [], []
    environment = {"PEBBLE_AUTHZREUSE": "0", "PEBBLE_WFE_NONCEREJECT": "0"}
    with LocalPebble(environment=environment) as pebble:
        url, root, tls = pebble.directory_url, pebble.https_root, str(pebble.tls_port)
        for index in range(options.n):
            ztpol_times.append(timed([
                ztpol, "cert", "--directory", url, "--trust", root, "--domain", f"z{index}.bench.test",
                "--email", "bench@bench.test", "--state-dir", os.path.join(pebble.directory, "ztpol"),
                "--tls-port", tls]))
            lego_times.append(timed([
                "lego", "--server", url, "--tls", "--tls.port", f":{tls}", "--accept-tos",
                "--email", "bench@bench.test", "-d", f"l{index}.bench.test",
                "--path", os.path.join(pebble.directory, "lego"), "run"],
                environment=dict(os.environ, LEGO_CA_CERTIFICATES=root)))

    ztpol_median, lego_median = statistics.median(ztpol_times), statistics.median(lego_times)
    ratio = ztpol_median / lego_median

    def row(name, times):
        return (f"| {name} | {len(times)} | {statistics.median(times):.3f} | {statistics.mean(times):.3f} | "
                f"{min(times):.3f} | {max(times):.3f} |")

    section = f"""{HEADING}

One certificate per process, TLS-ALPN-01, ECDSA P-256, against one pebble started for the run
(`PEBBLE_VA_NOSLEEP=1 PEBBLE_AUTHZREUSE=0 PEBBLE_WFE_NONCEREJECT=0`), on loopback, each client
keeping its account between runs. Measured by `benchmarks/acme_vs_lego.py -n {options.n}` (the last step of
`benchmarks/run.sh`) on {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores ({cpu_model()}), lego {lego_version()}.

| client | issuances | median s | mean s | min s | max s |
|---|---|---|---|---|---|
{row("ztpol cert", ztpol_times)}
{row("lego run", lego_times)}

ztpol takes **{ratio:.3f}** of lego's time per issuance (median; target ≤ 0.25), {1 / ratio:.0f}× faster.
Most of lego's time is its fixed wait before it first polls an authorisation; ztpol polls after
20 ms and backs off, answers and polls every authorisation of an order together, finalises without
first re-reading the order, and keeps one HTTPS connection for the whole order.
"""
    if options.no_write:
        print(section)
    else:
        print(section)
        print("written to", write_section(section))


if __name__ == "__main__":
    main()
