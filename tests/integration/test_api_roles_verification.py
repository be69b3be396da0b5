"""Every endpoint and page of verified residents, letter batches and the jury pool, for every role.

Allowed roles succeed (2xx, or 303 onwards for a page's form); anonymous visitors get 401 (API) or are
sent to sign in (pages); everyone else is refused with 403, or 404 where the thing is not theirs to
see (a letter batch, someone else's verification). Another municipality's administrator is refused
everywhere in Utrecht's neighbourhoods. Each role gets fresh data, so one role's step never changes
the next role's case.
"""

from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest
from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from test_api_roles import ADMINS, EVERYONE, ROLES, SIGNED_IN, SUPPORTERS
from test_pages_jury import csrf_token, run

from buurtbudget.db.transaction import transaction
from buurtbudget.people import service as people
from buurtbudget.people.letter_codes import parse_addresses
from buurtbudget.people.verification import VerificationService, ensure_verified
from buurtbudget.settings import Settings

CSV = "straat,huisnummer,postcode,plaats\nAmsterdamsestraatweg,{n},3551 AB,Utrecht\n"
OWN_OR_STAFF = {"resident", *SUPPORTERS}  # the resident's own verification in Zuilen
AREAS = {
    "attributes": [
        {
            "key": "area",
            "label": "Deel",
            "choices": [{"key": "n", "label": "Noord"}, {"key": "z", "label": "Zuid"}],
        }
    ]
}

Ask = Callable[[TestClient[Any], World, dict[str, Any]], Any]


def prepare(settings: Settings, world: World) -> dict[str, Any]:
    """A newcomer who asked for approval, a letter batch with a fresh code, the resident's verification."""

    async def job(session: Any) -> dict[str, Any]:
        service = VerificationService(session)
        async with transaction(session):
            person = await people.get_or_create(session, f"{uuid4().hex[:10]}@example.org", actor_id=None)
        newcomer = await people.actor_of(session, person.id)
        asked = await service.request_approval(newcomer, world.zuilen_id, "Kanaalweg 1")
        addresses = parse_addresses(CSV.format(n=str(uuid4().int % 9000 + 1)).encode())
        batch = await service.issue_batch(world.actors["broker"], world.zuilen_id, addresses)
        [letter] = (await service.printable(world.actors["broker"], batch.id)).letters
        async with transaction(session):  # verified again if an earlier role ended it
            own = await ensure_verified(
                session,
                await people.get_person(session, world.actors["resident"].person_id or 0),
                world.zuilen_id,
            )
        return {
            "person": person.id,
            "request": asked.id,
            "batch": batch.id,
            "code": letter.code,
            "verification": own.id,
        }

    prepared: dict[str, Any] = run(settings, job)
    return prepared


def page_post(client: TestClient[Any], path: str, data: dict[str, str], **files: Any) -> Any:
    token = csrf_token(client.get("/rondes").text)
    if files:
        return client.post(path, data={**data, "_csrf_token": token}, files=files, follow_redirects=False)
    return client.post(path, data={**data, "_csrf_token": token}, follow_redirects=False)


