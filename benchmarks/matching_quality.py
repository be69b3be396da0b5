"""Quality of similar-initiative matching on the real Dutch Pabulib titles: rank, precision@5, recall@10."""

import argparse
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.matching_data import (
    DEFAULT_DATA,
    Project,
    load_projects,
    reworded_query,
    synonym_query,
    to_doc,
    typo_query,
)
from matching.errors import EmptyQuery
from matching.similar import InitiativeIndex, SimilarQuery
from matching.text import default_analyser, normalise

K = 10
VARIANTS: dict[str, Callable[[str, random.Random], str]] = {
    "typo": typo_query,
    "synonym": synonym_query,
    "reworded": reworded_query,
}


def _same_category(a: Project, b: Project) -> tuple[bool, bool]:
    """(same category label, same theme concept) for two projects with categories."""
    strict = normalise(a.category) == normalise(b.category)
    analyser = default_analyser()
    loose = strict or bool(analyser.concepts_of(a.category) & analyser.concepts_of(b.category))
    return strict, loose


def main() -> None:  # noqa: PLR0915 - one linear report
    """Build the index over all titles, run the labelled queries and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--queries", type=int, default=300, help="titles sampled per variant")
    parser.add_argument("--random-queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    projects = load_projects(args.data)
    by_id = {p.id: p for p in projects}
    index = InitiativeIndex()
    started = time.perf_counter()
    for project in projects:
        index.add(to_doc(project))
    build = time.perf_counter() - started
    with_category = sum(1 for p in projects if p.category)
    print(
        f"data: {len(projects)} real initiatives from {args.data} ({with_category} with a category); "
        f"index built in {build * 1000:.0f} ms"
    )

    recall_hits = 0
    recall_total = 0
    index_times: list[float] = []
    scan_times: list[float] = []

    def measure(query: str) -> list[str]:
        nonlocal recall_hits, recall_total
        t0 = time.perf_counter()
        fast = index.suggest(query, k=K)
        t1 = time.perf_counter()
        slow = index.scan(SimilarQuery(query), k=K)
        t2 = time.perf_counter()
        index_times.append(t1 - t0)
        scan_times.append(t2 - t1)
        want = {m.id for m in slow}
        recall_hits += len(want & {m.id for m in fast})
        recall_total += len(want)
        return [m.id for m in fast]

    print(f"\nlabelled queries: {args.queries} titles per variant, top-{K}")
    print(
        f"{'variant':<10} {'n':>4} {'hit@1':>6} {'hit@5':>6} {'MRR':>6} {'median rank':>12} {'P@5 cat':>8} "
        f"{'P@5 theme':>9}"
    )
    sample = rng.sample(projects, min(args.queries, len(projects)))
    for name, make in VARIANTS.items():
        ranks: list[int] = []
        strict_p: list[float] = []
        loose_p: list[float] = []
        for project in sample:
            query = make(project.title, rng)
            try:
                found = measure(query)
            except EmptyQuery:
                continue
            rank = found.index(project.id) + 1 if project.id in found else K + 1
            ranks.append(rank)
            if project.category:
                top = [by_id[i] for i in found[:5] if by_id[i].category]
                if top:
                    pairs = [_same_category(project, other) for other in top]
                    strict_p.append(sum(s for s, _ in pairs) / len(pairs))
                    loose_p.append(sum(lo for _, lo in pairs) / len(pairs))
        n = len(ranks)
        hit1 = sum(r == 1 for r in ranks) / n
        hit5 = sum(r <= 5 for r in ranks) / n
        print(
            f"{name:<10} {n:>4} {hit1:>6.3f} {hit5:>6.3f} "
            f"{sum(1 / r if r <= K else 0 for r in ranks) / n:>6.3f} {statistics.median(ranks):>12.1f} "
            f"{statistics.mean(strict_p):>8.3f} {statistics.mean(loose_p):>9.3f}"
        )
    print("(rank 11 = not in the top 10; P@5 cat = same category label, P@5 theme = category shares a theme)")

    labelled = (recall_hits, recall_total)
    vocabulary = sorted({w for p in projects for w in normalise(p.title).split() if len(w) > 2})
    for _ in range(args.random_queries):
        words = rng.sample(vocabulary, rng.randint(1, 3))
        if rng.random() < 0.5:
            words = [w if rng.random() < 0.5 else w[:-1] + "e" for w in words]
        try:
            measure(" ".join(words))
        except EmptyQuery:
            continue
    random_recall = (recall_hits - labelled[0]) / max(1, recall_total - labelled[1])
    print(
        f"\ntop-{K} recall of the index against the exhaustive scan "
        "(same scoring, full-vocabulary rapidfuzz):"
    )
    labelled_recall = labelled[0] / max(1, labelled[1])
    print(
        f"  labelled queries: {labelled_recall:.4f}   random queries: {random_recall:.4f}   "
        f"all: {recall_hits / max(1, recall_total):.4f}  (target >= 0.95)"
    )
    p50_i = statistics.median(index_times) * 1000
    p50_s = statistics.median(scan_times) * 1000
    print(f"  query time p50: index {p50_i:.2f} ms, scan {p50_s:.2f} ms (scan/index = {p50_s / p50_i:.1f}x)")


if __name__ == "__main__":
    main()
