"""Issue #3 end to end: `ztpol diff` against the live kernel in a namespace of its own, drift from hand
edits with nft, and the proof that apply commits nothing when nothing differs and only elements when
only they do.

These tests make their own namespace (ztd-web), so they never meet the shared zt-* topology of other
tests. The host's address sits on one end of a veth pair inside it, which is enough for zone discovery
and nf_tables; no packet is sent.
"""
import json
import pathlib
import re

import pytest

from conftest import nft, run, ztpol

NS = "ztd-web"
POLICY = """\
zone ra        10.88.0.1, fd88::1
zone web       10.88.0.2, fd88::2
zone services  10.88.0.3, fd88::3

service https  tcp/443

web           -> ra   https
ra, services  -> web  https
"""


@pytest.fixture()
def host():
    run(["ip", "netns", "del", NS])
    run(["ip", "netns", "add", NS], check=True)
    for command in (["link", "add", "v0", "type", "veth", "peer", "name", "v1"],
                    ["addr", "add", "10.88.0.2/24", "dev", "v0"],
                    ["addr", "add", "fd88::2/64", "dev", "v0", "nodad"],
                    ["link", "set", "v0", "up"], ["link", "set", "v1", "up"], ["link", "set", "lo", "up"]):
        run(["ip", "-n", NS, *command], check=True)
    yield NS
    run(["ip", "netns", "del", NS], check=True)


@pytest.fixture()
def policy(tmp_path):
    path = tmp_path / "policy.zt"
    path.write_text(POLICY)
    return path


def apply(policy):
    result = ztpol("apply", policy, namespace=NS)
    assert result.returncode == 0, result.stderr
    return result.stdout


def diff(policy, *args, expect):
    result = ztpol("diff", policy, *args, namespace=NS)
    assert result.returncode == expect, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def diff_json(policy, expect):
    return json.loads(diff(policy, "--format", "json", expect=expect))


def changes(text):
    """The +, - and ~ lines of a text diff."""
    return [line for line in text.splitlines() if line[:2] in ("+ ", "- ", "~ ")]


def generation(policy):
    return diff_json(policy, expect=0)["old"]["generation"]


def handles(listing):
    """`# handle N` of the table and of every rule in `nft -a list table`, in order."""
    return re.findall(r"# handle (\d+)", listing)


def listing():
    return nft(NS, "-a", "list", "table", "inet", "ztpol").stdout


def test_hand_edits_show_as_exactly_those_changes_and_apply_removes_them(host, policy):
    assert "(created)" in apply(policy)
    assert diff(policy, expect=0).endswith("unchanged: zone web\n")

    nft(NS, "add", "element", "inet", "ztpol", "web_v4", "{ 10.88.0.9 }")
    nft(NS, "add", "rule", "inet", "ztpol", "input", "tcp", "dport", "22", "accept")
    text = diff(policy, expect=2)
    assert re.search(r"^--- kernel: table inet ztpol \(generation \d+, handle \d+\)$", text, re.M), text
    assert changes(text) == ["- add element inet ztpol web_v4 { 10.88.0.9 }",
                             "- add rule inet ztpol input tcp dport 22 accept  # rule 9"], text
    assert "zone web: 1 rule removed, 1 set element removed; apply replaces table inet ztpol" in text

    report = diff_json(policy, expect=2)
    table = report["tables"][0]
    assert (report["version"], report["mode"], report["differs"]) == (1, "kernel", True)
    assert table["zones"] == ["web"] and table["action"] == "replace"
    assert {key: value for key, value in table["counts"].items() if value} == \
        {"elements_removed": 1, "rules_removed": 1}
    assert table["sets"] == [{"change": "elements", "name": "web_v4", "family": "ipv4", "added": [],
                              "removed": ["10.88.0.9"], "gained": [], "lost": ["10.88.0.9"]}]
    assert table["chains"][0]["rules"] == [{"change": "removed", "position": 9, "rule": "tcp dport 22 accept"}]

    assert "applied table inet ztpol" in apply(policy)
    diff(policy, expect=0)
    assert "10.88.0.9" not in listing() and "dport 22" not in listing()


def test_objects_ztpol_cannot_express_are_drift_too(host, policy):
    apply(policy)
    nft(NS, "insert", "rule", "inet", "ztpol", "input", "meta", "mark", "0x1", "accept")
    nft(NS, "add", "set", "inet", "ztpol", "ports", "{ type inet_service; }")
    nft(NS, "add", "chain", "inet", "ztpol", "extra")
    text = diff(policy, expect=2)
    assert changes(text) == [
        "- add rule inet ztpol input <unrecognised [meta load mark => reg 1] [cmp eq reg 1 0x00000001]> accept"
        "  # rule 1",
        "- add chain inet ztpol extra",
        "- set ports { key type 13, key length 2, flags 0x0, 0 elements }",
    ], text
    table = diff_json(policy, expect=2)["tables"][0]
    assert table["unrecognised"] == {"added": [], "removed": ["set ports { key type 13, key length 2, flags 0x0, "
                                                                "0 elements }"]}
    assert [chain["change"] for chain in table["chains"]] == ["changed", "removed"]
    apply(policy)
    diff(policy, expect=0)


