"""The pot's "how it works" texts and its report through the JSON API."""

from typing import Any

from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from test_pages_jury import run

from buurtbudget.settings import Settings


def test_the_guide_is_written_by_the_municipality_and_read_by_anyone(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    path = f"/api/v1/pots/{world.pot_id}/guide"
    empty = client.get(path)
    assert empty.status_code == 200
    assert empty.json() == {
        "pot_id": world.pot_id,
        "name": "Buurtbudget 2026",
        "max_per_initiative_cents": None,
        "criteria": "",
        "next_round_on": None,
        "payment_text": "",
        "page": f"/potten/{world.pot_id}/zo-werkt-het",
    }
    sign_in(client, inbox, world.emails["municipality_admin"])
    for bad, field in [
        ({"max_per_initiative_cents": 0}, "max_per_initiative_cents"),
        ({"max_per_initiative_cents": 12.5}, "max_per_initiative_cents"),
        ({"max_per_initiative_cents": None, "criteria": "x" * 5001}, "criteria"),
        ({"max_per_initiative_cents": None, "next_round_on": "morgen"}, "next_round_on"),
        ({"max_per_initiative_cents": None, "payment_text": "a\x00b"}, "payment_text"),
    ]:
        refused = client.put(path, json=bad)
        assert refused.status_code in {400, 422}, bad
        assert field in refused.text, bad
    body = {
        "max_per_initiative_cents": 750_00,
        "criteria": "Voor de buurt.\n\nNiet voor winst.",
        "next_round_on": "2026-09-01",
        "payment_text": "Vooraf betaald; bonnetjes achteraf.",
    }
    written = client.put(path, json=body)
    assert written.status_code == 200, written.text
    client.cookies.clear()
    assert client.get(path).json() == {
        **body,
        "pot_id": world.pot_id,
        "name": "Buurtbudget 2026",
        "page": f"/potten/{world.pot_id}/zo-werkt-het",
    }
    assert client.get(f"/api/v1/pots/{world.pot_id + 50}/guide").status_code == 404


def test_the_report_gives_the_money_per_round(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    async def job(session: Any) -> tuple[int, int]:
        from test_round_tracks_and_grants import partly_granted_round

        found: tuple[int, int] = await partly_granted_round(session, world)
        return found

    round_id, _partly = run(settings, job)
    sign_in(client, inbox, world.emails["municipality_admin"])
    theme = client.post(
        f"/api/v1/pots/{world.pot_id}/theme-budgets", json={"theme": "jeugd", "amount_cents": 1_000_00}
    )
    assert theme.status_code == 201, theme.text
    report = client.get(f"/api/v1/pots/{world.pot_id}/report")
    assert report.status_code == 200, report.text
    assert report.json() == {
        "pot_id": world.pot_id,
        "received_cents": 10_000_00,
        "reserved_cents": 400_00,
        "granted_cents": 600_00,
        "paid_cents": 0,
        "payments_tracked": False,
        "left_cents": 9_000_00,
        "theme_budgets": {"jeugd": 1_000_00},
        "theme_labels": {"jeugd": "kinderen en jongeren"},
        "rounds": [
            {
                "round_id": round_id,
                "name": "Voorjaarsronde",
                "state": "closed",
                "reserved_cents": 1_000_00,
                "granted_cents": 600_00,
                "released_cents": 0,
                "held_cents": 400_00,
            }
        ],
    }
    english = client.get(f"/api/v1/pots/{world.pot_id}/report", headers={"accept-language": "en"})
    assert english.json()["theme_labels"] == {"jeugd": "children and young people"}
