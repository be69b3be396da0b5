"""Mails about a round, queued with its change: the drawn, the recused, a cancelled round, the decision."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.events import subscribe
from buurtbudget.formatting import moment, money
from buurtbudget.i18n import N_, gettext
from buurtbudget.initiatives.models import Initiative, Initiator
from buurtbudget.jury.events import JurorRecused, JuryDrawn, RoundCancelled, RoundDecided
from buurtbudget.jury.export import GRANTED, PARTLY, outcome
from buurtbudget.jury.models import Juror, Round, RoundInitiative
from buurtbudget.notifications.outgoing import SITE, languages_of, queue_mail
from buurtbudget.places.models import Neighbourhood
from buurtbudget.pots.models import Pot

RECUSAL_REASONS = {
    "initiator": N_("you are one of its initiators"),
    "volunteer": N_("you volunteer for it"),
    "declared": N_("you declared a conflict of interest"),
}


@subscribe(JurorRecused)
async def tell_the_recused_juror(session: AsyncSession, event: JurorRecused) -> None:
    """The juror hears from which initiative, why, and whether a vote of theirs was taken off."""
    title = await session.scalar(select(Initiative.title).where(Initiative.id == event.initiative_id))
    round_name = await session.scalar(select(Round.name).where(Round.id == event.round_id))
    for email, locale in (await languages_of(session, [event.person_id])).values():
        body = gettext(
            "In the round '{round}' you no longer vote on '{title}', because {reason}.", locale
        ).format(round=round_name, title=title, reason=gettext(RECUSAL_REASONS[event.reason], locale))
        if event.marks_removed:
            body += " " + gettext("The vote you gave it has been removed from your ballot.", locale)
        body += f" {SITE}/rondes/{event.round_id}/jury"
        subject = gettext("You no longer vote on '{title}'", locale).format(title=title)
        await queue_mail(session, to=email, subject=subject, body=body)


@subscribe(RoundCancelled)
async def tell_jurors_and_initiators(session: AsyncSession, event: RoundCancelled) -> None:
    """Everyone seated in the round and every active initiator on its ballot hears why it was cancelled."""
    round_ = await session.get(Round, event.round_id)
    if round_ is None:
        raise LookupError(f"round {event.round_id} is gone")
    seated = select(Juror.person_id).where(Juror.round_id == event.round_id)
    on_ballot = select(RoundInitiative.initiative_id).where(RoundInitiative.round_id == event.round_id)
    owners = select(Initiator.person_id).where(
        Initiator.initiative_id.in_(on_ballot), Initiator.status == "active"
    )
    people = set((await session.execute(seated)).scalars()) | set((await session.execute(owners)).scalars())
    for email, locale in sorted((await languages_of(session, sorted(people))).values()):
        subject = gettext("The round '{round}' is cancelled", locale).format(round=round_.name)
        body = gettext(
            "The municipality cancelled the round '{round}'. The reason: {reason}. Nothing was decided; "
            "the initiatives on its ballot stay ready for a next round. See: {link}",
            locale,
        ).format(round=round_.name, reason=round_.cancel_reason or "", link=f"{SITE}/rondes/{event.round_id}")
        await queue_mail(session, to=email, subject=subject, body=body)


@subscribe(JuryDrawn)
async def tell_the_drawn(session: AsyncSession, event: JuryDrawn) -> None:
    """Each drawn juror and reserve hears their seat, the voting period and the jury's page; residents who
    were not drawn get nothing."""
    round_, neighbourhood = (
        await session.execute(
            select(Round, Neighbourhood.name)
            .join(Pot, Pot.id == Round.pot_id)
            .join(Neighbourhood, Neighbourhood.id == Pot.neighbourhood_id)
            .where(Round.id == event.round_id)
        )
    ).one()
    seats = dict.fromkeys(event.jurors, "juror") | dict.fromkeys(event.reserves, "reserve")
    for person_id, (email, locale) in sorted((await languages_of(session, list(seats))).items()):
        names = {
            "round": round_.name,
            "neighbourhood": neighbourhood,
            "opens": moment(round_.voting_opens_at, locale),
            "closes": moment(round_.voting_closes_at, locale),
            "link": f"{SITE}/rondes/{round_.id}/jury",
        }
        subject, body = seat_message(seats[person_id], locale)
        await queue_mail(session, to=email, subject=subject.format(**names), body=body.format(**names))


def seat_message(seat: str, locale: str) -> tuple[str, str]:
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


@subscribe(RoundDecided)
async def tell_the_initiators_what_they_got(session: AsyncSession, event: RoundDecided) -> None:
    """Every active initiator of each initiative on the ballot hears what it got and what comes next.

    Only the result and the ballot's initiatives are read: the mails need no ballots."""
    round_ = await session.get(Round, event.round_id)
    if round_ is None or round_.result is None:
        raise LookupError(f"round {event.round_id} has no result")
    on_ballot = (
        await session.execute(
            select(RoundInitiative.initiative_id, Initiative.title, RoundInitiative.cost_cents)
            .join(Initiative, Initiative.id == RoundInitiative.initiative_id)
            .where(RoundInitiative.round_id == event.round_id)
            .order_by(RoundInitiative.initiative_id)
        )
    ).all()
    granted = round_.result.granted_cents({initiative_id: cost for initiative_id, _, cost in on_ballot})
    owners = await session.execute(
        select(Initiator.initiative_id, Initiator.person_id).where(
            Initiator.initiative_id.in_([initiative_id for initiative_id, _, _ in on_ballot]),
            Initiator.status == "active",
        )
    )
    owners_of: dict[int, list[int]] = {}
    for initiative_id, person_id in owners.tuples():
        owners_of.setdefault(initiative_id, []).append(person_id)
    people = await languages_of(session, [p for ids in owners_of.values() for p in ids])
    for initiative_id, title, cost in on_ballot:
        for person_id in sorted(owners_of.get(initiative_id, [])):
            if person_id not in people:
                continue
            email, locale = people[person_id]
            subject, body = decision_message(
                round_, initiative_id, title, cost=cost, granted=granted.get(initiative_id, 0), locale=locale
            )
            await queue_mail(session, to=email, subject=subject, body=body)


def decision_message(
    round_: Round, initiative_id: int, title: str, *, cost: int, granted: int, locale: str
) -> tuple[str, str]:
    """The subject and text for one initiative's initiators."""
    names = {"round": round_.name, "title": title, "amount": money(max(granted, 0), locale)}
    result_link = f"{SITE}/rondes/{round_.id}/uitslag"
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
        link = f"{SITE}/initiatieven/{initiative_id}/toekenning"
        text = body.format(**names, asked=money(cost, locale), link=link)
        return gettext("Your initiative is partly granted: please answer", locale), text
    body = gettext("The round '{round}' did not grant '{title}'. The result page says why: {link}", locale)
    return gettext("Your initiative is not granted this time", locale), body.format(**names, link=result_link)
