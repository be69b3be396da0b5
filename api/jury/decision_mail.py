"""E-mail to the initiators when a round is decided: what their initiative got, and what comes next."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.formatting import money
from buurtbudget.i18n import DEFAULT_LOCALE, gettext
from buurtbudget.initiatives.models import Initiative, Initiator
from buurtbudget.jury.export import GRANTED, PARTLY, granted_amounts, outcome
from buurtbudget.jury.models import Round, RoundInitiative
from buurtbudget.notifications.mailer import Mailer, compose, send_or_warn
from buurtbudget.people.models import Person
from buurtbudget.settings import Settings


async def tell_initiators(session: AsyncSession, mailer: Mailer, settings: Settings, round_id: int) -> None:
    """Mail every active initiator of each initiative on the closed round's ballot (in Dutch, the
    interface's first language: no language is stored per person); a failed mail changes nothing.

    Only the result and the ballot's initiatives are read: the mails need no ballots."""
    round_ = await session.get(Round, round_id)
    if round_ is None or round_.result is None:
        return
    on_ballot = (
        await session.execute(
            select(RoundInitiative.initiative_id, Initiative.title, RoundInitiative.cost_cents)
            .join(Initiative, Initiative.id == RoundInitiative.initiative_id)
            .where(RoundInitiative.round_id == round_id)
            .order_by(RoundInitiative.initiative_id)
        )
    ).all()
    granted = granted_amounts(round_.result, {initiative_id: cost for initiative_id, _, cost in on_ballot})
    addresses = await _initiators(session, [initiative_id for initiative_id, _, _ in on_ballot])
    base_url = settings.base_url.rstrip("/")
    for initiative_id, title, cost in on_ballot:
        subject, body = message(
            round_, initiative_id, title, cost=cost, granted=granted.get(initiative_id, 0), base_url=base_url
        )
        for address in addresses.get(initiative_id, []):
            mail = compose(sender=settings.smtp_sender, to=address, subject=subject, body=body)
            await send_or_warn(mailer, mail, f"the decision of round {round_id}")


def message(
    round_: Round, initiative_id: int, title: str, *, cost: int, granted: int, base_url: str
) -> tuple[str, str]:
    """The subject and text (in Dutch) for one initiative's initiators."""
    locale = DEFAULT_LOCALE
    names = {"round": round_.name, "title": title, "amount": money(max(granted, 0), locale)}
    result_link = f"{base_url}/rondes/{round_.id}/uitslag"
    decided = outcome(granted, cost)
    if decided == GRANTED:
        body = gettext("The round '{round}' grants '{title}' {amount}. See the result: {link}", locale)
        return gettext("Your initiative is granted", locale), body.format(**names, link=result_link)
    if decided == PARTLY:
        body = gettext(
            "The round '{round}' grants '{title}' {amount} of the {asked} asked: the cost lines you marked "
            "as essential. Accept or decline it here: {link}",
            locale,
        )
        link = f"{base_url}/initiatieven/{initiative_id}/toekenning"
        text = body.format(**names, asked=money(cost, locale), link=link)
        return gettext("Your initiative is partly granted: please answer", locale), text
    body = gettext("The round '{round}' did not grant '{title}'. The result page says why: {link}", locale)
    return gettext("Your initiative is not granted this time", locale), body.format(**names, link=result_link)


async def _initiators(session: AsyncSession, initiative_ids: Sequence[int]) -> dict[int, list[str]]:
    rows = await session.execute(
        select(Initiator.initiative_id, Person.email)
        .join(Person, Person.id == Initiator.person_id)
        .where(Initiator.initiative_id.in_(initiative_ids), Initiator.status == "active")
        .order_by(Initiator.initiative_id, Person.email)
    )
    addresses: dict[int, list[str]] = {}
    for initiative_id, email in rows:
        addresses.setdefault(initiative_id, []).append(email)
    return addresses
