"""CSV imports of neighbourhoods and postcodes: good files in every accepted shape, every reason a line is
refused (with its line number, in Dutch), and nothing half-imported, on SQLite and PostgreSQL."""

from typing import Any

import pytest
from conftest import World
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.models import AuditEntry
from buurtbudget.errors import NotAllowed
from buurtbudget.places import imports as imports_module
from buurtbudget.places.csv_import import ImportRefused
from buurtbudget.places.imports import PlacesImport
from buurtbudget.places.models import Neighbourhood, Postcode

HEADER = "buurtcode;buurtnaam;wijkcode;wijknaam;gemeentecode;gemeentenaam\n"
GOOD = (
    HEADER
    + "BU03440300;Elinkwijk;WK034403;Zuilen;GM0344;Utrecht\n"
    + "BU03440301;Prinses Margrietbuurt;WK034403;Zuilen;GM0344;Utrecht\n"
    + "BU03440900;Centrum;WK034409;Lunetten;GM0344;Utrecht\n"
)


async def count(session: AsyncSession, model: Any) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def problems_of(session: AsyncSession, world: World, content: str | bytes) -> list[tuple[int, str]]:
    raw = content.encode() if isinstance(content, str) else content
    with pytest.raises(ImportRefused) as refused:
        await PlacesImport(session).import_neighbourhoods(
            world.actors["municipality_admin"], world.municipality_id, raw
        )
    await session.rollback()
    return [(problem.line, problem.text("nl")) for problem in refused.value.problems]


async def test_a_cbs_file_adds_buurten_with_their_wijk_as_district_and_updates_them_by_code(
    session: AsyncSession, world: World
) -> None:
    admin = world.actors["municipality_admin"]
    before = await count(session, Neighbourhood)
    plan = await PlacesImport(session).import_neighbourhoods(admin, world.municipality_id, GOOD.encode())
    assert (len(plan.new), len(plan.changed), plan.unchanged) == (3, 0, 0)
    assert await count(session, Neighbourhood) == before + 3
    centrum = await session.scalar(select(Neighbourhood).where(Neighbourhood.cbs_code == "BU03440900"))
    assert centrum is not None
    assert (centrum.name, centrum.district, centrum.label) == ("Centrum", "Lunetten", "Centrum (Lunetten)")
    # The same file again changes nothing; a renamed line updates the neighbourhood with that code.
    again = await PlacesImport(session).import_neighbourhoods(admin, world.municipality_id, GOOD.encode())
    assert (len(again.new), len(again.changed), again.unchanged) == (0, 0, 3)
    renamed = GOOD.replace("Elinkwijk;", "Elinkwijk-Noord;")
    plan = await PlacesImport(session).import_neighbourhoods(admin, world.municipality_id, renamed.encode())
    assert [(c.row.name, c.previous_name) for c in plan.changed] == [("Elinkwijk-Noord", "Elinkwijk")]
    assert await count(session, Neighbourhood) == before + 3
    entry = (
        await session.scalars(select(AuditEntry).where(AuditEntry.action == "neighbourhoods.imported"))
    ).all()[-1]
    assert entry.data["updated"] == ["BU03440300"]


@pytest.mark.parametrize(
    "content",
    [
        "\ufeff" + GOOD,  # Excel's "CSV UTF-8" starts with a byte order mark
        GOOD.replace(";", ","),
        GOOD.replace("\n", "\r\n"),
        "buurtnaam;buurtcode\nElinkwijk;BU03440300\nPrinses Margrietbuurt;BU03440301\nCentrum;BU03440900\n",
    ],
    ids=["bom", "comma", "crlf", "two-columns"],
)
async def test_accepted_shapes(session: AsyncSession, world: World, content: str) -> None:
    plan = await PlacesImport(session).import_neighbourhoods(
        world.actors["municipality_admin"], world.municipality_id, content.encode()
    )
    assert sorted(c.row.cbs_code for c in plan.new) == ["BU03440300", "BU03440301", "BU03440900"]


async def test_a_file_of_wijken_adds_wijken(session: AsyncSession, world: World) -> None:
    content = "wijkcode;wijknaam;gemeentecode\nWK034404;Overvecht;GM0344\nWK034403;Zuilen;GM0344\n"
    plan = await PlacesImport(session).import_neighbourhoods(
        world.actors["municipality_admin"], world.municipality_id, content.encode()
    )
    assert [c.row.name for c in plan.new] == ["Overvecht"]
    assert plan.unchanged == 1  # Zuilen (WK034403) is there already
    overvecht = await session.scalar(select(Neighbourhood).where(Neighbourhood.cbs_code == "WK034404"))
    assert overvecht is not None
    assert overvecht.slug == "overvecht"


