"""apply against a live table at the edges of the address space, and element changes that meet other
changes: sets from 0 and to the family's top, single addresses, /0, many sets; one-element adds and
deletes at those edges; an edit of elements and rules at once; edits after someone else changed the
table with nft; an edit that takes all of a zone's addresses of one family away.

Every outcome is compared with the reference: the compiled text loaded by nft -f into a fresh
namespace, by listing and by asking the kernel whether edge addresses are in each set."""
import os

import pytest

from conftest import nft, run, ztpol, ztpol_path

MANY = 40
BASE = """\
zone host 192.0.2.1, 2001:db8::1
zone all4 0.0.0.0/0
zone all6 ::/0
zone ends 0.0.0.0, 255.255.255.255, ::, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
zone spans 0.0.0.0-10.0.0.0, 250.0.0.0-255.255.255.255, ::-::5, ffff::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
zone single 198.51.100.7
zone from_ten 10.0.0.0/8, fd00::/8
all4 -> host tcp/1
all6 -> host tcp/1
ends -> host tcp/2
spans -> host tcp/3
single -> host tcp/4
from_ten -> host tcp/5
""" + "".join(f"zone z{n} 203.0.113.{n}, 2001:db8:{n}::/48\nz{n} -> host tcp/{100 + n}\n" for n in range(MANY))

# Addresses asked of every set after every step.
PROBES = ["0.0.0.0", "0.0.0.1", "9.255.255.255", "10.0.0.0", "10.0.0.1", "10.255.255.255", "11.0.0.0",
          "198.51.100.7", "198.51.100.8", "249.255.255.255", "250.0.0.0", "255.255.255.254", "255.255.255.255",
          "::", "::1", "::5", "::6", "fcff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fd00::", "feff::",
          "ffff::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"]


def listing(namespace):
    return nft(namespace, "list", "table", "inet", "ztpol").stdout


def sets(namespace):
    listed = nft(namespace, "list", "sets", "inet").stdout
    return sorted(line.split()[1] for line in listed.splitlines() if line.strip().startswith("set "))


def members(namespace, set_name):
    """Which probes of the set's family the kernel says are in the set."""
    family6 = set_name.endswith("_v6")
    found = []
    for probe in PROBES:
        if (":" in probe) != family6:
            continue
        got = run(["nft", "get", "element", "inet", "ztpol", set_name, "{", probe, "}"], namespace=namespace)
        if got.returncode == 0:
            found.append(probe)
    return found


def reference(namespaces, tmp_path, policy):
    """A fresh namespace holding what nft -f makes of the compiled policy."""
    compiled = tmp_path / "reference.nft"
    compiled.write_text(ztpol("compile", policy, "--zone", "host", check=True).stdout)
    namespace = namespaces()
    nft(namespace, "-f", compiled)
    return namespace


def assert_same(host, namespaces, tmp_path, policy, probe_sets=None):
    expected = reference(namespaces, tmp_path, policy)
    assert listing(host) == listing(expected)
    assert sets(host) == sets(expected)
    for set_name in probe_sets if probe_sets is not None else [name for name in DEFAULT_PROBED if name in sets(expected)]:
        assert members(host, set_name) == members(expected, set_name), set_name
    run(["ip", "netns", "del", expected])


def apply(policy, host):
    result = ztpol("apply", policy, "--zone", "host", "--netns", host)
    assert result.returncode == 0, result.stderr
    return result.stdout


DEFAULT_PROBED = ["ends_v4", "ends_v6", "spans_v4", "spans_v6", "single_v4", "from_ten_v4", "from_ten_v6", "all4_v4",
                  "all6_v6", "z3_v4", "z4_v4"]
EDGE_SETS = ["ends_v4", "ends_v6", "spans_v4", "spans_v6", "single_v4", "from_ten_v4", "from_ten_v6"]


def test_edge_sets_and_one_element_changes_at_the_edges(tmp_path, namespaces):
    host = namespaces()
    policy = tmp_path / "edges.zt"
    policy.write_text(BASE)
    assert "(created)" in apply(policy, host)
    assert_same(host, namespaces, tmp_path, policy)

    # (old text, new text, the sets asked about, whether only elements may change)
    edits = [
        # The range from 0 goes, the top grows down by one: both ends of both families.
        ("zone ends 0.0.0.0, 255.255.255.255, ::, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
         "zone ends 255.255.255.254-255.255.255.255, ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe-"
         "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", ["ends_v4", "ends_v6"], True),
        # And come back.
        ("zone ends 255.255.255.254-255.255.255.255, ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe-"
         "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
         "zone ends 0.0.0.0, 255.255.255.255, ::, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", ["ends_v4", "ends_v6"],
         True),
        # A set that did not start at 0 now does, in both families; then no longer.
        ("zone from_ten 10.0.0.0/8, fd00::/8", "zone from_ten 0.0.0.0, 10.0.0.0/8, ::, fd00::/8",
         ["from_ten_v4", "from_ten_v6"], True),
        ("zone from_ten 0.0.0.0, 10.0.0.0/8, ::, fd00::/8", "zone from_ten 10.0.0.0/8, fd00::/8",
         ["from_ten_v4", "from_ten_v6"], True),
        # A single-address set: its only element replaced.
        ("zone single 198.51.100.7", "zone single 198.51.100.8", ["single_v4"], True),
        # Ranges at both ends shrink by one address.
        ("zone spans 0.0.0.0-10.0.0.0, 250.0.0.0-255.255.255.255, ::-::5,",
         "zone spans 0.0.0.1-10.0.0.0, 250.0.0.0-255.255.255.254, ::1-::5,", ["spans_v4", "spans_v6"], True),
        # The whole space and back (the compiler may give such a zone another shape: any outcome, if right).
        ("zone single 198.51.100.8", "zone single 0.0.0.0/0", None, False),
        ("zone single 0.0.0.0/0", "zone single 198.51.100.7", None, False),
    ]
    text = BASE
    for old, new, probed, elements_only in edits:
        assert old in text, old
        text = text.replace(old, new)
        policy.write_text(text)
        said = apply(policy, host)
        if elements_only:
            assert said.startswith("updated table inet ztpol:") and "added" in said, (new, said)
        assert_same(host, namespaces, tmp_path, policy, probe_sets=probed)


