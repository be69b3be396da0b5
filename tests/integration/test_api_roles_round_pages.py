"""Every page of running a round (opening it, managing it, inviting an advisor) and every role: the
municipality that owns the pot (and the platform's administrators) may; anonymous visitors are sent to
sign in; everyone else, also another municipality's administrator, is refused (403) and nothing is
written."""

from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest
from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from test_api_roles import ADMINS, ROLES
from test_pages_jury import count, csrf_token, run
from test_pages_round_open import form, ready

from buurtbudget.jury.models import Round
from buurtbudget.jury.rounds import RoundService
from buurtbudget.people.models import RoleAssignment
from buurtbudget.settings import Settings

Ask = Callable[[TestClient[Any], World, dict[str, Any], str], Any]


def _post(client: TestClient[Any], path: str, data: dict[str, Any], token: str) -> Any:
    return client.post(path, data={**data, "_csrf_token": token}, follow_redirects=False)


def _open_round(settings: Settings, world: World) -> int:
    async def job(session: Any) -> int:
        from test_jury_rounds import plan, ready_initiatives

        ids = await ready_initiatives(session, world, 1)
        opened = await RoundService(session).open_round(
            world.actors["municipality_admin"], world.pot_id, plan(ids)
        )
        return int(opened.id)

    found: int = run(settings, job)
    return found


# (name, request, whether it writes a round, roles allowed); `ids` holds a ready initiative and a round.
PAGES: list[tuple[str, Ask, bool]] = [
    (
        "GET open-round form",
        lambda c, w, ids, token: c.get(f"/beheer/rondes/nieuw?pot={w.pot_id}", follow_redirects=False),
        False,
    ),
    (
        "POST open-round form (confirmation step)",
        lambda c, w, ids, token: _post(c, f"/beheer/rondes/nieuw?pot={w.pot_id}", form(ids["ready"]), token),
        False,
    ),
    (
        "POST open-round form (confirmed)",
        lambda c, w, ids, token: _post(
            c, f"/beheer/rondes/nieuw?pot={w.pot_id}", {**form(ids["ready"]), "bevestigd": "ja"}, token
        ),
        True,
    ),
    (
        "GET round management page",
        lambda c, w, ids, token: c.get(f"/rondes/{ids['round']}/beheer", follow_redirects=False),
        False,
    ),
    (
        "POST invite an advisor",
        lambda c, w, ids, token: _post(
            c,
            f"/rondes/{ids['round']}/beheer/adviseurs",
            {"email": f"adviseur.{uuid4().hex[:8]}@example.org"},
            token,
        ),
        True,
    ),
]


@pytest.mark.parametrize(("name", "ask", "writes"), PAGES, ids=[p[0] for p in PAGES])
def test_page_by_role(
    client: TestClient[Any],
    inbox: Inbox,
    settings: Settings,
    world: World,
    name: str,
    ask: Ask,
    writes: bool,
) -> None:
    round_id = _open_round(settings, world)
    written_before = count(settings, Round), count(settings, RoleAssignment)
    for role in ROLES:
        client.cookies.clear()
        if role != "anonymous":
            sign_in(client, inbox, world.emails[role])
        token = csrf_token(client.get("/rondes").text)
        ids = {"ready": ready(settings, world, 1), "round": round_id}
        response = ask(client, world, ids, token)
        status = response.status_code
        if role in ADMINS:
            assert status in {200, 303}, f"{name} as {role}: {status}"
            if status == 303:
                assert response.headers["location"].startswith("/rondes/"), f"{name} as {role}"
        elif role == "anonymous":
            assert status == 303, f"{name} as {role}: {status}"
            assert response.headers["location"].startswith("/inloggen?volgende="), f"{name} as {role}"
        else:
            assert status == 403, f"{name} as {role}: {status}"
    written = count(settings, Round) + count(settings, RoleAssignment) - sum(written_before)
    assert written == (len(ADMINS) if writes else 0), f"{name}: {written} rounds or roles written"
