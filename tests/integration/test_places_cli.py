"""`buurtbudget places import-neighbourhoods` and `import-postcodes`: a good file is imported, a bad one
is refused with its lines (in Dutch, exit 2) and nothing of it is stored."""

import asyncio
from pathlib import Path

from conftest import World
from sqlalchemy import func, select
from test_cli import run

from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.places.models import Municipality, Neighbourhood, Postcode

AMSTERDAM = (
    "buurtcode;buurtnaam;wijkcode;wijknaam;gemeentecode;gemeentenaam\n"
    "BU03630000;Kop Zeedijk;WK036300;Burgwallen-Oude Zijde;GM0363;Amsterdam\n"
    "BU03638000;Centrum;WK036380;Nieuw-West;GM0363;Amsterdam\n"
)


def totals(database_url: str) -> tuple[int, int, int]:
    async def read() -> tuple[int, int, int]:
        engine = create_engine(database_url)
        async with create_session_factory(engine)() as session:
            found = [
                int(await session.scalar(select(func.count()).select_from(model)) or 0)
                for model in (Municipality, Neighbourhood, Postcode)
            ]
        await engine.dispose()
        return found[0], found[1], found[2]

    return asyncio.run(read())


def test_import_neighbourhoods_and_postcodes_from_the_command_line(
    database_url: str, world: World, tmp_path: Path
) -> None:
    municipalities, neighbourhoods, _postcodes = totals(database_url)
    file = tmp_path / "amsterdam.csv"
    file.write_text(AMSTERDAM, encoding="utf-8-sig")
    code, output = run(database_url, "places", "import-neighbourhoods", str(file), "--municipality", "GM0363")
    assert code == 0, output
    assert "Amsterdam: 2 new, 0 changed, 0 unchanged neighbourhoods" in output
    assert totals(database_url)[:2] == (municipalities + 1, neighbourhoods + 2)  # Amsterdam is added
    postcodes = tmp_path / "postcodes.csv"
    postcodes.write_text("postcode,buurtcode\n1012 AB,BU03630000\n1064,BU03638000\n", encoding="utf-8")
    code, output = run(database_url, "places", "import-postcodes", str(postcodes), "--municipality", "GM0363")
    assert code == 0, output
    assert "2 postcodes imported (0 replaced)" in output
    assert totals(database_url)[2] == 2


def test_a_bad_file_is_refused_line_by_line_and_nothing_is_stored(
    database_url: str, world: World, tmp_path: Path
) -> None:
    before = totals(database_url)
    file = tmp_path / "utrecht.csv"
    file.write_text(
        "buurtcode;buurtnaam\nBU03440300;Elinkwijk\nBU034403;Kort\nBU03440300;Dubbel\n", encoding="utf-8"
    )
    code, output = run(database_url, "places", "import-neighbourhoods", str(file), "--municipality", "GM0344")
    assert code == 2
    assert "regel 3: BU034403 is geen CBS-buurtcode (BU en 8 cijfers)" in output
    assert "regel 4: BU03440300 staat twee keer in het bestand (ook op regel 2)" in output
    postcodes = tmp_path / "postcodes.csv"
    postcodes.write_text("postcode;buurtcode\n3552AB;WK034403\n3552XYZ;WK034403\n", encoding="utf-8")
    code, output = run(database_url, "places", "import-postcodes", str(postcodes))
    assert code == 2
    assert "regel 3: 3552XYZ is geen postcode" in output
    code, output = run(database_url, "places", "import-neighbourhoods", str(file), "--municipality", "GM99")
    assert code == 2
    assert "een CBS-code van een gemeente is GM en 4 cijfers" in output
    code, output = run(database_url, "places", "import-postcodes", str(tmp_path / "missing.csv"))
    assert code == 2
    assert totals(database_url) == before
