"""Letter-code batches: issue one for a neighbourhood's addresses, read it back to print, redeem a code.

Part of `VerificationService`. Wrong codes are counted per person; after `MAX_FAILURES` within an
hour nobody guesses further until the hour has passed. A code works once, and not after its batch
has expired.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.service import record
from buurtbudget.csv_export import csv_text
from buurtbudget.db.base import utcnow
from buurtbudget.db.transaction import transaction
from buurtbudget.errors import InvalidInput, NotAllowed, NotFound
from buurtbudget.i18n import N_
from buurtbudget.people import letter_codes
from buurtbudget.people.letter_codes import Address
from buurtbudget.people.models import Person
from buurtbudget.people.roles import Actor
from buurtbudget.people.verification_errors import TooManyCodeAttempts
from buurtbudget.people.verification_models import (
    LETTER_CODE,
    CodeAttempt,
    LetterBatch,
    LetterCode,
    Verification,
)
from buurtbudget.places.models import Neighbourhood

BATCH_VALID_DAYS = 90
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(hours=1)
WRONG_CODE = N_("this code is not right: check it on the letter")


@dataclass(frozen=True, slots=True)
class Letter:
    address: Address
    code: str
    redeemed: bool


@dataclass(frozen=True, slots=True)
class PrintableBatch:
    batch: LetterBatch
    neighbourhood: Neighbourhood
    letters: list[Letter]

    def csv(self) -> str:
        """For the print shop: one line per letter."""
        return csv_text(
            ["straat", "huisnummer", "postcode", "plaats", "code", "geldig_tot"],
            [
                (
                    letter.address.street,
                    letter.address.house_number,
                    letter.address.postcode,
                    letter.address.city,
                    letter.code,
                    self.batch.expires_at.date().isoformat(),
                )
                for letter in self.letters
            ],
        )


class LetterBatches:
    """The letter-code half of `VerificationService`."""

    session: AsyncSession

    async def _staff_neighbourhood(self, actor: Actor, neighbourhood_id: int) -> Neighbourhood:
        from buurtbudget.people.verification import may_verify, neighbourhood_of  # noqa: PLC0415  (one service)

        neighbourhood = await neighbourhood_of(self.session, neighbourhood_id)
        if not may_verify(actor, neighbourhood):
            raise NotAllowed("only the neighbourhood's broker or the municipality verifies residents")
        return neighbourhood

    async def issue_batch(self, actor: Actor, neighbourhood_id: int, addresses: list[Address]) -> LetterBatch:
        """A batch of single-use codes, one per address (checked by `letter_codes.parse_addresses`)."""
        if not addresses:
            raise InvalidInput("the file has no addresses", field="addresses")
        async with transaction(self.session):
            neighbourhood = await self._staff_neighbourhood(actor, neighbourhood_id)
            now = utcnow()
            batch = LetterBatch(
                neighbourhood_id=neighbourhood.id,
                created_by_id=actor.person_id,
                created_at=now,
                expires_at=now + timedelta(days=BATCH_VALID_DAYS),
                nonce=secrets.token_hex(16),
                size=len(addresses),
            )
            self.session.add(batch)
            await self.session.flush()
            self.session.add_all(
                LetterCode(
                    batch_id=batch.id,
                    position=position,
                    street=address.street,
                    house_number=address.house_number,
                    postcode=address.postcode,
                    city=address.city,
                    code_hash=letter_codes.code_hash(
                        letter_codes.derive_code(batch.nonce, batch.id, position).replace("-", "")
                    ),
                )
                for position, address in enumerate(addresses, start=1)
            )
            await self.session.flush()
            await record(
                self.session,
                actor_id=actor.person_id,
                action="verification.letter_batch_issued",
                subject_type="neighbourhood",
                subject_id=neighbourhood.id,
                data={"batch_id": batch.id, "size": batch.size},
            )
        return batch

    async def batches(self, actor: Actor, neighbourhood_id: int) -> list[tuple[LetterBatch, int]]:
        """The neighbourhood's batches, newest first, with how many of their codes were used."""
        await self._staff_neighbourhood(actor, neighbourhood_id)
        used = func.count(LetterCode.redeemed_at)
        rows = await self.session.execute(
            select(LetterBatch, used)
            .outerjoin(LetterCode, LetterCode.batch_id == LetterBatch.id)
            .where(LetterBatch.neighbourhood_id == neighbourhood_id)
            .group_by(LetterBatch.id)
            .order_by(LetterBatch.created_at.desc(), LetterBatch.id.desc())
        )
        return [(batch, int(count)) for batch, count in rows.tuples()]

    async def printable(self, actor: Actor, batch_id: int) -> PrintableBatch:
        """The batch's letters with their codes, derived again (for the CSV and the PDF); audited."""
        batch = await self.session.get(LetterBatch, batch_id)
        if batch is None:
            raise NotFound("no such letter batch", batch_id=batch_id)
        try:
            neighbourhood = await self._staff_neighbourhood(actor, batch.neighbourhood_id)
        except NotAllowed:
            raise NotFound("no such letter batch", batch_id=batch_id) from None
        rows = await self.session.execute(
            select(LetterCode).where(LetterCode.batch_id == batch.id).order_by(LetterCode.position)
        )
        letters = [
            Letter(
                Address(row.street, row.house_number, row.postcode, row.city),
                letter_codes.derive_code(batch.nonce, batch.id, row.position),
                row.redeemed_at is not None,
            )
            for row in rows.scalars()
        ]
        async with transaction(self.session):
            await record(
                self.session,
                actor_id=actor.person_id,
                action="verification.letter_batch_downloaded",
                subject_type="neighbourhood",
                subject_id=neighbourhood.id,
                data={"batch_id": batch.id},
            )
        return PrintableBatch(batch, neighbourhood, letters)

    async def redeem(self, actor: Actor, code: str) -> Verification:
        """A resident types the code from their letter: verified in the batch's neighbourhood, once."""
        from buurtbudget.people.verification import neighbourhood_of, record_verification  # noqa: PLC0415

        if actor.person_id is None:
            raise NotAllowed("sign in first")
        refusal: str | None = None
        async with transaction(self.session):
            now = utcnow()
            failures = await self.session.scalar(
                select(func.count(CodeAttempt.id)).where(
                    CodeAttempt.person_id == actor.person_id, CodeAttempt.at > now - FAILURE_WINDOW
                )
            )
            if (failures or 0) >= MAX_FAILURES:
                raise TooManyCodeAttempts(N_("too many wrong codes: try again in an hour"))
            plain = letter_codes.normalise(code)
            found = None
            if plain is not None:
                found = (
                    await self.session.execute(
                        select(LetterCode, LetterBatch)
                        .join(LetterBatch, LetterBatch.id == LetterCode.batch_id)
                        .where(LetterCode.code_hash == letter_codes.code_hash(plain))
                    )
                ).one_or_none()
            if found is None:
                refusal = WRONG_CODE
            else:
                letter, batch = found
                if batch.expires_at <= now:
                    refusal = N_("this code has expired: ask your broker for a new one")
                else:
                    taken = await self.session.execute(
                        update(LetterCode)
                        .where(LetterCode.id == letter.id, LetterCode.redeemed_at.is_(None))
                        .values(redeemed_at=now, redeemed_by_id=actor.person_id)
                    )
                    if taken.rowcount != 1:  # type: ignore[attr-defined]
                        refusal = N_("this code has been used already")
            if refusal is not None:
                self.session.add(CodeAttempt(person_id=actor.person_id, at=now))
                await record(
                    self.session,
                    actor_id=actor.person_id,
                    action="verification.code_refused",
                    subject_type="person",
                    subject_id=actor.person_id,
                    data={"reason": refusal},
                )
            else:
                person = await self.session.get(Person, actor.person_id)
                if person is None:
                    raise NotFound("no such person", person_id=actor.person_id)
                neighbourhood = await neighbourhood_of(self.session, batch.neighbourhood_id)
                return await record_verification(
                    self.session, person, neighbourhood, LETTER_CODE, now=now, letter_batch_id=batch.id
                )
        raise InvalidInput(refusal, field="code")
