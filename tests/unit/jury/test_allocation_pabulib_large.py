"""Large approval votes are kept as vote texts (ApprovalBallots): read exactly as the general path reads
them, counted and indexed the same, and their errors name the same section and line."""

import random

import numpy as np
import pytest

from buurtbudget.jury.allocation import Ballot, Election, PabulibError, allocate, parse_pabulib
from buurtbudget.jury.allocation import pabulib as reader
from buurtbudget.jury.allocation.rules.mes_index import supporter_index
from buurtbudget.jury.allocation.votes import ApprovalBallots

HEAD = "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost;name\n"
VOTERS = 1500


def vote_file(lines: list[str], *, header: str = "voter_id;vote;age", newline: str = "\n") -> str:
    projects = [
        f"{pid};{cost};P{pid}" for pid, cost in (("1", 30), ("2", 40), ("3", 50), ("x", 20), ("5", 0))
    ]
    text = HEAD + "\n".join(projects) + f"\nVOTES\n{header}\n" + "\n".join(lines) + "\n"
    return text.replace("\n", newline)


def plain_lines(seed: int = 1) -> list[str]:
    draw = random.Random(seed)
    ids = ["1", "2", "3", "x", "5"]
    return [
        f"{n};{','.join(draw.sample(ids, draw.randint(0, 4)))};{draw.randint(18, 80)}" for n in range(VOTERS)
    ]


def general(text: str, monkeypatch: pytest.MonkeyPatch) -> Election:
    """The same text read by the general path only."""
    with monkeypatch.context() as patch:
        patch.setattr(reader, "PLAIN_VOTES_MIN_LINES", 10**9)
        return parse_pabulib(text)


@pytest.mark.parametrize(
    "variant",
    ["plain", "crlf", "blank lines", "none voter", "short lines", "vote first", "no voter column"],
)
def test_reads_what_the_general_path_reads(variant: str, monkeypatch: pytest.MonkeyPatch) -> None:
    lines, header, newline = plain_lines(), "voter_id;vote;age", "\n"
    if variant == "crlf":
        newline = "\r\n"
    elif variant == "blank lines":
        lines[10:10] = ["", ""]
    elif variant == "none voter":
        lines[3] = " None ;1,2;40"
        lines[4] = "  7 ;3;40"
    elif variant == "short lines":
        lines[5], lines[6] = "42;", "43;;"
    elif variant == "vote first":
        header = "vote;voter_id"
        lines = [";".join(reversed(line.split(";")[:2])) for line in lines]
    elif variant == "no voter column":
        header = "vote;age"
        lines = [line.split(";", 1)[1] for line in lines]
    text = vote_file(lines, header=header, newline=newline)
    quick = parse_pabulib(text)
    assert isinstance(quick.ballots, ApprovalBallots)
    expected = general(text, monkeypatch)
    assert isinstance(expected.ballots, tuple)
    assert len(quick.ballots) == len(expected.ballots)
    assert quick.ballots == expected.ballots
    assert list(quick.ballots) == list(expected.ballots)
    assert quick.approvals == expected.approvals
    assert quick == expected


@pytest.mark.parametrize(("line", "why"), [("   ", "a line of spaces"), ("42", "a line of one cell")])
def test_lines_the_quick_path_does_not_read_are_read_by_the_general_path(
    line: str, why: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = plain_lines()
    lines[300] = line
    text = vote_file(lines)
    election = parse_pabulib(text)
    assert not isinstance(election.ballots, ApprovalBallots), why
    assert list(election.ballots) == list(general(text, monkeypatch).ballots)


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (" 1,2", "a space before an id"),
        ("1,none", "'none' among the ids"),
        ("1,,2", "an empty id"),
        ('"1,2"', "quotes"),
    ],
)
def test_votes_the_quick_path_does_not_read_are_read_by_the_general_path(
    change: str, why: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = plain_lines()
    lines[700] = f"700;{change};33"
    text = vote_file(lines)
    election = parse_pabulib(text)
    assert not isinstance(election.ballots, ApprovalBallots), why
    assert list(election.ballots) == list(general(text, monkeypatch).ballots)


def test_long_project_ids_are_read_by_the_general_path(monkeypatch: pytest.MonkeyPatch) -> None:
    text = vote_file(plain_lines()).replace("x", "project-x-with-a-long-id")
    election = parse_pabulib(text)
    assert "project-x-with-a-long-id" in election.by_id
    assert list(election.ballots) == list(general(text, monkeypatch).ballots)
    assert election.approvals == general(text, monkeypatch).approvals


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("900;1,9;50", "vote for unknown project '9'"),
        ("VOTES", "section VOTES appears twice"),
        ("meta", "section META appears twice"),
    ],
)
def test_errors_in_a_large_vote_name_section_and_line(line: str, message: str) -> None:
    lines = plain_lines()
    lines[900] = line
    text = vote_file(lines)
    number = text.splitlines().index("voter_id;vote;age") + 1 + 901
    with pytest.raises(PabulibError) as caught:
        parse_pabulib(text)
    assert caught.value.line == number
    assert message in str(caught.value)


def test_a_project_named_twice_on_a_ballot_is_approved_once() -> None:
    lines = plain_lines()
    lines[0] = "0;1,1,2;30"
    election = parse_pabulib(vote_file(lines))
    assert election.ballots[0] == Ballot(frozenset({"1", "2"}), None, "0")
    counted = parse_pabulib(vote_file(lines))
    by_ballots = Election(counted.budget, counted.projects, tuple(counted.ballots))
    assert counted.approvals == by_ballots.approvals


def test_supporters_and_outcomes_are_those_of_the_ballots() -> None:
    text = vote_file(plain_lines(seed=7))
    quick = parse_pabulib(text)
    valued = Election(quick.budget, quick.projects, tuple(parse_pabulib(text).ballots))
    ids, supporters = supporter_index(quick)
    expected_ids, expected = supporter_index(valued)
    assert ids == expected_ids
    assert all(np.array_equal(a, b) for a, b in zip(supporters, expected, strict=True))
    for rule in ("mes", "mes-add1", "greedy"):
        assert allocate(quick, rule).as_json() == allocate(valued, rule).as_json()
