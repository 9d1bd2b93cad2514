"""Issue #5 end to end: real clients (curl, Python's ssl, requests in a virtual environment) verify an HTTPS
server whose certificate chains to a private root only while `ztpol trust install` has it installed.

Everything that touches a trust store runs inside a private mount namespace in which copies of the store
directories are bind-mounted over the real ones, so this machine's own trust store is never changed; the
test checks that too. The namespace is held by a sleeping process and entered with nsenter for each command.
"""
import hashlib
import json
import os
import pathlib
import signal
import subprocess
import sys

import pytest

from conftest import ztpol_path

# Directories the install writes to on Debian (system store, its generated links and Java keystore, the
# environment files); each gets a private copy inside the namespace.
PROTECTED = ["/etc/ssl", "/usr/local/share/ca-certificates", "/etc/profile.d", "/etc/systemd"]
CLIENT_VARIABLES = ["REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR", "CURL_CA_BUNDLE", "PIP_CERT",
                    "NODE_EXTRA_CA_CERTS"]
BUNDLE = "/etc/ssl/certs/ca-certificates.crt"

NAMESPACE_SETUP = r"""
set -eu
copy=$1
for d in "${@:2}"; do
  mkdir -p "$copy$d"
  cp -a "$d/." "$copy$d/"
  mount --bind "$copy$d" "$d"
done
# The system interpreter's certifi (ztpol handles it by default) gets a private copy too.
for py in /usr/local/bin/python3 /usr/bin/python3; do
  [ -x "$py" ] || continue
  where=$("$py" -c 'import certifi, os; print(os.path.dirname(os.path.realpath(certifi.where())))' \
          2>/dev/null) || continue
  mkdir -p "$copy$where"
  cp -a "$where/." "$copy$where/"
  mount --bind "$copy$where" "$where"
done
echo ready
exec sleep 3600
"""

SERVER = r"""
import http.server, ssl, sys
class Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"hello from the web tier\n")
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hello)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(sys.argv[1], sys.argv[2])
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
"""

# Each probe exits 0 when the server verified, 3 when verification failed; anything else is a broken test.
SSL_PROBE = r"""
import socket, ssl, sys
context = ssl.create_default_context()
try:
    with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname="127.0.0.1"):
            pass
except ssl.SSLCertVerificationError as error:
    print(error)
    sys.exit(3)
"""

REQUESTS_PROBE = r"""
import sys, requests
try:
    response = requests.get(sys.argv[1], timeout=5)
except requests.exceptions.SSLError as error:
    print(error)
    sys.exit(3)
assert response.text == "hello from the web tier\n", response.text
"""

TREE_STATE = r"""
import hashlib, json, os, stat, sys
with_times = sys.argv[1] == "times"
state = {}
def note(path):
    info = os.lstat(path)
    entry = [stat.filemode(info.st_mode)]
    if stat.S_ISLNK(info.st_mode):
        entry.append(os.readlink(path))
    elif stat.S_ISREG(info.st_mode):
        entry.append(hashlib.sha256(open(path, "rb").read()).hexdigest())
    if with_times:
        entry.append(info.st_mtime_ns)
    state[path] = entry
for top in sys.argv[2:]:
    if os.path.isdir(top) and not os.path.islink(top):
        for directory, subdirectories, files in os.walk(top):
            for name in subdirectories + files:
                note(os.path.join(directory, name))
    elif os.path.lexists(top):
        note(top)
print(json.dumps(state, sort_keys=True))
"""


