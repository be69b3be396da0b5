"""The demo's front door: its small postcode table finds the Utrecht, Voorburg and Amsterdam
neighbourhoods, and Amsterdam's equal names are told apart by district (or, within one district, year)."""

import asyncio
from collections import Counter

from sqlalchemy import select
from test_cli import run

from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.places.finder import Kind, find
from buurtbudget.places.models import Municipality, Neighbourhood, Postcode


def test_the_demo_ships_postcodes_and_districts(sqlite_url: str) -> None:
    code, output = run(sqlite_url, "demo", "load")
    assert code == 0, output

    async def check() -> None:
        engine = create_engine(sqlite_url)
        async with create_session_factory(engine)() as session:
            zuilen = await find(session, "3552 AB")
            assert (zuilen.kind, [n.label for n in zuilen.hits]) == (Kind.POSTCODE, ["Zuilen"])
            voorburg = await find(session, "2271")
            assert [n.name for n in voorburg.hits] == ["Voorburg-Noord"]
            rijnbuurt = await find(session, "1079 AB")
            assert [n.label for n in rijnbuurt.hits] == ["Rijnbuurt West (Zuid)"]
            amsterdam = (
                await session.scalars(
                    select(Neighbourhood).join(Municipality).where(Municipality.cbs_code == "GM0363")
                )
            ).all()
            assert all(n.district for n in amsterdam)
            labels = Counter(n.label for n in amsterdam)
            assert max(labels.values()) == 1, labels  # no two Amsterdam neighbourhoods look the same
            assert "Centrum Begroot 2021 (Centrum)" in labels
            assert await session.scalar(select(Postcode.id).limit(1)) is not None
        await engine.dispose()

    asyncio.run(check())
