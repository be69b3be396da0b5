"""The `allocate` command prints one JSON object, or a clear error naming the line with exit code 2."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.jury.allocate_command import allocate_command

PB = """META
key;value
budget;10
vote_type;approval
PROJECTS
project_id;cost
a;6
b;5
c;4
VOTES
voter_id;vote
1;a,b
2;a,b
3;a,c
"""


@pytest.fixture
def pb_file(tmp_path: Path) -> Path:
    path = tmp_path / "round.pb"
    path.write_text(PB, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("args", "selected"),
    [
        (["--rule", "greedy"], ["a", "c"]),
        (["--rule", "knapsack"], ["a", "c"]),
        (["--rule", "mes"], ["a"]),
        (["--rule", "greedy", "--tie-break", "min-cost"], ["a", "c"]),
    ],
)
def test_prints_one_json_object(pb_file: Path, args: list[str], selected: list[str]) -> None:
    result = CliRunner().invoke(allocate_command, [str(pb_file), *args])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"rule", "tie_break", "budget", "selected", "total_cost"}
    assert data["rule"] == args[1]
    assert data["budget"] == 10
    assert sorted(data["selected"]) == selected


def test_lot_needs_and_records_a_seed(pb_file: Path) -> None:
    assert (
        CliRunner().invoke(allocate_command, [str(pb_file), "--rule", "mes", "--tie-break", "lot"]).exit_code
        == 2
    )
    result = CliRunner().invoke(
        allocate_command, [str(pb_file), "--rule", "mes", "--tie-break", "lot", "--seed", "5"]
    )
    assert json.loads(result.output)["seed"] == 5


def test_malformed_file_names_the_line_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.pb"
    path.write_text(PB.replace("3;a,c", "3;a,zz"), encoding="utf-8")
    result = CliRunner().invoke(allocate_command, [str(path), "--rule", "greedy"])
    assert result.exit_code == 2
    assert "line 14 (section VOTES): vote for unknown project 'zz'" in result.output


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(allocate_command, [str(tmp_path / "nope.pb"), "--rule", "greedy"])
    assert result.exit_code == 2
    assert "cannot read" in result.output


def test_unknown_rule_is_a_usage_error(pb_file: Path) -> None:
    result = CliRunner().invoke(allocate_command, [str(pb_file), "--rule", "borda"])
    assert result.exit_code == 2
