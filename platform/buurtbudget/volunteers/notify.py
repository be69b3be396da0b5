"""Mails to the two sides of a volunteer match (an offer, an invitation, an agreement), in their language."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.events import subscribe
from buurtbudget.i18n import gettext
from buurtbudget.initiatives.models import Initiative
from buurtbudget.notifications.outgoing import SITE, mail_language, queue_mail
from buurtbudget.people.models import Person
from buurtbudget.people.names import shown_name
from buurtbudget.volunteers.events import MatchAgreed, MatchProposed
from buurtbudget.volunteers.models import VolunteerMatch, VolunteerProfile


async def _parties(session: AsyncSession, match_id: int) -> tuple[Initiative, Person, list[Person]]:
    match = await session.get(VolunteerMatch, match_id)
    if match is None:
        raise LookupError(f"volunteer match {match_id} is gone")
    initiative = await session.get(Initiative, match.initiative_id)
    profile = await session.get(VolunteerProfile, match.profile_id)
    if initiative is None or profile is None:
        raise LookupError("the match's initiative or profile is gone")
    owners = [i.person_id for i in initiative.initiators if i.status == "active"]
    rows = await session.execute(select(Person).where(Person.id.in_({profile.person_id, *owners})))
    people = {p.id: p for p in rows.scalars()}
    return initiative, people[profile.person_id], [people[o] for o in owners if o in people]


@subscribe(MatchProposed)
async def tell_the_other_side(session: AsyncSession, event: MatchProposed) -> None:
    """An offer goes to the initiative's residents (no name yet); an invitation to the volunteer."""
    initiative, volunteer, owners = await _parties(session, event.match_id)
    if event.offering:
        for owner in owners:
            locale = mail_language(owner.locale)
            text = gettext(
                "A volunteer offers to help with '{title}'. See what they can do and answer: {link}", locale
            ).format(title=initiative.title, link=f"{SITE}/initiatieven/{initiative.id}/vrijwilligers")
            await queue_mail(
                session, to=owner.email, subject=gettext("A volunteer offers help", locale), body=text
            )
        return
    locale = mail_language(volunteer.locale)
    text = gettext(
        "The initiative '{title}' would like your help. Say yes or no here: {link}", locale
    ).format(title=initiative.title, link=f"{SITE}/vrijwilligers")
    await queue_mail(session, to=volunteer.email, subject=gettext("You are asked to help", locale), body=text)


@subscribe(MatchAgreed)
async def share_contacts(session: AsyncSession, event: MatchAgreed) -> None:
    """Both sides said yes: each gets the other's name and e-mail address."""
    initiative, volunteer, owners = await _parties(session, event.match_id)
    locale = mail_language(volunteer.locale)
    contacts = ", ".join(f"{shown_name(o.display_name, locale)} <{o.email}>" for o in owners)
    await queue_mail(
        session,
        to=volunteer.email,
        subject=gettext("You agreed to work together", locale),
        body=gettext(
            "You will help with '{title}'. You can contact the initiators: {contacts}", locale
        ).format(title=initiative.title, contacts=contacts),
    )
    for owner in owners:
        locale = mail_language(owner.locale)
        await queue_mail(
            session,
            to=owner.email,
            subject=gettext("You agreed to work together", locale),
            body=gettext("{name} will help with '{title}'. Their e-mail address: {email}", locale).format(
                name=shown_name(volunteer.display_name, locale), title=initiative.title, email=volunteer.email
            ),
        )
