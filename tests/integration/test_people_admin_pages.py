"""The people pages: find people, give a role (Dutch errors at the field, nothing half written), revoke
one after a confirmation step with a reason; /beheer lists what an administrator administers."""

import asyncio
import re
from typing import Any

from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from sqlalchemy import func, select

from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.people.models import Person, RoleAssignment
from buurtbudget.settings import Settings


def csrf_token(html: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert found, "the page carries a CSRF token"
    return found.group(1)


def counts(settings: Settings) -> tuple[int, int]:
    async def read() -> tuple[int, int]:
        engine = create_engine(settings.database_url)
        async with create_session_factory(engine)() as session:
            found = (
                int(await session.scalar(select(func.count()).select_from(Person)) or 0),
                int(await session.scalar(select(func.count()).select_from(RoleAssignment)) or 0),
            )
        await engine.dispose()
        return found

    return asyncio.run(read())


def test_the_staff_landing_page_lists_the_municipalities_administered(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    first = client.get("/beheer", follow_redirects=False)
    assert (first.status_code, first.headers["location"]) == (303, "/inloggen?volgende=%2Fbeheer")
    sign_in(client, inbox, world.emails["municipality_admin"])
    page = client.get("/beheer")
    assert page.status_code == 200
    assert "Utrecht" in page.text
    assert "Leidschendam-Voorburg" not in page.text
    assert f'href="/beheer/gemeenten/{world.municipality_id}/mensen"' in page.text
    for link in ("/beheer/potten", "/rondes", f"/beheer/gemeenten/{world.municipality_id}/buurten"):
        assert f'href="{link}"' in page.text
    client.cookies.clear()
    sign_in(client, inbox, world.emails["broker"])
    brokered = client.get("/beheer")  # a broker's workspace: their neighbourhood's residents
    assert brokered.status_code == 200
    assert 'href="/buurten/zuilen/bewoners"' in brokered.text
    assert "/mensen" not in brokered.text
    client.cookies.clear()
    sign_in(client, inbox, world.emails["advisor"])
    assert client.get("/beheer").status_code == 403


def test_people_are_found_by_name_or_address_and_by_role(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["municipality_admin"])
    base = f"/beheer/gemeenten/{world.municipality_id}/mensen"
    page = client.get(base)
    assert page.status_code == 200
    assert "Mensen van Utrecht" in page.text
    assert "Gevonden mensen: 7" in page.text
    assert world.emails["other_municipality_admin"] not in page.text
    brokers = client.get(base, params={"rol": "broker"}).text
    assert "Gevonden mensen: 2" in brokers
    assert world.emails["broker"] in brokers
    assert world.emails["advisor"] not in brokers
    searched = client.get(base, params={"zoek": "ADVISOR@"}).text
    assert "Gevonden mensen: 1" in searched
    assert world.emails["advisor"] in searched
    wrong = client.get(base, params={"rol": "koning"})
    assert wrong.status_code == 422
    assert "Kies een van de rollen uit de lijst." in wrong.text


def test_giving_a_role_from_the_page_shows_dutch_errors_at_the_field(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    sign_in(client, inbox, world.emails["municipality_admin"])
    form_path = f"/beheer/gemeenten/{world.municipality_id}/mensen/toevoegen"
    form = client.get(form_path)
    assert form.status_code == 200
    assert "Iemand een rol geven" in form.text
    assert '<option value="resident">Bewoner</option>' in form.text  # approved as a verified resident
    token = csrf_token(form.text)
    before = counts(settings)

    def post(**fields: str) -> Any:
        return client.post(form_path, data={"_csrf_token": token, **fields}, follow_redirects=False)

    bad_email = post(email="geen-adres", rol="broker", buurt=str(world.zuilen_id))
    assert bad_email.status_code == 422
    assert "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl." in bad_email.text
    assert 'id="email-fout"' in bad_email.text
    assert 'value="geen-adres"' in bad_email.text
    unknown = post(email="nieuw@example.org", rol="broker", buurt="999999")
    assert unknown.status_code == 422
    assert "Deze buurt bestaat niet." in unknown.text
    assert 'id="buurt-fout"' in unknown.text
    not_a_number = post(email="nieuw@example.org", rol="broker", buurt="Zuilen")
    assert not_a_number.status_code == 422
    assert "Deze buurt bestaat niet." in not_a_number.text
    no_place = post(email="nieuw@example.org", rol="advisor", buurt="")
    assert no_place.status_code == 422
    assert "Kies de buurt waarvoor deze rol is." in no_place.text
    no_role = post(email="nieuw@example.org", rol="", buurt=str(world.zuilen_id))
    assert no_role.status_code == 422
    assert 'id="rol-fout"' in no_role.text
    twice = post(email=world.emails["broker"], rol="broker", buurt=str(world.zuilen_id))
    assert twice.status_code == 409
    assert "Deze persoon heeft deze rol hier al." in twice.text
    assert 'id="rol-fout"' in twice.text
    assert counts(settings) == before  # nothing half written

    done = post(email="nieuwe.adviseur@example.org", rol="advisor", buurt=str(world.lunetten_id))
    assert done.status_code == 303
    person_page = client.get(done.headers["location"])
    assert "De rol is gegeven. We hebben een e-mail met een inloglink gestuurd." in person_page.text
    assert "Adviseur van de jury" in person_page.text
    assert "Lunetten" in person_page.text
    assert inbox.last_to("nieuwe.adviseur@example.org")["Subject"] == "Uw rol op Buurtbudget"
    colleague = post(email="collega@utrecht.example.org", rol="municipality_admin", buurt="")
    assert colleague.status_code == 303
    assert "Beheerder van de gemeente" in client.get(colleague.headers["location"]).text
    assert counts(settings) == (before[0] + 2, before[1] + 2)
    resident = post(email="nieuwe.bewoner@example.org", rol="resident", buurt=str(world.ondiep_id))
    assert resident.status_code == 303
    resident_page = client.get(resident.headers["location"]).text
    assert "Geverifieerde bewoner tot" in resident_page
    assert "Deze rol intrekken" not in resident_page  # a verification ends as verifications do
    assert counts(settings) == (before[0] + 3, before[1] + 2)  # a verification, not a role assignment


def test_revoking_from_the_page_asks_for_confirmation_and_a_reason(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    sign_in(client, inbox, world.emails["municipality_admin"])
    base = f"/beheer/gemeenten/{world.municipality_id}"
    person_page = client.get(f"{base}/mensen/{world.actors['advisor'].person_id}")
    assert person_page.status_code == 200
    found = re.search(r'href="(/beheer/gemeenten/\d+/rollen/(\d+)/intrekken)"', person_page.text)
    assert found, person_page.text
    confirm = client.get(found.group(1))
    assert confirm.status_code == 200
    assert "Ja, trek de rol in" in confirm.text
    assert "U trekt de rol Adviseur van de jury van" in confirm.text
    token = csrf_token(confirm.text)
    before = counts(settings)
    unconfirmed = client.post(
        found.group(1), data={"_csrf_token": token, "reden": "Klaar"}, follow_redirects=False
    )
    assert unconfirmed.status_code == 200
    assert "Ja, trek de rol in" in unconfirmed.text
    no_reason = client.post(
        found.group(1), data={"_csrf_token": token, "reden": "  ", "bevestigd": "ja"}, follow_redirects=False
    )
    assert no_reason.status_code == 422
    assert "Geef een reden." in no_reason.text
    assert 'id="reden-fout"' in no_reason.text
    assert counts(settings) == before
    done = client.post(
        found.group(1),
        data={"_csrf_token": token, "reden": "Project afgerond", "bevestigd": "ja"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"{base}/mensen?melding=ingetrokken"
    assert "De rol is ingetrokken. De persoon is uitgelogd." in client.get(done.headers["location"]).text
    assert counts(settings) == (before[0], before[1] - 1)
    assert client.get(f"{base}/mensen/{world.actors['advisor'].person_id}").status_code == 404


def test_an_own_last_administrator_role_is_refused_on_the_page(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["municipality_admin"])
    base = f"/beheer/gemeenten/{world.municipality_id}"
    page = client.get(f"{base}/mensen/{world.actors['municipality_admin'].person_id}").text
    found = re.search(r'href="(/beheer/gemeenten/\d+/rollen/\d+/intrekken)"', page)
    assert found
    token = csrf_token(client.get(found.group(1)).text)
    refused = client.post(found.group(1), data={"_csrf_token": token, "reden": "Weg", "bevestigd": "ja"})
    assert refused.status_code == 409
    assert "Dit is uw laatste rol als beheerder" in refused.text
    assert client.get("/beheer").status_code == 200  # still an administrator, still signed in


def test_another_municipality_s_administrator_sees_none_of_these_pages(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["municipality_admin"])
    page = client.get(
        f"/beheer/gemeenten/{world.municipality_id}/mensen/{world.actors['broker'].person_id}"
    ).text
    found = re.search(r'href="(/beheer/gemeenten/\d+/rollen/\d+/intrekken)"', page)
    assert found
    client.cookies.clear()
    sign_in(client, inbox, world.emails["other_municipality_admin"])
    base = f"/beheer/gemeenten/{world.municipality_id}"
    for path in (
        f"{base}/mensen",
        f"{base}/mensen/toevoegen",
        f"{base}/mensen/{world.actors['broker'].person_id}",
        found.group(1),
    ):
        assert client.get(path).status_code == 403, path
    own = f"/beheer/gemeenten/{world.other_municipality_id}"
    # Through their own municipality's address: Utrecht's people and roles do not exist.
    assert client.get(f"{own}/mensen/{world.actors['broker'].person_id}").status_code == 404
    role_id = found.group(1).split("/")[-2]
    assert client.get(f"{own}/rollen/{role_id}/intrekken").status_code == 404
    token = csrf_token(client.get(f"{own}/mensen/toevoegen").text)
    foreign = client.post(
        f"{own}/mensen/toevoegen",
        data={"_csrf_token": token, "email": "x@example.org", "rol": "broker", "buurt": str(world.zuilen_id)},
    )
    assert foreign.status_code == 422
    assert "Deze buurt ligt in een andere gemeente." in foreign.text
    revoke = client.post(
        f"{own}/rollen/{role_id}/intrekken", data={"_csrf_token": token, "reden": "Zomaar", "bevestigd": "ja"}
    )
    assert revoke.status_code == 404
