"""The verification and jury pool pages in Dutch: an unverified resident is refused with a Dutch reason and
a link to verifying (joining the pool, sending in a plan, voting), a letter code is entered on the page,
a bad addresses file is refused as a whole with each line's reason, and the letters download."""

import io
import re
from typing import Any
from uuid import uuid4

import pypdf
from conftest import Inbox, World, new_initiatives, sign_in
from litestar.testing import TestClient
from test_pages_jury import csrf_token, run

from buurtbudget.db.transaction import transaction
from buurtbudget.people import service as people
from buurtbudget.people.letter_codes import parse_addresses
from buurtbudget.people.verification import VerificationService
from buurtbudget.people.verification_models import LetterBatch
from buurtbudget.settings import Settings

ADDRESSES = (
    "straat,huisnummer,postcode,plaats\n"
    "Amsterdamsestraatweg,12,3551 AB,Utrecht\n"
    "Kanaalweg,4,3553 AA,Utrecht\n"
)
NOT_VERIFIED = "Verifieer eerst dat u in Zuilen woont."


def newcomer(settings: Settings) -> str:
    """A signed-up person who is nobody's verified resident yet."""
    email = f"nieuw.{uuid4().hex[:8]}@example.org"

    async def job(session: Any) -> None:
        async with transaction(session):
            await people.get_or_create(session, email, actor_id=None)

    run(settings, job)
    return email


def letters(settings: Settings, world: World) -> tuple[int, list[str]]:
    async def job(session: Any) -> tuple[int, list[str]]:
        service = VerificationService(session)
        batch = await service.issue_batch(
            world.actors["broker"], world.zuilen_id, parse_addresses(ADDRESSES.encode())
        )
        printable = await service.printable(world.actors["broker"], batch.id)
        return batch.id, [letter.code for letter in printable.letters]

    found: tuple[int, list[str]] = run(settings, job)
    return found


def post(client: TestClient[Any], path: str, data: dict[str, str], **files: Any) -> Any:
    token = csrf_token(client.get("/rondes").text)
    return client.post(path, data={**data, "_csrf_token": token}, files=files or None, follow_redirects=False)


