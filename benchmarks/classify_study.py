#!/usr/bin/env python3
"""Study for docs/compiler.md: the host ruleset of a generated policy in a "classify once" form, where
per-packet work does not grow with the number of flows, next to the form ztpol compiles today.

The peer address of a packet is looked up once in an interval verdict map whose intervals are the
atoms of all peer zones (maximal runs of addresses that the same flows cover) and whose verdicts jump
to one chain per distinct set of flows; that chain holds one rule per host-side set and transport,
with the ports of all its flows merged. The script writes that ruleset as nft text, checks it against
the policy's meaning on random and boundary packets, loads it with `nft -f` in fresh ztb-* namespaces
next to `ztpol compile`'s output, and prints the figures as Markdown.

usage: classify_study.py --ztpol PATH --policy FILE [--runs N]     (as root)
"""
import argparse
import bisect
import ipaddress
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict

FAMILIES = {4: ("ip", "ipv4_addr", 32), 6: ("ip6", "ipv6_addr", 128)}


def parse(path):
    """Zones (name → {family: [(first, last)]}), services (name → [(proto, low, high)]) and flows."""
    statements, current = [], ""
    for raw in open(path):
        line = raw.split("#", 1)[0].rstrip()
        if not line:
            continue
        current = current + " " + line.strip() if current else line.strip()
        if not current.endswith(","):
            statements.append(current)
            current = ""
    zones, services, flows = {}, {}, []
    for statement in statements:
        if statement.startswith("zone "):
            _, name, rest = statement.split(None, 2)
            ranges = {4: [], 6: []}
            for item in rest.split(","):
                net = ipaddress.ip_network(item.strip())
                ranges[net.version].append((int(net.network_address), int(net.broadcast_address)))
            zones[name] = ranges
        elif statement.startswith("service "):
            _, name, rest = statement.split(None, 2)
            items = []
            for item in rest.split(","):
                proto, ports = item.strip().split("/")
                low, _, high = ports.partition("-")
                items.append((proto, int(low), int(high or low)))
            services[name] = items
        elif "->" in statement:
            left, right = statement.split("->")
            right, service = right.rsplit(None, 1)
            flows.append(([z.strip() for z in left.split(",")], [z.strip() for z in right.split(",")], service))
    return zones, services, flows


def union(ranges):
    merged = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def atoms(peer_sets):
    """Maximal intervals over which the same flows cover the address: [(first, last, frozenset)]."""
    events = defaultdict(list)
    for flow, ranges in peer_sets.items():
        for first, last in ranges:
            events[first].append((flow, +1))
            events[last + 1].append((flow, -1))
    active, result, points = defaultdict(int), [], sorted(events)
    for index, point in enumerate(points):
        for flow, step in events[point]:
            active[flow] += step
            if active[flow] == 0:
                del active[flow]
        if active and index + 1 < len(points):
            covered = frozenset(active)
            end = points[index + 1] - 1
            if result and result[-1][2] == covered and result[-1][1] + 1 == point:
                result[-1] = (result[-1][0], end, covered)
            else:
                result.append((point, end, covered))
    return result


def text(value, family):
    return str(ipaddress.ip_address(value)) if family == 4 else str(ipaddress.IPv6Address(value))


def interval(first, last, family):
    nets = list(ipaddress.summarize_address_range(ipaddress.ip_address(first) if family == 4 else
                                                  ipaddress.IPv6Address(first),
                                                  ipaddress.ip_address(last) if family == 4 else
                                                  ipaddress.IPv6Address(last)))
    return str(nets[0]) if len(nets) == 1 else f"{text(first, family)}-{text(last, family)}"


