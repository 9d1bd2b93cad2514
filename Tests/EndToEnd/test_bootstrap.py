"""Issue #6 end to end: `ztpol bootstrap` locks a host down and certifies it through its own firewall,
never leaves it locked out of its certificate, and a second run changes and requests nothing.

The story is the demo's: pebble in zt-ra as the private RA, web certified over TLS-ALPN-01, services
trusting the private root (in a private mount namespace, so this machine's trust store is untouched),
Python requests verifying https://web.test/ over IPv4 and IPv6, zt-other shut out."""
import os
import signal
import subprocess
import sys
import time

import pytest

import reachability
from conftest import HOSTS, ROOT, nft, run, ztpol, ztpol_path

POLICY = ROOT / "policies" / "webserver.zt"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"


def bootstrap(host, policy, state, *extra):
    return ztpol("bootstrap", policy, "--state-dir", state, *extra, namespace=host)


def listing(host):
    result = nft(host, "-a", "list", "table", "inet", "ztpol", check=False)
    return result.stdout if result.returncode == 0 else None


def test_the_whole_story_in_both_families(ra, workdir):
    policy = workdir / "webserver.zt"
    ztpol("apply", policy, namespace="zt-ra", check=True)

    web = bootstrap("zt-web", policy, workdir / "web")
    assert web.returncode == 0, web.stderr
    assert "[3/5] certificate: issued for web.test" in web.stdout
    cert = workdir / "web" / "acme" / "certificates" / "web.test"
    verify = run(["openssl", "verify", "-CAfile", ra, "-untrusted", cert / "chain.pem", cert / "cert.pem"])
    assert verify.returncode == 0, verify.stdout + verify.stderr
    subject = run(["openssl", "x509", "-in", cert / "cert.pem", "-noout", "-subject", "-ext", "subjectAltName"]).stdout
    assert "web.test" in subject

    server = subprocess.Popen(["ip", "netns", "exec", "zt-web", sys.executable, ROOT / "scripts" / "web_server.py",
                               cert / "fullchain.pem", cert / "privkey.pem"], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout.readline().strip() == "ready"
        client = ["ip", "netns", "exec", "zt-svc", VENV_PYTHON, ROOT / "scripts" / "web_client.py", "https://web.test/"]
        story = subprocess.run(
            [ROOT / "scripts" / "with-private-trust.sh", "bash", "-c",
             'set -u; "$@" 4; echo "before=$?"; '
             f'ip netns exec zt-svc {ztpol_path()} bootstrap {policy} --state-dir {workdir / "svc"} '
             f'--python {VENV_PYTHON} >&2; echo "bootstrap=$?"; '
             '"$@" 4; echo "v4=$?"; "$@" 6; echo "v6=$?"',
             "story", *map(str, client)],
            capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONS": str(VENV_PYTHON)})
        assert "before=2" in story.stdout, story.stdout + story.stderr  # TLS verification failed
        assert "bootstrap=0" in story.stdout, story.stderr
        assert "ipv4: 200 hello from zt-web" in story.stdout and "v4=0" in story.stdout, story.stdout
        assert "ipv6: 200 hello from zt-web" in story.stdout and "v6=0" in story.stdout, story.stdout

        for family in ("4", "6"):
            other = run(["ip", "netns", "exec", "zt-other", VENV_PYTHON, ROOT / "scripts" / "web_client.py",
                         "https://web.test/", family, "1"])
            assert other.returncode == 3 and "no connection" in other.stdout, other.stdout
    finally:
        server.kill()
        server.wait()

    # The matrix needs 443 free in every host: the RA makes way.
    run([ROOT / "scripts" / "ra.sh", "down"], check=True)
    matrix = reachability.matrix(HOSTS, 443)
    allowed = {("zt-ra", "zt-web"), ("zt-svc", "zt-web"), ("zt-web", "zt-ra")}
    for (source, destination, family), is_open in matrix.items():
        assert is_open == ((source, destination) in allowed), (source, destination, family)


def test_a_second_bootstrap_changes_nothing_and_requests_nothing(ra, workdir):
    policy = workdir / "webserver.zt"
    ztpol("apply", policy, namespace="zt-ra", check=True)
    first = bootstrap("zt-web", policy, workdir / "web")
    assert first.returncode == 0, first.stderr
    before = listing("zt-web")
    orders_before = (ROOT / "out" / "ra" / "pebble.log").read_text().count("POST /order-plz")

    second = bootstrap("zt-web", policy, workdir / "web")
    assert second.returncode == 0, second.stderr
    assert "nothing committed" in second.stdout
    assert "nothing requested" in second.stdout
    assert listing("zt-web") == before  # same handles: the table was not replaced
    assert (ROOT / "out" / "ra" / "pebble.log").read_text().count("POST /order-plz") == orders_before


@pytest.mark.parametrize("edit, fix", [
    (("ra, services  -> web  https", "services      -> web  https"), "fix-it: add: ra -> web https"),
    (("zone ra        10.77.0.1, fd77::1", "zone ra        10.77.0.1"), "add the RA's ipv6 address to zone 'ra'"),
])
def test_a_policy_that_would_lock_out_its_certificate_is_refused_before_any_change(topology, workdir, edit, fix):
    policy = workdir / "webserver.zt"
    policy.write_text(policy.read_text().replace(*edit))
    (workdir / "certs" / "ra-root.pem").write_text("")  # the file check must not be what refuses it
    result = bootstrap("zt-web", policy, workdir / "web")
    assert result.returncode == 1
    assert fix in result.stderr, result.stderr
    assert "step 1 (check)" in result.stderr
    assert listing("zt-web") is None
    assert not (workdir / "web").exists()


def previous_policy(workdir):
    """A different, valid ruleset for web to start from: it also admits SSH from services."""
    older = workdir / "older.zt"
    older.write_text(POLICY.read_text().replace("service https  tcp/443", "service https  tcp/443\n"
                                                "service ssh    tcp/22\nservices -> web ssh"))
    return older


def stand_in_root(workdir):
    """A CA certificate where the RA's root would be, so step 1's file check passes without an RA."""
    run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
         "-subj", "/CN=stand-in root", "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign", "-keyout", workdir / "certs" / "k.pem",
         "-out", workdir / "certs" / "ra-root.pem"], check=True)


