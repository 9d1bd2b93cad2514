"""apply sends an edit confined to the address lists of large zones without loading the rest of the
policy (ZoneEdit, docs/diff.md): it says so ("in zone NAME"), commits once, and must leave exactly the table a
full load and compile makes, which nft -f of `ztpol compile` gives in a fresh namespace. Every edit the fast
path cannot prove harmless (families, overlap with the host, a zone named by another, a set that would be
shared, shifted lines, a flow, a hand edit of the kernel's table, a broken statement) must take the usual
path and end the same way, or be refused with nothing changed."""
import os
import pathlib
import re
import subprocess
import sys
import time

import pytest

from conftest import ROOT, nft, run, ztpol


def addresses(prefix, count, v6=False):
    """`count` distinct, non-adjacent /28s of 10.PREFIX.0.0/16 (or /124s of fd00:PREFIX::/32)."""
    if v6:
        return [f"fd00:{prefix:x}::{n * 32:x}/124" for n in range(count)]
    return [f"10.{prefix}.{n // 8}.{(n % 8) * 32}/28" for n in range(count)]


class Zones:
    """A policy whose large zones are each one line: the edits below keep every statement on its lines."""

    def __init__(self):
        self.zones = {
            "big1": addresses(1, 50) + addresses(1, 10, v6=True),
            "big2": addresses(2, 60),
            "big3": addresses(3, 60),
            "big4": addresses(4, 60),
        }
        self.flows = [
            "big1 -> host  ssh",
            "big2 -> host  https",
            "combo -> host  ssh",
            "host -> big4  https",
        ]
        self.extra_lines = ""
        self.zones_last = False

    def text(self):
        lines = ["zone host 192.0.2.1, 2001:db8::1", "service ssh tcp/22", "service https tcp/443"]
        zones = []
        for name, items in self.zones.items():
            zones.append(f"zone {name} " + ", ".join(items))
            assert len(zones[-1]) >= 600  # large enough to be a piece of its own (IncrementalLoader)
        zones.append("zone combo big3, 10.99.0.1")
        if self.zones_last:
            lines += self.flows + [self.extra_lines] + zones
        else:
            lines += zones + [self.extra_lines] + self.flows
        return "\n".join(lines) + "\n"


def listing(namespace):
    return nft(namespace, "list", "ruleset").stdout


def generation(namespace):
    return int(run([sys.executable, ROOT / "scripts" / "nft_generation.py"], namespace=namespace, check=True).stdout)


@pytest.fixture()
def setup(tmp_path, namespaces):
    host, reference = namespaces(), namespaces()
    policy = tmp_path / "p.zt"
    zones = Zones()

    def apply(zone_args=("--zone", "host")):
        """Applies the policy as it now is; returns (summary, commits)."""
        text = zones.text()
        policy.write_text(text)
        before = generation(host)
        applied = ztpol("apply", policy, *zone_args, "--netns", host)
        assert applied.returncode == 0, (applied.stdout, applied.stderr)
        commits = generation(host) - before
        # The table a full load and compile gives.
        compiled = tmp_path / "p.nft"
        compiled.write_text(ztpol("compile", policy, *zone_args, namespace=host, check=True).stdout)
        nft(reference, "flush", "ruleset")
        nft(reference, "-f", compiled)
        assert listing(host) == listing(reference)
        return applied.stdout, commits

    return host, policy, zones, apply


def fast(summary):
    return " in zone" in summary


def test_edits_of_zones_alone_are_applied_as_such(setup):
    host, policy, zones, apply = setup
    said, _ = apply()
    assert "(created)" in said and not fast(said)

    zones.zones["big1"][3] = "10.1.200.0/24"
    said, commits = apply()
    assert fast(said) and "1 set element added, 1 removed in zone big1;" in said, said
    assert commits == 1

    # Merged with a neighbour by the compiler: the set holds the merged interval.
    zones.zones["big2"][0] = "10.2.0.16/28"
    said, commits = apply()
    assert fast(said) and "in zone big2;" in said and commits == 1, said

    # Two zones at once, one of them a destination (the output chain's set).
    zones.zones["big2"][5] = "10.2.100.0/24"
    zones.zones["big4"][7] = "10.4.100.0/24"
    said, commits = apply()
    assert fast(said) and "in zones big2, big4;" in said and commits == 1, said

    # IPv6 within a zone that has it.
    zones.zones["big1"][55] = "fd00:1:ffff::/48"
    said, _ = apply()
    assert fast(said) and "in zone big1;" in said, said

    # Back to what was there, then the same again: unchanged, nothing committed.
    zones.zones["big1"][55] = addresses(1, 10, v6=True)[5]
    said, _ = apply()
    assert fast(said), said
    said, commits = apply()
    assert said.startswith("unchanged") and commits == 0, said