def test_elements_and_rules_changed_at_once(tmp_path, namespaces):
    host = namespaces()
    policy = tmp_path / "edges.zt"
    policy.write_text(BASE)
    apply(policy, host)
    text = BASE.replace("zone single 198.51.100.7", "zone single 198.51.100.7, 0.0.0.0") \
        + "single -> host udp/53\n"
    policy.write_text(text)
    said = apply(policy, host)
    # The rules changed: the table is replaced as a whole, not only its elements.
    assert said.startswith("applied table inet ztpol:"), said
    assert_same(host, namespaces, tmp_path, policy, probe_sets=EDGE_SETS)


def test_element_edits_after_someone_else_changed_the_table(tmp_path, namespaces):
    host = namespaces()
    policy = tmp_path / "edges.zt"
    policy.write_text(BASE)
    apply(policy, host)
    steps = [
        # A foreign element in a set the edit changes, and one in a set it does not.
        ("add element inet ztpol single_v4 { 192.0.2.77 }; add element inet ztpol z3_v4 { 192.0.2.78 }",
         "zone single 198.51.100.7", "zone single 198.51.100.9"),
        # A desired element deleted by hand, in a set the edit changes and in one it does not.
        ("delete element inet ztpol ends_v4 { 255.255.255.255 }; delete element inet ztpol z4_v4 { 203.0.113.4 }",
         "zone ends 0.0.0.0, 255.255.255.255,", "zone ends 0.0.0.0, 255.255.255.254-255.255.255.255,"),
        # A rule added by hand in one of ztpol's chains.
        ("add rule inet ztpol input_tcp_4 ip saddr 192.0.2.99 accept",
         "zone single 198.51.100.9", "zone single 198.51.100.10"),
        # A whole set's elements flushed by hand.
        ("flush set inet ztpol spans_v6", "zone single 198.51.100.10", "zone single 198.51.100.11"),
    ]
    text = BASE
    for command, old, new in steps:
        nft(host, command)
        assert old in text, old
        text = text.replace(old, new)
        policy.write_text(text)
        result = ztpol("apply", policy, "--zone", "host", "--netns", host)
        assert result.returncode == 0, (command, result.stderr)
        assert_same(host, namespaces, tmp_path, policy)


def test_an_edit_that_takes_a_familys_addresses_away(tmp_path, namespaces):
    host = namespaces()
    policy = tmp_path / "edges.zt"
    policy.write_text(BASE)
    apply(policy, host)
    text = BASE
    for old, new in [
        # from_ten loses its IPv6 addresses: its _v6 set has nothing left to hold.
        ("zone from_ten 10.0.0.0/8, fd00::/8", "zone from_ten 10.0.0.0/8"),
        # ... and gets them back while losing its IPv4 ones.
        ("zone from_ten 10.0.0.0/8", "zone from_ten fd00::/8"),
        # A zone and its flow gone at once.
        ("zone single 198.51.100.7\n", ""),
    ]:
        assert old in text, old
        text = text.replace(old, new).replace("single -> host tcp/4\n", "" if not new else "single -> host tcp/4\n")
        policy.write_text(text)
        apply(policy, host)
        assert_same(host, namespaces, tmp_path, policy)


@pytest.mark.parametrize("race", [
    # Into the very set the change reads back ahead of time, and out of it.
    "add element inet ztpol single_v4 { 192.0.2.77 }; delete element inet ztpol single_v4 { 198.51.100.7 }",
    # A set the change does not touch.
    "add element inet ztpol z5_v4 { 192.0.2.78 }",
    # A rule: the table's shape.
    "add rule inet ztpol input_tcp_4 ip saddr 192.0.2.99 accept",
], ids=["changed-set", "other-set", "rule"])
def test_a_commit_to_the_table_between_the_read_back_and_the_batch(tmp_path, namespaces, race_shim, race):
    host = namespaces()
    policy = tmp_path / "edges.zt"
    policy.write_text(BASE)
    apply(policy, host)
    policy.write_text(BASE.replace("zone single 198.51.100.7", "zone single 198.51.100.7, 198.51.100.9"))
    command = f"ip netns exec {host} nft '{race}'"
    result = run([ztpol_path(), "apply", policy, "--zone", "host", "--netns", host],
                 env=dict(os.environ, LD_PRELOAD=str(race_shim), RACE_COMMAND=command))
    assert result.returncode == 0, result.stdout + result.stderr
    assert_same(host, namespaces, tmp_path, policy, probe_sets=["single_v4", "z5_v4"])
