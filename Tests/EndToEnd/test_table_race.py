"""A table that changes hands between apply's read and its write: apply judges a table (is it ztpol's?)
when it reads it, so the batch that replaces it must be refused if anything was committed since, and
the table there by then judged anew. A shim preloaded into ztpol runs a command just before ztpol
sends its first nf_tables batch, which puts the race exactly between the read and the write, and another
just before the request that follows that batch."""
import os

import pytest

from conftest import nft, run, ztpol_path

POLICY = """\
zone me     10.1.0.1, fd01::1
zone peers  10.2.0.0/24
service https tcp/443
peers -> me https
"""


@pytest.fixture()
def changed(tmp_path, scratch_namespace):
    """The command that applies a policy whose table inet filter ztpol applied before, with a rule more:
    apply will replace that table."""
    policy = tmp_path / "site.zt"
    policy.write_text(POLICY)
    command = [ztpol_path(), "apply", policy, "--zone", "me", "--table", "filter"]
    run(command, namespace=scratch_namespace, check=True)
    policy.write_text(POLICY + "peers -> me tcp/22\n")
    return command


def test_a_foreign_table_put_in_place_after_the_read_is_not_replaced(scratch_namespace, race_shim, changed):
    # Just before the replacing batch goes out, someone else's table takes the name.
    theirs = ("nft delete table inet filter && nft add table inet filter && nft add chain inet filter theirs "
              "'{ type filter hook input priority 0; policy accept; }' && "
              "nft add rule inet filter theirs tcp dport 22 accept comment precious")
    env = dict(os.environ, LD_PRELOAD=str(race_shim), RACE_COMMAND=theirs)
    result = run(changed, namespace=scratch_namespace, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "not written by ztpol" in result.stderr
    listed = nft(scratch_namespace, "list", "table", "inet", "filter").stdout
    assert 'comment "precious"' in listed
    assert "set " not in listed


def test_ztpols_own_table_replaced_after_the_read_is_still_replaced(scratch_namespace, race_shim, changed):
    # A commit elsewhere in the namespace moves the generation on: the table is read again, is still
    # ztpol's, and is replaced.
    env = dict(os.environ, LD_PRELOAD=str(race_shim), RACE_COMMAND="nft add table inet other")
    result = run(changed, namespace=scratch_namespace, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "peers -> me tcp/22" in nft(scratch_namespace, "list", "table", "inet", "filter").stdout


def test_a_table_that_appears_and_is_gone_again_is_created_after_all(tmp_path, scratch_namespace, race_shim):
    policy = tmp_path / "site.zt"
    policy.write_text(POLICY)
    # No table when apply reads; one appears just before its create. The kernel refuses that batch for
    # the generation it was read at, and the next, at the new generation, because the table exists
    # (EEXIST); the table is gone again when apply reads what appeared.
    env = dict(os.environ, LD_PRELOAD=str(race_shim), RACE_COMMAND="nft add table inet ztpol",
               RACE_AFTER_BATCH="nft delete table inet ztpol", RACE_AFTER_BATCHES="2")
    result = run([ztpol_path(), "apply", policy, "--zone", "me"], namespace=scratch_namespace, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(created)" in result.stdout
    assert "@peers_v4" in nft(scratch_namespace, "list", "table", "inet", "ztpol").stdout
