"""Shared fixtures of the end-to-end tests: the built ztpol, the four-host topology, commands in hosts.

These tests drive the real binary against the real kernel's nf_tables in network namespaces they
create themselves, and (for ACME) a real pebble. They need root.
"""
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

HOSTS = ["zt-ra", "zt-web", "zt-svc", "zt-other"]


def ztpol_path():
    return os.environ.get("ZTPOL") or str(ROOT / ".build" / "debug" / "ztpol")


def run(args, check=False, namespace=None, timeout=120, **kwargs):
    """Runs a command (in a namespace when given) and returns the CompletedProcess with text output."""
    command = (["ip", "netns", "exec", namespace] if namespace else []) + [str(a) for a in args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"{command} exited {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}")
    return result


def ztpol(*args, namespace=None, check=False, **kwargs):
    return run([ztpol_path(), *args], namespace=namespace, check=check, **kwargs)


def nft(namespace, *args, check=True):
    return run(["nft", *args], namespace=namespace, check=check)


@pytest.fixture(scope="session")
def root_dir():
    return ROOT


@pytest.fixture(scope="session", autouse=True)
def require_root_and_binary():
    if os.geteuid() != 0:
        pytest.fail("the end-to-end tests need root (network namespaces, nf_tables)")
    if not os.access(ztpol_path(), os.X_OK):
        pytest.fail(f"no ztpol binary at {ztpol_path()}: build it first (swift build --product ztpol)")


@pytest.fixture()
def topology():
    """A fresh four-host topology for one test, torn down afterwards."""
    run([ROOT / "scripts" / "topology.sh", "up"], check=True)
    yield HOSTS
    run([ROOT / "scripts" / "topology.sh", "down"], check=True)


@pytest.fixture()
def workdir(tmp_path):
    """A copy of the seed policy with its own certs/ folder, so the RA's root lands beside it."""
    (tmp_path / "certs").mkdir()
    shutil.copy(ROOT / "policies" / "webserver.zt", tmp_path / "webserver.zt")
    return tmp_path


@pytest.fixture()
def ra(topology, workdir):
    """The demo's private RA (pebble in zt-ra behind https://10.77.0.1/dir); yields its root's path."""
    run([ROOT / "scripts" / "ra.sh", "up", workdir / "certs"], check=True)
    yield workdir / "certs" / "ra-root.pem"
    run([ROOT / "scripts" / "ra.sh", "down"], check=True)