def test_zones_after_the_flows_may_grow_by_lines(setup):
    """No part of the table names a zone's line: only the flows' lines must stay where they were."""
    host, policy, zones, apply = setup
    zones.zones_last = True
    apply()
    zones.zones["big1"][3] += ",\n    10.1.201.0/24,\n    10.1.204.0/24"
    said, commits = apply()
    assert fast(said) and "2 set elements added, 0 removed in zone big1;" in said and commits == 1, said
    # big2, and the small statement after the large zones, moved down two lines since the base was kept, and
    # move up one now.
    zones.zones["big2"][3] += ",\n    10.2.201.0/24"
    zones.zones["big1"][3] = zones.zones["big1"][3].replace(",\n    10.1.204.0/24", "")
    said, _ = apply()
    assert fast(said) and "in zones big1, big2;" in said, said
    # A flow line moved: rule comments change, the usual path.
    zones.flows.insert(0, "# a comment line above the flows")
    zones.zones["big2"][4] = "10.2.203.0/24"
    said, _ = apply()
    assert not fast(said), said


def kept(namespace, suffix):
    """What apply keeps for the namespace's table (".record", ".zones"), named by its cookie (SO_NETNS_COOKIE)."""
    cookie = run([sys.executable, "-c", "import socket, struct; print(struct.unpack('Q', "
                  "socket.socket().getsockopt(socket.SOL_SOCKET, 71, 8))[0])"], namespace=namespace, check=True).stdout
    return pathlib.Path(f"/run/ztpol/applied/netns-{int(cookie)}-inet-ztpol{suffix}")


def handles(namespace):
    """The table's, sets' and chains' and rules' handles, in listing order."""
    listed = nft(namespace, "-a", "list", "table", "inet", "ztpol").stdout
    return re.findall(r"# handle (\d+)", listed)


def test_flows_that_moved_lines_are_recommented_in_place(setup):
    """A zone above the flows grows by a line: every flow below moves, and with it the comments of its rules.
    Those rules are replaced where they stand, with the new element, in one commit: the table is not replaced,
    and every handle stays."""
    host, policy, zones, apply = setup
    apply()
    before = handles(host)
    zones.zones["big2"][3] += ",\n    10.2.201.0/24"
    said, commits = apply()
    assert re.search(r"1 set element added, 0 removed, \d+ rule comments rewritten;", said), said
    assert commits == 1 and handles(host) == before
    # Back: the comments move again, and the element goes.
    zones.zones["big2"][3] = zones.zones["big2"][3].replace(",\n    10.2.201.0/24", "")
    said, commits = apply()
    assert re.search(r"0 set elements added, 1 removed, \d+ rule comments rewritten;", said), said
    assert commits == 1 and handles(host) == before
    # Comments alone: a line above the flows.
    zones.extra_lines = "# a comment\n"
    said, commits = apply()
    assert re.search(r"0 set elements added, 0 removed, \d+ rule comments rewritten;", said), said
    assert commits == 1 and handles(host) == before
    # Without the record the table is read back whole, and judged the same.
    kept(host, ".record").unlink()
    zones.extra_lines = ""
    said, commits = apply()
    assert re.search(r"0 set elements added, 0 removed, \d+ rule comments rewritten;", said), said
    assert commits == 1 and handles(host) == before


# Each makes an edit the fast path must leave to the usual one.
def gains_a_family(zones):
    zones.zones["big2"][1] = "fd00:2::/64"


def loses_a_family(zones):
    zones.zones["big1"][50:] = [f"10.1.{90 + n}.0/24" for n in range(10)]


def meets_the_host(zones):
    zones.zones["big2"][1] = "192.0.2.0/24"


def same_as_another_zone(zones):
    zones.zones["big2"] = list(zones.zones["big4"])


def named_by_another_zone(zones):
    zones.zones["big3"][1] = "10.3.200.0/24"


def shifts_lines(zones):
    zones.zones["big2"][1] += ",\n  10.2.201.0/24"


def with_a_flow(zones):
    zones.zones["big2"][1] = "10.2.202.0/24"
    zones.flows[1] = "big2 -> host  https, ssh"


def with_a_comment_line(zones):
    zones.zones["big2"][1] = "10.2.203.0/24"
    zones.extra_lines = "# a comment where there was an empty line"


def renamed(zones):
    zones.zones["big5"] = zones.zones.pop("big4")
    zones.flows[3] = "host -> big5  https"


@pytest.mark.parametrize("edit", [gains_a_family, loses_a_family, meets_the_host, same_as_another_zone,
                                  named_by_another_zone, shifts_lines, with_a_flow, with_a_comment_line,
                                  renamed])
def test_edits_beyond_a_zones_addresses_take_the_usual_path(setup, edit):
    """Each of these changes more than a zone's elements, or might: only the usual path may apply it."""
    host, policy, zones, apply = setup
    apply()
    zones.zones["big4"][0] = "10.4.210.0/24"
    said, _ = apply()
    assert fast(said), said  # the base is kept
    edit(zones)
    said, _ = apply()
    assert not fast(said) and said.startswith(("updated", "applied")), said
    # And the next edit of a zone alone is fast again.
    zones.zones["big1"][0] = "10.1.211.0/24"
    said, _ = apply()
    assert fast(said), said


