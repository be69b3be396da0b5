"""Exact top-k from cheap upper bounds: rerank the best bounds until no other candidate can win."""

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from matching.postings import FloatArray, IdArray

FIRST_BATCH = 256
RERANK_CAP = 20_000

ExactScorer = Callable[[IdArray, npt.NDArray[np.intp]], FloatArray]


def top_by_bound(
    cands: IdArray,
    bound: FloatArray,
    exact: ExactScorer,
    k: int,
    *,
    min_score: float,
    ext: Callable[[int], str],
) -> list[tuple[int, float]]:
    """Top-k (internal id, score), best first, ties by external id; exact unless RERANK_CAP is hit.

    `bound[i]` must be >= the exact score of `cands[i]`; `exact(ids, positions)` scores a batch.
    """
    pos = np.flatnonzero((bound > 0.0) & (bound >= min_score))
    if len(pos) == 0:
        return []
    batch = max(FIRST_BATCH, k)
    if len(pos) > batch:
        pos = pos[np.argpartition(-bound[pos], batch - 1)[:batch]]
    scores = exact(cands[pos], pos)
    threshold = min_score
    if len(scores) >= k:
        threshold = max(threshold, float(np.partition(scores, len(scores) - k)[len(scores) - k]))
    done = np.zeros(len(cands), dtype=np.bool_)
    done[pos] = True
    rest = np.flatnonzero(~done & (bound >= threshold) & (bound > 0.0))
    if len(rest):
        if len(rest) > RERANK_CAP:
            rest = rest[np.argpartition(-bound[rest], RERANK_CAP - 1)[:RERANK_CAP]]
        pos = np.concatenate([pos, rest])
        scores = np.concatenate([scores, exact(cands[rest], rest)])
    ok = np.flatnonzero((scores > 0.0) & (scores >= min_score))
    if len(ok) == 0:
        return []
    if len(ok) > k:
        cut = float(np.partition(scores[ok], len(ok) - k)[len(ok) - k])
        ok = ok[scores[ok] >= cut]
    chosen = [(float(scores[i]), int(cands[pos[i]])) for i in ok]
    chosen.sort(key=lambda item: (-item[0], ext(item[1])))
    return [(iid, score) for score, iid in chosen[:k]]


def top_by_two_bounds(
    cands: IdArray,
    bound: FloatArray,
    tighter: Callable[[IdArray], FloatArray],
    exact: Callable[[IdArray], FloatArray],
    k: int,
    *,
    min_score: float,
    ext: Callable[[int], str],
) -> list[tuple[int, float]]:
    """Like top_by_bound with a middle step: bound >= tighter(ids) >= exact(ids), cheapest first.

    The best bounds get the tighter bound, the best of those the exact score, which sets a threshold;
    every other candidate whose bounds still reach it is then refined the same way.
    """
    pos = np.flatnonzero((bound > 0.0) & (bound >= min_score))
    if len(pos) == 0:
        return []
    batch = max(FIRST_BATCH, k)
    wide = 2 * batch
    first = pos if len(pos) <= wide else pos[np.argpartition(-bound[pos], wide - 1)[:wide]]
    state = _Scored(k, min_score)
    state.refine(cands, first, tighter, exact, batch)
    done = np.zeros(len(cands), dtype=np.bool_)
    done[first] = True
    rest = pos[~done[pos] & (bound[pos] >= state.threshold)]
    if len(rest) > RERANK_CAP:
        rest = rest[np.argpartition(-bound[rest], RERANK_CAP - 1)[:RERANK_CAP]]
    if len(rest):
        state.refine(cands, rest, tighter, exact, batch)
    return state.best(cands, ext)


class _Scored:
    """Exactly scored positions so far and the k-th score they set as the threshold."""

    def __init__(self, k: int, min_score: float) -> None:
        self.k = k
        self.threshold = min_score
        self.positions: list[npt.NDArray[np.intp]] = []
        self.scores: list[FloatArray] = []

    def _take(self, positions: npt.NDArray[np.intp], scores: FloatArray) -> None:
        self.positions.append(positions)
        self.scores.append(scores)
        joined = np.concatenate(self.scores)
        if len(joined) >= self.k:
            kth = float(np.partition(joined, len(joined) - self.k)[len(joined) - self.k])
            self.threshold = max(self.threshold, kth)

    def refine(
        self,
        cands: IdArray,
        positions: npt.NDArray[np.intp],
        tighter: Callable[[IdArray], FloatArray],
        exact: Callable[[IdArray], FloatArray],
        batch: int,
    ) -> None:
        """Tighter bounds for these positions, then exact scores where they can still win."""
        tight = tighter(cands[positions])
        keep = (tight > 0.0) & (tight >= self.threshold)
        positions, tight = positions[keep], tight[keep]
        if len(positions) > batch:
            top = np.argpartition(-tight, batch - 1)[:batch]
            self._take(positions[top], exact(cands[positions[top]]))
            left = np.ones(len(positions), dtype=np.bool_)
            left[top] = False
            left &= tight >= self.threshold
            positions = positions[left]
        if len(positions):
            self._take(positions, exact(cands[positions]))

    def best(self, cands: IdArray, ext: Callable[[int], str]) -> list[tuple[int, float]]:
        """The top k (internal id, score), best first, ties by external id."""
        if not self.scores:
            return []
        positions, scores = np.concatenate(self.positions), np.concatenate(self.scores)
        ok = np.flatnonzero((scores > 0.0) & (scores >= self.threshold))
        chosen = [(float(scores[i]), int(cands[positions[i]])) for i in ok]
        chosen.sort(key=lambda item: (-item[0], ext(item[1])))
        return [(iid, score) for score, iid in chosen[: self.k]]
