"""Recusal at every moment: a conflict found at a cast, when it arises, or at the tally, never counts.

A juror (or reserve) is recused from an initiative on an open round's ballot when they are one of its
initiators, an agreed volunteer for it, or declare a conflict. When such a role arises after the draw
(a juror joins the initiative as co-initiator, or agrees to volunteer for it), the juror is recused at
once rather than refused: joining stays possible, the juror's marks on that initiative are removed
from their ballot, and the removal is audited (`round.recused`). The tally reads ballots without any
recused mark, so a recusal recorded late still never counts.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.service import record
from buurtbudget.db.transaction import record_event
from buurtbudget.initiatives.models import Initiator
from buurtbudget.jury.events import JurorRecused
from buurtbudget.jury.models import CastBallot, Juror, Recusal, Round, RoundInitiative
from buurtbudget.volunteers.models import VolunteerMatch, VolunteerProfile

INITIATOR, VOLUNTEER, DECLARED = "initiator", "volunteer", "declared"


@dataclass(frozen=True, slots=True)
class Recused:
    """A recusal just recorded: who, from what, why, and whether marks were taken off their ballot."""

    round_id: int
    person_id: int
    initiative_id: int
    reason: str
    marks_removed: bool


async def recuse(
    session: AsyncSession,
    round_id: int,
    person_id: int,
    initiative_id: int,
    *,
    reason: str,
    actor_id: int | None,
    tell: bool = True,
) -> Recused | None:
    """Recuse the person from the initiative in the round, in the caller's transaction; None if already.

    The juror's stored mark on that initiative is removed, the recusal audited, and (`tell`) the juror
    mailed through the outbox when the transaction commits.
    """
    if await session.get(Recusal, (round_id, person_id, initiative_id)) is not None:
        return None
    session.add(Recusal(round_id=round_id, person_id=person_id, initiative_id=initiative_id, reason=reason))
    ballot = (
        await session.execute(
            select(CastBallot)
            .where(CastBallot.round_id == round_id, CastBallot.voter_id == person_id)
            .with_for_update()
        )
    ).scalar_one_or_none()
    removed = ballot is not None and bool(ballot.marks.get(str(initiative_id)))
    if ballot is not None and str(initiative_id) in ballot.marks:
        ballot.marks = {k: v for k, v in ballot.marks.items() if k != str(initiative_id)}
    await record(
        session,
        actor_id=actor_id,
        action="round.recused",
        subject_type="round",
        subject_id=round_id,
        data={
            "person_id": person_id,
            "initiative_id": initiative_id,
            "reason": reason,
            "marks_removed": removed,
        },
    )
    if tell:
        record_event(session, JurorRecused(round_id, person_id, initiative_id, reason, removed))
    return Recused(round_id, person_id, initiative_id, reason, removed)


async def recuse_for_role(
    session: AsyncSession, person_id: int, initiative_id: int, reason: str, actor_id: int | None
) -> list[Recused]:
    """The person took a role in the initiative (initiator, volunteer): recused in every open round
    that has it on the ballot and where they hold a seat. Runs in the caller's transaction."""
    round_ids = list(
        (
            await session.execute(
                select(Juror.round_id)
                .join(RoundInitiative, RoundInitiative.round_id == Juror.round_id)
                .where(RoundInitiative.open_initiative_id == initiative_id, Juror.person_id == person_id)
                .order_by(Juror.round_id)
            )
        ).scalars()
    )
    done = []
    for round_id in round_ids:
        # The round's lock: a ballot being cast in it waits, then sees the recusal.
        await session.execute(select(Round.id).where(Round.id == round_id).with_for_update())
        if (
            found := await recuse(
                session, round_id, person_id, initiative_id, reason=reason, actor_id=actor_id
            )
        ) is not None:
            done.append(found)
    return done


async def roles_on_ballot(
    session: AsyncSession, round_id: int, person_ids: Iterable[int]
) -> dict[tuple[int, int], str]:
    """(person, initiative) -> reason, for everyone of `person_ids` who now (co-)owns an initiative on
    the round's ballot or volunteers for it."""
    people = list(person_ids)
    if not people:
        return {}
    on_ballot = select(RoundInitiative.initiative_id).where(RoundInitiative.round_id == round_id)
    owners = await session.execute(
        select(Initiator.person_id, Initiator.initiative_id).where(
            Initiator.initiative_id.in_(on_ballot), Initiator.person_id.in_(people)
        )
    )
    helpers = await session.execute(
        select(VolunteerProfile.person_id, VolunteerMatch.initiative_id)
        .join(VolunteerMatch, VolunteerMatch.profile_id == VolunteerProfile.id)
        .where(
            VolunteerMatch.status == "agreed",
            VolunteerMatch.initiative_id.in_(on_ballot),
            VolunteerProfile.person_id.in_(people),
        )
    )
    reasons = dict.fromkeys([(int(p), int(i)) for p, i in helpers], VOLUNTEER)
    reasons |= dict.fromkeys([(int(p), int(i)) for p, i in owners], INITIATOR)
    return reasons


async def recuse_seated(session: AsyncSession, round_id: int, actor_id: int | None) -> list[Recused]:
    """Every seated juror and reserve with a role in an initiative on the ballot, recused now (at the
    draw, and again at the tally for roles that arose unseen; nobody is mailed: at the draw the page
    shows it, at the tally the result does). Runs in the caller's transaction."""
    seated = (await session.execute(select(Juror.person_id).where(Juror.round_id == round_id))).scalars()
    roles = await roles_on_ballot(session, round_id, seated)
    done = []
    for (person_id, initiative_id), reason in sorted(roles.items()):
        if (
            found := await recuse(
                session, round_id, person_id, initiative_id, reason=reason, actor_id=actor_id, tell=False
            )
        ) is not None:
            done.append(found)
    return done


async def recused_counts(session: AsyncSession, round_id: int) -> dict[int, int]:
    """How many members of the jury are recused from each initiative on the ballot."""
    rows = await session.execute(
        select(Recusal.initiative_id, Recusal.person_id)
        .join(Juror, (Juror.round_id == Recusal.round_id) & (Juror.person_id == Recusal.person_id))
        .where(Recusal.round_id == round_id, Juror.seat == "juror")
    )
    counts: dict[int, int] = {}
    for initiative_id, _person in rows:
        counts[initiative_id] = counts.get(initiative_id, 0) + 1
    return counts
