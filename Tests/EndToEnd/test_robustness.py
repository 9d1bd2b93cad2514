"""Odd input end to end: policies, command lines and interruptions that once produced a wrong ruleset, an
unloadable one, or an unclear failure. Each test runs in its own network namespaces named ztr-*.

Every accepted policy must give the same table three ways: `ztpol apply` through netlink, `nft -f` of
`ztpol compile`'s output, and `ztpol diff` finding no difference afterwards."""
import os
import subprocess
import uuid

import pytest

from conftest import nft, run, ztpol


def make_namespace(name, v4, v6):
    run(["ip", "netns", "add", name], check=True)
    inside = ["ip", "netns", "exec", name]
    run(inside + ["ip", "link", "add", "ztr-v0", "type", "veth", "peer", "name", "ztr-v1"], check=True)
    for link in ("lo", "ztr-v0", "ztr-v1"):
        run(inside + ["ip", "link", "set", link, "up"], check=True)
    run(inside + ["ip", "addr", "add", f"{v4}/24", "dev", "ztr-v0"], check=True)
    run(inside + ["ip", "-6", "addr", "add", f"{v6}/64", "dev", "ztr-v0", "nodad"], check=True)


@pytest.fixture()
def host():
    """A namespace with 10.98.0.1 and fd98::1, and an empty twin for `nft -f`."""
    tag = uuid.uuid4().hex[:6]
    name, twin = f"ztr-{tag}", f"ztr-{tag}-nft"
    make_namespace(name, "10.98.0.1", "fd98::1")
    run(["ip", "netns", "add", twin], check=True)
    yield name, twin
    run(["ip", "netns", "del", name])
    run(["ip", "netns", "del", twin])


def listing(namespace, table="ztpol"):
    result = nft(namespace, "list", "table", "inet", table, check=False)
    return result.stdout if result.returncode == 0 else None


def accepted_three_ways(policy, namespace, twin, *extra):
    """Applies `policy` and loads its compiled text; both listings must be equal and diff quiet."""
    compiled = ztpol("compile", policy, "--zone", "a", *extra)
    assert compiled.returncode == 0, compiled.stderr
    text = policy.parent / "compiled.nft"
    text.write_text(compiled.stdout)
    loaded = run(["nft", "-f", text], namespace=twin)
    assert loaded.returncode == 0, loaded.stderr
    applied = ztpol("apply", policy, "--zone", "a", "--netns", namespace, *extra)
    assert applied.returncode == 0, applied.stderr
    assert listing(namespace) == listing(twin)
    assert ztpol("diff", policy, "--zone", "a", "--netns", namespace, *extra).returncode == 0
    return listing(namespace)


def test_names_and_comments_beyond_nft_limits_still_give_a_loadable_table(host, tmp_path):
    namespace, twin = host
    long_zone = "z" * 5000
    inline = ", ".join(f"10.0.0.{i}" for i in range(1, 60))
    policy = tmp_path / ('q"uote-' + "é" * 60 + ".zt")
    policy.write_text(f"zone a 10.98.0.1, fd98::1\nzone {long_zone} 10.0.1.0/24\n"
                      f"zone {long_zone[:-1]}y 10.0.2.0/24\n"
                      f"a -> {long_zone} tcp/22\na -> {long_zone[:-1]}y tcp/23\na -> {inline} tcp/80\n")
    table = accepted_three_ways(policy, namespace, twin)
    assert "10.0.1.0/24" in table and "10.0.2.0/24" in table and "10.0.0.1-10.0.0.59" in table
    assert "tcp dport 22 accept" in table and "tcp dport 23 accept" in table and "tcp dport 80 accept" in table


def test_extreme_addresses_and_ranges_are_applied_exactly(host, tmp_path):
    namespace, twin = host
    policy = tmp_path / "extreme.zt"
    policy.write_text("\n".join([
        "zone a 10.98.0.1, fd98::1",
        "zone everything 0.0.0.0/0, ::/0",
        "zone unspecified 0.0.0.0, ::",
        "zone pairs 10.1.0.0/31, fd01::/127",
        "zone spanning 10.2.0.255-10.2.2.0, fd02::ffff-fd02::1:0",
        "zone touching 10.3.0.0/25, 10.3.0.128/25, 10.3.1.0-10.3.1.9",
        "zone overlapping 10.3.0.64/26, 10.3.0.0/24",
        "a -> everything tcp/1-65535",
        "a -> unspecified udp/65535",
        "a -> pairs, spanning, touching, overlapping tcp/22",
        "any -> any icmp/echo-request, icmpv6/echo-request",
        "a -> a tcp/7",
        ""]))
    table = accepted_three_ways(policy, namespace, twin)
    assert "0.0.0.0/0" in table and "::/0" in table
    assert "10.1.0.0/31" in table and "fd01::/127" in table
    assert "10.3.0.0-10.3.1.9" in table  # touching and overlapping prefixes merged into one interval


def test_apply_with_netns_finds_the_zone_from_that_namespace(host, tmp_path):
    """The zone is the namespace's (10.98.0.1 is 'a'), not that of the machine ztpol was started on."""
    namespace, _ = host
    machine = run(["ip", "-4", "-o", "addr", "show", "scope", "global"]).stdout.split()
    outside = next((w.split("/")[0] for w in machine if w.count(".") == 3 and "/" in w), None)
    if outside is None:
        pytest.skip("this machine has no global IPv4 address")
    policy = tmp_path / "zones.zt"
    policy.write_text(f"zone outside {outside}\nzone a 10.98.0.1\noutside -> a tcp/22\n")
    result = ztpol("apply", policy, "--netns", namespace)
    assert result.returncode == 0, result.stderr
    chains = nft(namespace, "list", "table", "inet", "ztpol").stdout
    input_chain = chains.split("chain input")[1].split("chain output")[0]
    output_chain = chains.split("chain output")[1].split("chain forward")[0]
    assert "tcp dport 22 accept" in input_chain
    assert "tcp dport 22" not in output_chain
    assert ztpol("diff", policy, "--netns", namespace).returncode == 0


@pytest.mark.parametrize("name", ["../../tmp", "", ".", "..", "a/b", "ztr-does-not-exist"])
def test_a_bad_netns_name_is_refused_before_anything(name, tmp_path):
    policy = tmp_path / "p.zt"
    policy.write_text("zone a 10.98.0.1\n")
    for command in (["apply", policy, "--zone", "a"], ["diff", policy, "--zone", "a"], ["rollback"]):
        result = ztpol(*command, "--netns", name)
        assert result.returncode == 1, result.stdout
        assert "network namespace" in result.stderr, result.stderr
        assert "usage:" in result.stderr