def openssl(directory, *args):
    subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A private root, a server certificate it issued for 127.0.0.1, and certificates that must be refused."""
    directory = tmp_path_factory.mktemp("pki")
    (directory / "ca.cnf").write_text(
        "[req]\ndistinguished_name = dn\n[dn]\n"
        "[root]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\n"
        "subjectKeyIdentifier = hash\n"
        "[server]\nbasicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature\n"
        "extendedKeyUsage = serverAuth\nsubjectAltName = IP:127.0.0.1, DNS:localhost\n"
        "[ca]\ndefault_ca = old\n[old]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\n"
        "default_md = sha256\npolicy = any\nunique_subject = no\n[any]\ncommonName = supplied\n")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    openssl(directory, "req", "-x509", "-config", "ca.cnf", *ec, "-keyout", "root.key", "-out", "root.pem",
            "-subj", "/CN=ztpol e2e Root", "-days", "2", "-extensions", "root")
    openssl(directory, "req", "-new", "-config", "ca.cnf", *ec, "-keyout", "server.key", "-out", "server.csr",
            "-subj", "/CN=web.test")
    openssl(directory, "x509", "-req", "-in", "server.csr", "-CA", "root.pem", "-CAkey", "root.key",
            "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ca.cnf", "-extensions", "server")
    (directory / "index.txt").write_text("")
    (directory / "serial").write_text("01\n")
    openssl(directory, "req", "-new", "-config", "ca.cnf", *ec, "-keyout", "old.key", "-out", "old.csr",
            "-subj", "/CN=Old Root")
    openssl(directory, "ca", "-batch", "-config", "ca.cnf", "-selfsign", "-keyfile", "old.key", "-in", "old.csr",
            "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", "-extfile", "ca.cnf",
            "-extensions", "root", "-notext", "-out", "expired.pem")
    (directory / "notes.txt").write_text("this is not a certificate\n")
    return directory


@pytest.fixture(scope="module")
def server(pki):
    process = subprocess.Popen([sys.executable, "-c", SERVER, pki / "server.pem", pki / "server.key"],
                               stdout=subprocess.PIPE, text=True)
    port = int(process.stdout.readline())
    yield port
    process.kill()
    process.wait()


@pytest.fixture(scope="module")
def client_venv(tmp_path_factory):
    """A virtual environment with requests and certifi from PyPI: certifi carries its own bundle."""
    venv = tmp_path_factory.mktemp("client") / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    subprocess.run([venv / "bin" / "pip", "install", "-q", "--disable-pip-version-check", "requests", "certifi"],
                   check=True, env=clean_environment())
    return venv


def clean_environment():
    return {key: value for key, value in os.environ.items() if key not in CLIENT_VARIABLES}


class Namespace:
    """A private mount namespace whose trust store directories are throwaway copies."""

    def __init__(self, copy_directory):
        self.process = subprocess.Popen(
            ["unshare", "--mount", "--propagation", "private", "bash", "-c", NAMESPACE_SETUP, "setup",
             str(copy_directory), *PROTECTED],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if line.strip() != "ready":
            self.process.kill()
            raise AssertionError(f"namespace setup failed: {line}{self.process.stderr.read()}")

    def run(self, *args, timeout=120, env=None):
        command = ["nsenter", "--mount", f"--target={self.process.pid}", "--", *[str(a) for a in args]]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              env=env or clean_environment())

    def ztpol(self, *args):
        return self.run(ztpol_path(), "trust", *args)

    def close(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


@pytest.fixture()
def namespace(tmp_path):
    held = Namespace(tmp_path / "copies")
    yield held
    held.close()


def host_state():
    """This machine's real store, seen from outside any namespace."""
    return subprocess.run([sys.executable, "-c", TREE_STATE, "times", *PROTECTED],
                          capture_output=True, text=True, check=True).stdout


class Clients:
    def __init__(self, namespace, venv, port):
        self.namespace, self.venv, self.port = namespace, venv, port
        self.url = f"https://127.0.0.1:{port}/"

    def verdicts(self):
        """Whether curl, Python's ssl and requests (no CA variables set) each verified the server."""
        outcome = {}
        curl = self.namespace.run("curl", "-sS", "--max-time", "5", "-o", "/dev/null", self.url)
        assert curl.returncode in (0, 60), f"curl failed for another reason: {curl.returncode} {curl.stderr}"
        outcome["curl"] = curl.returncode == 0
        for name, probe, argument in (("ssl", SSL_PROBE, self.port), ("requests", REQUESTS_PROBE, self.url)):
            result = self.namespace.run(self.venv / "bin" / "python", "-c", probe, argument)
            assert result.returncode in (0, 3), f"{name} probe broke: {result.stdout}{result.stderr}"
            outcome[name] = result.returncode == 0
        return outcome

    def assert_all(self, verified, when):
        verdicts = self.verdicts()
        assert verdicts == {"curl": verified, "ssl": verified, "requests": verified}, f"{when}: {verdicts}"


