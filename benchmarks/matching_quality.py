"""Quality of similar-initiative matching on the real Dutch Pabulib titles: rank, precision@5, recall@10.

The first two lines compare the engine with a rapidfuzz ``token_set_ratio`` scan on the hand-labelled
resident-style queries of ``similar_queries.tsv`` (precision@5 counts the relevant titles among the
top 5, out of 5 or of all relevant titles when fewer exist; hit@5: at least one relevant in the top 5).
"""

import argparse
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import fuzz, process, utils

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
LABELLED = Path(__file__).resolve().parent / "similar_queries.tsv"
AMSTERDAM = "Netherlands_Amsterdam_"
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


def labelled_queries(path: Path = LABELLED) -> list[tuple[str, frozenset[str]]]:
    """The hand-labelled queries: (query, ids of the relevant titles)."""
    found: list[tuple[str, frozenset[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, ids = line.split("\t")
        full = (i if "_" in i.split(":")[0] else AMSTERDAM + i for i in ids.split(","))
        found.append((query, frozenset(full)))
    return found


def relevance(
    queries: list[tuple[str, frozenset[str]]], top5: Callable[[str], list[str]]
) -> tuple[float, float, list[str]]:
    """Mean precision@5 and hit@5 of a ranking over the labelled queries, and the queries it missed."""
    precision, hits, missed = [], [], []
    for query, relevant in queries:
        found = top5(query)[:5]
        good = sum(1 for i in found if i in relevant)
        precision.append(good / min(5, len(relevant)))
        hits.append(good > 0)
        if not good:
            missed.append(query)
    return statistics.mean(precision), sum(hits) / len(hits), missed


def report_relevance(projects: list[Project], index: InitiativeIndex) -> None:
    """The engine and a rapidfuzz scan on the labelled resident-style queries, same run."""
    queries = labelled_queries()
    known = {p.id for p in projects}
    unknown = sorted({i for _, ids in queries for i in ids} - known)
    if unknown:
        raise SystemExit(f"labelled ids not in the data: {unknown[:5]}")
    titles = {p.id: p.title for p in projects}

    def engine(query: str) -> list[str]:
        return [m.id for m in index.suggest(query, k=5)]

    def scan(query: str) -> list[str]:
        found = process.extract(
            query, titles, scorer=fuzz.token_set_ratio, processor=utils.default_process, limit=5
        )
        return [key for _, _, key in found]

    print(f"\nresident-style queries: {len(queries)} labelled by hand ({LABELLED.name}), top 5")
    for name, ranking, target in (
        ("engine", engine, "   (target P@5 >= 0.80, hit@5 = 1.00)"),
        ("rapidfuzz token_set_ratio", scan, ""),
    ):
        precision, hit, missed = relevance(queries, ranking)
        print(f"  {name:<26} precision@5 {precision:.3f}   hit@5 {hit:.3f}{target}")
        if missed and name == "engine":
            print(f"    no relevant title in the top 5 for: {'; '.join(missed)}")


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
    report_relevance(projects, index)

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
