"""A juror reads advice and discussion, joins in and votes; the municipality closes; all see the result."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from browser_tools import check, new_context, sign_in, snap, verify_resident
from playwright.sync_api import Browser, BrowserContext, Page, expect

pytest_plugins = ["e2e_site"]
pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

OWNER = "eigenaar.jury.e2e@example.org"
PLANS = [
    ("Speeltuin opknappen", 600_00),
    ("Buurtfeest in de zomer", 500_00),
    ("Moestuin bij de school", 300_00),
]


def api_as(browser: Browser, site: Any, email: str) -> BrowserContext:
    """A browser context signed in through the JSON API (for setting the scene, not part of the journey)."""
    context = new_context(browser, site)
    assert context.request.post("/api/v1/auth/sign-in-requests", data={"email": email}).status == 202
    token = site.inbox.sign_in_token(email)
    assert context.request.post("/api/v1/auth/session", data={"token": token}).status == 200
    return context


def ok(response: Any) -> Any:
    assert response.ok, f"{response.status} {response.text()}"
    return response.json() if response.text() else None


def set_the_scene(browser: Browser, site: Any) -> tuple[int, list[int]]:
    """Three plans ready for the jury, a round of € 1.000 with 10 points per juror, the jury drawn."""
    world = site.world
    broker = api_as(browser, site, world.emails["broker"])
    ids = []
    for title, cents in PLANS:
        created = ok(
            broker.request.post(
                "/api/v1/initiatives",
                data={
                    "neighbourhood_id": world.zuilen_id,
                    "title": title,
                    "summary": f"{title}: samen met de buren.",
                    "cost_lines": [{"description": "Materiaal en huur", "amount_cents": cents}],
                    "on_behalf_of": OWNER,
                },
            )
        )
        ids.append(created["id"])
    verify_resident(site, OWNER, world.zuilen_id)  # sending a plan in takes a verified resident
    owner = api_as(browser, site, OWNER)
    for initiative_id in ids:
        ok(owner.request.post(f"/api/v1/initiatives/{initiative_id}/transitions", data={"action": "submit"}))
        for action in ("start_review", "mark_ready"):
            ok(
                broker.request.post(
                    f"/api/v1/initiatives/{initiative_id}/transitions", data={"action": action}
                )
            )
    owner.close()
    resident = api_as(browser, site, world.emails["resident"])
    assert resident.request.put(
        f"/api/v1/neighbourhoods/{world.zuilen_id}/jury-volunteer", data={"attributes": {}}
    ).ok
    resident.close()
    admin = api_as(browser, site, world.emails["municipality_admin"])
    now = datetime.now(UTC)
    round_ = ok(
        admin.request.post(
            f"/api/v1/pots/{world.pot_id}/rounds",
            data={
                "name": "Zomerronde Zuilen",
                "mode": "jury",
                "amount_cents": 1_000_00,
                "initiative_ids": ids,
                "ballot_kind": "cumulative",
                "points": 10,
                "rule": "greedy",
                "voting_opens_at": (now - timedelta(hours=1)).isoformat(),
                "voting_closes_at": (now + timedelta(days=7)).isoformat(),
            },
        )
    )
    ok(admin.request.post(f"/api/v1/rounds/{round_['id']}/pool", data={"seats": 1}))  # frozen, seed hashed
    drawn = ok(admin.request.post(f"/api/v1/rounds/{round_['id']}/jury"))
    assert drawn["jurors"] == [str(world.actors["resident"].person_id)]
    admin.close()
    ok(
        broker.request.post(
            f"/api/v1/rounds/{round_['id']}/initiatives/{ids[0]}/messages",
            data={"body": "Ik help met de vergunning voor de speeltuin."},
        )
    )
    broker.close()
    return round_["id"], ids


def signed_in_at(browser: Browser, site: Any, path: str, email: str) -> tuple[BrowserContext, Page]:
    context = new_context(browser, site)
    page = context.new_page()
    page.goto(path)
    expect(page).to_have_url(re.compile(r"/inloggen\?volgende="))
    sign_in(page, site.inbox, email)
    return context, page


def test_a_juror_deliberates_and_votes_and_the_result_is_public(browser: Browser, site: Any) -> None:
    results = site.axe_results
    world = site.world
    round_id, ids = set_the_scene(browser, site)

    # The advisor writes advice beside the discussion, and has no ballot.
    context, page = signed_in_at(browser, site, f"/rondes/{round_id}/advies", world.emails["advisor"])
    expect(page.locator("h1")).to_have_text("Adviespagina: Zomerronde Zuilen")
    expect(page.get_by_role("heading", name="Uw stem")).to_have_count(0)
    page.get_by_label("Uw advies over Speeltuin opknappen").fill("Vraag twee offertes op voor de toestellen.")
    page.locator(f"#initiatief-{ids[0]}").get_by_role("button", name="Advies bewaren").click()
    expect(page.get_by_role("status")).to_contain_text("Uw advies is bewaard.")
    check(page, results, "round: advisor view")
    snap(page, "round-advisor")
    context.close()

    # The juror finds the round, signs in through the mailed link and reads advice and discussion.
    context = new_context(browser, site)
    page = context.new_page()
    page.goto("/rondes")
    check(page, results, "rounds")
    page.get_by_role("link", name="Zomerronde Zuilen").click()
    expect(page.locator("h1")).to_have_text("Zomerronde Zuilen")
    check(page, results, "round: overview")
    page.goto(f"/rondes/{round_id}/jury")
    sign_in(page, site.inbox, world.emails["resident"])
    expect(page.locator("h1")).to_have_text("Jurypagina: Zomerronde Zuilen")
    first = page.locator(f"#initiatief-{ids[0]}")
    expect(first.locator(".advice-column")).to_contain_text("Vraag twee offertes op voor de toestellen.")
    expect(first.locator(".discussion-column")).to_contain_text(
        "Ik help met de vergunning voor de speeltuin."
    )
    expect(first).to_contain_text("€\xa0600,00")

    page.get_by_label("Uw bericht over Buurtfeest in de zomer").fill("Wie ruimt er na het feest op?")
    page.locator(f"#initiatief-{ids[1]}").get_by_role("button", name="Bericht plaatsen").click()
    expect(page.get_by_role("status")).to_contain_text("Uw bericht is geplaatst.")
    expect(page.locator(f"#initiatief-{ids[1]} .messages")).to_contain_text("Wie ruimt er na het feest op?")

    # The ballot: 10 points to spread, with the total running while the juror types.
    total = page.locator("#lopende-stand")
    expect(total).to_contain_text("Punten gebruikt: 0 van 10; over: 10")
    page.get_by_label(re.compile("Punten voor Speeltuin opknappen")).fill("5")
    page.get_by_label(re.compile("Punten voor Buurtfeest in de zomer")).fill("3")
    expect(total).to_contain_text("Punten gebruikt: 8 van 10; over: 2")
    page.get_by_label(re.compile("Punten voor Moestuin bij de school")).fill("4")
    expect(total).to_contain_text("Dit is meer dan mag.")
    page.get_by_role("button", name="Mijn stem bewaren").click()
    expect(page.locator("#foutmeldingen")).to_contain_text("U gaf 12 punten; u hebt er 10.")
    page.get_by_label(re.compile("Punten voor Moestuin bij de school")).fill("2")
    expect(total).to_contain_text("Punten gebruikt: 10 van 10; over: 0")
    page.get_by_role("button", name="Mijn stem bewaren").click()
    expect(page.get_by_role("status")).to_contain_text("Uw stem is bewaard.")
    expect(page.get_by_label(re.compile("Punten voor Speeltuin opknappen"))).to_have_value("5")
    check(page, results, "round: juror view")
    snap(page, "round-juror")
    context.close()

    # The municipality closes the round from its page.
    context, page = signed_in_at(
        browser, site, f"/rondes/{round_id}/advies", world.emails["municipality_admin"]
    )
    page.get_by_role("button", name="Stemmen sluiten en de uitslag publiceren").click()
    # A confirmation step; before the published closing time the municipality writes why.
    page.get_by_label("Reden").fill("De jury heeft gestemd en is klaar.")
    page.get_by_role("button", name="Ja, sluit de ronde nu").click()
    expect(page.locator("h1")).to_have_text("Uitslag: Zomerronde Zuilen")
    context.close()

    # Anyone reads the result: the support bars and the money line, with the reasons in Dutch.
    context = new_context(browser, site)
    page = context.new_page()
    page.goto(f"/rondes/{round_id}/uitslag")
    main = page.get_by_role("main")
    expect(page.locator(".bar-chart__item")).to_have_count(3)
    expect(page.locator(".bar-chart__item").first).to_contain_text("Speeltuin opknappen")
    expect(page.locator(".bar-chart__item").first).to_contain_text("5 punten")
    expect(main).to_contain_text("Past niet meer in het resterende bedrag van €\xa0400,00")
    expect(page.locator(".money-line__step--ran-out")).to_contain_text("Buurtfeest in de zomer")
    expect(page.locator(".money-line__step--ran-out")).to_contain_text(
        "Hier was het geld op: nog €\xa0400,00 over"
    )
    expect(main).to_contain_text("€\xa0900,00")  # granted in total: € 600 + € 300
    expect(main.get_by_role("link", name=re.compile("Pabulib"))).to_have_attribute(
        "href", f"/api/v1/rounds/{round_id}/export.pb"
    )
    check(page, results, "round: result")
    snap(page, "round-result")
    context.close()
