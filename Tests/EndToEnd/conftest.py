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


# Preloaded into ztpol, it runs RACE_COMMAND just before ztpol sends its first nf_tables batch, and
# RACE_AFTER_BATCH just before the first request (through libmnl) after batch number RACE_AFTER_BATCHES
# (1 by default): another program's commits, exactly between ztpol's reads and its writes. Neither command
# inherits the shim.
RACE_SHIM = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>

static ssize_t (*real_sendmsg)(int, const struct msghdr *, int);
static ssize_t (*real_sendto)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);
static int batches, raced_after;

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags) {
    if (!real_sendmsg) real_sendmsg = dlsym(RTLD_NEXT, "sendmsg");
    if (msg->msg_iovlen > 0
        && ((struct nlmsghdr *)msg->msg_iov[0].iov_base)->nlmsg_type == NFNL_MSG_BATCH_BEGIN) {
        const char *race = getenv("RACE_COMMAND");
        unsetenv("LD_PRELOAD");  /* nft must not run the commands again */
        if (race && batches++ == 0 && system(race) != 0) abort();
    }
    return real_sendmsg(fd, msg, flags);
}

/* RACE_AFTER_BATCH runs before the first request sent (through libmnl) after batch number
   RACE_AFTER_BATCHES, 1 by default. */
ssize_t sendto(int fd, const void *buffer, size_t length, int flags, const struct sockaddr *address,
               socklen_t address_length) {
    if (!real_sendto) real_sendto = dlsym(RTLD_NEXT, "sendto");
    const char *race = getenv("RACE_AFTER_BATCH"), *after = getenv("RACE_AFTER_BATCHES");
    if (race && !raced_after && batches >= (after ? atoi(after) : 1)) {
        raced_after = 1;
        if (system(race) != 0) abort();
    }
    return real_sendto(fd, buffer, length, flags, address, address_length);
}
"""


@pytest.fixture()
def race_shim(tmp_path):
    """The race shim, compiled (see RACE_SHIM)."""
    source = tmp_path / "race.c"
    source.write_text(RACE_SHIM)
    library = tmp_path / "race.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-o", library, source, "-ldl"], check=True)
    return library


@pytest.fixture()
def namespaces(request):
    """Makes fresh network namespaces on demand (`make()` gives each one's name), named after the test
    module (zte-MODULE-PID-N); deletes them all afterwards."""
    stem = request.module.__name__.removeprefix("test_").replace("_", "-")
    made = []

    def make():
        name = f"zte-{stem}-{os.getpid()}-{len(made)}"
        run(["ip", "netns", "add", name], check=True)
        made.append(name)
        return name

    yield make
    for name in made:
        run(["ip", "netns", "del", name])


@pytest.fixture()
def scratch_namespace():
    """An empty network namespace of this test alone."""
    name = f"zt-scratch-{os.getpid()}"
    run(["ip", "netns", "add", name], check=True)
    yield name
    run(["ip", "netns", "del", name])


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