BAD_LINES = [
    ("BU0344;Kort;WK034403;Zuilen;GM0344;Utrecht", "BU0344 is geen CBS-buurtcode (BU en 8 cijfers)"),
    ("WK034403;Zuilen;WK034403;Zuilen;GM0344;Utrecht", "WK034403 is geen CBS-buurtcode (BU en 8 cijfers)"),
    (";Naamloos;WK034403;Zuilen;GM0344;Utrecht", "De buurtcode is leeg"),
    ("BU03440302;;WK034403;Zuilen;GM0344;Utrecht", "De buurtnaam is leeg"),
    ("BU03440302;Buurt;WK0344;Zuilen;GM0344;Utrecht", "WK0344 is geen CBS-wijkcode (WK en 6 cijfers)"),
    (
        "BU19160302;Elders;WK191603;Bovenveen;GM0344;Utrecht",
        "BU19160302 ligt in een andere gemeente dan GM0344",
    ),
    (
        "BU03440302;Buurt;WK034403;Zuilen;GM1916;Voorburg",
        "De gemeentecode GM1916 is niet die van de gekozen gemeente (GM0344)",
    ),
    ("BU03440302;Buurt;WK034403", "Deze regel heeft 3 velden, maar de eerste regel noemt 6 kolommen"),
    ("BU03440302;" + "x" * 121 + ";WK034403;Zuilen;GM0344;Utrecht", "De buurtnaam is langer dan 120 tekens"),
    ("BU03440302;Buurt\tmet tab;WK034403;Zuilen;GM0344;Utrecht", "De buurtnaam bevat een regeleinde of tab"),
    (
        'BU03440302;"Buurt;WK034403;Zuilen;GM0344;Utrecht',
        "Deze regel is geen leesbare CSV (kijk de aanhalingstekens na)",
    ),
]


@pytest.mark.parametrize(("line", "reason"), BAD_LINES, ids=[reason[:30] for _line, reason in BAD_LINES])
async def test_every_bad_line_is_named_with_its_number_and_nothing_is_written(
    session: AsyncSession, world: World, line: str, reason: str
) -> None:
    before = await count(session, Neighbourhood)
    content = GOOD + line + "\n"
    problems = await problems_of(session, world, content)
    assert (5, reason) in problems, problems
    assert await count(session, Neighbourhood) == before  # the three good lines are not written either


async def test_every_problem_of_a_file_is_listed_at_once(session: AsyncSession, world: World) -> None:
    content = (
        GOOD + "BU03440300;Dubbel;WK034403;Zuilen;GM0344;Utrecht\nBUxx;Fout;WK034403;Zuilen;GM0344;Utrecht\n"
    )
    problems = await problems_of(session, world, content)
    assert problems == [
        (5, "BU03440300 staat twee keer in het bestand (ook op regel 2)"),
        (6, "BUXX is geen CBS-buurtcode (BU en 8 cijfers)"),
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", (1, "Het bestand is leeg of de eerste regel is leeg")),
        (
            b"naam;code\nZuilen;WK034403\n",
            (1, "De eerste regel moet de kolommen buurtcode en buurtnaam noemen (of wijkcode en wijknaam)"),
        ),
        (HEADER.encode(), (2, "Het bestand heeft geen buurten onder de eerste regel")),
        (
            (HEADER + "BU03440302;Caf\xe9;WK034403;Zuilen;GM0344;Utrecht\n").encode("latin-1"),
            (2, "Deze regel is geen UTF-8-tekst: sla het bestand op als 'CSV UTF-8'"),
        ),
    ],
    ids=["empty", "no-columns", "no-rows", "not-utf8"],
)
async def test_a_file_that_cannot_be_read_is_refused(
    session: AsyncSession, world: World, content: bytes, problem: tuple[int, str]
) -> None:
    assert await problems_of(session, world, content) == [problem]


async def test_a_code_another_municipality_holds_already_is_refused(
    session: AsyncSession, world: World
) -> None:
    # A code with Utrecht's digits that Leidschendam-Voorburg holds (e.g. from before a border change).
    session.add(
        Neighbourhood(
            municipality_id=world.other_municipality_id,
            name="Grensgeval",
            slug="grensgeval",
            cbs_code="WK034499",
        )
    )
    await session.commit()
    problems = await problems_of(session, world, "wijkcode;wijknaam\nWK034499;Overgenomen\n")
    assert problems == [(2, "WK034499 is al een buurt van een andere gemeente")]