def test_a_table_changed_by_hand_is_judged_in_full(setup):
    host, policy, zones, apply = setup
    apply()
    listed = nft(host, "list", "table", "inet", "ztpol").stdout
    big2 = re.search(r"set (big2\w*) \{", listed).group(1)
    nft(host, "add", "element", "inet", "ztpol", big2, "{ 10.250.0.0/16 }")
    zones.zones["big2"][1] = "10.2.220.0/24"
    said, _ = apply()
    assert not fast(said) and "removed" in said, said


def test_a_broken_edit_is_refused_with_nothing_changed(setup):
    host, policy, zones, apply = setup
    apply()
    before = listing(host)
    zones.zones["big2"][3] = "10.2.3.300/24"
    policy.write_text(zones.text())
    applied = ztpol("apply", policy, "--zone", "host", "--netns", host)
    assert applied.returncode == 1 and applied.stdout == ""
    line = next(number for number, text in enumerate(zones.text().splitlines(), 1) if "10.2.3.300" in text)
    assert re.search(rf"p\.zt:{line}:\d+: ", applied.stderr), applied.stderr
    assert listing(host) == before
    # Mended, it is the policy applied: nothing to do.
    zones.zones["big2"][3] = addresses(2, 60)[3]
    said, commits = apply()
    assert said.startswith("unchanged") and commits == 0, said


def test_zones_found_from_interface_addresses(setup):
    host, policy, zones, apply = setup
    # 192.0.2.9 is in no zone: the host is in zone host by 192.0.2.1 alone.
    for address in ("192.0.2.1/32", "192.0.2.9/32"):
        run(["ip", "addr", "add", address, "dev", "lo"], namespace=host, check=True)
    apply(zone_args=())
    zones.zones["big2"][2] = "10.2.230.0/24"
    said, _ = apply(zone_args=())
    assert fast(said), said
    # A zone that takes in one of the host's addresses makes the host a member of it: judged in full.
    zones.zones["big2"][2] = "192.0.2.9"
    said, _ = apply(zone_args=())
    assert not fast(said), said


def swap(text, a, b):
    return text.replace(a, "\0").replace(b, a).replace("\0", b)


@pytest.mark.parametrize("damage", [
    lambda text: text[: len(text) // 2], lambda text: "", lambda text: text + "x\n",
    lambda text: text.replace("zone ", "zone 0", 1),
    # Edits that keep the file well formed: only its checksum tells them.
    lambda text: swap(text, "big2_v4", "big4_v4"),
    lambda text: text.replace(" 0 4 big2_v4 ", " 1 4 big2_v4 "),
    lambda text: text.replace(" 0 4 big2_v4 - big2", " 0 46 big2_v4 - big2"),
])
def test_a_damaged_base_costs_only_the_usual_path(setup, damage):
    host, policy, zones, apply = setup
    apply()
    base = kept(host, ".zones")
    assert base.read_text().startswith("ztpol zone edit base 1\n")
    base.write_text(damage(base.read_text()))
    zones.zones["big2"][4] = "10.2.240.0/24"
    said, _ = apply()
    assert not fast(said), said
    zones.zones["big2"][4] = "10.2.241.0/24"
    said, _ = apply()
    assert fast(said), said


def test_the_applied_folder_stays_bounded(setup):
    """Beyond 256 records the older half go, each with the base beside it, and so do temporary files of
    writers that were killed; bases and temporary files do not count as records."""
    host, policy, zones, apply = setup
    folder = pathlib.Path("/run/ztpol/applied")
    folder.mkdir(parents=True, exist_ok=True)
    gone = subprocess.Popen(["true"])  # its process id names no process once it has been waited for
    gone.wait()
    # Made newer than any real record (dated an hour ahead), so that the kept half is known: numbers 172 to 299.
    ahead = time.time() + 3600
    stem = lambda number: folder / f"netns-{10**15 + number}-inet-ztpol"
    for number in range(300):
        for suffix in (".record", ".zones", f".record.{gone.pid}.tmp"):
            path = pathlib.Path(f"{stem(number)}{suffix}")
            path.write_text("old\n")
            os.utime(path, (ahead + number, ahead + number))
    apply()
    try:
        kept = sorted(number for number in range(300) if pathlib.Path(f"{stem(number)}.record").exists())
        assert kept == list(range(172, 300)), kept
        assert len([path for path in folder.iterdir() if path.name.endswith(".record")]) == 128
        for number in range(300):
            assert pathlib.Path(f"{stem(number)}.zones").exists() == (number in kept)
            assert not pathlib.Path(f"{stem(number)}.record.{gone.pid}.tmp").exists()
    finally:
        for number in range(300):
            for suffix in (".record", ".zones"):
                pathlib.Path(f"{stem(number)}{suffix}").unlink(missing_ok=True)
