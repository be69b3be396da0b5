"""The committed jury draw: freeze the pool and quotas with the hash of a secret seed, reveal it at the draw.

Freezing stores a pseudonymised snapshot of the eligible volunteers with their attributes as they
are at that moment, the seats, reserves and quotas, and the SHA-256 of a secret seed; from
then on the hash is public and nothing can change the pool. The seed is shown nowhere until the
draw, which uses only the frozen pool and quotas and publishes the seed; anyone then recomputes
the draw (`verify`) from the published pool, quotas and seed.
"""

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit import keys
from buurtbudget.db.base import utcnow
from buurtbudget.db.transaction import record_event
from buurtbudget.errors import Conflict
from buurtbudget.jury.events import JuryDrawn
from buurtbudget.jury.models import Juror, JuryDraw, JuryPoolMember, JuryVolunteer, Round
from buurtbudget.jury.sortition import Candidate, Draw, DrawImpossible, Quota, draw, eligible
from buurtbudget.people.verification_models import Verification as Residency

PSEUDONYM_BYTES = 5


def seed_hash(seed: str) -> str:
    """The published commitment to a seed: SHA-256 of its text, in hex."""
    return hashlib.sha256(seed.encode()).hexdigest()


def secret_seed(nonce: str) -> str:
    """The seed committed to at the freeze: an HMAC of the stored nonce with the audit key, which lives
    outside the database, so nobody who reads the database before the draw can predict it."""
    return keys.current().seal(f"jury draw seed:{nonce}")


@dataclass(frozen=True, slots=True)
class PublishedDraw:
    """Everything public of a round's draw; `seed`, `jurors` and `reserves_drawn` only once drawn."""

    round_id: int
    seats: int
    reserves: int
    quotas: tuple[Quota, ...]
    seed_hash: str
    frozen_at: datetime
    pool: tuple[Candidate, ...]  # pseudonyms and frozen attributes, by pseudonym
    seed: str | None = None
    drawn_at: datetime | None = None
    jurors: tuple[str, ...] = ()
    reserves_drawn: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Verification:
    """The recomputed draw against the published one."""

    hash_matches: bool
    draw_matches: bool
    jurors: tuple[str, ...]
    reserves: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.hash_matches and self.draw_matches


def verify(published: PublishedDraw) -> Verification:
    """Recompute the draw from the published pool, quotas and the revealed seed (pure)."""
    if published.seed is None:
        return Verification(False, False, (), ())
    try:
        redone = draw(published.pool, published.seats, published.seed, published.quotas, published.reserves)
    except DrawImpossible:
        return Verification(seed_hash(published.seed) == published.seed_hash, False, (), ())
    return Verification(
        hash_matches=seed_hash(published.seed) == published.seed_hash,
        draw_matches=(redone.jurors, redone.reserves) == (published.jurors, published.reserves_drawn),
        jurors=redone.jurors,
        reserves=redone.reserves,
    )


def quotas_json(quotas: Sequence[Quota]) -> list[dict[str, object]]:
    return [
        {"category": q.category, "value": q.value, "minimum": q.minimum, "maximum": q.maximum} for q in quotas
    ]


def quotas_of(stored: Sequence[dict[str, object]]) -> tuple[Quota, ...]:
    return tuple(
        Quota(
            str(q["category"]),
            str(q["value"]),
            int(str(q.get("minimum") or 0)),
            None if q.get("maximum") is None else int(str(q["maximum"])),
        )
        for q in stored
    )


