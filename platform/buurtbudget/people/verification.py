"""VerificationService: residents verified per neighbourhood, by approval, letter code or identity provider.

A person is a resident of a neighbourhood (the RESIDENT grant of their actor, see `people.service`)
only while they hold an active verification there: not expired and not ended. Who verifies:
- approval: the neighbourhood's broker or an administrator of its municipality (a resident may ask);
- letter code: a single-use code from a printed batch for the neighbourhood's addresses (`letter_batches`);
- identity provider: the municipality's OpenID Connect provider; one identity verifies one person.
A verification lasts the municipality's `verification_days`; a reminder is mailed once before it ends
(`remind_expiring`). The resident ends it themself when they move; staff may end it with a reason.
"""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from buurtbudget.audit.service import record
from buurtbudget.db.base import utcnow
from buurtbudget.db.transaction import transaction
from buurtbudget.errors import Conflict, InvalidInput, NotAllowed, NotFound
from buurtbudget.people.letter_batches import LetterBatches
from buurtbudget.people.models import Person
from buurtbudget.people.roles import Actor
from buurtbudget.people.verification_models import (
    APPROVAL,
    OIDC,
    IdentityLink,
    Verification,
    VerificationRequest,
)
from buurtbudget.places.models import Municipality, Neighbourhood

DEFAULT_DAYS = 730
MIN_DAYS, MAX_DAYS = 30, 1826
MAX_NOTE = 500
MAX_REASON = 200


async def neighbourhood_of(session: AsyncSession, neighbourhood_id: int) -> Neighbourhood:
    neighbourhood = (
        await session.execute(
            select(Neighbourhood)
            .options(selectinload(Neighbourhood.municipality))
            .where(Neighbourhood.id == neighbourhood_id)
        )
    ).scalar_one_or_none()
    if neighbourhood is None:
        raise NotFound("no such neighbourhood", neighbourhood_id=neighbourhood_id)
    return neighbourhood


def may_verify(actor: Actor, neighbourhood: Neighbourhood) -> bool:
    """Who approves residents of a neighbourhood: its brokers and its municipality's administrators."""
    return actor.supports(neighbourhood.id, neighbourhood.municipality_id)


async def record_verification(
    session: AsyncSession,
    person: Person,
    neighbourhood: Neighbourhood,
    method: str,
    *,
    by: int | None = None,
    now: datetime | None = None,
    letter_batch_id: int | None = None,
    issuer: str | None = None,
    subject: str | None = None,
) -> Verification:
    """Verify `person` in `neighbourhood` for the municipality's period (in the caller's transaction).

    An active verification there is replaced (ended as renewed). Demo data and tests use this too."""
    moment = now or utcnow()
    days = await session.scalar(
        select(Municipality.verification_days).where(Municipality.id == neighbourhood.municipality_id)
    )
    earlier = await session.execute(
        select(Verification).where(
            Verification.person_id == person.id,
            Verification.neighbourhood_id == neighbourhood.id,
            Verification.ended_at.is_(None),
            Verification.expires_at > moment,
        )
    )
    for replaced in earlier.scalars():
        replaced.ended_at = moment
        replaced.end_reason = "renewed"
    verification = Verification(
        person_id=person.id,
        neighbourhood_id=neighbourhood.id,
        method=method,
        verified_at=moment,
        expires_at=moment + timedelta(days=days or DEFAULT_DAYS),
        verified_by_id=by,
        letter_batch_id=letter_batch_id,
        issuer=issuer,
        subject=subject,
    )
    session.add(verification)
    await session.flush()
    await session.refresh(person, ["verifications"])  # the person's actor sees it at once
    await record(
        session,
        actor_id=by if by is not None else person.id,
        action="verification.recorded",
        subject_type="person",
        subject_id=person.id,
        data={"neighbourhood_id": neighbourhood.id, "method": method, "verification_id": verification.id},
    )
    return verification


