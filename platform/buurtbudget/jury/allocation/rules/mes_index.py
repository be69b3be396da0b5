"""The supporters of every MES candidate as sorted voter index arrays, built with numpy in one pass."""

from itertools import chain

import numpy as np
import numpy.typing as npt

from buurtbudget.jury.allocation.model import Election
from buurtbudget.jury.allocation.rules.mes_exact import mes_candidates
from buurtbudget.jury.allocation.votes import ApprovalBallots

IndexArray = npt.NDArray[np.intp]


def supporter_index(election: Election) -> tuple[list[str], list[IndexArray]]:
    """MES candidates in election order and, for each, the ascending indices of the voters approving it."""
    ids = mes_candidates(election)
    if isinstance(election.ballots, ApprovalBallots):
        every = [p.id for p in election.projects]
        index = election.ballots.approval_index(every)
        if index is not None:
            at = {pid: i for i, pid in enumerate(every)}
            return ids, [index.supporters(at[pid]) for pid in ids]
    # position 0 stands for every project MES cannot select; candidates are 1..len(ids)
    position = dict.fromkeys(election.by_id, 0) | {pid: i + 1 for i, pid in enumerate(ids)}
    approved = [ballot.approved for ballot in election.ballots]
    lengths = np.fromiter(map(len, approved), dtype=np.intp, count=len(approved))
    small = np.int16 if len(ids) < np.iinfo(np.int16).max else np.intp
    flat = np.fromiter(
        map(position.__getitem__, chain.from_iterable(approved)), dtype=small, count=int(lengths.sum())
    )
    voters = np.repeat(np.arange(len(approved), dtype=np.intp), lengths)
    order = np.argsort(flat, kind="stable")  # a radix sort on small integers; keeps voters ascending
    bounds = np.cumsum(np.bincount(flat, minlength=len(ids) + 1))
    grouped = voters[order]
    return ids, [grouped[bounds[i] : bounds[i + 1]] for i in range(len(ids))]
