"""Plain data for an election: projects with costs, ballots and the budget (exact amounts)."""

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from itertools import chain
from types import MappingProxyType
from typing import NamedTuple

VOTE_TYPES = ("approval", "choose-1", "cumulative", "scoring", "ordinal")


@dataclass(frozen=True, slots=True)
class Project:
    """An initiative on the ballot: its id (compared as text), cost and optional categories."""

    id: str
    cost: Fraction
    name: str = ""
    categories: frozenset[str] = frozenset()


class Ballot(NamedTuple):
    """One voter's ballot: the projects supported and, for point ballots, the points per project."""

    approved: frozenset[str]
    points: Mapping[str, Fraction] | None = None
    voter_id: str = ""
    ranking: tuple[str, ...] = ()

    def support(self, project_id: str) -> Fraction:
        """The support this ballot gives a project: 1 per approval, or its points."""
        if self.points is None:
            return Fraction(1) if project_id in self.approved else Fraction(0)
        return self.points.get(project_id, Fraction(0))


@dataclass(frozen=True)
class Election:
    """A budget, the projects on offer and the ballots cast (the pure input of every rule).

    ``ballots`` is a tuple, or for a large approval vote read from a file, ``ApprovalBallots``: the same
    sequence kept as vote texts, whose approvals and supporters the rules count without making a value
    per ballot.
    """

    budget: Fraction
    projects: tuple[Project, ...]
    ballots: Sequence[Ballot]
    vote_type: str = "approval"
    meta: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        ids = [p.id for p in self.projects]
        if len(set(ids)) != len(ids):
            raise ValueError("project ids must be unique")
        if self.budget < 0 or any(p.cost < 0 for p in self.projects):
            raise ValueError("budget and costs must not be negative")

    def __iter__(self) -> Iterator[Project]:
        return iter(self.projects)

    @cached_property
    def by_id(self) -> Mapping[str, Project]:
        """Projects keyed by id."""
        return MappingProxyType({p.id: p for p in self.projects})

    @cached_property
    def support(self) -> Mapping[str, Fraction]:
        """Total support per project: number of approvals, or the sum of points."""
        totals: dict[str, Fraction] = {p.id: Fraction(0) for p in self.projects}
        if self.vote_type in ("cumulative", "scoring"):
            for ballot in self.ballots:
                for pid, pts in (ballot.points or {}).items():
                    totals[pid] += pts
            return MappingProxyType(totals)
        return MappingProxyType({pid: Fraction(n) for pid, n in self.approvals.items()})

    @cached_property
    def approvals(self) -> Mapping[str, int]:
        """Number of supporters per project (ballots giving it positive support)."""
        from buurtbudget.jury.allocation.votes import ApprovalBallots  # noqa: PLC0415  (it builds on this module)

        if isinstance(self.ballots, ApprovalBallots):
            index = self.ballots.approval_index([p.id for p in self.projects])
            if index is not None:
                return MappingProxyType({p.id: n for p, n in zip(self.projects, index.counts, strict=True)})
        counts = Counter(chain.from_iterable(b.approved for b in self.ballots))
        return MappingProxyType({p.id: counts.get(p.id, 0) for p in self.projects})
