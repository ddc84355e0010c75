#!/usr/bin/env python3
"""Writes a `group,value` CSV for the confidential-analytics sample (README.md, "Schema").

    generate.py OUT SIZE_BYTES [--groups N] [--seed S] [--marker TEXT | --marker-rot13 TEXT]

Rows are drawn from N groups with integer values from a per-group distribution; --marker
plants TEXT as the name of one extra group (the secrecy tests look for it everywhere the
host could have seen it). Fast enough for 200 MB in a few seconds: rows are built in blocks
with random.choices and written with one join per block.
"""
import argparse
import codecs
import random
import sys


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("size", type=int)
    p.add_argument("--groups", type=int, default=24)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--marker", default="")
    # The marker ROT13-encoded, so that a test can pass it without holding it in plaintext.
    p.add_argument("--marker-rot13", default="")
    a = p.parse_args()
    if a.marker_rot13:
        a.marker = codecs.decode(a.marker_rot13, "rot13")
    rng = random.Random(a.seed)
    names = ["region-%02d" % i for i in range(a.groups)]
    if a.marker:
        names.append(a.marker)
    # Precomputed row texts: a group and a value from its own range (some negative).
    pool = []
    for i, name in enumerate(names):
        lo = -1000 * (i % 3)
        hi = 10 ** (3 + i % 6)
        for _ in range(4096 // len(names) + 64):
            pool.append("%s,%d\n" % (name, rng.randint(lo, hi)))
    written = 0
    with open(a.out, "w", newline="\n") as f:
        f.write("group,value\n")
        written += 12
        while written < a.size:
            block = "".join(rng.choices(pool, k=65536))
            if written + len(block) > a.size:
                rows = block.splitlines(keepends=True)
                block = ""
                for r in rows:
                    if written + len(block) + len(r) > a.size:
                        break
                    block += r
                if not block:
                    break
            f.write(block)
            written += len(block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