class Classified:
    """The host's input and output chains in the classify-once form."""

    def __init__(self, zones, services, flows, host="bench"):
        self.zones, self.services, self.host = zones, services, host
        self.sets = {}      # host-side set name → (family, ranges)
        self.maps = {}      # (chain, family) → [(first, last, class id)]
        self.classes = {}   # (chain, family, class id) → [(host set, proto, [ports])]
        for chain, peer_index, host_index in (("in", 0, 1), ("out", 1, 0)):
            for family in (4, 6):
                relevant = {}
                for number, flow in enumerate(flows):
                    if host not in flow[host_index]:
                        continue
                    peers = union(r for z in flow[peer_index] for r in zones[z][family])
                    hosts = union(r for z in flow[host_index] for r in zones[z][family])
                    if peers and hosts:
                        relevant[number] = (peers, hosts, flow)
                # A class is what its chain does: atoms whose flows come to the same rules share one.
                ids, runs, made = {}, [], {}
                for first, last, covered in atoms({n: v[0] for n, v in relevant.items()}):
                    if covered not in made:
                        rules = defaultdict(list)
                        for number in sorted(covered):
                            peers, hosts, flow = relevant[number]
                            name = "_".join(flow[host_index]) + f"_v{family}"
                            self.sets[name] = (family, hosts)
                            for proto, low, high in services[flow[2]]:
                                rules[(name, proto)].append((low, high))
                        made[covered] = tuple((s, p, tuple(union(ports))) for (s, p), ports in sorted(rules.items()))
                    key = ids.setdefault(made[covered], len(ids))
                    if runs and runs[-1][2] == key and runs[-1][1] + 1 == first:
                        runs[-1] = (runs[-1][0], last, key)
                    else:
                        runs.append((first, last, key))
                self.maps[(chain, family)] = runs
                for rules, key in ids.items():
                    self.classes[(chain, family, key)] = list(rules)

    def nft(self):
        out = ["table inet ztpol {"]
        for name, (family, ranges) in sorted(self.sets.items()):
            out.append(f"\tset {name} {{ type {FAMILIES[family][1]}; flags interval; elements = {{ "
                       + ", ".join(interval(a, b, family) for a, b in ranges) + " } }")
        for (chain, family), runs in sorted(self.maps.items()):
            if runs:
                out.append(f"\tmap {chain}_v{family} {{ type {FAMILIES[family][1]} : verdict; flags interval; "
                           "elements = { " + ", ".join(f"{interval(a, b, family)} : jump {chain}_v{family}_c{k}"
                                                        for a, b, k in runs) + " } }")
        for (chain, family, key), rules in sorted(self.classes.items()):
            side = "daddr" if chain == "in" else "saddr"
            out.append(f"\tchain {chain}_v{family}_c{key} {{")
            for name, proto, ports in rules:
                listed = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in ports)
                out.append(f"\t\t{FAMILIES[family][0]} {side} @{name} {proto} dport {{ {listed} }} accept")
            out.append("\t}")
        for chain, hook in (("in", "input"), ("out", "output")):
            side = "saddr" if chain == "in" else "daddr"
            out.append(f"\tchain {hook} {{\n\t\ttype filter hook {hook} priority filter; policy drop;")
            out.append(f"\t\t{'iifname' if chain == 'in' else 'oifname'} \"lo\" accept")
            out.append("\t\tct state invalid counter drop\n\t\tct state established,related accept")
            for family in (4, 6):
                if self.maps[(chain, family)]:
                    out.append(f"\t\t{FAMILIES[family][0]} {side} vmap @{chain}_v{family}")
            out.append("\t\tcounter drop\n\t}")
        out.append("}")
        return "\n".join(out) + "\n"

    def accepts(self, chain, family, peer, host, proto, port):
        runs = self.maps[(chain, family)]
        index = bisect.bisect_right(runs, (peer, float("inf"))) - 1
        if index < 0 or not runs[index][0] <= peer <= runs[index][1]:
            return False
        for name, rule_proto, ports in self.classes[(chain, family, runs[index][2])]:
            inside = any(a <= host <= b for a, b in self.sets[name][1])
            if inside and rule_proto == proto and any(a <= port <= b for a, b in ports):
                return True
        return False


class Policy:
    """The policy's own meaning for the host: some flow covers the peer, the host address and the service."""

    def __init__(self, zones, services, flows, host="bench"):
        self.rules = []
        for flow in flows:
            for chain, peer_index, host_index in (("in", 0, 1), ("out", 1, 0)):
                if host not in flow[host_index]:
                    continue
                for family in (4, 6):
                    peers = union(r for z in flow[peer_index] for r in zones[z][family])
                    hosts = union(r for z in flow[host_index] for r in zones[z][family])
                    self.rules.append((chain, family, peers, hosts, services[flow[2]]))

    @staticmethod
    def covers(ranges, address):
        index = bisect.bisect_right(ranges, (address, float("inf"))) - 1
        return index >= 0 and ranges[index][0] <= address <= ranges[index][1]

    def accepts(self, chain, family, peer, host, proto, port):
        return any(c == chain and f == family and self.covers(peers, peer) and self.covers(hosts, host)
                   and any(p == proto and low <= port <= high for p, low, high in items)
                   for c, f, peers, hosts, items in self.rules)