class VerificationService(LetterBatches):
    """Verifying residents, ending verifications, and reading who is verified where."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- reading -----------------------------------------------------------------------------------

    async def active(self, person_id: int) -> list[Verification]:
        """The person's verifications that count now."""
        now = utcnow()
        rows = await self.session.execute(
            select(Verification)
            .where(
                Verification.person_id == person_id,
                Verification.ended_at.is_(None),
                Verification.expires_at > now,
            )
            .order_by(Verification.verified_at)
        )
        return list(rows.scalars())

    async def history(self, person_id: int) -> list[Verification]:
        rows = await self.session.execute(
            select(Verification)
            .where(Verification.person_id == person_id)
            .order_by(Verification.verified_at.desc(), Verification.id.desc())
        )
        return list(rows.scalars())

    async def open_request(self, person_id: int, neighbourhood_id: int) -> VerificationRequest | None:
        return (
            await self.session.execute(
                select(VerificationRequest).where(
                    VerificationRequest.person_id == person_id,
                    VerificationRequest.neighbourhood_id == neighbourhood_id,
                    VerificationRequest.decided_at.is_(None),
                )
            )
        ).scalar_one_or_none()

    async def staff_overview(
        self, actor: Actor, neighbourhood_id: int
    ) -> tuple[Neighbourhood, list[tuple[VerificationRequest, Person]], list[tuple[Verification, Person]]]:
        """For the neighbourhood's staff: open requests for approval, and the active verifications."""
        neighbourhood = await neighbourhood_of(self.session, neighbourhood_id)
        if not may_verify(actor, neighbourhood):
            raise NotAllowed("only the neighbourhood's broker or the municipality verifies residents")
        requests = (
            await self.session.execute(
                select(VerificationRequest, Person)
                .join(Person, Person.id == VerificationRequest.person_id)
                .where(
                    VerificationRequest.neighbourhood_id == neighbourhood_id,
                    VerificationRequest.decided_at.is_(None),
                )
                .order_by(VerificationRequest.requested_at)
            )
        ).tuples()
        verified = (
            await self.session.execute(
                select(Verification, Person)
                .join(Person, Person.id == Verification.person_id)
                .where(
                    Verification.neighbourhood_id == neighbourhood_id,
                    Verification.ended_at.is_(None),
                    Verification.expires_at > utcnow(),
                )
                .order_by(Verification.expires_at)
                .limit(500)
            )
        ).tuples()
        return neighbourhood, list(requests), list(verified)

    async def endable(self, actor: Actor, verification_id: int) -> tuple[Verification, Neighbourhood, Person]:
        """A verification the actor may end, still counting: their own, or one where they verify residents."""
        verification = await self.session.get(Verification, verification_id)
        if verification is None or verification.ended_at is not None:
            raise NotFound("no such verification", verification_id=verification_id)
        neighbourhood = await neighbourhood_of(self.session, verification.neighbourhood_id)
        if verification.person_id != actor.person_id and not may_verify(actor, neighbourhood):
            raise NotFound("no such verification", verification_id=verification_id)
        person = await self.session.get(Person, verification.person_id)
        if person is None:
            raise NotFound("no such person", person_id=verification.person_id)
        return verification, neighbourhood, person

    # --- changes -----------------------------------------------------------------------------------

    async def request_approval(self, actor: Actor, neighbourhood_id: int, note: str) -> VerificationRequest:
        """A signed-in person asks the neighbourhood's broker or municipality to approve they live there."""
        if actor.person_id is None:
            raise NotAllowed("sign in first")
        note = note.strip()
        if len(note) > MAX_NOTE:
            raise InvalidInput("write at most 500 characters", field="note")
        async with transaction(self.session):
            neighbourhood = await neighbourhood_of(self.session, neighbourhood_id)
            existing = await self.open_request(actor.person_id, neighbourhood.id)
            if existing is not None:
                return existing
            request = VerificationRequest(
                person_id=actor.person_id, neighbourhood_id=neighbourhood.id, note=note
            )
            self.session.add(request)
            await self.session.flush()
            await record(
                self.session,
                actor_id=actor.person_id,
                action="verification.requested",
                subject_type="person",
                subject_id=actor.person_id,
                data={"neighbourhood_id": neighbourhood.id, "request_id": request.id},
            )
        return request

    async def approve(
        self, actor: Actor, person_id: int, neighbourhood_id: int, note: str = ""
    ) -> Verification:
        """The neighbourhood's broker or its municipality's administrator verifies a person by approval."""
        if len(note) > MAX_NOTE:
            raise InvalidInput("write at most 500 characters", field="note")
        async with transaction(self.session):
            neighbourhood = await neighbourhood_of(self.session, neighbourhood_id)
            if not may_verify(actor, neighbourhood):
                raise NotAllowed("only the neighbourhood's broker or the municipality verifies residents")
            person = await self.session.get(Person, person_id)
            if person is None:
                raise NotFound("no such person", person_id=person_id)
            verification = await record_verification(
                self.session, person, neighbourhood, APPROVAL, by=actor.person_id
            )
            open_request = await self.open_request(person_id, neighbourhood_id)
            if open_request is not None:
                open_request.decided_at = verification.verified_at
                open_request.decision = "approved"
                open_request.decided_by_id = actor.person_id
            if note.strip():
                await record(
                    self.session,
                    actor_id=actor.person_id,
                    action="verification.approval_note",
                    subject_type="person",
                    subject_id=person_id,
                    data={"verification_id": verification.id, "note": note.strip()},
                )
        return verification

    async def decline(self, actor: Actor, request_id: int) -> VerificationRequest:
        """Staff turn down a request for approval (the person may still verify by code)."""
        async with transaction(self.session):
            request = await self.session.get(VerificationRequest, request_id)
            if request is None or request.decided_at is not None:
                raise NotFound("no such request", request_id=request_id)
            neighbourhood = await neighbourhood_of(self.session, request.neighbourhood_id)
            if not may_verify(actor, neighbourhood):
                raise NotAllowed("only the neighbourhood's broker or the municipality verifies residents")
            request.decided_at = utcnow()
            request.decision = "declined"
            request.decided_by_id = actor.person_id
            await record(
                self.session,
                actor_id=actor.person_id,
                action="verification.declined",
                subject_type="person",
                subject_id=request.person_id,
                data={"request_id": request.id, "neighbourhood_id": request.neighbourhood_id},
            )
        return request

    async def end(self, actor: Actor, verification_id: int, reason: str) -> Verification:
        """End a verification: the resident themself ("I moved") or the neighbourhood's staff, with reason."""
        reason = reason.strip()
        if not 1 <= len(reason) <= MAX_REASON:
            raise InvalidInput("give a reason of at most 200 characters", field="reason")
        async with transaction(self.session):
            verification = await self.session.get(Verification, verification_id)
            if verification is None:
                raise NotFound("no such verification", verification_id=verification_id)
            neighbourhood = await neighbourhood_of(self.session, verification.neighbourhood_id)
            own = verification.person_id == actor.person_id
            if not own and not may_verify(actor, neighbourhood):
                raise NotFound("no such verification", verification_id=verification_id)
            if verification.ended_at is not None:
                raise Conflict("this verification has already ended")
            verification.ended_at = utcnow()
            verification.end_reason = reason
            await record(
                self.session,
                actor_id=actor.person_id,
                action="verification.ended",
                subject_type="person",
                subject_id=verification.person_id,
                data={"verification_id": verification.id, "reason": reason, "by_resident": own},
            )
        return verification

    async def set_validity(self, actor: Actor, municipality_id: int, days: int) -> Municipality:
        """The municipality's administrator sets how long a new verification counts (30 days to 5 years);
        verifications made earlier keep their end date."""
        if not MIN_DAYS <= days <= MAX_DAYS:
            raise InvalidInput("a verification counts 30 to 1826 days", field="days")
        async with transaction(self.session):
            municipality = await self.session.get(Municipality, municipality_id)
            if municipality is None:
                raise NotFound("no such municipality", municipality_id=municipality_id)
            if not actor.administers(municipality_id):
                raise NotAllowed("only the municipality's administrator sets how long a verification counts")
            municipality.verification_days = days
            await record(
                self.session,
                actor_id=actor.person_id,
                action="verification.validity_set",
                subject_type="municipality",
                subject_id=municipality_id,
                data={"days": days},
            )
        return municipality

    async def record_identity_provider(
        self, *, person_id: int, neighbourhood_id: int, issuer: str, subject: str
    ) -> Verification:
        """The municipality's identity provider vouched for the person: one identity verifies one person."""
        if not issuer or not subject or len(issuer) > 255 or len(subject) > 255:
            raise InvalidInput("the identity provider sent no usable identity", field="subject")
        try:
            async with transaction(self.session):
                neighbourhood = await neighbourhood_of(self.session, neighbourhood_id)
                person = await self.session.get(Person, person_id)
                if person is None:
                    raise NotFound("no such person", person_id=person_id)
                link = await self.session.get(IdentityLink, (issuer, subject))
                if link is None:
                    self.session.add(IdentityLink(issuer=issuer, subject=subject, person_id=person_id))
                    await self.session.flush()
                elif link.person_id != person_id:
                    raise Conflict("this identity already verifies another account", field="subject")
                return await record_verification(
                    self.session, person, neighbourhood, OIDC, issuer=issuer, subject=subject
                )
        except IntegrityError:  # another account took this identity at the same moment
            raise Conflict("this identity already verifies another account", field="subject") from None


async def ensure_verified(
    session: AsyncSession, person: Person, neighbourhood_id: int, *, by: int | None = None
) -> Verification:
    """An active verification of `person` in the neighbourhood, made by approval when there is none (in the
    caller's transaction). For set-up that must be repeatable: the demo, imports and tests."""
    existing = (
        await session.execute(
            select(Verification).where(
                Verification.person_id == person.id,
                Verification.neighbourhood_id == neighbourhood_id,
                Verification.ended_at.is_(None),
                Verification.expires_at > utcnow(),
            )
        )
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    neighbourhood = await session.get(Neighbourhood, neighbourhood_id)
    if neighbourhood is None:
        raise NotFound("no such neighbourhood", neighbourhood_id=neighbourhood_id)
    return await record_verification(session, person, neighbourhood, APPROVAL, by=by)
