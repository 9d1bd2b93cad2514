"""Odd input end to end: policies, command lines and interruptions that once produced a wrong ruleset, an
unloadable one, or an unclear failure. Each test runs in its own network namespaces named ztr-*.

Every accepted policy must give the same table three ways: `ztpol apply` through netlink, `nft -f` of
`ztpol compile`'s output, and `ztpol diff` finding no difference afterwards."""
import os
import pathlib
import shutil
import tempfile
import signal
import time
import subprocess
import threading
import uuid

import pytest

from conftest import nft, run, ztpol, ztpol_path


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
    assert "tcp dport vmap { 22 : jump output_tcp_22, 23 : jump output_tcp_23, 80 : jump output_tcp_80 }" in table


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
    assert "tcp dport vmap { 22 : jump input_tcp_22 }" in input_chain
    assert "dport" not in output_chain
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


HANGING_DIRECTORY = """
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 443)); s.listen(8); print("ready", flush=True)
held = []
while True:
    c, _ = s.accept(); held.append(c)
"""


def watchdogs(state):
    found = run(["pgrep", "-af", f"rollback --state-dir {state} "]).stdout.strip()
    return found.splitlines() if found else []


def test_a_bootstrap_after_a_killed_one_keeps_the_table_from_before_both(host, tmp_path):
    """Run 1 is killed after applying; run 2 starts before run 1's watchdog fires. Run 1's watchdog must not
    undo run 2 half-way, and what is finally restored is the table from before run 1 (not run 1's)."""
    namespace, _ = host
    run(["ip", "netns", "exec", namespace, "ip", "addr", "add", "10.98.0.2/24", "dev", "ztr-v1"], check=True)
    (tmp_path / "certs").mkdir()
    made = run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", tmp_path / "root.key", "-out", tmp_path / "certs" / "root.pem", "-days", "2",
                "-subj", "/CN=ztr root", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
    assert made.returncode == 0, made.stderr
    before = tmp_path / "before.zt"
    before.write_text("zone web 10.98.0.1\nzone ra 10.98.0.2\nweb -> ra tcp/22\n")
    policy = tmp_path / "boot.zt"
    policy.write_text("zone web 10.98.0.1\nzone ra 10.98.0.2\nweb -> ra tcp/443\nra -> web tcp/443\n"
                      'acme web {\n  directory "https://10.98.0.2/dir"\n  trust "certs/root.pem"\n'
                      "  domain web.test\n}\n")
    ztpol("apply", before, "--zone", "web", namespace=namespace, check=True)
    original = listing(namespace)
    hang = subprocess.Popen(["ip", "netns", "exec", namespace, "python3", "-c", HANGING_DIRECTORY, "10.98.0.2"],
                            stdout=subprocess.PIPE, text=True)
    state = tmp_path / "state"
    runs = []

    def start(seconds):
        process = subprocess.Popen(
            ["ip", "netns", "exec", namespace, ztpol_path(), "bootstrap", policy, "--zone", "web",
             "--tls-port", "8443", "--state-dir", state, "--rollback-after", str(seconds)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
        runs.append(process)
        line = ""
        while not line.startswith("[2/5] firewall"):
            line = process.stdout.readline()
            assert line, "bootstrap ended before applying the firewall"
        return process, line

    try:
        assert hang.stdout.readline().strip() == "ready"
        first, _ = start(6)
        assert listing(namespace) != original
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
        assert len(watchdogs(state)) == 1
        second, line = start(14)
        assert "to the table before an unfinished earlier run" in line
        assert len(watchdogs(state)) == 1, "the first run's watchdog must stand down"
        time.sleep(7)  # past the first run's deadline: nothing may be restored yet
        assert listing(namespace) != original
        assert (state / "rollback" / "ztpol.json").exists()
        os.killpg(second.pid, signal.SIGKILL)
        second.wait()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and listing(namespace) != original:
            time.sleep(0.5)
        assert listing(namespace) == original
        assert not (state / "rollback" / "ztpol.json").exists()
        assert watchdogs(state) == []
    finally:
        for process in runs:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
        for line in watchdogs(state):
            os.kill(int(line.split()[0]), signal.SIGKILL)
        hang.kill()
        hang.wait()


def test_rollback_never_signals_a_stale_watchdog_id(host, tmp_path):
    """A rollback file whose watchdog died long ago (a reboot) names a process id now used by another
    program: restoring must not signal that program."""
    namespace, _ = host
    policy = tmp_path / "p.zt"
    policy.write_text("zone a 10.98.0.1\n")
    ztpol("apply", policy, "--zone", "a", "--netns", namespace, check=True)
    bystander = subprocess.Popen(["sleep", "60"])
    try:
        (tmp_path / "rollback").mkdir()
        (tmp_path / "rollback" / "ztpol.json").write_text(
            '{"deadline": 0, "family": "inet", "name": "ztpol", "watchdog": %d}' % bystander.pid)
        result = ztpol("rollback", "--state-dir", tmp_path, "--netns", namespace)
        assert result.returncode == 0, result.stderr
        assert "removed table inet ztpol" in result.stdout
        assert listing(namespace) is None
        time.sleep(0.3)
        assert bystander.poll() is None, "an unrelated process was signalled"
    finally:
        bystander.kill()
        bystander.wait()


@pytest.mark.parametrize("table", ["../../etc/passwd", "x y", ""])
def test_rollback_refuses_a_table_name_that_is_not_one(table, tmp_path):
    result = ztpol("rollback", "--state-dir", tmp_path, "--table", table)
    assert result.returncode == 1
    assert "is not a table name" in result.stderr


MISBEHAVING_ACME = r"""
import http.server, json, ssl, sys
mode, address, cert, key = sys.argv[1:5]
class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args): pass
    def send(self, code, body, kind="application/json"):
        body = body if isinstance(body, bytes) else body.encode()
        self.send_response(code); self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body))); self.send_header("Replay-Nonce", "n1")
        self.end_headers(); self.wfile.write(body)
    def do_GET(self):
        if mode == "garbage": return self.send(200, "{not json \x1b[2J\x00")
        if mode == "missing": return self.send(200, json.dumps({"newNonce": "https://x/n"}))
        if mode == "problem": return self.send(500, json.dumps({"type": "urn:ietf:params:acme:error:serverInternal",
                                                                "detail": "database down"}), "application/problem+json")
        if mode == "huge":
            self.send_response(200); self.send_header("Content-Type", "application/json"); self.end_headers()
            chunk = b"x" * 65536
            try:
                for _ in range(100000): self.wfile.write(chunk)
            except OSError: pass
        if mode == "untrusted": return self.send(200, "{}")
server = http.server.ThreadingHTTPServer((address, 8443), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
print("ready", flush=True); server.serve_forever()
"""


def openssl(*args):
    result = run(["openssl", *args])
    assert result.returncode == 0, result.stderr


@pytest.fixture()
def pki(tmp_path):
    """A private root, a server certificate it signs for 10.98.0.2, and one self-signed for the same."""
    ca = ["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    openssl("req", "-x509", *ec, "-keyout", tmp_path / "root.key", "-out", tmp_path / "root.pem", "-days", "2",
            "-subj", "/CN=ztr root", *ca)
    openssl("req", "-new", *ec, "-keyout", tmp_path / "server.key", "-out", tmp_path / "server.csr", "-subj", "/CN=ra")
    (tmp_path / "san.cnf").write_text("subjectAltName=IP:10.98.0.2\n")
    openssl("x509", "-req", "-in", tmp_path / "server.csr", "-CA", tmp_path / "root.pem",
            "-CAkey", tmp_path / "root.key", "-CAcreateserial", "-out", tmp_path / "server.pem", "-days", "2", "-extfile", tmp_path / "san.cnf")
    openssl("req", "-x509", *ec, "-keyout", tmp_path / "self.key", "-out", tmp_path / "self.pem", "-days", "2",
            "-subj", "/CN=ra", "-addext", "subjectAltName=IP:10.98.0.2")
    return tmp_path


@pytest.mark.parametrize("mode, expected", [
    ("garbage", "the HTTP 200 response is not what ACME specifies (not JSON): {not json \\u{1b}[2J\\u{0}"),
    ("missing", "is not what ACME specifies ('newAccount' is missing)"),
    ("problem", "the server refused: serverInternal: database down"),
    ("huge", "the response is larger than 4 MiB"),
    ("untrusted", "SSL certificate problem"),
])
def test_a_misbehaving_acme_server_gives_a_clear_error_and_leaks_nothing(host, pki, mode, expected):
    namespace, _ = host
    run(["ip", "netns", "exec", namespace, "ip", "addr", "add", "10.98.0.2/24", "dev", "ztr-v1"], check=True)
    cert, key = ("self.pem", "self.key") if mode == "untrusted" else ("server.pem", "server.key")
    server = subprocess.Popen(["ip", "netns", "exec", namespace, "python3", "-c", MISBEHAVING_ACME, mode, "10.98.0.2",
                               pki / cert, pki / key], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout.readline().strip() == "ready"
        hmac = "c2VjcmV0LWhtYWMta2V5LW5ldmVyLXByaW50ZWQ"
        (pki / "hmac").write_text(hmac)
        result = ztpol("cert", "--directory", "https://10.98.0.2:8443/dir", "--trust", pki / "root.pem",
                       "--domain", "web.test", "--state-dir", pki / "state", "--tls-port", "8444", "--timeout", "10",
                       "--eab-kid", "kid-1", "--eab-hmac-file", pki / "hmac", namespace=namespace, timeout=60)
        assert result.returncode == 1
        assert expected in result.stderr, result.stderr
        output = result.stdout + result.stderr
        assert hmac not in output and "PRIVATE KEY" not in output
        assert "\x1b" not in output and "\x00" not in output
        leftovers = [p for p in (pki / "state").rglob("*")
                     if p.is_file() and (".tmp" in p.name or p.stat().st_size == 0)]
        assert leftovers == []
        assert not list((pki / "state").rglob("cert.pem"))
    finally:
        server.kill()
        server.wait()


def test_private_trust_leaves_no_journal_behind_even_without_state_dir(root_dir, pki):
    """with-private-trust.sh throws away the trust stores' changes; the default state directory's journal
    (which would claim the root is still installed) must go with them."""
    before = os.path.exists("/var/lib/ztpol")
    journal = "/var/lib/ztpol/trust/journal.json"
    journal_before = open(journal, "rb").read() if os.path.exists(journal) else None
    result = run([root_dir / "scripts" / "with-private-trust.sh", "bash", "-c",
                  f'{ztpol_path()} trust install {pki / "root.pem"} --stores system --name ztr-root && '
                  f'{ztpol_path()} trust status'])
    assert result.returncode == 0, result.stderr
    assert "ztr-root" in result.stdout
    assert os.path.exists("/var/lib/ztpol") == before
    assert (open(journal, "rb").read() if os.path.exists(journal) else None) == journal_before
    assert "ztr-root" not in ztpol("trust", "status").stdout
    assert not os.path.exists("/usr/local/share/ca-certificates/ztr-root.crt")


NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.fixture()
def open_dir():
    """A folder that nobody can read (pytest's own tmp_path is root's alone)."""
    folder = tempfile.mkdtemp(prefix="ztr-")
    os.chmod(folder, 0o755)
    yield pathlib.Path(folder)
    shutil.rmtree(folder)


def test_commands_that_need_root_say_so_as_nobody_and_change_nothing(host, open_dir):
    namespace, _ = host
    tmp_path = open_dir
    policy = tmp_path / "p.zt"
    policy.write_text("zone a 10.98.0.1, fd98::1\nzone b 10.98.0.2\na -> b tcp/22\n")
    policy.chmod(0o644)
    ztpol("apply", policy, "--zone", "a", "--netns", namespace, check=True)
    before = listing(namespace)
    for command in (["apply", policy, "--zone", "b", "--netns", namespace], ["diff", policy, "--zone", "b"],
                    ["apply", policy, "--zone", "b"],
                    ["bootstrap", policy, "--zone", "b", "--netns", namespace, "--state-dir", tmp_path / "s"]):
        result = run(NOBODY + [ztpol_path(), *command])
        assert result.returncode == 1, (command, result.stdout)
        assert "Operation not permitted" in result.stderr and "needs root" in result.stderr, result.stderr
        assert listing(namespace) == before
    assert not (tmp_path / "s" / "rollback").exists()
    compiled = run(NOBODY + [ztpol_path(), "compile", policy, "--zone", "b"])
    assert compiled.returncode == 0 and "table inet ztpol" in compiled.stdout


def test_an_unreadable_policy_says_why(open_dir):
    policy = open_dir / "secret.zt"
    policy.write_text("zone a 10.98.0.1\n")
    policy.chmod(0o600)
    (open_dir / "folder.zt").mkdir()
    cases = [(policy, "permission denied"), (open_dir / "folder.zt", "it is a directory"),
             (open_dir / "missing.zt", "no such file or directory")]
    for path, reason in cases:
        result = run(NOBODY + [ztpol_path(), "check", path])
        assert result.returncode == 1
        assert f"{path}:1:1: error: cannot read policy file '{path}': {reason}" in result.stderr, result.stderr


def test_a_stale_rollback_file_does_not_bring_back_an_old_table(host, pki):
    """A rollback whose deadline passed long ago and whose watchdog is gone (its restore failed, the machine
    rebooted) is not pending: a later bootstrap that fails must restore the table it found, not the stale one."""
    namespace, _ = host
    run(["ip", "netns", "exec", namespace, "ip", "addr", "add", "10.98.0.2/24", "dev", "ztr-v1"], check=True)
    before = pki / "before.zt"
    before.write_text("zone web 10.98.0.1\nzone ra 10.98.0.2\nweb -> ra tcp/22\n")
    ztpol("apply", before, "--zone", "web", namespace=namespace, check=True)
    found = listing(namespace)
    dead = subprocess.Popen(["true"])
    dead.wait()
    state = pki / "state"
    (state / "rollback").mkdir(parents=True)
    (state / "rollback" / "ztpol.json").write_text(
        '{"deadline": 1000, "family": "inet", "name": "ztpol", "watchdog": %d}' % dead.pid)
    policy = pki / "boot.zt"
    policy.write_text("zone web 10.98.0.1\nzone ra 10.98.0.2\nweb -> ra tcp/8443\nra -> web tcp/443\n"
                      'acme web {\n  directory "https://10.98.0.2:8443/dir"\n  trust "root.pem"\n'
                      "  domain web.test\n}\n")
    result = ztpol("bootstrap", policy, "--zone", "web", "--tls-port", "8444", "--state-dir", state,
                   "--rollback-after", "30", namespace=namespace, timeout=60)
    assert result.returncode == 1
    assert "step 3 (certificate)" in result.stderr and "restored table inet ztpol" in result.stderr, result.stderr
    assert "unfinished earlier run" not in result.stdout
    assert listing(namespace) == found
    assert watchdogs(state) == []


def test_renew_with_a_damaged_record_names_the_folder_and_the_fault(tmp_path):
    certificates = tmp_path / "acme" / "certificates"
    (certificates / "x.test").mkdir(parents=True)
    (certificates / "x.test" / "request.json").write_text("garbage")
    (certificates / "y.test").mkdir()
    (certificates / "y.test" / "request.json").write_text("{}")
    result = ztpol("renew", "--state-dir", tmp_path)
    assert result.returncode == 1
    assert f"{certificates / 'x.test'}: failed (decode {certificates / 'x.test' / 'request.json'}: not JSON)" \
        in result.stdout, result.stdout
    assert f"{certificates / 'y.test'}: failed (decode {certificates / 'y.test' / 'request.json'}: " \
        "'request' is missing)" in result.stdout, result.stdout
    assert "DecodingError" not in result.stdout + result.stderr


FOREIGN_TABLE = """table inet filter {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport 22 accept comment "the admin's ssh rule"
  }
}
"""


def test_a_table_ztpol_did_not_write_is_never_taken_over(host, tmp_path):
    """`--table filter` names Debian's own table: apply and bootstrap refuse to replace it (before, apply
    deleted the admin's rules) and leave no armed rollback behind; ztpol's own tables are replaced as ever."""
    namespace, _ = host
    (tmp_path / "foreign.nft").write_text(FOREIGN_TABLE)
    run(["nft", "-f", tmp_path / "foreign.nft"], namespace=namespace, check=True)
    foreign = listing(namespace, "filter")
    policy = tmp_path / "p.zt"
    policy.write_text("zone a 10.98.0.1\nzone b 10.0.0.2\na -> b tcp/443\n")
    state = tmp_path / "state"
    for command in (["apply", policy, "--zone", "a", "--table", "filter", "--netns", namespace],
                    ["bootstrap", policy, "--zone", "a", "--table", "filter", "--netns", namespace,
                     "--state-dir", state]):
        result = ztpol(*command)
        assert result.returncode == 1, result.stdout
        assert "table inet filter exists and was not written by ztpol" in result.stderr, result.stderr
        assert listing(namespace, "filter") == foreign
    assert not (state / "rollback" / "ztpol.json").exists() and not (state / "rollback" / "filter.json").exists()
    assert watchdogs(state) == []
    # ztpol's own table under another name is replaced when the policy changes.
    ztpol("apply", policy, "--zone", "a", "--table", "mine", "--netns", namespace, check=True)
    policy.write_text("zone a 10.98.0.1\nzone b 10.0.0.3\na -> b tcp/8443\n")
    ztpol("apply", policy, "--zone", "a", "--table", "mine", "--netns", namespace, check=True)
    assert "8443 : jump output_tcp_8443" in listing(namespace, "mine")
    # The default table loaded by nft -f from `ztpol compile` is still taken over.
    compiled = ztpol("compile", policy, "--zone", "a", check=True).stdout
    (tmp_path / "compiled.nft").write_text(compiled.replace("8443", "9443"))
    run(["nft", "-f", tmp_path / "compiled.nft"], namespace=namespace, check=True)
    ztpol("apply", policy, "--zone", "a", "--netns", namespace, check=True)
    assert "8443 : jump output_tcp_8443" in listing(namespace)
    assert listing(namespace, "filter") == foreign


@pytest.mark.parametrize("through", ["named pipe", "standard input"])
def test_a_policy_read_from_a_pipe_is_read_once(host, tmp_path, through):
    """apply reads its policy once. A policy that is not UTF-8 was read a second time to report it: from a
    named pipe that waited for a writer for ever, from standard input it said 'reading it failed'. A good
    policy through a pipe gives the table its file gives."""
    namespace, twin = host
    good = "zone a 10.98.0.1, fd98::1\nzone b 10.97.0.0/16\nb -> a tcp/22\n"
    broken = b"zone a 10.98.0.1\n# caf\xe9\nzone b 10.97.0.0/16\nb -> a tcp/22\n"

    def apply_through_pipe(content):
        arguments = ["--zone", "a", "--netns", namespace]
        if through == "standard input":
            return subprocess.run([ztpol_path(), "apply", "/dev/stdin", *arguments], input=content,
                                  capture_output=True, timeout=20)
        fifo = tmp_path / "policy.zt"
        os.mkfifo(fifo)
        writer = threading.Thread(target=fifo.write_bytes, args=(content,))
        writer.start()
        try:
            return subprocess.run([ztpol_path(), "apply", fifo, *arguments], capture_output=True, timeout=20)
        finally:
            if writer.is_alive():
                # Let the writer go when apply never opened the pipe.
                os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
            writer.join(timeout=20)
            fifo.unlink()

    failed = apply_through_pipe(broken)
    assert failed.returncode == 1
    assert b"is not utf-8 text" in failed.stderr, failed.stderr
    assert listing(namespace) is None

    applied = apply_through_pipe(good.encode())
    assert applied.returncode == 0, applied.stderr
    (tmp_path / "file.zt").write_text(good)
    compiled = ztpol("compile", tmp_path / "file.zt", "--zone", "a", check=True)
    # Rule comments name the policy file: the pipe's name stands in the applied table.
    name = "stdin" if through == "standard input" else "policy.zt"
    (tmp_path / "compiled.nft").write_text(compiled.stdout.replace('"file.zt:', f'"{name}:'))
    run(["nft", "-f", tmp_path / "compiled.nft"], namespace=twin, check=True)
    assert listing(namespace) == listing(twin)


def test_output_that_cannot_be_written_is_an_error_not_a_crash(tmp_path):
    # Foundation's FileHandle.write stopped the process (SIGILL, exit 132) on a write error.
    policy = tmp_path / "site.zt"
    policy.write_text("zone me 10.1.0.1\nzone peers 10.2.0.0/24\nservice https tcp/443\npeers -> me https\n")
    with open("/dev/full", "w") as full:
        result = subprocess.run([ztpol_path(), "compile", policy, "--zone", "me"], stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=60)
    assert result.returncode == 1
    assert "could not write to standard output: No space left on device" in result.stderr



@pytest.mark.parametrize("command", ["check", "apply"])
def test_an_endless_policy_file_is_refused_not_read_until_memory_runs_out(command, scratch_namespace):
    # /dev/zero has no size to go by: it was read until the process ran out of memory.
    arguments = [ztpol_path(), command, "/dev/zero"]
    if command == "apply":
        arguments += ["--zone", "x", "--netns", scratch_namespace]
    result = subprocess.run(arguments, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "/dev/zero:1:1: error: cannot read policy file '/dev/zero': it is larger than 256 MiB" in result.stderr
    assert "nothing was changed" in result.stderr
    assert nft(scratch_namespace, "list", "tables").stdout == ""


@pytest.mark.parametrize("args, expected", [
    (["chek", "policies/webserver.zt"], "unknown command 'chek'; did you mean 'check'? commands are: check,"),
    (["xy"], "unknown command 'xy'; commands are: check,"),
    (["compile", "policies/webserver.zt", "--zon", "web"], "unknown option '--zon'; did you mean '--zone'?"),
    (["compile", "policies/webserver.zt", "--zone", "web", "--log-droped"],
     "unknown option '--log-droped'; did you mean '--log-dropped'?"),
    (["diff", "a.zt", "b.zt", "--labl=x"], "unknown option '--labl=x'; did you mean '--label'?"),
    (["check", "policies/webserver.zt", "--frobnicate"], "unknown option '--frobnicate'\n"),
])
def test_a_misspelt_command_or_option_is_answered_with_the_nearest_one(args, expected):
    result = ztpol(*args, cwd=pathlib.Path(__file__).resolve().parents[2])
    assert result.returncode == 1
    assert expected in result.stderr, result.stderr
