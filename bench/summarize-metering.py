#!/usr/bin/env python3
"""Summarizes bench/metering.sh results: medians over rounds, metering's added time and settled requests/s."""
import re
import statistics
import sys
from collections import defaultdict

path, clk_tck = sys.argv[1], int(sys.argv[2])
rows = defaultdict(list)
for line in open(path):
    if line.startswith("#") or "=" not in line:
        continue
    f = dict(re.findall(r"(\w+)=([\w.]+)", line))
    req = int(f["requests"])
    rows[(f["target"], f["mode"], f["load"])].append({
        "rps": float(f["rps"]), "p50": int(f["p50_us"]) / 1000, "p99": int(f["p99_us"]) / 1000,
        "bad": int(f["bad"]), "cpu": int(f["cpu_ticks"]) / clk_tck * 1e6 / req if req else float("nan"),
        "settled": int(f["records"]) / int(f["secs"])})


def med(key, field):
    vals = [r[field] for r in rows.get(key, [])]
    return statistics.median(vals) if vals else float("nan")


targets = ("direct", "off", "sqlite", "postgres")
print("\n| mode | load | target | req/s | p50 ms | p99 ms | added p50 ms vs off | CPU µs/req | added CPU µs vs off"
      " | settled/s | bad |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for mode in ("plain", "stream"):
    for load in ("c1", "c64"):
        off = (("off", mode, load))
        for t in targets:
            k = (t, mode, load)
            if k not in rows:
                continue
            metered = t in ("sqlite", "postgres")
            added = f"{med(k, 'p50') - med(off, 'p50'):.3f}" if metered else ""
            added_cpu = f"{med(k, 'cpu') - med(off, 'cpu'):.0f}" if metered else ""
            settled = f"{med(k, 'settled'):.0f}" if metered else ""
            print(f"| {mode} | {load} | {t} | {med(k, 'rps'):.0f} | {med(k, 'p50'):.3f} | {med(k, 'p99'):.2f} | "
                  f"{added} | {med(k, 'cpu'):.0f} | {added_cpu} | {settled} | {sum(r['bad'] for r in rows[k])} |")

print("\nRatios (median req/s, metered / metering off):")
for mode in ("plain", "stream"):
    for load in ("c1", "c64"):
        off = med(("off", mode, load), "rps")
        for t in ("sqlite", "postgres"):
            print(f"- {mode} {load} {t}: {med((t, mode, load), 'rps') / off:.2f}")