def test_an_unverified_resident_is_told_in_dutch_to_verify_first(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    sign_in(client, inbox, newcomer(settings))
    pool = client.get("/buurten/zuilen/jury")
    assert pool.status_code == 200
    assert "Laat zien dat u in deze buurt woont" in pool.text
    assert 'href="/buurten/zuilen/verifieren"' in pool.text
    joined = post(client, "/buurten/zuilen/jury", {"attributes.gender": "vrouw"})
    assert joined.status_code == 403
    assert NOT_VERIFIED in joined.text
    assert 'href="/buurten/zuilen/verifieren"' in joined.text
    api = client.put(f"/api/v1/neighbourhoods/{world.zuilen_id}/jury-volunteer", json={"attributes": {}})
    assert api.status_code == 403
    assert api.json()["code"] == "not_verified"


def test_a_plan_of_a_resident_whose_verification_ended_is_not_sent_in(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    async def job(session: Any) -> int:
        [draft] = await new_initiatives(session, world, 1)
        service = VerificationService(session)
        resident = world.actors["resident"]
        [own] = await service.active(resident.person_id or 0)
        await service.end(resident, own.id, "Ik ben verhuisd")
        return draft

    draft: int = run(settings, job)
    sign_in(client, inbox, world.emails["resident"])
    response = post(client, f"/initiatieven/{draft}/insturen", {})
    assert response.status_code == 403
    assert NOT_VERIFIED in response.text
    assert 'href="/buurten/zuilen/verifieren"' in response.text


def test_a_resident_enters_the_code_from_the_letter_and_joins_the_pool(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    _batch, codes = letters(settings, world)
    sign_in(client, inbox, newcomer(settings))
    page = client.get("/buurten/zuilen/verifieren")
    assert "Code uit de brief" in page.text
    wrong = post(client, "/buurten/zuilen/verifieren/code", {"code": "ABCD-EFGH-JKMN"})
    assert wrong.status_code == 422
    assert "Deze code klopt niet" in wrong.text
    assert 'aria-invalid="true"' in wrong.text
    done = post(client, "/buurten/zuilen/verifieren/code", {"code": codes[0]})
    assert done.status_code == 303
    assert done.headers["location"] == "/buurten/zuilen/verifieren?klaar=geverifieerd"
    status = client.get(done.headers["location"])
    assert "U bent geverifieerde bewoner van Zuilen." in status.text
    joined = post(client, "/buurten/zuilen/jury", {"attributes.gender": "vrouw", "attributes.age_band": ""})
    assert joined.status_code == 303
    pool = client.get(joined.headers["location"])
    assert "U zit in de poule" in pool.text
    unknown = post(client, "/buurten/zuilen/jury", {"attributes.gender": "robot"})
    assert unknown.status_code == 422
    assert "Kies een van de waarden die er staan." in unknown.text
    left = post(client, "/buurten/zuilen/jury/afmelden", {})
    assert "afgemeld" in client.get(left.headers["location"]).text


def test_a_resident_asks_and_the_broker_approves_on_the_staff_page(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    email = newcomer(settings)
    sign_in(client, inbox, email)
    asked = post(client, "/buurten/zuilen/verifieren/goedkeuring", {"toelichting": "Kanaalweg 4"})
    assert asked.status_code == 303
    assert "Uw verzoek is verstuurd" in client.get(asked.headers["location"]).text
    client.cookies.clear()
    sign_in(client, inbox, world.emails["broker"])
    staff = client.get("/buurten/zuilen/bewoners")
    assert email in staff.text
    assert "Kanaalweg 4" in staff.text
    person = re.search(r'name="persoon" value="(\d+)"', staff.text)
    assert person is not None
    approved = post(client, "/buurten/zuilen/bewoners/goedkeuren", {"persoon": person.group(1)})
    assert approved.status_code == 303
    after = client.get(approved.headers["location"])
    assert "De bewoner is geverifieerd." in after.text
    assert "Geen open verzoeken." in after.text


def test_a_bad_addresses_file_is_refused_with_each_line_in_dutch_and_nothing_is_made(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    sign_in(client, inbox, world.emails["broker"])
    bad = ADDRESSES + "Kanaalweg,,3553 AA,Utrecht\nKanaalweg,5,35533 AA,Utrecht\n"
    response = post(client, "/buurten/zuilen/brieven", {}, bestand=("adressen.csv", bad.encode(), "text/csv"))
    assert response.status_code == 422
    assert "Er staan fouten in het adressenbestand: er is niets ingelezen." in response.text
    assert "Regel 4: Het huisnummer klopt niet" in response.text
    assert "Regel 5: De postcode klopt niet" in response.text
    empty = post(client, "/buurten/zuilen/brieven", {})
    assert empty.status_code == 422
    assert "Kies een CSV-bestand met de adressen." in empty.text

    async def batches(session: Any) -> int:
        from sqlalchemy import func, select

        return int(await session.scalar(select(func.count(LetterBatch.id))) or 0)

    assert run(settings, batches) == 0
    api = client.post(f"/api/v1/neighbourhoods/{world.zuilen_id}/letter-batches", json={"csv": bad})
    assert api.status_code == 422
    assert [(e["line"], e["field"]) for e in api.json()["errors"]] == [("4", "addresses"), ("5", "addresses")]


def test_the_broker_uploads_addresses_and_downloads_the_letters(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["broker"])
    made = post(
        client, "/buurten/zuilen/brieven", {}, bestand=("adressen.csv", ADDRESSES.encode(), "text/csv")
    )
    assert made.status_code == 303
    staff = client.get(made.headers["location"])
    assert "De brieven zijn klaar." in staff.text
    found = re.search(r'href="/brieven/(\d+)/brieven.pdf"', staff.text)
    assert found is not None
    pdf = client.get(f"/brieven/{found.group(1)}/brieven.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["cache-control"] == "no-store"
    reader = pypdf.PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 2
    assert "Kanaalweg 4" in reader.pages[1].extract_text()
    csv = client.get(f"/brieven/{found.group(1)}/brieven.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    rows = csv.text.splitlines()
    assert len(rows) == 3
    assert rows[1].split(",")[4] in reader.pages[0].extract_text()


def test_voting_in_an_open_round_needs_a_verified_resident(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    async def job(session: Any) -> tuple[int, int]:
        from test_jury_rounds import plan, ready_initiatives

        from buurtbudget.jury.rounds import RoundService

        ids = await ready_initiatives(session, world, 1)
        opened = await RoundService(session).open_round(
            world.actors["municipality_admin"], world.pot_id, plan(ids, mode="open")
        )
        return opened.id, ids[0]

    round_id, initiative = run(settings, job)
    for who, status in (("other_resident", 403), ("resident", 204)):
        client.cookies.clear()
        sign_in(client, inbox, world.emails[who])
        response = client.put(f"/api/v1/rounds/{round_id}/ballot", json={"marks": {str(initiative): 1}})
        assert response.status_code == status, (who, response.text)
        if status == 403:
            assert response.json()["code"] == "not_verified"
            assert "Zuilen" in response.json()["detail"]
