"""E-mail to the residents drawn for a round's jury: their seat, the voting period, the jury's page."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.formatting import moment
from buurtbudget.i18n import DEFAULT_LOCALE, gettext
from buurtbudget.jury.models import Round
from buurtbudget.jury.sortition import Draw
from buurtbudget.notifications.mailer import Mailer, compose, send_or_warn
from buurtbudget.people.models import Person
from buurtbudget.places.models import Neighbourhood
from buurtbudget.pots.models import Pot
from buurtbudget.settings import Settings


async def tell_drawn(
    session: AsyncSession, mailer: Mailer, settings: Settings, round_id: int, drawn: Draw
) -> None:
    """Mail each drawn juror and reserve (in Dutch, as other mails: no language is stored per person);
    a failed mail changes nothing of the draw, which the jury's page shows all the same."""
    round_, neighbourhood = (
        await session.execute(
            select(Round, Neighbourhood.name)
            .join(Pot, Pot.id == Round.pot_id)
            .join(Neighbourhood, Neighbourhood.id == Pot.neighbourhood_id)
            .where(Round.id == round_id)
        )
    ).one()
    seats = dict.fromkeys(map(int, drawn.jurors), "juror") | dict.fromkeys(
        map(int, drawn.reserves), "reserve"
    )
    emails = dict(
        (await session.execute(select(Person.id, Person.email).where(Person.id.in_(seats)))).tuples().all()
    )
    names = {
        "round": round_.name,
        "neighbourhood": neighbourhood,
        "opens": moment(round_.voting_opens_at, DEFAULT_LOCALE),
        "closes": moment(round_.voting_closes_at, DEFAULT_LOCALE),
        "link": f"{settings.base_url.rstrip('/')}/rondes/{round_id}/jury",
    }
    for person_id, seat in seats.items():
        subject, body = message(seat, DEFAULT_LOCALE)
        mail = compose(
            sender=settings.smtp_sender,
            to=emails[person_id],
            subject=subject.format(**names),
            body=body.format(**names),
        )
        await send_or_warn(mailer, mail, f"their seat in round {round_id}")


def message(seat: str, locale: str) -> tuple[str, str]:
    """The subject and text (with {round}, {neighbourhood}, {opens}, {closes}, {link}) for a seat."""
    if seat == "juror":
        return gettext("You are drawn for the jury of '{round}'", locale), gettext(
            "You have been drawn by lot for the jury of '{round}' in {neighbourhood}. Voting is open "
            "from {opens} until {closes}. On the jury's page you read the plans, the advice and the "
            "discussion, declare a conflict of interest and vote: {link}",
            locale,
        )
    return gettext("You are a reserve for the jury of '{round}'", locale), gettext(
        "You have been drawn by lot as a reserve for the jury of '{round}' in {neighbourhood}: if a "
        "seat becomes free, it is yours. You can already read along and declare a conflict of "
        "interest: {link}",
        locale,
    )
