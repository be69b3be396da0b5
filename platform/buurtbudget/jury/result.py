"""A round's published result as a typed value, and its one stored (JSON) form.

The tally makes a `RoundResult`; the round keeps it in its `result` column through `StoredResult`, which
is the only place that turns it into JSON (`to_stored`) and back (`from_stored`). Readers (the closing,
the exports, the result page, the initiators' mails) read its fields, never the JSON. Results stored
before a field existed (no `granted`, `votes`, `min_support` or `seed`) read back with that field None
and are written back without it, so a stored result is returned exactly as it was published.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any, cast

from sqlalchemy import JSON, TypeDecorator
from sqlalchemy.engine import Dialect

Money = int | float  # an amount as published: exact when whole, else the nearest float (MES)


def _empty() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Explained:
    """Why one initiative ended where it did: a reason code and its details."""

    reason: str
    remaining: Money | None = None
    winner: str | None = None
    theme: str | None = None
    minimum: int | None = None  # below the round's minimum support
    granted: int | None = None  # partly granted: its essential lines
    recused: int | None = None  # jurors who did not vote on it (conflict of interest)

    @classmethod
    def from_stored(cls, data: Mapping[str, Any]) -> "Explained":
        return cls(
            reason=str(data.get("reason", "")),
            remaining=data.get("remaining"),
            winner=data.get("winner"),
            theme=data.get("theme"),
            minimum=data.get("minimum"),
            granted=data.get("granted"),
            recused=data.get("recused"),
        )

    def to_stored(self) -> dict[str, object]:
        stored: dict[str, object] = {
            "reason": self.reason,
            "remaining": self.remaining,
            "winner": self.winner,
            "theme": self.theme,
        }
        for name in ("minimum", "granted", "recused"):
            value = getattr(self, name)
            if value is not None:
                stored[name] = value
        return stored


@dataclass(frozen=True, slots=True)
class RoundResult:
    """The published result: the rule's outcome, each initiative's support, votes, grant and reason.

    Keys of the mappings are initiative ids as text, as published.
    """

    rule: str
    tie_break: str
    budget: Money
    selected: tuple[str, ...]
    total_cost: Money
    seed: int | None = None
    ballots: int = 0
    min_support: int | None = None
    support: Mapping[str, Money] = field(default_factory=_empty)
    votes: Mapping[str, int] | None = None
    granted: Mapping[str, int] | None = None
    partial: Mapping[str, int] = field(default_factory=_empty)
    explanations: Mapping[str, Explained] = field(default_factory=_empty)

    @classmethod
    def from_stored(cls, data: Mapping[str, Any]) -> "RoundResult":
        """The result from its stored JSON form (also results stored before a field existed)."""
        votes = data.get("votes")
        granted = data.get("granted")
        return cls(
            rule=str(data.get("rule", "")),
            tie_break=str(data.get("tie_break", "")),
            budget=data.get("budget", 0),
            selected=tuple(str(i) for i in data.get("selected", ())),
            total_cost=data.get("total_cost", 0),
            seed=data.get("seed"),
            ballots=int(data.get("ballots", 0)),
            min_support=data.get("min_support"),
            support=dict(data.get("support", {})),
            votes=None if votes is None else dict(votes),
            granted=None if granted is None else dict(granted),
            partial=dict(data.get("partial", {})),
            explanations={
                key: Explained.from_stored(value) for key, value in data.get("explanations", {}).items()
            },
        )

    def to_stored(self) -> dict[str, object]:
        """The stored and published JSON form, keys in the published order."""
        stored: dict[str, object] = {
            "rule": self.rule,
            "tie_break": self.tie_break,
            "budget": self.budget,
            "selected": list(self.selected),
            "total_cost": self.total_cost,
        }
        if self.seed is not None:
            stored["seed"] = self.seed
        stored["ballots"] = self.ballots
        if self.min_support is not None:
            stored["min_support"] = self.min_support
        stored["support"] = dict(self.support)
        if self.votes is not None:
            stored["votes"] = dict(self.votes)
        if self.granted is not None:
            stored["granted"] = dict(self.granted)
        stored["partial"] = dict(self.partial)
        stored["explanations"] = {key: value.to_stored() for key, value in self.explanations.items()}
        return stored

    def granted_cents(self, costs: Mapping[int, int]) -> dict[int, int]:
        """What each initiative was granted, in whole cents: the recorded amounts, or (results stored
        before amounts were) its cost when selected."""
        if self.granted is not None:
            return {int(i): int(Fraction(str(cents))) for i, cents in self.granted.items()}
        return {int(i): costs[int(i)] for i in self.selected if int(i) in costs}

    def support_of(self, initiative_id: int) -> Money:
        return self.support.get(str(initiative_id), 0)

    def votes_of(self, initiative_id: int) -> int | None:
        """How many ballots marked it; None for results stored before votes were published."""
        return None if self.votes is None else self.votes.get(str(initiative_id))

    def explained(self, initiative_id: int) -> Explained | None:
        return self.explanations.get(str(initiative_id))

    def partly_granted(self) -> set[int]:
        return {int(i) for i in self.partial}


class StoredResult(TypeDecorator[RoundResult]):
    """A `RoundResult` in a JSON column: the one place it is written and read."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: RoundResult | None, dialect: Dialect) -> dict[str, object] | None:
        return None if value is None else value.to_stored()

    def process_result_value(self, value: Any, dialect: Dialect) -> RoundResult | None:
        return None if value is None else RoundResult.from_stored(cast("Mapping[str, Any]", value))
