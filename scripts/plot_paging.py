#!/usr/bin/env python3
"""Draws the EPC cliff from bench/paging_bench's CSV (docs/performance.md).

    build/bench/paging_bench 12 paging.csv && scripts/plot_paging.py paging.csv docs/paging-cliff.png

Needs matplotlib (Debian: apt-get install python3-matplotlib); not run in CI.
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    rows = list(csv.DictReader(open(sys.argv[1])))
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    for pattern, marker in (("sequential", "o"), ("random", "s")):
        points = [(float(r["factor"]), float(r["ratio_to_in_epc"])) for r in rows if r["pattern"] == pattern]
        ax.plot([p[0] for p in points], [p[1] for p in points], marker=marker, label=pattern + " 4 KiB touches")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xticks([0.25, 0.5, 1, 2, 4])
    ax.set_xticklabels(["0.25x", "0.5x", "1x", "2x", "4x"])
    ax.axvline(1.0, color="grey", linestyle=":", linewidth=1)
    ax.axhline(0.25, color="red", linestyle="--", linewidth=1, label="target at 2x (25%)")
    ax.set_xlabel("working set / EPC")
    ax.set_ylabel("throughput / in-EPC throughput")
    ax.set_title("ccbox isolated backend: the EPC cliff")
    ax.legend()
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=110)
    return 0


if __name__ == "__main__":
    sys.exit(main())