def test_a_no_op_apply_commits_nothing_and_diff_never_commits(host, policy):
    apply(policy)
    before, table_before = generation(policy), listing()
    assert generation(policy) == before, "diff itself must not commit"
    out = apply(policy)
    assert re.fullmatch(r"unchanged table inet ztpol: \d+ chains, \d+ rules, \d+ set elements already in the kernel; "
                        r"nothing committed \([\d.]+ ms\)\n", out), out
    assert generation(policy) == before
    assert listing() == table_before


def newest_record():
    records = sorted(pathlib.Path("/run/ztpol/applied").glob("*.record"), key=lambda path: path.stat().st_mtime_ns)
    assert records, "apply left no record in /run/ztpol/applied"
    return records[-1]


def test_apply_remembers_its_table_and_survives_a_damaged_record(host, policy):
    said = re.search(r"(\d+) chains, (\d+) rules, (\d+) set elements", apply(policy)).groups()
    record = newest_record()
    lines = record.read_text().splitlines()
    assert lines[0] == "ztpol applied record 3"
    fields = dict(line.split(" ", 1) for line in lines[1:])
    assert int(fields["generation"]) == generation(policy)
    assert (fields["chains"], fields["rules"], fields["elements"]) == said
    sets = sorted(line.split(" ")[2] for line in lines if line.startswith("set "))
    assert sets == ["ra_v4", "ra_v6", "services_v4", "services_v6", "web_v4", "web_v6"], lines
    assert re.fullmatch(r"[0-9a-f]{64}", fields["digest"]), fields

    # Whatever the record says, the kernel is asked: a damaged or lying record costs a read-back, never a
    # wrong result, and is written anew.
    before = generation(policy)
    # The last two keep the format: only the checksum tells them (a shape believed would skip the read-back).
    text = record.read_text()
    for damage in ["garbage\n", text.replace("generation ", "generation 1"), "",
                   text.replace("\nshape ", "\nshape 1"), text.replace("\ncommentless ", "\ncommentless 1")]:
        assert damage != text
        record.write_text(damage)
        assert apply(policy).startswith("unchanged table inet ztpol:")
        assert generation(policy) == before
        assert record.read_text().splitlines()[0] == "ztpol applied record 3"


def test_an_element_only_change_sends_only_those_elements(host, policy, tmp_path):
    apply(policy)
    rules_before = handles(listing())
    grown = tmp_path / "grown" / "policy.zt"
    grown.parent.mkdir()
    grown.write_text(POLICY.replace("10.88.0.3, fd88::3", "10.88.0.3-10.88.0.4, fd88::3-fd88::4"))

    text = diff(grown, expect=2)
    assert changes(text) == [
        "- add element inet ztpol services_v4 { 10.88.0.3 }",
        "+ add element inet ztpol services_v4 { 10.88.0.3-10.88.0.4 }",
        "- add element inet ztpol services_v6 { fd88::3 }",
        "+ add element inet ztpol services_v6 { fd88::3-fd88::4 }",
    ], text
    assert "@@ set services_v4: gains 10.88.0.4 @@" in text
    assert "apply sends only these set elements" in text
    assert diff_json(grown, expect=2)["tables"][0]["action"] == "elements"

    before = diff_json(grown, expect=2)["old"]["generation"]
    out = apply(grown)
    assert re.match(r"updated table inet ztpol: 2 set elements added, 2 removed;", out), out
    after = generation(grown)
    assert after == before + 1, "one batch, one commit"
    assert handles(listing()) == rules_before, "the table and its rules keep their handles"
    assert "10.88.0.3-10.88.0.4" in listing()


def test_netns_option_reads_the_namespace_from_outside(host, policy):
    ztpol("apply", policy, "--zone", "web", "--netns", NS, check=True)
    result = ztpol("diff", policy, "--zone", "web", "--netns", NS, "--format", "markdown")
    assert result.returncode == 0, result.stderr
    assert f"in netns {NS}`" in result.stdout and "**No change**" in result.stdout


def test_diff_of_a_missing_table_is_a_creation(host, policy):
    text = diff(policy, expect=2)
    assert text.startswith("--- kernel: no table inet ztpol\n")
    assert "apply creates table inet ztpol" in text and "+ add table inet ztpol" in text
    assert nft(NS, "list", "ruleset").stdout.strip() == "", "diff must not create anything"


def test_two_policies_need_no_kernel_and_say_what_changes(tmp_path, policy):
    new = tmp_path / "new" / "policy.zt"
    new.parent.mkdir()
    new.write_text(POLICY.replace("tcp/443", "tcp/8443"))
    same = ztpol("diff", policy, policy)
    assert same.returncode == 0 and same.stdout.endswith("unchanged: zone ra; zone web; zone services\n")
    changed = ztpol("diff", policy, new, "--zone", "web", "--label", "main:policy.zt", "--label", "policy.zt")
    assert changed.returncode == 2, changed.stderr
    assert changed.stdout.startswith("--- main:policy.zt\n+++ policy.zt\n")
    assert "+ add rule inet ztpol input_tcp_8443 ip saddr @ra_v4 ip daddr @web_v4 accept" in changed.stdout
    broken = tmp_path / "broken.zt"
    broken.write_text("zone web 10.88.0.300\n")
    failed = ztpol("diff", policy, broken)
    assert failed.returncode == 1 and "broken.zt:1:" in failed.stderr and failed.stdout == ""
