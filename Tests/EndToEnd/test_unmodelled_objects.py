"""What ztpol's model of a table cannot hold (table flags, stateful objects, decorated set elements) is
never taken for ztpol's own: a table that has any is replaced, whether the policy changed or not. A
dormant table (`flags dormant`) registers no hooks and so filters nothing: it must not survive an apply."""
import pytest

from conftest import nft, ztpol

POLICY = "zone host 192.0.2.1\nzone peers 10.0.0.0/24, 10.0.2.0/24\nservice ssh tcp/22\npeers -> host ssh\n"

HAND_EDITS = {
    "dormant": [["add", "table", "inet", "ztpol", "{ flags dormant; }"]],
    "named counter": [["add", "counter", "inet", "ztpol", "handmade"]],
    "element comment": [["delete", "element", "inet", "ztpol", "peers_v4", "{ 10.0.0.0/24 }"],
                        ["add", "element", "inet", "ztpol", "peers_v4", '{ 10.0.0.0/24 comment "hand" }']],
}


@pytest.mark.parametrize("edit", sorted(HAND_EDITS))
@pytest.mark.parametrize("policy_edit", [None, "# a line above the flows\n"])
def test_what_the_model_cannot_hold_is_replaced(tmp_path, namespaces, edit, policy_edit):
    host, reference = namespaces(), namespaces()
    policy = tmp_path / "p.zt"
    policy.write_text(POLICY)
    ztpol("apply", policy, "--zone", "host", "--netns", host, check=True)
    for command in HAND_EDITS[edit]:
        nft(host, *command)
    if policy_edit:
        policy.write_text(policy_edit + POLICY)

    # diff names it, and says the table is replaced.
    said = ztpol("diff", policy, "--zone", "host", "--netns", host)
    assert said.returncode == 2 and "apply replaces table inet ztpol" in said.stdout, said.stdout
    applied = ztpol("apply", policy, "--zone", "host", "--netns", host, check=True)
    assert applied.stdout.startswith("applied table inet ztpol"), applied.stdout

    compiled = tmp_path / "p.nft"
    compiled.write_text(ztpol("compile", policy, "--zone", "host", check=True).stdout)
    nft(reference, "-f", compiled)
    assert nft(host, "list", "ruleset").stdout == nft(reference, "list", "ruleset").stdout
    assert ztpol("apply", policy, "--zone", "host", "--netns", host, check=True).stdout.startswith("unchanged")
