"""Issue #6, the host side: examples/bootstrap.sh sets a host up in one unattended run, and is idempotent.

The host is zt-web; the script runs inside it (`ip netns exec zt-web`) against the demo's private RA,
installs under a temporary --prefix instead of /, and skips apt-get (--no-packages). This machine runs
no systemd, so the units are installed but not enabled; that the script says so is asserted too.
"""
import filecmp
import os
import shutil
import stat

import pytest

from conftest import ROOT, nft, run, ztpol_path

SCRIPT = ROOT / "examples" / "bootstrap.sh"
UNITS = ["ztpol-apply.service", "ztpol-renew.service", "ztpol-renew.timer"]


def bootstrap_script(*args, namespace="zt-web"):
    return run([SCRIPT, *args], namespace=namespace)


def host_args(prefix, policy, state):
    return ["--no-packages", "--prefix", prefix, "--binary", ztpol_path(), "--policy", policy, "--state-dir", state]


def mtimes(*folders):
    """Every file below the folders, with its modification time in nanoseconds."""
    return {str(path): path.stat().st_mtime_ns
            for folder in folders if folder.exists() for path in sorted(folder.rglob("*")) if path.is_file()}


def listing(host):
    result = nft(host, "-a", "list", "table", "inet", "ztpol", check=False)
    return result.stdout if result.returncode == 0 else None


def orders():
    return (ROOT / "out" / "ra" / "pebble.log").read_text().count("POST /order-plz")


def broken_copy(workdir):
    """The policy with a flow that names a zone that does not exist: a check error."""
    broken = workdir / "broken.zt"
    broken.write_text((workdir / "webserver.zt").read_text().replace("web           -> ra", "web           -> rra"))
    return broken


def test_one_run_sets_the_host_up_and_a_second_run_changes_nothing(ra, workdir, tmp_path):
    prefix, state = tmp_path / "host", tmp_path / "state"
    args = host_args(prefix, workdir / "webserver.zt", state)

    first = bootstrap_script(*args)
    assert first.returncode == 0, first.stdout + first.stderr

    # What was installed, and where.
    binary = prefix / "usr" / "local" / "bin" / "ztpol"
    assert filecmp.cmp(binary, ztpol_path(), shallow=False)
    assert stat.S_IMODE(binary.stat().st_mode) == 0o755
    assert (prefix / "etc" / "ztpol" / "policy.zt").read_text() == (workdir / "webserver.zt").read_text()
    assert filecmp.cmp(prefix / "etc" / "ztpol" / "certs" / "ra-root.pem", ra, shallow=False)
    defaults = (prefix / "etc" / "default" / "ztpol").read_text()
    assert 'ZTPOL_APPLY_ARGS="--zone web"' in defaults  # found from zt-web's addresses, pinned for boot
    assert f"ZTPOL_STATE_DIR={state}" in defaults
    for unit in UNITS:
        assert filecmp.cmp(prefix / "etc" / "systemd" / "system" / unit, ROOT / "examples" / "systemd" / unit,
                           shallow=False), unit
    dropin = prefix / "etc" / "systemd" / "system" / "ztpol-renew.service.d" / "state-dir.conf"
    assert f"ReadWritePaths={state}" in dropin.read_text()
    assert "skipped    enabling the units" in first.stdout

    # The firewall is in zt-web's kernel and the certificate was issued under the RA's root.
    assert "[5/5] confirm: firewall kept" in first.stdout
    assert "443 : jump input_tcp_443" in listing("zt-web")
    cert = state / "acme" / "certificates" / "web.test"
    verify = run(["openssl", "verify", "-CAfile", ra, "-untrusted", cert / "chain.pem", cert / "cert.pem"])
    assert verify.returncode == 0, verify.stdout + verify.stderr
    # Renewals (the timer) will trust the installed root, not the operator's copy.
    assert str(prefix / "etc" / "ztpol" / "certs" / "ra-root.pem") in (cert / "request.json").read_text()

    files, table, ordered = mtimes(prefix, state / "acme"), listing("zt-web"), orders()
    second = bootstrap_script(*args)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "nothing committed" in second.stdout
    assert "nothing requested" in second.stdout
    assert "done: nothing changed" in second.stdout
    items = [line.split()[0] for line in second.stdout.splitlines() if line.startswith("  ") and line[2] != "["]
    assert set(items) <= {"ok", "unchanged", "skipped"}, second.stdout
    assert items.count("unchanged") == 8  # binary, policy, root; defaults, three units, drop-in
    assert mtimes(prefix, state / "acme") == files
    assert listing("zt-web") == table  # same handles: the table was not replaced
    assert orders() == ordered

    # A policy with an error, on top of the healthy install: refused before anything is touched.
    refused = bootstrap_script(*host_args(prefix, broken_copy(workdir), state))
    assert refused.returncode == 1
    assert "the policy has errors" in refused.stderr and "rra" in refused.stderr, refused.stderr
    assert mtimes(prefix, state / "acme") == files
    assert listing("zt-web") == table


def test_a_policy_with_an_error_on_a_fresh_host_changes_nothing(topology, workdir, tmp_path):
    prefix, state = tmp_path / "host", tmp_path / "state"
    result = bootstrap_script(*host_args(prefix, broken_copy(workdir), state))
    assert result.returncode == 1
    assert "bootstrap.sh: error: the policy has errors (above); nothing was installed or changed" in result.stderr
    assert not prefix.exists() and not state.exists()
    assert listing("zt-web") is None