API = "/api/v1"
# (name, request, roles allowed, whether it is a page)
ENDPOINTS: list[tuple[str, Ask, set[str], bool]] = [
    ("GET my verifications", lambda c, w, ids: c.get(f"{API}/me/verifications"), SIGNED_IN, False),
    (
        "POST verification request",
        lambda c, w, ids: c.post(
            f"{API}/neighbourhoods/{w.zuilen_id}/verification-requests", json={"note": "Hier"}
        ),
        SIGNED_IN,
        False,
    ),
    (
        "GET verification requests",
        lambda c, w, ids: c.get(f"{API}/neighbourhoods/{w.zuilen_id}/verification-requests"),
        SUPPORTERS,
        False,
    ),
    (
        "POST decline request",
        lambda c, w, ids: c.post(f"{API}/verification-requests/{ids['request']}/decline"),
        SUPPORTERS,
        False,
    ),
    (
        "POST approve resident",
        lambda c, w, ids: c.post(
            f"{API}/neighbourhoods/{w.zuilen_id}/verifications", json={"person_id": ids["person"]}
        ),
        SUPPORTERS,
        False,
    ),
    (
        "POST letter code",
        lambda c, w, ids: c.post(f"{API}/verification-codes", json={"code": ids["code"]}),
        SIGNED_IN,
        False,
    ),
    (
        "POST end verification",
        lambda c, w, ids: c.post(
            f"{API}/verifications/{ids['verification']}/end", json={"reason": "Verhuisd"}
        ),
        OWN_OR_STAFF,
        False,
    ),
    (
        "POST letter batch",
        lambda c, w, ids: c.post(
            f"{API}/neighbourhoods/{w.zuilen_id}/letter-batches", json={"csv": CSV.format(n="7")}
        ),
        SUPPORTERS,
        False,
    ),
    (
        "GET letter batches",
        lambda c, w, ids: c.get(f"{API}/neighbourhoods/{w.zuilen_id}/letter-batches"),
        SUPPORTERS,
        False,
    ),
    (
        "GET letter batch CSV",
        lambda c, w, ids: c.get(f"{API}/letter-batches/{ids['batch']}/letters.csv"),
        SUPPORTERS,
        False,
    ),
    (
        "GET letter batch PDF",
        lambda c, w, ids: c.get(f"{API}/letter-batches/{ids['batch']}/letters.pdf"),
        SUPPORTERS,
        False,
    ),
    (
        "DELETE jury volunteer",
        lambda c, w, ids: c.delete(f"{API}/neighbourhoods/{w.zuilen_id}/jury-volunteer"),
        SIGNED_IN,
        False,
    ),
    (
        "GET jury attributes",
        lambda c, w, ids: c.get(f"{API}/neighbourhoods/{w.zuilen_id}/jury-attributes"),
        EVERYONE,
        False,
    ),
    (
        "PUT jury attributes",
        lambda c, w, ids: c.put(f"{API}/municipalities/{w.municipality_id}/jury-attributes", json=AREAS),
        ADMINS,
        False,
    ),
    (
        "PUT verification validity",
        lambda c, w, ids: c.put(
            f"{API}/municipalities/{w.municipality_id}/verification-validity", json={"days": 365}
        ),
        ADMINS,
        False,
    ),
    ("GET verify page", lambda c, w, ids: c.get("/buurten/zuilen/verifieren"), EVERYONE, True),
    (
        "POST code on the verify page",
        lambda c, w, ids: page_post(c, "/buurten/zuilen/verifieren/code", {"code": ids["code"]}),
        SIGNED_IN,
        True,
    ),
    (
        "POST ask for approval",
        lambda c, w, ids: page_post(c, "/buurten/zuilen/verifieren/goedkeuring", {"toelichting": "Hier"}),
        SIGNED_IN,
        True,
    ),
    (
        "GET staff page",
        lambda c, w, ids: c.get("/buurten/zuilen/bewoners", follow_redirects=False),
        SUPPORTERS,
        True,
    ),
    (
        "POST approve on the staff page",
        lambda c, w, ids: page_post(
            c, "/buurten/zuilen/bewoners/goedkeuren", {"persoon": str(ids["person"])}
        ),
        SUPPORTERS,
        True,
    ),
    (
        "POST decline on the staff page",
        lambda c, w, ids: page_post(c, "/buurten/zuilen/bewoners/afwijzen", {"verzoek": str(ids["request"])}),
        SUPPORTERS,
        True,
    ),
    (
        "POST letters upload",
        lambda c, w, ids: page_post(
            c, "/buurten/zuilen/brieven", {}, bestand=("adressen.csv", CSV.format(n="9").encode(), "text/csv")
        ),
        SUPPORTERS,
        True,
    ),
    (
        "GET letters CSV page",
        lambda c, w, ids: c.get(f"/brieven/{ids['batch']}/brieven.csv", follow_redirects=False),
        SUPPORTERS,
        True,
    ),
    (
        "GET letters PDF page",
        lambda c, w, ids: c.get(f"/brieven/{ids['batch']}/brieven.pdf", follow_redirects=False),
        SUPPORTERS,
        True,
    ),
    (
        "GET end verification page",
        lambda c, w, ids: c.get(f"/verificaties/{ids['verification']}/beeindigen", follow_redirects=False),
        OWN_OR_STAFF,
        True,
    ),
    (
        "POST end verification page",
        lambda c, w, ids: page_post(
            c, f"/verificaties/{ids['verification']}/beeindigen", {"reden": "Verhuisd"}
        ),
        OWN_OR_STAFF,
        True,
    ),
    ("GET jury pool page", lambda c, w, ids: c.get("/buurten/zuilen/jury"), EVERYONE, True),
    (
        "POST join the jury pool",
        lambda c, w, ids: page_post(c, "/buurten/zuilen/jury", {"attributes.gender": "vrouw"}),
        {"resident"},
        True,
    ),
    (
        "POST leave the jury pool",
        lambda c, w, ids: page_post(c, "/buurten/zuilen/jury/afmelden", {}),
        SIGNED_IN,
        True,
    ),
]
NOT_THEIRS = {"GET letter batch CSV", "GET letter batch PDF", "POST end verification"}
NOT_THEIRS |= {"GET letters CSV page", "GET letters PDF page", "GET end verification page"}
NOT_THEIRS |= {"POST end verification page"}


@pytest.mark.parametrize(("name", "ask", "allowed", "is_page"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_endpoint_by_role(
    client: TestClient[Any],
    inbox: Inbox,
    settings: Settings,
    world: World,
    name: str,
    ask: Ask,
    allowed: set[str],
    is_page: bool,
) -> None:
    for role in ROLES:
        ids = prepare(settings, world)
        client.cookies.clear()
        if role != "anonymous":
            sign_in(client, inbox, world.emails[role])
        response = ask(client, world, ids)
        status = response.status_code
        if role in allowed:
            assert 200 <= status < 300 or (is_page and status == 303), f"{name} as {role}: {status}"
            if status == 303:
                assert not response.headers["location"].startswith("/inloggen"), f"{name} as {role}"
        elif role == "anonymous":
            if is_page:
                assert status == 303, f"{name} as {role}: {status}"
                assert response.headers["location"].startswith("/inloggen?volgende="), f"{name} as {role}"
            else:
                assert status == 401, f"{name} as {role}: {status}"
        else:
            expected = {403, 404} if name in NOT_THEIRS else {403}
            assert status in expected, f"{name} as {role}: {status}"
