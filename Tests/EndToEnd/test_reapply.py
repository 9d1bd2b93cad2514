"""Re-applying a large policy: a no-op commits nothing and skips even compiling, a changed prefix is
sent as the few elements it changes, and anything committed by someone else is noticed. Commits are
counted by the ruleset generation (scripts/nft_generation.py)."""
import subprocess
import sys

import pytest

from conftest import ROOT, nft, run, ztpol

GENERATOR = ROOT / "benchmarks" / "generate_policy.py"


def generate(path, *extra):
    with open(path, "w") as out:
        subprocess.run([sys.executable, GENERATOR, "--prefixes", "3000", *extra], stdout=out, check=True)


def apply(policy, namespace):
    return ztpol("apply", policy, "--zone", "bench", namespace=namespace, check=True).stdout


def commits_during(namespace, action):
    """What `action` returned, and how many commits it made: the ruleset generation moves on by one for
    every commit to any table."""
    read = lambda: int(run([sys.executable, ROOT / "scripts" / "nft_generation.py"], namespace=namespace,
                           check=True).stdout)
    before = read()
    result = action()
    return result, read() - before


def handles(namespace):
    """The table's and its rules' handles: an element-only change keeps every one."""
    listed = nft(namespace, "-a", "list", "table", "inet", "ztpol").stdout
    return [line.rsplit("# handle", 1)[1] for line in listed.splitlines() if "# handle" in line]


def listing(namespace):
    return nft(namespace, "list", "table", "inet", "ztpol").stdout


def test_reapply_commits_only_what_changed(tmp_path, namespaces):
    host = namespaces()
    policy = tmp_path / "fleet.zt"
    generate(policy)
    assert "(created)" in apply(policy, host)

    said, commits = commits_during(host, lambda: apply(policy, host))
    assert said.startswith("unchanged table inet ztpol:") and commits == 0

    # One prefix more: only its elements are sent, and the table is what nft -f makes of the compiled text.
    generate(policy, "--extra-prefix", "198.18.7.0/24")
    before = handles(host)
    said, commits = commits_during(host, lambda: apply(policy, host))
    assert said.startswith("updated table inet ztpol:") and " 0 removed" in said, said
    assert commits == 1 and handles(host) == before
    reference = namespaces()
    compiled = tmp_path / "fleet.nft"
    compiled.write_text(ztpol("compile", policy, "--zone", "bench", check=True).stdout)
    nft(reference, "-f", compiled)
    assert listing(host) == listing(reference)

    # A commit by anyone else leaves nothing proven: the table is read back, found unchanged, and the
    # next run is quick again.
    nft(host, "add", "table", "inet", "someone_else")
    said, commits = commits_during(host, lambda: apply(policy, host))
    assert said.startswith("unchanged") and commits == 0
    assert apply(policy, host).startswith("unchanged")


def test_hand_edits_are_undone_even_when_the_policy_is_unchanged(tmp_path, namespaces):
    host = namespaces()
    policy = tmp_path / "fleet.zt"
    generate(policy)
    apply(policy, host)
    before = listing(host)
    lines = before.splitlines()
    # The first set's first element.
    start = next(index for index, line in enumerate(lines) if line.strip().startswith("set "))
    name = lines[start].split()[1]
    elements = next(line for line in lines[start:] if "elements = {" in line)
    element = elements.split("{", 1)[1].split(",")[0].strip()
    nft(host, "delete", "element", "inet", "ztpol", name, "{", element, "}")
    assert listing(host) != before

    said = apply(policy, host)
    assert said.startswith("updated table inet ztpol: 1 set element added, 0 removed"), said
    assert listing(host) == before