async def freeze(
    session: AsyncSession,
    round_: Round,
    neighbourhood_id: int,
    *,
    seats: int,
    quotas: Sequence[Quota],
    reserves: int,
    today: date,
    cooldown: timedelta,
) -> PublishedDraw:
    """Freeze the eligible pool, seats and quotas with the hash of a new secret seed (in the caller's
    transaction)."""
    if await session.get(JuryDraw, round_.id) is not None:
        raise Conflict("this round's pool has been frozen already", field="round_id")
    volunteers = (
        await session.execute(
            select(JuryVolunteer)
            .where(
                JuryVolunteer.neighbourhood_id == neighbourhood_id,
                # Only residents still verified there: a volunteer who moved away is not drawn.
                exists().where(
                    Residency.person_id == JuryVolunteer.person_id,
                    Residency.neighbourhood_id == neighbourhood_id,
                    Residency.ended_at.is_(None),
                    Residency.expires_at > utcnow(),
                ),
            )
            .order_by(JuryVolunteer.id)
        )
    ).scalars()
    pool = eligible(
        [Candidate(str(v.person_id), dict(v.attributes), v.last_served_on) for v in volunteers],
        today,
        cooldown,
    )
    pseudonyms: list[str] = []  # random, so nothing of a volunteer's id or sign-up order shows
    while len(pseudonyms) < len(pool):
        if (name := secrets.token_hex(PSEUDONYM_BYTES)) not in pseudonyms:
            pseudonyms.append(name)
    members = [
        Candidate(name, candidate.attributes) for name, candidate in zip(pseudonyms, pool, strict=True)
    ]
    # Quotas this pool cannot meet are refused now rather than at the draw: tried with a throw-away seed
    # (whether quotas can be met seldom depends on the order; if the real draw still fails, the
    # municipality cancels the round). DrawImpossible is a 422 naming the field.
    draw(members, seats, secrets.token_hex(16), quotas, reserves)
    nonce = secrets.token_hex(32)
    frozen = JuryDraw(
        round_id=round_.id,
        seats=seats,
        reserves=reserves,
        quotas=quotas_json(quotas),
        seed_hash=seed_hash(secret_seed(nonce)),
        seed_nonce=nonce,
        seed=None,
        frozen_at=utcnow(),
    )
    session.add(frozen)
    session.add_all(
        JuryPoolMember(
            round_id=round_.id,
            pseudonym=member.id,
            person_id=int(candidate.id),
            attributes=dict(member.attributes),
        )
        for member, candidate in zip(members, pool, strict=True)
    )
    await session.flush()
    public = await published(session, round_.id, reveal=False)
    assert public is not None  # noqa: S101  (just stored)
    return public


async def published(session: AsyncSession, round_id: int, *, reveal: bool = True) -> PublishedDraw | None:
    """The round's draw as anyone may see it; the seed only once the draw has revealed it."""
    frozen = await session.get(JuryDraw, round_id)
    if frozen is None:
        return None
    members = (
        await session.execute(
            select(JuryPoolMember.pseudonym, JuryPoolMember.attributes)
            .where(JuryPoolMember.round_id == round_id)
            .order_by(JuryPoolMember.pseudonym)
        )
    ).all()
    drawn = frozen.drawn_at is not None
    return PublishedDraw(
        round_id=round_id,
        seats=frozen.seats,
        reserves=frozen.reserves,
        quotas=quotas_of(frozen.quotas),
        seed_hash=frozen.seed_hash,
        frozen_at=frozen.frozen_at,
        pool=tuple(Candidate(pseudonym, dict(attributes)) for pseudonym, attributes in members),
        seed=frozen.seed if drawn and reveal else None,
        drawn_at=frozen.drawn_at,
        jurors=tuple(frozen.jurors or ()),
        reserves_drawn=tuple(frozen.reserves_drawn or ()),
    )


async def reveal_and_draw(session: AsyncSession, round_: Round) -> tuple[Draw, dict[str, int]]:
    """Draw from the frozen pool with the committed seed, seat the jurors and reserves, reveal the seed.

    Returns the draw in pseudonyms and each pseudonym's person. Runs in the caller's transaction.
    """
    frozen = (
        await session.execute(select(JuryDraw).where(JuryDraw.round_id == round_.id).with_for_update())
    ).scalar_one_or_none()
    if frozen is None:
        raise Conflict("freeze the pool before the draw", field="round_id")
    if frozen.drawn_at is not None:
        raise Conflict("this round's jury has been drawn already", field="round_id")
    public = await published(session, round_.id, reveal=False)
    assert public is not None  # noqa: S101  (frozen above)
    seed = secret_seed(frozen.seed_nonce)
    if seed_hash(seed) != frozen.seed_hash:  # the audit key was changed since the freeze
        raise Conflict("the key the draw was committed with has changed; cancel this round", field="round_id")
    result = draw(public.pool, frozen.seats, seed, public.quotas, frozen.reserves)
    people = dict(
        (
            await session.execute(
                select(JuryPoolMember.pseudonym, JuryPoolMember.person_id).where(
                    JuryPoolMember.round_id == round_.id
                )
            )
        )
        .tuples()
        .all()
    )
    session.add_all(Juror(round_id=round_.id, person_id=people[p], seat="juror") for p in result.jurors)
    session.add_all(Juror(round_id=round_.id, person_id=people[p], seat="reserve") for p in result.reserves)
    frozen.seed = seed  # revealed
    frozen.drawn_at = utcnow()
    frozen.jurors = list(result.jurors)
    frozen.reserves_drawn = list(result.reserves)
    await session.flush()
    seated = JuryDrawn(
        round_.id, tuple(people[p] for p in result.jurors), tuple(people[p] for p in result.reserves)
    )
    record_event(session, seated)  # each drawn resident hears their seat
    return result, people
