#!/usr/bin/env python3
"""Writes the seed corpora of the command, aof and dict fuzz targets
(fuzz/corpus/<target>/). The rdb seeds are RDB files written by
redis-server 7.0 (SAVE, and the preamble of a BGREWRITEAOF base) and are
kept as they are; this script does not touch them.

Run from the repository root: python3 fuzz/make_seeds.py
"""
import os
import random
import struct
import zlib  # noqa: F401  (crc32c below is our own)

HERE = os.path.dirname(os.path.abspath(__file__))


def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def rec(*args) -> bytes:
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


def batch(*records) -> bytes:
    body = b"".join(records)
    return body + b"#cairn:%d:%08x\r\n" % (len(body), crc32c(body))


def write(target, name, data: bytes):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def aof_seeds():
    plain = (rec("SELECT", 0) + rec("SET", "a", "1") + rec("MULTI") + rec("INCR", "ctr") +
             rec("APPEND", "a", "more") + rec("EXEC") + rec("SELECT", 2) +
             rec("SET", b"b\x00in", b"\xff\x00") + rec("PEXPIREAT", "b\x00in", 99999999999999) +
             rec("DEL", "a"))
    summed = (batch(rec("SELECT", 0), rec("SET", "k", "v")) + b"#TS:1700000000\r\n" +
              batch(rec("INCRBY", "n", 5), rec("SET", "x", "y", "PXAT", 1700000000000)) +
              batch(rec("RENAME", "k", "k2")))
    manifest = (b"file appendonly.aof.1.base.aof seq 1 type b\n"
                b"file appendonly.aof.1.incr.aof seq 1 type i\n")
    manifests = {
        "manifest_base_incr": manifest,
        "manifest_history": (b"file appendonly.aof.2.base.rdb seq 2 type b\n"
                             b"file appendonly.aof.1.base.aof seq 1 type h\n"
                             b"file appendonly.aof.1.incr.aof seq 1 type h\n"
                             b"file appendonly.aof.2.incr.aof seq 2 type i\n"
                             b"file appendonly.aof.3.incr.aof seq 3 type i\n"),
        "manifest_quoted_comment": (b"# a comment\n"
                                    b"file \"has space.aof\" seq 1 type b\n"
                                    b"type i seq 2 file x.aof newkey 7\n"),
        "manifest_bad_seq": b"file a seq 2 type i\nfile b seq 1 type i\n",
        "manifest_two_bases": b"file a seq 1 type b\nfile b seq 2 type b\n",
        "manifest_unknown_type": b"file a seq 1 type x\n",
    }
    for name, text in manifests.items():
        write("aof", name, b"\x00" + text)
    files = {
        "plain_redis": plain,
        "checksummed": summed,
        "torn_record": plain[:-7],
        "unfinished_multi": plain + rec("MULTI") + rec("SET", "z", "1"),
        "checksummed_zero_tail": summed + b"\x00" * 40,
        "checksummed_garbage_then_batch": summed[:30] + b"garbage" + summed[37:],
        "bad_bulk_len": rec("SET", "a", "1").replace(b"$1\r\na", b"$9\r\na"),
        "annotation_only": b"#TS:1\r\n#cairn:0:00000000\r\n",
    }
    for name, data in files.items():
        write("aof", "scan_" + name, b"\x01" + data)
    # Load: byte 2 picks the loader; then a bool (even: the fixed manifest),
    # the base's length (two bytes, big-endian, mod 4097), the base, the incr.
    for name, (base, incr) in {
        "base_and_incr": (plain, summed),
        "empty_base": (b"", summed),
        "torn_incr": (plain, summed[:-5]),
        "torn_base": (plain[:-3], summed),
    }.items():
        write("aof", "load_" + name, b"\x02\x00" + struct.pack(">H", len(base)) + base + incr)
    write("aof", "load_fuzzed_manifest",
          b"\x02\x01" + struct.pack(">H", len(manifest)) + manifest +
          struct.pack(">H", len(plain)) + plain + summed)


def random_seeds(target, count, sizes, seed):
    rng = random.Random(seed)
    for i in range(count):
        n = rng.choice(sizes)
        write(target, "random_%02d" % i, bytes(rng.randrange(256) for _ in range(n)))


if __name__ == "__main__":
    aof_seeds()
    # Command scripts and dict scripts are choices read byte by byte, so any
    # bytes are a valid script; varied lengths give the fuzzer a start.
    random_seeds("command", 24, [16, 64, 200, 500, 1000], 17)
    random_seeds("dict", 12, [64, 400, 1500, 4000], 23)
