"""Reading and writing Pabulib files: round trips, and errors that name the section and line."""

from fractions import Fraction
from pathlib import Path

import pytest

from buurtbudget.jury.allocation import (
    Ballot,
    Election,
    PabulibError,
    Project,
    parse_pabulib,
    read_pabulib,
    write_pabulib,
)

GOOD = """META
key;value
description;test
budget;100.5
vote_type;approval
PROJECTS
project_id;cost;name;category
1;50;Bankjes;public space,green
2;60.25;Moestuin;green
VOTES
voter_id;vote
a;1,2
b;2
c;
"""


def test_reads_meta_projects_and_votes() -> None:
    election = parse_pabulib(GOOD)
    assert election.budget == Fraction(201, 2)
    assert [p.id for p in election.projects] == ["1", "2"]
    assert election.by_id["2"].cost == Fraction("60.25")
    assert election.by_id["1"].categories == frozenset({"public space", "green"})
    assert [b.approved for b in election.ballots] == [frozenset({"1", "2"}), frozenset({"2"}), frozenset()]
    assert election.approvals == {"1": 1, "2": 2}


def test_round_trip_keeps_the_election() -> None:
    election = parse_pabulib(GOOD)
    again = parse_pabulib(write_pabulib(election))
    assert again.budget == election.budget
    assert again.projects == election.projects
    assert [b.approved for b in again.ballots] == [b.approved for b in election.ballots]


def test_round_trip_of_points() -> None:
    election = Election(
        budget=Fraction(10),
        projects=(Project("a", Fraction(4)), Project("b", Fraction(7))),
        ballots=(Ballot(frozenset({"a", "b"}), {"a": Fraction(2), "b": Fraction(1)}),),
        vote_type="cumulative",
    )
    again = parse_pabulib(write_pabulib(election))
    assert again.support == {"a": 2, "b": 1}


def test_reads_a_file_with_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "e.pb"
    path.write_text("\ufeff" + GOOD, encoding="utf-8")
    assert len(read_pabulib(path).ballots) == 3


def _break(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


@pytest.mark.parametrize(
    ("text", "line", "section", "words"),
    [
        (_break("a;1,2", "a;1,9"), 12, "votes", "unknown project '9'"),
        (_break("1;50;", "1;fifty;"), 8, "projects", "cost 'fifty' is not a number"),
        (_break("1;50;", "1;-5;"), 8, "projects", "negative"),
        (_break("2;60.25;", "1;60.25;"), 9, "projects", "listed twice"),
        (_break("budget;100.5\n", ""), 1, "meta", "lacks the budget"),
        (_break("budget;100.5", "budget;lots"), 4, "meta", "budget 'lots' is not a number"),
        (_break("project_id;cost;name", "project_id;price;name"), 7, "projects", "cost"),
        (_break("voter_id;vote", "voter_id;ballot"), 11, "votes", "vote"),
        (_break("vote_type;approval", "vote_type;quadratic"), 5, "meta", "not supported"),
        (_break("description;test", "description"), 3, "meta", "key;value"),
        ("hello\n" + GOOD, 1, None, "before the first section"),
        (GOOD.split("VOTES", maxsplit=1)[0], 9, None, "VOTES is missing"),
    ],
)
def test_malformed_file_names_section_and_line(text: str, line: int, section: str | None, words: str) -> None:
    with pytest.raises(PabulibError) as caught:
        parse_pabulib(text)
    assert caught.value.line == line
    assert caught.value.section == section
    assert words in str(caught.value)
    assert f"line {line}" in str(caught.value)


def test_points_must_match_the_votes() -> None:
    text = GOOD.replace("vote_type;approval", "vote_type;cumulative").replace(
        "voter_id;vote", "voter_id;vote;points"
    )
    text = text.replace("a;1,2", "a;1,2;3").replace("b;2", "b;2;1").replace("c;", "c;;")
    with pytest.raises(PabulibError, match=r"line 12 \(section VOTES\): 2 project\(s\) but 1 point"):
        parse_pabulib(text)


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.pb"
    path.write_bytes(GOOD.encode().replace(b"Moestuin", b"Moes\xfftuin"))
    with pytest.raises(PabulibError, match="line 9: not valid UTF-8"):
        read_pabulib(path)
