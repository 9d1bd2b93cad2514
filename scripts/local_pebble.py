"""A pebble ACME server on free loopback ports, for the end-to-end tests and the benchmarks.

It generates its own HTTPS root (what a client must trust), starts pebble-challtestsrv as its DNS
(every name resolves to 127.0.0.1 and ::1) and waits until the directory answers, since pebble
announces it before its listener can fail. Use as a context manager:

    with LocalPebble(environment={"PEBBLE_AUTHZREUSE": "0"}) as pebble:
        pebble.directory_url, pebble.https_root, pebble.tls_port, pebble.issuing_root()
"""
import json
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
import urllib.request


def free_port():
    """A port free for TCP and UDP on loopback a moment ago (the DNS server needs both)."""
    while True:
        with socket.socket() as tcp:
            tcp.bind(("127.0.0.1", 0))
            port = tcp.getsockname()[1]
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                udp.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue


class LocalPebble:
    def __init__(self, environment=None):
        self.environment = {"PEBBLE_VA_NOSLEEP": "1", **(environment or {})}
        self.directory = tempfile.mkdtemp(prefix="ztpol-pebble-")
        self.processes = []

    def __enter__(self):
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_):
        self.stop()

    def _openssl(self, *arguments):
        subprocess.run(["openssl", *arguments], cwd=self.directory, check=True, capture_output=True)

    def _make_https_certificate(self):
        with open(os.path.join(self.directory, "leaf.ext"), "w") as ext:
            ext.write("subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nbasicConstraints=CA:FALSE\n"
                      "extendedKeyUsage=serverAuth\n")
        self._openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                      "-keyout", "root.key", "-out", "root.pem", "-subj", "/CN=local pebble HTTPS root",
                      "-days", "2", "-addext", "basicConstraints=critical,CA:TRUE",
                      "-addext", "keyUsage=critical,keyCertSign")
        self._openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                      "-keyout", "https.key", "-out", "https.csr", "-subj", "/CN=localhost")
        self._openssl("x509", "-req", "-in", "https.csr", "-CA", "root.pem", "-CAkey", "root.key",
                      "-set_serial", "1", "-days", "2", "-extfile", "leaf.ext", "-out", "https.pem")
        self.https_root = os.path.join(self.directory, "root.pem")

    def _start(self):
        self._make_https_certificate()
        ports = {name: free_port() for name in ("listen", "management", "tls", "http", "dns", "dns_management")}
        self.tls_port = ports["tls"]
        self.management_port = ports["management"]
        config = {"pebble": {
            "listenAddress": f"127.0.0.1:{ports['listen']}",
            "managementListenAddress": f"127.0.0.1:{ports['management']}",
            "certificate": os.path.join(self.directory, "https.pem"),
            "privateKey": os.path.join(self.directory, "https.key"),
            "httpPort": ports["http"], "tlsPort": ports["tls"], "ocspResponderURL": "",
            "externalAccountBindingRequired": False,
        }}
        with open(os.path.join(self.directory, "pebble.json"), "w") as file:
            json.dump(config, file)
        self.log = os.path.join(self.directory, "servers.log")
        log = open(self.log, "w")
        self.processes.append(subprocess.Popen(
            ["pebble-challtestsrv", "-http01", "", "-https01", "", "-tlsalpn01", "",
             "-dns01", f"127.0.0.1:{ports['dns']}", "-management", f"127.0.0.1:{ports['dns_management']}"],
            stdout=log, stderr=log))
        self.processes.append(subprocess.Popen(
            ["pebble", "-config", os.path.join(self.directory, "pebble.json"),
             "-dnsserver", f"127.0.0.1:{ports['dns']}", "-strict=false"],
            stdout=log, stderr=log, env=dict(os.environ, **self.environment)))
        self.directory_url = f"https://127.0.0.1:{ports['listen']}/dir"
        for _ in range(300):
            try:
                self._get(self.directory_url)
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"pebble did not start; see {self.log}")

    def _get(self, url):
        context = ssl.create_default_context(cafile=self.https_root)
        return urllib.request.urlopen(url, context=context, timeout=2).read()

    def issuing_root(self):
        """Writes pebble's issuing root (`/roots/0`, new on every start) to a file; returns its path."""
        path = os.path.join(self.directory, "issuing-root.pem")
        with open(path, "wb") as file:
            file.write(self._get(f"https://127.0.0.1:{self.management_port}/roots/0"))
        return path

    def stop(self):
        for process in self.processes:
            process.terminate()
            process.wait()
        self.processes = []
        shutil.rmtree(self.directory, ignore_errors=True)
