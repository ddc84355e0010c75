#!/usr/bin/env python3
"""Checks the decrypted confidential-analytics result against aggregates computed here,
independently, from the plaintext CSV (exact count, sum, min, max; mean to 1e-6; the median
within the sketch's documented bound of README.md).

    check.py PLAINTEXT.csv RESULT.csv
"""
import sys

ALPHA = 0.005


def main():
    data, result = sys.argv[1], sys.argv[2]
    groups = {}
    with open(data) as f:
        if f.readline() != "group,value\n":
            sys.exit("check.py: %s: no 'group,value' header" % data)
        for line in f:
            name, value = line.rstrip("\n").split(",")
            groups.setdefault(name, []).append(int(value))
    with open(result) as f:
        lines = f.read().splitlines()
    if lines[0] != "group,count,sum,mean,min,max,median":
        sys.exit("check.py: %s: unexpected header %r" % (result, lines[0]))
    seen = {}
    for line in lines[1:]:
        name, count, total, mean, lo, hi, median = line.split(",")
        seen[name] = (int(count), int(total), float(mean), int(lo), int(hi), int(median))
    if sorted(seen) != sorted(groups) or [l.split(",")[0] for l in lines[1:]] != sorted(groups):
        sys.exit("check.py: the result's groups differ from the data's")
    for name, values in groups.items():
        values.sort()
        n, s = len(values), sum(values)
        count, total, mean, lo, hi, median = seen[name]
        exact_median = values[(n - 1) // 2]
        problems = []
        if count != n: problems.append("count %d != %d" % (count, n))
        if total != s: problems.append("sum %d != %d" % (total, s))
        if abs(mean - s / n) > 1e-6 * max(1.0, abs(s / n)): problems.append("mean %r != %r" % (mean, s / n))
        if lo != values[0]: problems.append("min %d != %d" % (lo, values[0]))
        if hi != values[-1]: problems.append("max %d != %d" % (hi, values[-1]))
        if abs(median - exact_median) > ALPHA * abs(exact_median) + 0.5:
            problems.append("median %d not within 0.5%% of %d" % (median, exact_median))
        if problems:
            sys.exit("check.py: group %s: %s" % (name, "; ".join(problems)))
    print("check.py: %d groups, %d rows: count, sum, mean, min, max exact; medians within 0.5%%"
          % (len(groups), sum(len(v) for v in groups.values())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
