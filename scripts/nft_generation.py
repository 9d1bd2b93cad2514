#!/usr/bin/env python3
"""Prints the nf_tables ruleset generation of the current network namespace: every commit to any table
moves it on by one, so an unchanged number proves that nothing was committed in between.

usage: ip netns exec NS python3 scripts/nft_generation.py
"""
import os
import socket
import struct

NETLINK_NETFILTER = 12
NFNL_SUBSYS_NFTABLES = 10
NFT_MSG_NEWGEN, NFT_MSG_GETGEN = 15, 16
NLM_F_REQUEST = 1
NFTA_GEN_ID = 1
NLMSG_ERROR = 2


def generation():
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER) as sock:
        sock.bind((0, 0))
        # nlmsghdr (length, type, flags, sequence, port) + nfgenmsg (family, version, resource id).
        body = struct.pack("=BBH", socket.AF_UNSPEC, 0, 0)
        header = struct.pack("=IHHII", 16 + len(body), NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_GETGEN, NLM_F_REQUEST,
                             os.getpid(), 0)
        sock.send(header + body)
        reply = sock.recv(65536)
        length, kind, _, _, _ = struct.unpack_from("=IHHII", reply)
        if kind == NLMSG_ERROR:
            raise OSError(-struct.unpack_from("=i", reply, 16)[0], "NFT_MSG_GETGEN refused")
        if kind != NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWGEN:
            raise ValueError(f"unexpected reply type {kind:#x}")
        offset = 20
        while offset + 4 <= length:
            size, attribute = struct.unpack_from("=HH", reply, offset)
            if attribute & 0x3fff == NFTA_GEN_ID:
                return struct.unpack_from(">I", reply, offset + 4)[0]
            offset += (size + 3) & ~3
        raise ValueError("no generation in the reply")


if __name__ == "__main__":
    print(generation())
