"""Re-applying a large policy: a no-op commits nothing and skips even compiling, a changed prefix is
sent as the few elements it changes, and anything committed by someone else is noticed."""
import os
import subprocess
import sys
import time

import pytest

from conftest import ROOT, nft, run, ztpol

GENERATOR = ROOT / "benchmarks" / "generate_policy.py"


@pytest.fixture()
def namespaces():
    """Fresh namespaces of this test's own (ztr-*), deleted afterwards."""
    made = []

    def make():
        name = f"ztr-{os.getpid()}-{len(made)}"
        run(["ip", "netns", "add", name], check=True)
        made.append(name)
        return name

    yield make
    for name in made:
        run(["ip", "netns", "del", name])


def generate(path, *extra):
    with open(path, "w") as out:
        subprocess.run([sys.executable, GENERATOR, "--prefixes", "3000", *extra], stdout=out, check=True)


def apply(policy, namespace):
    return ztpol("apply", policy, "--zone", "bench", namespace=namespace, check=True).stdout


def commits_during(namespace, action):
    """The lines `nft monitor` prints while `action` runs: one or more per commit, none without."""
    watcher = subprocess.Popen(["ip", "netns", "exec", namespace, "nft", "monitor"], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    try:
        time.sleep(0.5)
        result = action()
        time.sleep(0.5)
    finally:
        watcher.terminate()
    return result, [line for line in watcher.communicate()[0].splitlines() if line.strip()]


def listing(namespace):
    return nft(namespace, "list", "table", "inet", "ztpol").stdout


def test_reapply_commits_only_what_changed(tmp_path, namespaces):
    host = namespaces()
    policy = tmp_path / "fleet.zt"
    generate(policy)
    assert "(created)" in apply(policy, host)

    said, events = commits_during(host, lambda: apply(policy, host))
    assert said.startswith("unchanged table inet ztpol:") and events == []

    # One prefix more: only its elements are sent, and the table is what nft -f makes of the compiled text.
    generate(policy, "--extra-prefix", "198.18.7.0/24")
    said, events = commits_during(host, lambda: apply(policy, host))
    assert said.startswith("updated table inet ztpol:") and " 0 removed" in said, said
    changes = [line for line in events if not line.startswith("#")]  # "# new generation ..." ends a commit
    assert changes and all(line.startswith("add element ") for line in changes), events
    reference = namespaces()
    compiled = tmp_path / "fleet.nft"
    compiled.write_text(ztpol("compile", policy, "--zone", "bench", check=True).stdout)
    nft(reference, "-f", compiled)
    assert listing(host) == listing(reference)

    # A commit by anyone else leaves nothing proven: the table is read back, found unchanged, and the
    # next run is quick again.
    nft(host, "add", "table", "inet", "someone_else")
    said, events = commits_during(host, lambda: apply(policy, host))
    assert said.startswith("unchanged") and events == []
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
    assert said.startswith("updated table inet ztpol: 1 set elements added, 0 removed"), said
    assert listing(host) == before
