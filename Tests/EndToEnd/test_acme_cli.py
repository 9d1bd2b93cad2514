"""`ztpol cert` and `ztpol renew` as a user runs them: the built binary against a real pebble.

On loopback with a pebble of its own (free ports, high TLS-ALPN-01 port), and across network
namespaces with the demo RA (pebble in zt-ra validating on tcp/443 of zt-web, IPv4 and IPv6).
"""
import json
import os
import socket
import stat

import pytest

from conftest import ROOT, run, ztpol
from local_pebble import LocalPebble


@pytest.fixture()
def pebble():
    with LocalPebble(environment={"PEBBLE_AUTHZREUSE": "0"}) as server:
        yield server


def cert_args(pebble, state, *names):
    args = ["cert", "--directory", pebble.directory_url, "--trust", pebble.https_root,
            "--state-dir", state, "--tls-port", pebble.tls_port, "--email", "ops@web.test"]
    for name in names:
        args += ["--domain", name]
    return args


def test_cert_prints_json_progress_on_stderr_and_stores_a_verifiable_chain(pebble, tmp_path):
    state = tmp_path / "state"
    result = ztpol(*cert_args(pebble, state, "web.test", "api.web.test"), "--key-type", "ec384", "--json")
    assert result.returncode == 0, result.stderr
    issued = json.loads(result.stdout)
    assert issued["identifiers"] == ["web.test", "api.web.test"]
    assert issued["keyType"] == "ec384"
    for step in ("acme directory:", "acme order:", "acme challenge:", "acme validation:", "acme finalize:",
                 "acme store:"):
        assert step in result.stderr, result.stderr
    verified = run(["openssl", "verify", "-CAfile", pebble.issuing_root(), "-untrusted", issued["chainPath"],
                    issued["certificatePath"]])
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert stat.S_IMODE(os.stat(issued["keyPath"]).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(state).st_mode) == 0o700
    assert "PRIVATE KEY" not in result.stderr + result.stdout


def test_renew_with_nothing_due_exits_zero_without_a_request(pebble, tmp_path):
    state = tmp_path / "state"
    assert ztpol(*cert_args(pebble, state, "web.test")).returncode == 0
    pebble.stop()
    result = ztpol("renew", "--state-dir", state, "--json")
    assert result.returncode == 0, result.stderr
    assert [entry["outcome"] for entry in json.loads(result.stdout)] == ["notDue"]


def test_renew_force_renews_and_runs_the_reload_command(pebble, tmp_path):
    state, marker = tmp_path / "state", tmp_path / "reloaded"
    args = cert_args(pebble, state, "web.test") + ["--reload-command", f"touch {marker}"]
    assert ztpol(*args).returncode == 0
    marker.unlink()
    result = ztpol("renew", "--state-dir", state, "--force")
    assert result.returncode == 0, result.stderr
    assert "web.test: renewed (forced)" in result.stdout
    assert marker.exists()


def test_busy_port_is_a_clear_error_naming_the_port(pebble, tmp_path):
    with socket.socket(socket.AF_INET6) as squatter:
        squatter.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        squatter.bind(("::", pebble.tls_port))
        squatter.listen()
        result = ztpol(*cert_args(pebble, tmp_path / "state", "web.test"))
    assert result.returncode == 1
    assert f"tcp/{pebble.tls_port} on [::] is already in use" in result.stderr
    assert "--tls-port" in result.stderr


def test_usage_errors_name_what_is_missing(tmp_path):
    result = ztpol("cert", "--directory", "https://127.0.0.1:1/dir", "--domain", "web.test")
    assert result.returncode == 1
    assert "missing --trust FILE" in result.stderr
    result = ztpol("cert", "--directory", "https://x/dir", "--trust", "r.pem", "-d", "w.test", "--key-type", "dsa")
    assert "unknown --key-type 'dsa'" in result.stderr


def test_renew_json_with_no_certificates_is_an_empty_array(tmp_path):
    result = ztpol("renew", "--json", "--state-dir", tmp_path, check=True)
    assert result.stdout == "[]\n"
    assert json.loads(result.stdout) == []


def test_cert_across_namespaces_from_the_demo_ra(topology, tmp_path):
    """pebble in zt-ra on 10.77.0.1:443 validates zt-web's responder on tcp/443 (web.test resolves
    to 10.77.0.2 and fd77::2, so pebble validates over IPv6)."""
    run([ROOT / "scripts" / "ra.sh", "up", tmp_path / "certs"], check=True)
    try:
        state = tmp_path / "state"
        result = ztpol("cert", "--directory", "https://10.77.0.1/dir", "--trust", tmp_path / "certs" / "ra-root.pem",
                       "--domain", "web.test", "--state-dir", state, "--json", namespace="zt-web")
        assert result.returncode == 0, result.stderr
        issued = json.loads(result.stdout)
        verified = run(["openssl", "verify", "-CAfile", tmp_path / "certs" / "ra-root.pem",
                        "-untrusted", issued["chainPath"], issued["certificatePath"]])
        assert verified.returncode == 0, verified.stdout + verified.stderr
    finally:
        run([ROOT / "scripts" / "ra.sh", "down"])


def test_cert_from_the_policy_acme_block_of_this_hosts_zone(topology, tmp_path):
    """`ztpol cert POLICY` in zt-web: the zone (web) is found from the host's addresses, and its
    acme block names the RA, the root (relative to the policy) and the domain."""
    policy = tmp_path / "webserver.zt"
    policy.write_text((ROOT / "policies" / "webserver.zt").read_text())
    run([ROOT / "scripts" / "ra.sh", "up", tmp_path / "certs"], check=True)
    try:
        result = ztpol("cert", policy, "--state-dir", tmp_path / "state", "--json", namespace="zt-web")
        assert result.returncode == 0, result.stderr
        [issued] = json.loads(result.stdout)
        assert issued["identifiers"] == ["web.test"]
        other = ztpol("cert", policy, "--zone", "services", "--state-dir", tmp_path / "state", namespace="zt-svc")
        assert other.returncode == 1
        assert "no acme block for zone services in the policy (there are acme blocks for web)" in other.stderr
    finally:
        run([ROOT / "scripts" / "ra.sh", "down"])


def test_cert_refuses_a_trust_file_that_is_not_a_ca(pebble, tmp_path):
    leaf = tmp_path / "leaf.pem"
    run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", tmp_path / "leaf.key", "-out", leaf, "-subj", "/CN=leaf", "-days", "1",
         "-addext", "basicConstraints=CA:FALSE"], check=True)
    args = cert_args(pebble, tmp_path / "state", "web.test")
    args[args.index("--trust") + 1] = leaf
    result = ztpol(*args)
    assert result.returncode == 1
    assert f"the trust root {leaf} is not a CA certificate" in result.stderr
