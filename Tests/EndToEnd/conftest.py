"""Shared fixtures of the end-to-end tests: the built ztpol, the four-host topology, commands in hosts.

These tests drive the real binary against the real kernel's nf_tables in network namespaces they
create themselves, and (for ACME) a real pebble. They need root.
"""
import os
import pathlib
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
