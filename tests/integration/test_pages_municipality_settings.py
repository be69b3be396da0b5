"""Municipalities added and renamed in pages by the platform administrator, and a municipality's
settings page (jury pool questions, how long a verification counts, the look): each form calls the
same service as the API, names a bad value at its field in Dutch, and writes nothing then."""

from typing import Any

from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from test_api_roles_places import form

from buurtbudget.audit.models import AuditEntry
from buurtbudget.places.models import Municipality


def settings(world: World) -> str:
    return f"/beheer/gemeenten/{world.municipality_id}/instellingen"


async def fresh(session: AsyncSession, municipality_id: int) -> Municipality:
    await session.commit()
    found = await session.get(Municipality, municipality_id, populate_existing=True)
    assert found is not None
    return found


async def test_the_platform_administrator_adds_and_renames_a_municipality(
    client: TestClient[Any], inbox: Inbox, session: AsyncSession, world: World
) -> None:
    await session.commit()
    sign_in(client, inbox, world.emails["platform_admin"])
    home = client.get("/beheer").text
    assert 'href="/beheer/gemeenten/nieuw"' in home
    assert f'href="/beheer/gemeenten/{world.municipality_id}/bewerken"' in home
    assert client.get("/beheer/gemeenten/nieuw").status_code == 200
    wrong = form(client, "/beheer/gemeenten/nieuw", name="Zeist", cbs_code="0355", slug="")
    assert wrong.status_code == 422
    assert 'id="cbs_code-fout"' in wrong.text
    assert "GM en 4 cijfers" in wrong.text or "GM0344" in wrong.text
    taken = form(client, "/beheer/gemeenten/nieuw", name="Zeist", cbs_code="GM0344", slug="")
    assert taken.status_code == 409
    assert 'id="cbs_code-fout"' in taken.text
    assert (await session.scalar(select(Municipality).where(Municipality.name == "Zeist"))) is None
    await session.commit()  # end the read: SQLite lets the app write only then
    added = form(client, "/beheer/gemeenten/nieuw", name="Zeist", cbs_code="gm0355", slug="")
    assert (added.status_code, added.headers["location"]) == (303, "/beheer?gedaan=gemeente-toegevoegd")
    zeist = await session.scalar(select(Municipality).where(Municipality.name == "Zeist"))
    assert zeist is not None
    assert (zeist.cbs_code, zeist.slug) == ("GM0355", "zeist")
    await session.commit()
    edit = f"/beheer/gemeenten/{zeist.id}/bewerken"
    assert 'value="Zeist"' in client.get(edit).text
    empty = form(client, edit, name="")
    assert empty.status_code == 422
    assert 'id="name-fout"' in empty.text
    taken_name = form(client, edit, name="Utrecht")  # another municipality's name
    assert taken_name.status_code == 409
    assert "Er is al een gemeente met deze naam." in taken_name.text
    assert form(client, edit, name="Gemeente Zeist").status_code == 303
    assert (await fresh(session, zeist.id)).name == "Gemeente Zeist"


async def test_a_municipality_sets_its_jury_questions_in_a_page(
    client: TestClient[Any], inbox: Inbox, session: AsyncSession, world: World
) -> None:
    await session.commit()
    sign_in(client, inbox, world.emails["municipality_admin"])
    assert f'href="{settings(world)}"' in client.get("/beheer").text
    shown = client.get(settings(world))
    assert shown.status_code == 200
    assert 'value="age_band"' in shown.text
    assert "vrouw = vrouw" in shown.text  # the standard answers, as key = text in the page's language
    assert 'name="theme"' not in shown.text  # the look is the platform's
    post = f"{settings(world)}/jury"
    # Remove the age question, keep gender, add the area of the neighbourhood.
    fields = {
        "attr-0-key": "age_band",
        "attr-0-label": "Leeftijd",
        "attr-0-values": "16-25 = 16 tot 25",
        "attr-0-remove": "1",
        "attr-1-key": "gender",
        "attr-1-label": "Gender",
        "attr-1-values": "vrouw = vrouw\nman = man\nanders = anders",
        "attr-2-key": "gebied",
        "attr-2-label": "Deel van de buurt",
        "attr-2-values": "noord = Noord\nzuid",
    }
    one_answer = form(client, post, **{**fields, "attr-2-values": "noord = Noord"})
    assert one_answer.status_code == 422
    assert 'id="attr-2-values-fout"' in one_answer.text
    assert "2 tot 20" in one_answer.text
    bad_key = form(client, post, **{**fields, "attr-2-key": "Deel Van"})
    assert bad_key.status_code == 422
    assert 'id="attr-2-key-fout"' in bad_key.text
    assert (await fresh(session, world.municipality_id)).jury_attributes is None  # nothing written
    await session.commit()
    saved = form(client, post, **fields)
    assert (saved.status_code, saved.headers["location"]) == (303, f"{settings(world)}?gedaan=jury")
    stored = (await fresh(session, world.municipality_id)).jury_attributes
    await session.commit()
    assert stored == [
        {
            "key": "gender",
            "label": "Gender",
            "choices": [
                {"key": "vrouw", "label": "vrouw"},
                {"key": "man", "label": "man"},
                {"key": "anders", "label": "anders"},
            ],
        },
        {
            "key": "gebied",
            "label": "Deel van de buurt",
            "choices": [{"key": "noord", "label": "Noord"}, {"key": "zuid", "label": "zuid"}],
        },
    ]
    audited = await session.scalar(
        select(AuditEntry).where(AuditEntry.action == "jury.attributes_set").order_by(AuditEntry.id.desc())
    )
    assert audited is not None
    await session.commit()
    assert 'value="gebied"' in client.get(settings(world)).text


async def test_how_long_a_verification_counts_and_the_look_in_a_page(
    client: TestClient[Any], inbox: Inbox, session: AsyncSession, world: World
) -> None:
    await session.commit()
    sign_in(client, inbox, world.emails["municipality_admin"])
    post = f"{settings(world)}/verificatie"
    for typed in ("twee jaar", "10", "5000"):
        refused = form(client, post, days=typed)
        assert refused.status_code == 422, typed
        assert 'id="days-fout"' in refused.text
        assert f'value="{typed}"' in refused.text
    assert form(client, post, days="365").status_code == 303
    assert (await fresh(session, world.municipality_id)).verification_days == 365
    await session.commit()
    assert form(client, f"{settings(world)}/uiterlijk", theme="utrecht", logo_url="").status_code == 403
    client.cookies.clear()
    sign_in(client, inbox, world.emails["platform_admin"])
    look = f"{settings(world)}/uiterlijk"
    assert 'name="theme"' in client.get(settings(world)).text
    refused = form(client, look, theme="utrecht", logo_url="https://elders.example/logo.png")
    assert refused.status_code == 422
    assert 'id="logo_url-fout"' in refused.text
    assert form(client, look, theme="paars", logo_url="").status_code == 422
    municipality = await fresh(session, world.municipality_id)
    assert (municipality.theme, municipality.logo_url) != ("utrecht", "/static/img/logo.svg")
    await session.commit()
    assert form(client, look, theme="utrecht", logo_url="/static/img/logo.svg").status_code == 303
    municipality = await fresh(session, world.municipality_id)
    assert (municipality.theme, municipality.logo_url) == ("utrecht", "/static/img/logo.svg")