async def test_only_the_municipalitys_own_administrators_import(session: AsyncSession, world: World) -> None:
    for role in ("other_municipality_admin", "broker", "resident"):
        with pytest.raises(NotAllowed):
            await PlacesImport(session).import_neighbourhoods(
                world.actors[role], world.municipality_id, GOOD.encode()
            )
        await session.rollback()
    assert await session.scalar(select(Neighbourhood).where(Neighbourhood.cbs_code == "BU03440300")) is None


async def test_a_failure_while_writing_leaves_nothing_behind(
    session: AsyncSession, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is written in one transaction: when the last step fails, the neighbourhoods go too."""
    before = await count(session, Neighbourhood)

    async def broken_record(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("the audit log is unreachable")

    monkeypatch.setattr(imports_module, "record", broken_record)
    with pytest.raises(RuntimeError):
        await PlacesImport(session).import_neighbourhoods(
            world.actors["municipality_admin"], world.municipality_id, GOOD.encode()
        )
    await session.rollback()
    assert await count(session, Neighbourhood) == before


# --- postcodes --------------------------------------------------------------------------------


async def test_postcodes_point_at_their_neighbourhoods_and_a_new_file_replaces_a_postcode(
    session: AsyncSession, world: World
) -> None:
    admin = world.actors["municipality_admin"]
    content = "postcode;buurtcode\n3552 AB;WK034403\n3552ac;WK034403\n3551;WK034402\n3524;WK034409\n"
    plan = await PlacesImport(session).import_postcodes(admin, world.municipality_id, content.encode())
    assert (plan.postcodes, plan.replaced) == (4, 0)
    stored = (
        await session.execute(select(Postcode.postcode, Postcode.area, Postcode.neighbourhood_id))
    ).all()
    assert sorted(stored) == sorted(
        [
            ("3552AB", "3552", world.zuilen_id),
            ("3552AC", "3552", world.zuilen_id),
            ("3551", "3551", world.ondiep_id),
            ("3524", "3524", world.lunetten_id),
        ]
    )
    moved = "postcode;buurtcode\n3552AB;WK034402\n3552AB;WK034403\n"  # on the border: both
    plan = await PlacesImport(session).import_postcodes(admin, world.municipality_id, moved.encode())
    assert plan.replaced == 1
    both = (
        await session.scalars(select(Postcode.neighbourhood_id).where(Postcode.postcode == "3552AB"))
    ).all()
    assert sorted(both) == sorted([world.zuilen_id, world.ondiep_id])
    assert await count(session, Postcode) == 5


POSTCODE_LINES = [
    ("35521;WK034403", "35521 is geen postcode (4 cijfers en 2 letters, zoals 3552 AB, of 4 cijfers)"),
    ("0552AB;WK034403", "0552AB is geen postcode (4 cijfers en 2 letters, zoals 3552 AB, of 4 cijfers)"),
    ("3552 SS;WK034403", "3552 SS is geen postcode (4 cijfers en 2 letters, zoals 3552 AB, of 4 cijfers)"),
    ("3552AB;WK034499", "Geen buurt heeft de CBS-code WK034499: importeer eerst de buurten"),
    ("3552AB;Zuilen", "ZUILEN is geen CBS-buurtcode (BU en 8 cijfers)"),
    ("2273AA;WK191603", "WK191603 is een buurt van een andere gemeente"),
    ("3552AB;", "De buurtcode is leeg"),
    ("3552 ab;WK034403", "3552 ab met WK034403 staat twee keer in het bestand (ook op regel 2)"),
]


@pytest.mark.parametrize(("line", "reason"), POSTCODE_LINES, ids=[r[:30] for _l, r in POSTCODE_LINES])
async def test_every_bad_postcode_line_is_named_and_nothing_is_written(
    session: AsyncSession, world: World, line: str, reason: str
) -> None:
    content = f"postcode;buurtcode\n3552AB;WK034403\n{line}\n"
    with pytest.raises(ImportRefused) as refused:
        await PlacesImport(session).import_postcodes(
            world.actors["municipality_admin"], world.municipality_id, content.encode()
        )
    await session.rollback()
    assert [(p.line, p.text("nl")) for p in refused.value.problems] == [(3, reason)]
    assert await count(session, Postcode) == 0


async def test_a_postcode_file_without_its_columns_is_refused(session: AsyncSession, world: World) -> None:
    with pytest.raises(ImportRefused) as refused:
        await PlacesImport(session).import_postcodes(
            world.actors["municipality_admin"], world.municipality_id, b"pc;buurt\n3552AB;WK034403\n"
        )
    assert [(p.line, p.text("nl")) for p in refused.value.problems] == [
        (1, "De eerste regel moet de kolommen postcode en buurtcode noemen")
    ]
