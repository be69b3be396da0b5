"""The minimum support as a rule input: projects below it are left out, every ballot stays a voter."""

from fractions import Fraction

from buurtbudget.jury.allocation import Ballot, Election, Project, allocate
from buurtbudget.jury.allocation.min_support import with_min_support


def election(vote_type: str = "approval") -> Election:
    projects = tuple(Project(p, Fraction(100)) for p in ("a", "b", "c"))
    if vote_type == "approval":
        ballots = (Ballot(frozenset({"a", "b"})), Ballot(frozenset({"a"})), Ballot(frozenset()))
    else:
        points = ({"a": Fraction(3), "b": Fraction(1)}, {"a": Fraction(2)}, {})
        ballots = tuple(Ballot(frozenset(p), p) for p in points)
    return Election(budget=Fraction(1_000), projects=projects, ballots=ballots, vote_type=vote_type)


def test_projects_below_the_minimum_are_left_out_and_every_ballot_stays() -> None:
    kept = with_min_support(election(), 2)
    assert [p.id for p in kept.projects] == ["a"]
    assert [set(b.approved) for b in kept.ballots] == [{"a"}, {"a"}, set()]
    # Leftover money never goes to an initiative nobody (or too few) supported.
    assert allocate(election(), "greedy").selected == ("a", "b", "c")
    assert allocate(kept, "greedy").selected == ("a",)


def test_points_count_towards_the_minimum() -> None:
    kept = with_min_support(election("cumulative"), 1)
    assert [p.id for p in kept.projects] == ["a", "b"]
    assert kept.ballots[0].points == {"a": Fraction(3), "b": Fraction(1)}
    assert [p.id for p in with_min_support(election("cumulative"), 0).projects] == ["a", "b", "c"]