def check(classified, zonewise, zones, services, flows, samples, rng):
    """Random and boundary packets: both forms decide as the policy does."""
    policy = Policy(zones, services, flows)
    host = {f: zones["bench"][f][0][0] for f in (4, 6)}
    ports = [(p, low, high) for items in services.values() for p, low, high in items]
    checked = 0
    for (chain, family), runs in classified.maps.items():
        edges = [x for a, b, _ in runs for x in (a - 1, a, b, b + 1)]
        for _ in range(samples):
            peer = rng.choice(edges) if rng.random() < 0.5 else rng.getrandbits(FAMILIES[family][2])
            proto, low, high = rng.choice(ports)
            port = rng.choice([low - 1, low, high, high + 1, rng.randint(low, high)])
            expected = policy.accepts(chain, family, peer, host[family], proto, port)
            for form in (classified, zonewise):
                if form.accepts(chain, family, peer, host[family], proto, port) != expected:
                    sys.exit(f"{type(form).__name__} differs: {chain} v{family} peer {text(peer, family)} "
                             f"{proto}/{port}: the policy says {expected}")
            checked += 1
    return checked


class ZoneWise:
    """Today's sets, but one per zone instead of one per flow side, and one rule per peer zone, host-side
    set and transport with the ports of every flow between them merged into an anonymous set."""

    def __init__(self, zones, services, flows, host="bench"):
        self.zones, self.rules = zones, defaultdict(list)
        for flow in flows:
            for chain, peer_index, host_index in (("in", 0, 1), ("out", 1, 0)):
                if host not in flow[host_index]:
                    continue
                for family in (4, 6):
                    for peer in flow[peer_index]:
                        if not zones[peer][family] or not any(zones[z][family] for z in flow[host_index]):
                            continue
                        for proto, low, high in services[flow[2]]:
                            key = (chain, family, peer, "_".join(flow[host_index]), proto)
                            self.rules[key].append((low, high))

    def nft(self):
        used = {(z, f) for (_, f, peer, hosts, _) in self.rules for z in [peer] + hosts.split("_")}
        out = ["table inet ztpol {"]
        for name, family in sorted(used):
            ranges = union(self.zones[name][family])
            if ranges:
                out.append(f"\tset {name}_v{family} {{ type {FAMILIES[family][1]}; flags interval; elements = {{ "
                           + ", ".join(interval(a, b, family) for a, b in ranges) + " } }")
        for chain, hook in (("in", "input"), ("out", "output")):
            peer_side, host_side = ("saddr", "daddr") if chain == "in" else ("daddr", "saddr")
            out.append(f"\tchain {hook} {{\n\t\ttype filter hook {hook} priority filter; policy drop;")
            for (c, family, peer, hosts, proto), ports in sorted(self.rules.items()):
                if c != chain:
                    continue
                listed = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in union(ports))
                keyword = FAMILIES[family][0]
                out.append(f"\t\t{keyword} {peer_side} @{peer}_v{family} {keyword} {host_side} @{hosts}_v{family} "
                           f"{proto} dport {{ {listed} }} accept")
            out.append("\t\tcounter drop\n\t}")
        out.append("}")
        return "\n".join(out) + "\n"

    def accepts(self, chain, family, peer, host, proto, port):
        covers = lambda name, address: Policy.covers(union(self.zones[name][family]), address)
        return any(c == chain and f == family and p == proto and covers(z, peer)
                   and any(covers(h, host) for h in hosts.split("_")) and any(a <= port <= b for a, b in ports)
                   for (c, f, z, hosts, p), ports in self.rules.items())

    def path(self):
        return max(sum(1 for key in self.rules if key[0] == chain) for chain in ("in", "out"))


