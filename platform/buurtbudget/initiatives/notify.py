"""Mails about an initiative's steps: its residents on every step, the brokers when a plan comes in."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.events import subscribe
from buurtbudget.i18n import N_, gettext
from buurtbudget.initiatives.events import CoInitiatorInvited, StepTaken
from buurtbudget.initiatives.lifecycle import Action, State
from buurtbudget.initiatives.models import Initiative
from buurtbudget.notifications.outgoing import SITE, languages_of, queue_mail
from buurtbudget.people.models import Person, RoleAssignment
from buurtbudget.people.names import shown_name
from buurtbudget.people.roles import Role

# The jury's decisions have their own mail (what the initiative got and why); no second one here.
JURY_DECISIONS = frozenset({Action.GRANT.value, Action.GRANT_PARTLY.value, Action.DECLINE.value})

STATE_NAMES = {
    State.DRAFT: N_("draft"),
    State.SUBMITTED: N_("sent in"),
    State.IN_REVIEW: N_("being reviewed by the broker"),
    State.READY_FOR_JURY: N_("ready for the jury"),
    State.GRANTED: N_("granted"),
    State.PARTLY_GRANTED: N_("partly granted"),
    State.DECLINED: N_("not granted"),
    State.RUNNING: N_("running"),
    State.REPORTED: N_("reported"),
    State.CLOSED: N_("closed"),
    State.WITHDRAWN: N_("withdrawn"),
}


def _path(initiative_id: int) -> str:
    return f"/initiatieven/{initiative_id}"


def _link(initiative_id: int) -> str:
    return f"{SITE}{_path(initiative_id)}"


async def _brokers_of(session: AsyncSession, neighbourhood_id: int) -> list[int]:
    rows = await session.scalars(
        select(RoleAssignment.person_id).where(
            RoleAssignment.role == Role.BROKER.value, RoleAssignment.neighbourhood_id == neighbourhood_id
        )
    )
    return sorted(set(rows))


@subscribe(StepTaken)
async def tell_about_step(session: AsyncSession, event: StepTaken) -> None:
    if event.action in JURY_DECISIONS:
        return
    initiative = await session.get(Initiative, event.initiative_id)
    if initiative is None:
        return
    owners = [i.person_id for i in initiative.initiators if i.status == "active"]
    for _person_id, (email, locale) in (await languages_of(session, owners)).items():
        state = gettext(STATE_NAMES[State(event.state)], locale)
        body = gettext(
            "Your initiative '{title}' is now: {state}.\n\nSee what happened, what comes next and who your "
            "contact is: {link}",
            locale,
        ).format(title=initiative.title, state=state, link=_link(initiative.id))
        subject = gettext("News about your initiative: {state}", locale).format(state=state)
        await queue_mail(session, to=email, subject=subject, body=body)
    if event.state == State.SUBMITTED.value:
        brokers = await _brokers_of(session, initiative.neighbourhood_id)
        for _person_id, (email, locale) in (await languages_of(session, brokers)).items():
            body = gettext(
                "Residents sent in the plan '{title}'. Please get in touch with them and start the review: "
                "{link}",
                locale,
            ).format(title=initiative.title, link=_link(initiative.id))
            await queue_mail(session, to=email, subject=gettext("A new plan was sent in", locale), body=body)


@subscribe(CoInitiatorInvited)
async def tell_invitee(session: AsyncSession, event: CoInitiatorInvited) -> None:
    initiative = await session.get(Initiative, event.initiative_id)
    inviter = await session.get(Person, event.inviter_id) if event.inviter_id is not None else None
    recipients = await languages_of(session, [event.invitee_id])
    if initiative is None or event.invitee_id not in recipients:
        return
    email, locale = recipients[event.invitee_id]
    name = shown_name(inviter.display_name if inviter is not None else None, locale)
    body = gettext(
        "{name} invites you to join the initiative '{title}' as a co-initiator. Sign in with this link to "
        "say yes: {link}",
        locale,
    ).format(name=name, title=initiative.title, link=f"{SITE}/inloggen?volgende={_path(initiative.id)}")
    subject = gettext("{name} invites you to join an initiative", locale).format(name=name)
    await queue_mail(session, to=email, subject=subject, body=body)
