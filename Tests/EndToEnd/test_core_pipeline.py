"""Issue #2 end to end: the seed policy applied on three hosts locks them down, proved with real
connections in both families; foreign tables are never touched."""
import re

import reachability
from conftest import HOSTS, nft, ztpol

POLICY = "policies/webserver.zt"
ALLOWED = {("zt-ra", "zt-web"), ("zt-svc", "zt-web"), ("zt-web", "zt-ra")}


def apply_seed(root_dir, hosts=("zt-ra", "zt-web", "zt-svc")):
    for host in hosts:
        result = ztpol("apply", root_dir / POLICY, namespace=host)
        assert result.returncode == 0, result.stderr
        assert re.search(r"applied table inet ztpol: \d+ chains, \d+ rules, \d+ set elements in [\d.]+ ms",
                         result.stdout), result.stdout


def test_seed_policy_allows_exactly_the_three_https_paths_in_both_families(root_dir, topology):
    before = reachability.matrix(HOSTS, 443)
    assert all(before.values()), "the topology must be fully open before ztpol runs"

    apply_seed(root_dir)
    after = reachability.matrix(HOSTS, 443)
    for (source, destination, family), is_open in sorted(after.items()):
        expected = (source, destination) in ALLOWED
        assert is_open == expected, f"{source} -> {destination} ipv{family}: open={is_open}, expected {expected}"


def test_zone_is_found_from_interface_addresses_and_host_in_no_zone_is_an_error(root_dir, topology):
    result = ztpol("compile", root_dir / POLICY, namespace="zt-other")
    assert result.returncode == 1
    assert "this machine is in no zone of the policy" in result.stderr
    assert "10.77.0.4" in result.stderr and "--zone NAME" in result.stderr
    assert nft("zt-other", "list", "ruleset").stdout.strip() == ""
    # Run from outside with --netns, the message names the namespace it looked at, not this machine.
    outside = ztpol("apply", root_dir / POLICY, "--netns", "zt-other")
    assert outside.returncode == 1
    assert "network namespace 'zt-other' is in no zone of the policy" in outside.stderr, outside.stderr
    assert nft("zt-other", "list", "ruleset").stdout.strip() == ""

    result = ztpol("compile", root_dir / POLICY, namespace="zt-web", check=True)
    assert "table inet ztpol" in result.stdout
    assert "10.77.0.1" in result.stdout and "fd77::3" in result.stdout


def test_compile_output_loads_with_nft_and_equals_what_apply_puts_in_the_kernel(root_dir, topology, tmp_path):
    for host in ("zt-ra", "zt-web", "zt-svc"):
        compiled = ztpol("compile", root_dir / POLICY, "--zone", host.removeprefix("zt-").replace("svc", "services"),
                         check=True).stdout
        program = tmp_path / f"{host}.nft"
        program.write_text(compiled)
        # nft -f of the printed program in one host ...
        nft("zt-other", "-f", program)
        by_nft = nft("zt-other", "list", "table", "inet", "ztpol").stdout
        nft("zt-other", "delete", "table", "inet", "ztpol")
        # ... lists the same as ztpol's own netlink apply in the host itself.
        ztpol("apply", root_dir / POLICY, namespace=host, check=True)
        by_ztpol = nft(host, "list", "table", "inet", "ztpol").stdout
        assert by_ztpol == by_nft, f"{host}: nft -f and ztpol apply differ"


FOREIGN = """
table ip nat {
    chain DOCKER {
    }
    chain PREROUTING {
        type nat hook prerouting priority dstnat; policy accept;
        fib daddr type local counter jump DOCKER
    }
}
table inet filter {
    set admins { type ipv4_addr; flags interval; elements = { 192.0.2.0/24 } }
    chain input {
        type filter hook input priority 10; policy accept;
        ip saddr @admins tcp dport 22 counter accept
    }
}
"""


def foreign_tables(host):
    return nft(host, "list", "table", "ip", "nat").stdout + nft(host, "list", "table", "inet", "filter").stdout


def test_foreign_tables_are_byte_for_byte_unchanged(root_dir, topology, tmp_path):
    program = tmp_path / "foreign.nft"
    program.write_text(FOREIGN)
    nft("zt-web", "-f", program)
    before = foreign_tables("zt-web")

    ztpol("apply", root_dir / POLICY, namespace="zt-web", check=True)
    assert foreign_tables("zt-web") == before
    ztpol("apply", root_dir / POLICY, namespace="zt-web", check=True)
    assert foreign_tables("zt-web") == before
    ztpol_table = nft("zt-web", "list", "table", "inet", "ztpol").stdout

    # A refused apply (a policy that does not check) changes nothing at all.
    bad = tmp_path / "bad.zt"
    bad.write_text("zone web 10.77.0.2/24\n")
    result = ztpol("apply", bad, namespace="zt-web")
    assert result.returncode == 1
    assert f"{bad}:1:10: error:" in result.stderr
    assert foreign_tables("zt-web") == before
    assert nft("zt-web", "list", "table", "inet", "ztpol").stdout == ztpol_table
