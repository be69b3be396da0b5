"""Speed and size of the volunteer and initiative indexes, against the exhaustive scan in the same run."""

import argparse
import gc
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
from rapidfuzz import fuzz, process

from benchmarks.matching_data import DEFAULT_DATA, Generator, load_projects
from matching.similar import InitiativeIndex, SimilarQuery
from matching.text import content_words
from matching.types import Geography
from matching.volunteers import VolunteerIndex

T = TypeVar("T")


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], q: float) -> float:
    """The q-th percentile in milliseconds."""
    return float(np.percentile(np.array(values) * 1000, q))


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall times of repeated calls."""
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def line(name: str, times: list[float]) -> str:
    """p50/p95/p99 of a list of times."""
    return f"{name}: p50 {pct(times, 50):.2f} ms, p95 {pct(times, 95):.2f} ms, p99 {pct(times, 99):.2f} ms"


def bench_volunteers(gen: Generator, size: int, queries: int, changes: int, scan_sample: int) -> None:
    """Build, change, query and scan the volunteer index."""
    adjacency = {n: [gen.neighbourhoods[(i + 1) % 600][0]] for i, (n, _) in enumerate(gen.neighbourhoods)}
    gc.collect()
    before = rss_mb()
    t0 = time.perf_counter()
    index = VolunteerIndex(Geography(adjacency), capacity=size + changes + 1024)
    build = 0.0
    for start in range(0, size, 50_000):
        chunk = list(gen.volunteers(min(50_000, size - start), prefix="v", start=start))
        t1 = time.perf_counter()
        for profile in chunk:
            index.add(profile)
        build += time.perf_counter() - t1
        del chunk
    total = time.perf_counter() - t0
    gc.collect()
    print(f"\nVOLUNTEERS  {size:,} profiles")
    print(
        f"  build: {build:.1f} s adding ({build / size * 1e6:.1f} us per profile; "
        f"{total:.1f} s with generating), index memory: {rss_mb() - before:.0f} MB"
    )
    new = list(gen.volunteers(changes, prefix="new"))
    adds = [0.0] * changes
    for i, profile in enumerate(new):
        t = time.perf_counter()
        index.add(profile)
        adds[i] = time.perf_counter() - t
    changed = list(gen.volunteers(changes, prefix="v"))
    updates = [0.0] * changes
    for i, profile in enumerate(changed):
        t = time.perf_counter()
        index.update(profile)
        updates[i] = time.perf_counter() - t
    print("  " + line("add one", adds))
    print("  " + line("change one", updates))
    needs = [gen.need() for _ in range(queries)]
    index.match(needs[0])
    times = [0.0] * queries
    for i, need in enumerate(needs):
        t = time.perf_counter()
        index.match(need, k=10)
        times[i] = time.perf_counter() - t
    print("  " + line("top-10 query", times))
    ids = [f"v{i}" for i in random.Random(3).sample(range(size), min(scan_sample, size))]
    scan = timed(lambda: index.scan(needs[0], k=10, only=ids), 3)
    per_item = min(scan) / len(ids)
    full = per_item * len(index)
    print(
        f"  exhaustive scan (reference scorer, one profile at a time): {per_item * 1e6:.1f} us per profile, "
        f"measured on a sample of {len(ids):,}"
    )
    print(f"    and extrapolated to {len(index):,}: {full * 1000:.0f} ms per query")
    p95 = float(np.percentile(times, 95))
    print(f"  ratio scan / index: {full / statistics.median(times):.0f}x at p50, {full / p95:.0f}x at p95")
    print(f"  process resident memory: {rss_mb():.0f} MB")


def bench_initiatives(gen: Generator, size: int, queries: int, changes: int, full_scans: int) -> None:
    """Build, change, query and scan the initiative index."""
    gc.collect()
    before = rss_mb()
    t0 = time.perf_counter()
    index = InitiativeIndex()
    build = 0.0
    for start in range(0, size, 50_000):
        chunk = list(gen.initiatives(min(50_000, size - start), prefix="i", start=start))
        t1 = time.perf_counter()
        index.add_many(chunk)
        build += time.perf_counter() - t1
        del chunk
    total = time.perf_counter() - t0
    gc.collect()
    print(f"\nINITIATIVES  {size:,} (title, story, theme, two cost lines; add_many in chunks of 50,000)")
    print(
        f"  build: {build:.1f} s adding ({build / size * 1e6:.1f} us per initiative; "
        f"{total:.1f} s with generating), index memory: {rss_mb() - before:.0f} MB"
    )
    adds = timed_each(index.add, list(gen.initiatives(changes, prefix="new")))
    updates = timed_each(index.update, list(gen.initiatives(changes, prefix="i")))
    print("  " + line("add one", adds))
    print("  " + line("change one", updates))
    rng = random.Random(5)
    typed: list[str] = []
    while len(typed) < queries:
        text = " ".join(gen.title().split()[: rng.randint(2, 5)])
        if content_words(text):
            typed.append(text)
    index.suggest(typed[0])
    suggest = timed_each(lambda q: index.suggest(q, k=10), typed)
    print("  " + line("top-10 title suggestions (typing)", suggest))
    docs = list(gen.initiatives(queries, prefix="q"))
    similar = timed_each(
        lambda d: index.search(SimilarQuery(d.title, d.story, d.cost_lines, d.themes, d.area), 10), docs
    )
    print("  " + line("top-10 similar initiatives (all fields)", similar))
    titles = [t for t in index._title.texts if t]
    scan = timed(lambda: process.extract(typed[1], titles, scorer=fuzz.token_set_ratio, limit=10), full_scans)
    print(
        f"  exhaustive rapidfuzz scan of all {len(titles):,} titles (token_set_ratio, C, 1 thread): "
        f"p50 {pct(scan, 50):.0f} ms"
    )
    print(
        f"  ratio scan / index: {statistics.median(scan) / statistics.median(suggest):.0f}x at p50 "
        f"(typing), {statistics.median(scan) / np.percentile(suggest, 95):.0f}x at p95"
    )
    sample = [f"i{i}" for i in rng.sample(range(size), min(20_000, size))]
    ref = timed(lambda: index.scan(SimilarQuery(typed[1]), 10, only=sample), 1)[0] / len(sample)
    print(
        f"  same-scoring reference scan (Python, one initiative at a time): {ref * 1e6:.1f} us each, "
        f"sample of {len(sample):,},"
    )
    print(
        f"    extrapolated {ref * len(index) * 1000:.0f} ms per query "
        f"({ref * len(index) / statistics.median(suggest):.0f}x the index p50)"
    )
    print(f"  process resident memory: {rss_mb():.0f} MB")


def timed_each(fn: Callable[[T], object], items: list[T]) -> list[float]:
    """Wall time of one call per item."""
    out = [0.0] * len(items)
    for i, item in enumerate(items):
        t = time.perf_counter()
        fn(item)
        out[i] = time.perf_counter() - t
    return out


def main() -> None:
    """Run both benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000, help="profiles and initiatives each")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--changes", type=int, default=1000)
    parser.add_argument("--scan-sample", type=int, default=20_000)
    parser.add_argument("--full-scans", type=int, default=5)
    parser.add_argument("--only", choices=("volunteers", "initiatives"))
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    gen = Generator(load_projects(args.data))
    print(f"vocabulary: {len(gen.titles)} real titles, {len(gen.words)} words; start RSS {rss_mb():.0f} MB")
    if args.only != "initiatives":
        bench_volunteers(gen, args.size, args.queries, args.changes, args.scan_sample)
        gc.collect()
    if args.only != "volunteers":
        bench_initiatives(gen, args.size, args.queries, args.changes, args.full_scans)


if __name__ == "__main__":
    main()