def load_time(ruleset, runs):
    times = []
    for index in range(runs):
        namespace = f"ztb-study-{os.getpid()}-{index}"
        subprocess.run(["ip", "netns", "add", namespace], check=True)
        try:
            started = time.perf_counter()
            subprocess.run(["ip", "netns", "exec", namespace, "nft", "-f", ruleset], check=True)
            times.append(time.perf_counter() - started)
        finally:
            subprocess.run(["ip", "netns", "del", namespace], check=False)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ztpol", required=True)
    parser.add_argument("--policy", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--samples", type=int, default=5000)
    parser.add_argument("--ztpol-only", action="store_true", help="measure only ztpol's own compiled form")
    args = parser.parse_args()
    zones, services, flows = parse(args.policy)
    if not args.ztpol_only:
        classified = Classified(zones, services, flows)
        zonewise = ZoneWise(zones, services, flows)
        checked = check(classified, zonewise, zones, services, flows, args.samples, random.Random(7))
    with tempfile.TemporaryDirectory(prefix="ztb-") as work:
        today = os.path.join(work, "today.nft")
        with open(today, "w") as out:
            subprocess.run([args.ztpol, "compile", args.policy, "--zone", "bench"], stdout=out, check=True)
        text_today = open(today).read()
        # Flow rules only (their comments name the policy file); housekeeping rules are the same in every form.
        flow_rule = f'accept comment "{os.path.basename(args.policy)}:'
        chains_today = dict(re.findall(r"\tchain (\w+) \{\n(.*?)\n\t\}", text_today, re.S))
        maps_today = text_today.count(" vmap {")
        today_rules = text_today.count(flow_rule) + maps_today
        # Service-first: a base chain's port maps and ICMP rules, then the rules of one port's chain.
        base_rules = max(chains_today[c].count(flow_rule) for c in ("input", "output"))
        port_rules = max([body.count(flow_rule) for name, body in chains_today.items()
                          if name not in ("input", "output", "forward")] or [0])
        today_path = (f"{max(chains_today[c].count(' vmap {') for c in ('input', 'output'))} lookups + "
                      f"{base_rules + port_rules}" if maps_today else f"{base_rules}")
        today_elements = sum(len(block.split(",")) for block in re.findall(r"elements = \{(.*?)\}", text_today, re.S))
        if args.ztpol_only:
            print(f"| form | set and map elements | flow rules | chains | flow rules a new connection may pass | "
                  f"nft -f (s, median of {args.runs}) |")
            print("|---|---:|---:|---:|---:|---:|")
            print(f"| `ztpol compile` | {today_elements:,} | {today_rules} | {len(chains_today)} | "
                  f"{today_path} | {load_time(today, args.runs):.3f} |")
            return
        proposed = os.path.join(work, "classified.nft")
        with open(proposed, "w") as out:
            out.write(classified.nft())
        map_elements = sum(len(runs) for runs in classified.maps.values())
        set_elements = sum(len(r) for _, r in classified.sets.values())
        class_rules = [len(rules) for rules in classified.classes.values()]
        print(f"| form | set and map elements | flow rules | chains | flow rules a new connection may pass | "
              f"nft -f (s, median of {args.runs}) |")
        print("|---|---:|---:|---:|---:|---:|")
        print(f"| `ztpol compile` | {today_elements:,} | {today_rules} | {len(chains_today)} | "
              f"{today_path} | {load_time(today, args.runs):.3f} |")
        print(f"| classified (vmap) | {map_elements + set_elements:,} ({map_elements:,} in maps) | "
              f"{sum(class_rules)} | "
              f"{len(class_rules) + 2} | 1 lookup + {max(class_rules)} | {load_time(proposed, args.runs):.3f} |")
        zoned = os.path.join(work, "zonewise.nft")
        with open(zoned, "w") as out:
            out.write(zonewise.nft())
        zoned_elements = sum(len(union(zones[z][f])) for z in zones for f in (4, 6)
                             if f"set {z}_v{f} " in open(zoned).read())
        print(f"| zone-wise rules | {zoned_elements:,} | {len(zonewise.rules)} | 3 | {zonewise.path()} | "
              f"{load_time(zoned, args.runs):.3f} |")
        print(f"\nThe classified form needs {len(classified.classes)} class chains; both new forms decide {checked:,} "
              "random and boundary packets as the policy does.")


if __name__ == "__main__":
    main()