def tree(namespace, venv, times=False):
    cacert = next(venv.glob("lib/python3*/site-packages/certifi/cacert.pem"))
    result = namespace.run(sys.executable, "-c", TREE_STATE, "times" if times else "bytes", *PROTECTED, cacert)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_clients_verify_the_private_root_only_while_it_is_installed(pki, server, client_venv, namespace, tmp_path):
    real_store = host_state()
    state = tmp_path / "state"
    install = ("install", pki / "root.pem", "--name", "e2e-root", "--python", client_venv, "--state-dir", state)
    clients = Clients(namespace, client_venv, server)
    pristine = tree(namespace, client_venv)

    clients.assert_all(False, "before install")

    result = namespace.ztpol(*install)
    assert result.returncode == 0, result.stderr
    assert "installed 'e2e-root' (CN=ztpol e2e Root" in result.stdout
    assert "/usr/local/share/ca-certificates/e2e-root.crt" in result.stdout
    assert f"certifi {client_venv}" in result.stdout and f"-> {BUNDLE}" in result.stdout
    clients.assert_all(True, "after install")

    # The environment file names the full bundle, which verifies the server and still holds the public CAs.
    profile = namespace.run("cat", "/etc/profile.d/ztpol-trust.sh").stdout
    for variable in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "PIP_CERT", "NODE_EXTRA_CA_CERTS", "CURL_CA_BUNDLE"):
        assert f"export {variable}='{BUNDLE}'" in profile
    sourced = namespace.run("sh", "-c", '. /etc/profile.d/ztpol-trust.sh && '
                            'openssl verify -CAfile "$REQUESTS_CA_BUNDLE" "$1" && '
                            'grep -c "BEGIN CERTIFICATE" "$SSL_CERT_FILE"', "sh", pki / "server.pem")
    assert sourced.returncode == 0, sourced.stdout + sourced.stderr
    assert int(sourced.stdout.split()[-1]) > 100, "the bundle must hold the public CAs too"
    assert "DefaultEnvironment=" in namespace.run("cat", "/etc/systemd/system.conf.d/ztpol-trust.conf").stdout

    # A second install changes nothing: same bytes, same modification times.
    installed = tree(namespace, client_venv, times=True)
    again = namespace.ztpol(*install)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("already installed 'e2e-root'"), again.stdout
    assert "changed" not in again.stdout
    assert tree(namespace, client_venv, times=True) == installed
    clients.assert_all(True, "after a second install")

    status = namespace.ztpol("status", "--state-dir", state)
    assert status.returncode == 0, status.stderr
    assert "e2e-root: CN=ztpol e2e Root" in status.stdout and "in the system bundle" in status.stdout
    assert "CHANGED" not in status.stdout

    # `pip install --force-reinstall certifi` puts certifi's own bundle back: status says so, install repairs.
    reinstall = namespace.run(client_venv / "bin" / "pip", "install", "-q", "--disable-pip-version-check",
                              "--force-reinstall", "--no-deps", "certifi")
    assert reinstall.returncode == 0, reinstall.stderr
    assert clients.verdicts()["requests"] is False
    assert "CHANGED" in namespace.ztpol("status", "--state-dir", state).stdout
    repaired = namespace.ztpol(*install)
    assert repaired.returncode == 0 and "changed" in repaired.stdout and "cacert.pem" in repaired.stdout
    clients.assert_all(True, "after repairing certifi")

    removed = namespace.ztpol("remove", "e2e-root", "--state-dir", state)
    assert removed.returncode == 0, removed.stderr
    assert "removed 'e2e-root'" in removed.stdout
    assert "warning" not in removed.stderr, removed.stderr
    clients.assert_all(False, "after remove")
    assert tree(namespace, client_venv) == pristine, "remove did not restore every file byte for byte"
    assert not state.exists()
    assert "no roots installed" in namespace.ztpol("status", "--state-dir", state).stdout

    assert host_state() == real_store, "the test changed this machine's real trust store"


@pytest.mark.parametrize("file, message", [
    ("server.pem", "is a leaf certificate (CA:FALSE)"),
    ("root.key", "holds a PRIVATE KEY"),
    ("notes.txt", "is not PEM"),
    ("expired.pem", "expired on 2020-01-02"),
    ("missing.pem", "does not exist"),
])
def test_refused_roots_change_nothing(pki, client_venv, namespace, tmp_path, file, message):
    before = tree(namespace, client_venv, times=True)
    result = namespace.ztpol("install", pki / file, "--python", client_venv, "--state-dir", tmp_path / "state")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("ztpol: error: ") and message in result.stderr, result.stderr
    assert tree(namespace, client_venv, times=True) == before
    assert not (tmp_path / "state").exists()


def test_remove_of_an_unknown_name_is_an_error(namespace, tmp_path):
    result = namespace.ztpol("remove", "nobody", "--state-dir", tmp_path / "state")
    assert result.returncode == 1
    assert "no root named 'nobody' is installed" in result.stderr


def write_policy(directory, root):
    policy = directory / "webserver.zt"
    policy.write_text(
        "zone services 127.0.0.1\nzone web 127.0.0.2\nservice https tcp/443\nservices -> web https\n"
        f'trust services {{\n  root "{root}"\n  name "policy-root"\n  stores system, pip\n}}\n')
    return policy


def test_the_policy_trust_block_installs_its_root_for_the_hosts_zone(pki, server, namespace, tmp_path):
    state = tmp_path / "state"
    policy = write_policy(tmp_path, pki / "root.pem")
    curl = ("curl", "-sS", "--max-time", "5", "-o", "/dev/null", f"https://127.0.0.1:{server}/")
    assert namespace.run(*curl).returncode == 60

    other_zone = namespace.ztpol(policy, "--zone", "web", "--state-dir", state)
    assert other_zone.returncode == 0, other_zone.stderr
    assert "no trust block applies to zone web" in other_zone.stdout
    assert namespace.run(*curl).returncode == 60

    result = namespace.ztpol(policy, "--zone", "services", "--state-dir", state)
    assert result.returncode == 0, result.stderr
    assert "installed 'policy-root'" in result.stdout and "in system, env" in result.stdout
    assert namespace.run(*curl).returncode == 0
    assert namespace.ztpol("remove", "policy-root", "--state-dir", state).returncode == 0
    assert namespace.run(*curl).returncode == 60


def test_a_policy_naming_a_leaf_as_root_installs_nothing(pki, client_venv, namespace, tmp_path):
    policy = write_policy(tmp_path, pki / "server.pem")
    before = tree(namespace, client_venv, times=True)
    result = namespace.ztpol(policy, "--zone", "services", "--state-dir", tmp_path / "state")
    assert result.returncode == 1
    assert "is a leaf certificate (CA:FALSE)" in result.stderr
    assert tree(namespace, client_venv, times=True) == before
