"""The municipality runs its pots from pages: Dutch euro amounts with Dutch errors and no write on bad
input, a confirmation step before money moves, the pot page's numbers and chart, "how it works"."""

from typing import Any

from conftest import Inbox, World, new_initiatives, sign_in
from litestar.testing import TestClient
from sqlalchemy import func, select
from test_pages_jury import csrf_token, run

from buurtbudget.pots.consistency import ledger_problems
from buurtbudget.pots.models import LedgerTransaction, Pot
from buurtbudget.pots.service import PotService
from buurtbudget.settings import Settings


def plain(response: Any) -> str:
    """A page's text with the non-breaking spaces of amounts ("€\xa012,50") as plain spaces."""
    return str(response.text).replace("\xa0", " ")


def transactions(settings: Settings) -> int:
    async def job(session: Any) -> int:
        return int(await session.scalar(select(func.count()).select_from(LedgerTransaction)) or 0)

    found: int = run(settings, job)
    return found


def available(settings: Settings, world: World) -> int:
    async def job(session: Any) -> int:
        return (await PotService(session).summaries([world.pot_id]))[world.pot_id].available_cents

    found: int = run(settings, job)
    return found


def test_funding_reads_dutch_euros_and_asks_to_confirm_before_the_money_moves(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    sign_in(client, inbox, world.emails["municipality_admin"])
    page = f"/beheer/potten/{world.pot_id}/storten"
    form = client.get(page)
    assert form.status_code == 200
    token = csrf_token(form.text)
    before = transactions(settings)
    for bad in ["", "twaalf", "12,345", "-5", "0", "1.2.3", "12,50 euro"]:
        refused = client.post(page, data={"_csrf_token": token, "amount": bad, "memo": ""})
        assert refused.status_code == 422, bad
        assert "Vul een bedrag in euro in, zoals 250 of 12,50." in refused.text, bad
        assert 'aria-invalid="true"' in refused.text
    assert transactions(settings) == before  # nothing written
    check = client.post(page, data={"_csrf_token": token, "amount": "1.234,56", "memo": "Bijdrage 2026"})
    assert check.status_code == 200
    assert "Controleer voordat het geld verschuift" in check.text
    assert "€ 1.234,56" in plain(check)
    assert transactions(settings) == before  # the confirmation moves nothing yet
    change = client.post(page, data={"_csrf_token": token, "amount": "1.234,56", "bevestigd": "nee"})
    assert change.status_code == 200
    assert 'value="1.234,56"' in change.text  # back to the form, as typed
    done = client.post(
        page,
        data={"_csrf_token": token, "amount": "1.234,56", "memo": "Bijdrage 2026", "bevestigd": "ja"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"/beheer/potten/{world.pot_id}?gedaan=storting"
    assert transactions(settings) == before + 1
    assert available(settings, world) == 10_000_00 + 1_234_56
    shown = plain(client.get(done.headers["location"]))
    assert "Het geld is aan de pot toegevoegd." in shown
    assert "€ 11.234,56" in shown


def test_a_theme_budget_is_chosen_by_its_label_and_cannot_exceed_the_general_budget(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    sign_in(client, inbox, world.emails["municipality_admin"])
    page = f"/beheer/potten/{world.pot_id}/themabudget"
    form = client.get(page)
    assert '<option value="jeugd">kinderen en jongeren</option>' in form.text
    token = csrf_token(form.text)
    unknown = client.post(page, data={"_csrf_token": token, "theme": "<script>", "amount": "10"})
    assert unknown.status_code == 422
    assert "Kies een thema." in unknown.text
    too_much = client.post(
        page, data={"_csrf_token": token, "theme": "jeugd", "amount": "20.000", "bevestigd": "ja"}
    )
    assert too_much.status_code == 409
    assert "Het algemene budget van de pot" in too_much.text
    check = client.post(page, data={"_csrf_token": token, "theme": "jeugd", "amount": "2.500"})
    assert "kinderen en jongeren" in check.text
    assert "Ja, zet het geld apart" in check.text
    before = transactions(settings)
    done = client.post(
        page,
        data={"_csrf_token": token, "theme": "jeugd", "amount": "2.500", "bevestigd": "ja"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert transactions(settings) == before + 1
    shown = plain(client.get(f"/beheer/potten/{world.pot_id}"))
    assert "kinderen en jongeren" in shown  # the label, not the key
    assert ">jeugd<" not in shown
    assert "€ 2.500,00" in shown


def test_the_fast_track_form_keeps_its_values_and_says_what_is_wrong(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["municipality_admin"])
    page = f"/beheer/potten/{world.pot_id}/snelle-route"
    token = csrf_token(client.get(page).text)
    refused = client.post(page, data={"_csrf_token": token, "threshold": "vijfhonderd", "seats": "0"})
    assert refused.status_code == 422
    assert "Vul een bedrag in euro in" in refused.text
    assert "Vul een heel aantal juryleden in van 1 tot 25." in refused.text
    assert 'value="vijfhonderd"' in refused.text
    done = client.post(
        page, data={"_csrf_token": token, "threshold": "500", "seats": "3"}, follow_redirects=False
    )
    assert done.status_code == 303
    shown = plain(client.get(f"/beheer/potten/{world.pot_id}"))
    assert "Aanvragen tot € 500,00 mogen naar een snelle ronde met 3 juryleden." in shown
    assert 'value="500,00"' in client.get(page).text


def test_a_new_pot_is_made_for_a_neighbourhood_of_ones_own_municipality(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    sign_in(client, inbox, world.emails["municipality_admin"])
    form = client.get("/beheer/potten/nieuw")
    assert "Bovenveen" not in form.text  # another municipality's neighbourhood is not offered
    token = csrf_token(form.text)
    data = {"_csrf_token": token, "neighbourhood_id": str(world.ondiep_id), "name": "Ondiep 2027"}
    bad = client.post("/beheer/potten/nieuw", data={**data, "period_start": "2027-13-01", "period_end": ""})
    assert bad.status_code == 422
    assert "Vul een datum in, zoals 2026-01-31." in bad.text
    reversed_ = client.post(
        "/beheer/potten/nieuw", data={**data, "period_start": "2027-12-31", "period_end": "2027-01-01"}
    )
    assert reversed_.status_code == 422
    assert "De periode eindigt voordat hij begint." in reversed_.text
    elsewhere = client.post(
        "/beheer/potten/nieuw",
        data={**data, "neighbourhood_id": "99999", "period_start": "2027-01-01", "period_end": "2027-12-31"},
    )
    assert elsewhere.status_code == 422
    assert "Onbekende buurt." in elsewhere.text
    foreign = client.post(
        "/beheer/potten/nieuw",
        data={
            **data,
            "neighbourhood_id": str(world.zuilen_id + 3),
            "period_start": "2027-01-01",
            "period_end": "2027-12-31",
        },
    )
    assert foreign.status_code == 403  # Bovenveen lies in another municipality
    done = client.post(
        "/beheer/potten/nieuw",
        data={**data, "period_start": "2027-01-01", "period_end": "2027-12-31"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    twice = client.post(
        "/beheer/potten/nieuw", data={**data, "period_start": "2027-01-01", "period_end": "2027-12-31"}
    )
    assert twice.status_code == 409
    listing = plain(client.get("/beheer/potten"))
    assert "Ondiep 2027" in listing
    assert "Buurtbudget 2026" in listing


def test_the_pot_page_adds_up_and_draws_its_chart_on_the_server(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    async def job(session: Any) -> None:
        from test_round_tracks_and_grants import partly_granted_round

        await partly_granted_round(session, world)
        assert await ledger_problems(session) == []

    run(settings, job)
    sign_in(client, inbox, world.emails["municipality_admin"])
    shown = plain(client.get(f"/beheer/potten/{world.pot_id}"))
    for amount in ["€ 10.000,00", "€ 400,00", "€ 600,00", "€ 0,00", "€ 9.000,00"]:
        assert amount in shown
    assert "Uitbetalingen worden hier nog niet bijgehouden" in shown
    assert '<svg class="pot-chart__bar" role="img"' in shown
    assert "Toegekend: € 600,00 (6%). Gereserveerd: € 400,00 (4%). Over: € 9.000,00 (90%)." in shown
    assert '<a class="utrecht-link" href="/rondes/' in shown
    assert "<script" not in shown.split("</head>")[1]  # no JavaScript needed for the chart
    english = client.post("/taal", data={"_csrf_token": csrf_token(shown), "locale": "en", "next": "/"})
    assert english.status_code in {200, 303}
    assert "Money per round" in client.get(f"/beheer/potten/{world.pot_id}").text


def test_how_it_works_is_written_by_the_municipality_and_read_by_everyone(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    sign_in(client, inbox, world.emails["municipality_admin"])
    page = f"/beheer/potten/{world.pot_id}/uitleg"
    token = csrf_token(client.get(page).text)
    bad = client.post(
        page,
        data={"_csrf_token": token, "max_per_initiative": "veel", "next_round_on": "morgen", "criteria": "x"},
    )
    assert bad.status_code == 422
    assert "Vul een bedrag in euro in" in bad.text
    assert "Vul een datum in" in bad.text
    done = client.post(
        page,
        data={
            "_csrf_token": token,
            "max_per_initiative": "400",
            "criteria": "Voor de buurt.\r\n\r\n<b>Geen</b> winst.",
            "next_round_on": "2026-05-01",
            "payment_text": "Vooraf betaald.",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    client.cookies.clear()
    public = client.get(f"/potten/{world.pot_id}/zo-werkt-het")
    assert public.status_code == 200
    assert "€ 400,00" in plain(public)
    assert "1 mei 2026" in public.text
    assert '<p class="utrecht-paragraph">Voor de buurt.</p>' in public.text
    assert "&lt;b&gt;Geen&lt;/b&gt; winst." in public.text  # no HTML from users
    neighbourhood = plain(client.get("/buurten/zuilen"))
    assert f'href="/potten/{world.pot_id}/zo-werkt-het"' in neighbourhood


def test_a_plan_above_the_maximum_is_told_so_on_the_form_and_when_sent_in(
    client: TestClient[Any], inbox: Inbox, settings: Settings, world: World
) -> None:
    async def job(session: Any) -> int:
        pot = await session.get(Pot, world.pot_id)
        pot.max_per_initiative_cents = 400_00
        await session.commit()
        [initiative_id] = await new_initiatives(session, world, 1)  # asks € 500
        return initiative_id

    initiative_id: int = run(settings, job)
    sign_in(client, inbox, world.emails["resident"])
    budget = plain(client.get(f"/initiatieven/{initiative_id}/stappen/begroting"))
    assert "Uit dit buurtbudget krijgt één initiatief hooguit € 400,00." in budget
    assert f'href="/potten/{world.pot_id}/zo-werkt-het"' in budget
    assert "Je plan vraagt meer" in budget
    check = client.get(f"/initiatieven/{initiative_id}/stappen/controleren").text
    sent = client.post(f"/initiatieven/{initiative_id}/insturen", data={"_csrf_token": csrf_token(check)})
    assert sent.status_code == 409  # the check step again, with the reason linked to the budget step
    assert "Je plan vraagt meer dan één initiatief uit dit buurtbudget krijgt." in sent.text
    assert f'href="/initiatieven/{initiative_id}/stappen/begroting"' in sent.text
