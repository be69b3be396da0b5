"""The quotas form of the draw page: one quota per line, refused lines named."""

import pytest

from api.jury.quota_form import parse_quotas, quotas_text
from buurtbudget.errors import InvalidInput
from buurtbudget.jury.sortition import Quota


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("geslacht=vrouw:2-3", [Quota("geslacht", "vrouw", 2, 3)]),
        (
            " leeftijd = jong : 1 - \n\nwijk=noord:0-2",
            [Quota("leeftijd", "jong", 1, None), Quota("wijk", "noord", 0, 2)],
        ),
    ],
)
def test_quotas_are_read_one_per_line(text: str, expected: list[Quota]) -> None:
    assert parse_quotas(text) == expected
    assert parse_quotas(quotas_text(expected)) == expected


@pytest.mark.parametrize(
    ("text", "line"), [("geslacht vrouw", 1), ("a=b:1-2\na=b:x-2", 2), ("a=b:1-2\n=b:1-2", 2)]
)
def test_a_line_it_cannot_read_is_named(text: str, line: int) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_quotas(text)
    assert (refused.value.field, refused.value.params["line"]) == ("quotas", line)
