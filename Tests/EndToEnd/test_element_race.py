"""Element-only changes that meet a commit elsewhere in the namespace, and tables that are not ztpol's.

A shim preloaded into ztpol runs a command just before its first nf_tables batch (as in
conftest.RACE_SHIM)."""
import os
import subprocess

import pytest

from conftest import nft, run, ztpol_path

POLICY = """\
zone me     10.1.0.1, fd01::1
zone peers  10.2.0.0/24
service https tcp/443
peers -> me https
"""
MORE_PEERS = POLICY.replace("10.2.0.0/24", "10.2.0.0/24, 10.3.0.0/24")


@pytest.mark.parametrize("remembered", [True, False], ids=["remembered", "read-back"])
def test_an_element_change_survives_a_commit_to_another_table(tmp_path, scratch_namespace, race_shim, remembered):
    policy = tmp_path / "site.zt"
    policy.write_text(POLICY)
    command = [ztpol_path(), "apply", policy, "--zone", "me", "--netns", scratch_namespace]
    run(command, check=True)
    if not remembered:
        for record in os.listdir("/run/ztpol/applied"):
            if record.startswith("netns-"):
                os.unlink(os.path.join("/run/ztpol/applied", record))
    policy.write_text(MORE_PEERS)
    # Another program commits to its own table just before ztpol's element change goes out.
    race = f"ip netns exec {scratch_namespace} nft add table inet other"
    result = run(command, env=dict(os.environ, LD_PRELOAD=str(race_shim), RACE_COMMAND=race))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "10.3.0.0/24" in nft(scratch_namespace, "list", "set", "inet", "ztpol", "peers_v4").stdout
    assert run([ztpol_path(), "diff", policy, "--zone", "me", "--netns", scratch_namespace]).returncode == 0


def test_a_foreign_table_of_ztpols_shape_keeps_its_elements(tmp_path, scratch_namespace):
    # Someone loaded ztpol's compiled ruleset into their own table with nft: it carries no stamp.
    policy = tmp_path / "site.zt"
    policy.write_text(POLICY)
    compiled = run([ztpol_path(), "compile", policy, "--zone", "me", "--table", "filter"], check=True).stdout
    (tmp_path / "theirs.nft").write_text(compiled)
    nft(scratch_namespace, "-f", tmp_path / "theirs.nft")
    # A policy that differs from their table only in elements is refused like any other change.
    policy.write_text(MORE_PEERS)
    result = run([ztpol_path(), "apply", policy, "--zone", "me", "--table", "filter", "--netns",
                  scratch_namespace])
    assert result.returncode == 1, result.stdout + result.stderr
    assert "not written by ztpol" in result.stderr
    assert "10.3.0.0/24" not in nft(scratch_namespace, "list", "set", "inet", "filter", "peers_v4").stdout


@pytest.mark.parametrize("closed", [[1], [0, 1, 2]], ids=["stdout", "all"])
def test_apply_with_standard_descriptors_closed_succeeds(tmp_path, scratch_namespace, closed):
    # 'ztpol apply ... >&-': the summary has nowhere to go, but the apply is no failure.
    policy = tmp_path / "site.zt"
    policy.write_text(POLICY)
    command = [ztpol_path(), "apply", str(policy), "--zone", "me", "--netns", scratch_namespace]

    def close_them():
        for descriptor in closed:
            os.close(descriptor)

    result = subprocess.run(command, preexec_fn=close_them, timeout=60)
    assert result.returncode == 0
    assert run([ztpol_path(), "diff", policy, "--zone", "me", "--netns", scratch_namespace]).returncode == 0