@pytest.mark.parametrize("args, message", [
    (["--policy"], "--policy needs a value"),
    (["--frobnicate"], "unknown argument '--frobnicate'"),
    (["--binary", "/nonexistent/ztpol", "--policy", "x.zt"], "'/nonexistent/ztpol' is not an executable file"),
    (["--binary", ztpol_path()], "no policy: give --policy PATH"),
])
def test_usage_errors_exit_1_with_a_message(tmp_path, args, message):
    result = run([SCRIPT, "--no-packages", "--prefix", tmp_path / "host", *args],
                 env={**os.environ, "ZTPOL_BINARY": ""})
    assert result.returncode == 1
    assert message in result.stderr, result.stderr
    assert not (tmp_path / "host").exists()


def test_the_units_pass_systemd_analyze_verify(tmp_path):
    """This machine runs no systemd, but systemd-analyze checks unit files offline against a root tree:
    the units as installed, the state-directory drop-in, and the system's own units they order against."""
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed")
    root = tmp_path / "root"
    shutil.copytree("/usr/lib/systemd/system", root / "usr" / "lib" / "systemd" / "system", symlinks=True)
    units = root / "etc" / "systemd" / "system"
    units.mkdir(parents=True)
    for unit in UNITS:
        shutil.copy(ROOT / "examples" / "systemd" / unit, units / unit)
    (units / "ztpol-renew.service.d").mkdir()
    (units / "ztpol-renew.service.d" / "state-dir.conf").write_text("[Service]\nReadWritePaths=/srv/ztpol\n")
    stand_in = root / "usr" / "local" / "bin" / "ztpol"  # verify only asks that ExecStart= is executable
    stand_in.parent.mkdir(parents=True)
    stand_in.write_text("#!/bin/sh\n")
    stand_in.chmod(0o755)
    result = run(["systemd-analyze", "verify", "--man=no", f"--root={root}", *UNITS])
    assert result.returncode == 0 and result.stderr == "", result.stderr


STUBS = {
    # Installed: everything but the TLS and HTTPS libraries.
    "dpkg-query": 'case "$3" in nftables|libnftnl11|libmnl0|ca-certificates) echo "install ok installed";; '
                  '*) [ -n "${ALL_INSTALLED:-}" ] && echo "install ok installed" || exit 1;; esac',
    # Known to this host's package sources: Ubuntu's new name for libssl3, Debian's for libcurl4.
    "apt-cache": 'case "$3" in libssl3t64|libcurl4) exit 0;; *) exit 100;; esac',
    "apt-get": 'echo "apt-get $*" >>"$APT_LOG"',
}


@pytest.mark.parametrize("all_installed", [False, True])
def test_missing_packages_are_installed_under_the_names_the_host_knows(tmp_path, all_installed):
    """apt-get, apt-cache and dpkg-query are stand-ins here: the run must not change this machine."""
    stubs = tmp_path / "stubs"
    stubs.mkdir()
    for name, body in STUBS.items():
        (stubs / name).write_text(f"#!/bin/sh\n{body}\n")
        (stubs / name).chmod(0o755)
    not_runnable = tmp_path / "ztpol"  # the run stops at the check after the packages
    not_runnable.write_text("#!/bin/sh\nexit 1\n")
    not_runnable.chmod(0o755)
    log = tmp_path / "apt.log"
    environment = {**os.environ, "PATH": f"{stubs}:{os.environ['PATH']}", "APT_LOG": str(log),
                   "ALL_INSTALLED": "yes" if all_installed else ""}
    result = run([SCRIPT, "--prefix", tmp_path / "host", "--binary", not_runnable, "--policy",
                  ROOT / "policies" / "webserver.zt"],
                 env=environment)
    assert result.returncode == 1 and "does not run" in result.stderr, result.stderr
    if all_installed:
        assert "unchanged  Debian packages" in result.stdout, result.stdout
        assert not log.exists()
    else:
        assert "installed  Debian packages: libssl3t64 libcurl4" in result.stdout, result.stdout
        assert log.read_text().splitlines() == ["apt-get update -q",
                                                "apt-get install -y -q --no-install-recommends libssl3t64 libcurl4"]


def test_a_binary_that_cannot_find_its_libraries_is_refused_with_their_names(tmp_path):
    """As a binary built without --static-swift-stdlib is on a host without the Swift runtime."""
    if not shutil.which("cc"):
        pytest.skip("no C compiler to build a binary with a missing library")
    (tmp_path / "gone.c").write_text("int gone(void) { return 0; }\n")
    (tmp_path / "main.c").write_text("int gone(void);\nint main(void) { return gone(); }\n")
    run(["cc", "-shared", "-fPIC", "-o", tmp_path / "libztgone.so", tmp_path / "gone.c"], check=True)
    run(["cc", "-o", tmp_path / "ztpol", tmp_path / "main.c", f"-L{tmp_path}", "-lztgone"], check=True)
    (tmp_path / "libztgone.so").unlink()
    result = run([SCRIPT, "--no-packages", "--prefix", tmp_path / "host", "--binary", tmp_path / "ztpol",
                  "--policy", ROOT / "policies" / "webserver.zt"])
    assert result.returncode == 1
    assert "cannot run here: missing libraries: libztgone.so" in result.stderr, result.stderr
    assert "--static-swift-stdlib" in result.stderr
    assert not (tmp_path / "host").exists()
