#!/usr/bin/env python3
"""The microservice's call of the demo: Python `requests` (with its own certifi bundle, no CA variables
set) GETs a URL over one address family and reports whether TLS verified.
usage: web_client.py URL 4|6 [TIMEOUT]"""
import socket
import sys

import requests
import urllib3.util.connection


def main():
    url, family = sys.argv[1], sys.argv[2]
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 3.0
    urllib3.util.connection.allowed_gai_family = lambda: socket.AF_INET if family == "4" else socket.AF_INET6
    try:
        response = requests.get(url, timeout=timeout)
        print(f"ipv{family}: {response.status_code} {response.text.strip()} (certificate verified)")
    except requests.exceptions.SSLError as error:
        print(f"ipv{family}: TLS verification failed: {error}")
        sys.exit(2)
    except requests.exceptions.RequestException as error:
        print(f"ipv{family}: no connection: {type(error).__name__}")
        sys.exit(3)


if __name__ == "__main__":
    main()
