"""E-mail to the initiators when a round is decided: what their initiative got, and what comes next."""

import logging
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.formatting import money
from buurtbudget.i18n import DEFAULT_LOCALE, gettext
from buurtbudget.initiatives.models import Initiator
from buurtbudget.jury.export import GRANTED, PARTLY, ClosedRound, ResultRow, load_closed_round, result_rows
from buurtbudget.notifications.errors import MailUnavailable
from buurtbudget.notifications.mailer import Mailer, compose
from buurtbudget.people.models import Person
from buurtbudget.settings import Settings

logger = logging.getLogger(__name__)


async def tell_initiators(session: AsyncSession, mailer: Mailer, settings: Settings, round_id: int) -> None:
    """Mail every active initiator of each initiative on the closed round's ballot (in Dutch, the
    interface's first language: no language is stored per person); a failed mail changes nothing."""
    closed = await load_closed_round(session, round_id)
    rows = result_rows(closed)
    addresses = await _initiators(session, [row.initiative_id for row in rows])
    for row in rows:
        subject, body = message(closed, row, settings.base_url.rstrip("/"), DEFAULT_LOCALE)
        for address in addresses.get(row.initiative_id, []):
            mail = compose(sender=settings.smtp_sender, to=address, subject=subject, body=body)
            try:
                await mailer.send(mail)
            except MailUnavailable:
                logger.warning("could not mail %s about the decision of round %d", address, round_id)


def message(closed: ClosedRound, row: ResultRow, base_url: str, locale: str) -> tuple[str, str]:
    """The subject and text for one initiative's initiators."""
    names = {"round": closed.name, "title": row.title, "amount": money(row.granted_cents, locale)}
    result_link = f"{base_url}/rondes/{closed.round_id}/uitslag"
    if row.outcome == GRANTED:
        body = gettext("The round '{round}' grants '{title}' {amount}. See the result: {link}", locale)
        return gettext("Your initiative is granted", locale), body.format(**names, link=result_link)
    if row.outcome == PARTLY:
        body = gettext(
            "The round '{round}' grants '{title}' {amount} of the {asked} asked: the cost lines you marked "
            "as essential. Accept or decline it here: {link}",
            locale,
        )
        link = f"{base_url}/initiatieven/{row.initiative_id}/toekenning"
        text = body.format(**names, asked=money(row.cost_cents, locale), link=link)
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
