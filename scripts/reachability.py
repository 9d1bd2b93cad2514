#!/usr/bin/env python3
"""The tcp reachability matrix between the topology's hosts, with real connections.

A listener runs in every host namespace; each pair is probed with a short connect timeout (a SYN
dropped by the sender's own output chain makes connect() hang rather than fail). Neighbour caches are
flushed first so that IPv6 neighbour discovery is exercised, not remembered.

usage: reachability.py [--port 443] [--json] [--hosts zt-ra,zt-web,...]
"""
import argparse
import json
import subprocess
import sys
import time

HOSTS = {"zt-ra": 1, "zt-web": 2, "zt-svc": 3, "zt-other": 4}

LISTENER = r"""
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", int(sys.argv[1])))
s.listen(64)
print("ready", flush=True)
while True:
    c, _ = s.accept()
    c.close()
"""

PROBE = r"""
import socket, sys
family = socket.AF_INET if sys.argv[1] == "4" else socket.AF_INET6
s = socket.socket(family, socket.SOCK_STREAM)
s.settimeout(float(sys.argv[4]))
try:
    s.connect((sys.argv[2], int(sys.argv[3])))
    print("open")
except OSError as error:
    print("closed", error)
"""


def address(host, family):
    index = HOSTS[host]
    return f"10.77.0.{index}" if family == 4 else f"fd77::{index}"


def start_listeners(hosts, port):
    listeners = []
    for host in hosts:
        proc = subprocess.Popen(["ip", "netns", "exec", host, sys.executable, "-c", LISTENER, str(port)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = proc.stdout.readline().strip()
        if line != "ready":
            proc.kill()
            raise SystemExit(f"reachability: listener in {host} failed: {proc.stderr.read().strip()}")
        listeners.append(proc)
    return listeners


def matrix(hosts, port, timeout=1.0):
    """Returns {(source, destination, family): bool} for every ordered pair of distinct hosts."""
    for host in hosts:
        subprocess.run(["ip", "-n", host, "neigh", "flush", "all"], check=False)
    listeners = start_listeners(hosts, port)
    try:
        probes = {}
        for source in hosts:
            for destination in hosts:
                if source == destination:
                    continue
                for family in (4, 6):
                    probes[(source, destination, family)] = subprocess.Popen(
                        ["ip", "netns", "exec", source, sys.executable, "-c", PROBE, str(family),
                         address(destination, family), str(port), str(timeout)],
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return {key: proc.communicate()[0].startswith("open") for key, proc in probes.items()}
    finally:
        for proc in listeners:
            proc.kill()
            proc.wait()


def render(result, hosts, port):
    width = max(len(h) for h in hosts) + 2
    lines = [f"tcp/{port} reachability (row connects to column), IPv4 / IPv6:",
             " " * width + "".join(h.ljust(width + 4) for h in hosts)]
    for source in hosts:
        cells = []
        for destination in hosts:
            if source == destination:
                cells.append("-".ljust(width + 4))
                continue
            mark = lambda family: "open" if result[(source, destination, family)] else "drop"
            cells.append(f"{mark(4)}/{mark(6)}".ljust(width + 4))
        lines.append(source.ljust(width) + "".join(cells))
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=443)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--hosts", default=",".join(HOSTS))
    args = parser.parse_args()
    hosts = args.hosts.split(",")
    started = time.monotonic()
    result = matrix(hosts, args.port)
    if args.json:
        print(json.dumps([{"source": s, "destination": d, "family": f"ipv{f}", "open": v}
                          for (s, d, f), v in sorted(result.items())]))
    else:
        print(render(result, hosts, args.port))
        print(f"({len(result)} probes in {time.monotonic() - started:.1f} s)")


if __name__ == "__main__":
    main()
