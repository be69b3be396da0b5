"""The demo shows the matching at work on first visit: a similar initiative whose initiator may be
contacted, volunteers who fit, and spaces that fit; and each demo municipality wears its own look."""

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.demo.loader import DemoLoader
from buurtbudget.initiatives.models import Initiative
from buurtbudget.people import service as people
from buurtbudget.places.models import Municipality
from buurtbudget.pots.models import Pot
from buurtbudget.similar.service import SimilarService
from buurtbudget.spaces.matches import MatchOptions, SpaceMatcher
from buurtbudget.volunteers.service import VolunteerService


async def _initiative(session: AsyncSession, title: str) -> Initiative:
    found = await session.scalar(select(Initiative).where(Initiative.title == title))
    assert found is not None, title
    return found


async def _broker(session: AsyncSession) -> people.Actor:
    person = await people.find_by_email(session, "joost.devries@makelaars.example.org")
    assert person is not None
    return await people.actor_of(session, person.id)


async def test_the_demo_shows_a_match_of_each_kind_on_first_visit(
    session: AsyncSession, tmp_path: Path
) -> None:
    (tmp_path / "nl").mkdir()  # no Amsterdam files: the Utrecht and Voorburg demo alone must match
    await DemoLoader(session, tmp_path).load()
    anonymous = people.actor_for(None)

    plants = await _initiative(session, "Plantenbakken in de winkelstraat")  # Lunetten, a draft
    lunetten_broker = await people.find_by_email(session, "sanne.bakker@makelaars.example.org")
    assert lunetten_broker is not None
    similar = await SimilarService(session).for_initiative(
        await people.actor_of(session, lunetten_broker.id), plants.id
    )
    garden = [f for f in similar.elsewhere if f.card.title == "Moestuin achter de flat"]
    assert garden, [f.card.title for f in similar.elsewhere]
    assert garden[0].card.contact_consent  # its initiator agreed to be contacted

    kitchen = await _initiative(session, "Koffieochtend voor ouderen")  # Ondiep: a host and a hall
    broker = await _broker(session)
    volunteers = await VolunteerService(session).volunteer_suggestions(broker, kitchen.id, "nl")
    assert volunteers, "a volunteer fits"
    _initiative_row, needs = await SpaceMatcher(session).for_initiative(anonymous, kitchen.id, MatchOptions())
    assert [m.space.name for need in needs for m in need.matches][:1] == ["Kerkzaal De Ark"]

    looks = dict((await session.execute(select(Municipality.cbs_code, Municipality.theme))).tuples().all())
    assert looks == {"GM0344": "utrecht", "GM1916": "voorbeeld"}

    await DemoLoader(session, tmp_path).load()  # twice changes nothing
    assert len(await VolunteerService(session).volunteer_suggestions(broker, kitchen.id, "nl")) == len(
        volunteers
    )


async def test_each_demo_pot_says_how_it_works(session: AsyncSession, tmp_path: Path) -> None:
    (tmp_path / "nl").mkdir()
    await DemoLoader(session, tmp_path).load()

    pots = (await session.execute(select(Pot))).scalars().all()
    assert pots
    for pot in pots:
        assert pot.max_per_initiative_cents == 5000_00, pot.name
        assert "bonnetjes" in pot.payment_text
        assert "bewoners" in pot.criteria
        assert pot.next_round_on is not None
    # every demo plan fits under the maximum, so the demo's plans can still be sent in
    initiatives = (await session.execute(select(Initiative))).scalars().all()
    assert initiatives
    assert max(i.total_cents for i in initiatives) <= 5000_00