def test_an_acme_server_that_is_down_leaves_the_previous_firewall(topology, workdir):
    stand_in_root(workdir)
    ztpol("apply", previous_policy(workdir), namespace="zt-web", check=True)
    before = nft("zt-web", "list", "table", "inet", "ztpol").stdout
    assert "22 : jump input_tcp_22" in before

    result = bootstrap("zt-web", workdir / "webserver.zt", workdir / "web")
    assert result.returncode == 1
    assert "bootstrap failed at step 3 (certificate)" in result.stderr, result.stderr
    assert "restored table inet ztpol as it was before the run" in result.stderr
    assert nft("zt-web", "list", "table", "inet", "ztpol").stdout == before  # the previous ruleset, exactly

    kept = bootstrap("zt-web", workdir / "webserver.zt", workdir / "web", "--keep-firewall")
    assert kept.returncode == 1
    assert "kept the new ruleset (--keep-firewall)" in kept.stderr
    assert "22 : jump input_tcp_22" not in nft("zt-web", "list", "table", "inet", "ztpol").stdout


HANGING_DIRECTORY = r"""
import socket, time
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("::", 443)); s.listen(8)
print("ready", flush=True)
held = []
while True:
    c, _ = s.accept(); held.append(c)
"""


def test_the_armed_watchdog_restores_the_firewall_of_a_killed_run(topology, workdir):
    stand_in_root(workdir)
    ztpol("apply", previous_policy(workdir), namespace="zt-web", check=True)
    before = nft("zt-web", "list", "table", "inet", "ztpol").stdout
    # An ACME server that accepts connections and never answers: the run hangs in step 3.
    hang = subprocess.Popen(["ip", "netns", "exec", "zt-ra", sys.executable, "-c", HANGING_DIRECTORY],
                            stdout=subprocess.PIPE, text=True)
    assert hang.stdout.readline().strip() == "ready"
    run_ = subprocess.Popen(["ip", "netns", "exec", "zt-web", ztpol_path(), "bootstrap", workdir / "webserver.zt",
                             "--state-dir", workdir / "web", "--rollback-after", "5"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        line = ""
        while not line.startswith("[2/5] firewall"):
            line = run_.stdout.readline()
            assert line, "bootstrap ended before applying the firewall"
        assert "22 : jump input_tcp_22" not in nft("zt-web", "list", "table", "inet", "ztpol").stdout
        os.killpg(run_.pid, signal.SIGKILL)  # the run dies with its own process group; the watchdog is apart
        run_.wait()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and nft("zt-web", "list", "table", "inet", "ztpol").stdout != before:
            time.sleep(0.5)
        assert nft("zt-web", "list", "table", "inet", "ztpol").stdout == before
        assert not (workdir / "web" / "rollback" / "ztpol.json").exists()
    finally:
        hang.kill()
        hang.wait()
