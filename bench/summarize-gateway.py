#!/usr/bin/env python3
"""Summarizes bench/gateway-overhead.sh results: medians over rounds, added latency and throughput ratios."""
import re
import statistics
import sys
from collections import defaultdict

path, clk_tck = sys.argv[1], int(sys.argv[2])
rows = defaultdict(list)
for line in open(path):
    if line.startswith("#") or "=" not in line:
        continue
    f = dict(re.findall(r"(\w+)=([\w.-]+)", line))
    key = (f["target"], f["mode"], f["load"])
    req = int(f["requests"])
    cpu_us = int(f["cpu_ticks"]) / clk_tck * 1e6 / req if req else float("nan")
    rows[key].append({"rps": float(f["rps"]), "p50": int(f["p50_us"]), "p99": int(f["p99_us"]),
                      "bad": int(f["bad"]), "cpu": cpu_us, "rss": int(f["rss_kb"]) / 1024})

def med(key, field):
    vals = [r[field] for r in rows.get(key, [])]
    return statistics.median(vals) if vals else float("nan")

print("\n| mode | load | target | req/s | p50 ms | p99 ms | added p50 ms | added p99 ms | CPU µs/req | RSS MiB | bad |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for mode in ("plain", "stream"):
    for load in ("c1", "c64", "c64rate"):
        for target in ("direct", "tandem", "tandem-auth", "portkey"):
            k = (target, mode, load)
            if k not in rows:
                continue
            d = ("direct", mode, load)
            added50 = "" if target == "direct" else f"{(med(k,'p50') - med(d,'p50')) / 1000:.2f}"
            added99 = "" if target == "direct" else f"{(med(k,'p99') - med(d,'p99')) / 1000:.2f}"
            print(f"| {mode} | {load} | {target} | {med(k,'rps'):.0f} | {med(k,'p50')/1000:.2f} | {med(k,'p99')/1000:.2f} "
                  f"| {added50} | {added99} | {med(k,'cpu'):.0f} | {med(k,'rss'):.0f} | {sum(r['bad'] for r in rows[k])} |")

print("\nThroughput at concurrency 64, Tandem / Portkey:")
for target in ("tandem", "tandem-auth"):
    for mode in ("plain", "stream"):
        t, p = med((target, mode, "c64"), "rps"), med(("portkey", mode, "c64"), "rps")
        print(f"- {target} {mode}: {t:.0f} / {p:.0f} = {t / p:.1f}x")
print(f"\nRounds: {max(len(v) for v in rows.values())}; medians shown.")
