"""Finding your neighbourhood by name or postcode: the front door of the site.

A postcode (`3552 AB`, `3552ab`) finds the neighbourhoods it lies in, a 4-digit area (`3552`) those of
the whole area. Anything else is a name: compared without accents, case or punctuation, tolerant of a
typo (rapidfuzz), and matched against the district too (`Nieuw-West` finds its neighbourhoods).
"""

from dataclasses import dataclass, field
from enum import StrEnum

from rapidfuzz import fuzz
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from buurtbudget.places import codes
from buurtbudget.places.models import Municipality, Neighbourhood, Postcode

NAME_CUTOFF = 87  # rapidfuzz WRatio: one typo in a name of six letters still scores about 90; a single
# shared word of a longer name (oud zuid ~ oud oost) about 85
DISTRICT_CUTOFF = 85  # the whole district, a typo allowed (nieuw west ~ nieuw-wets)
DISTRICT_PENALTY = 5  # a match on the district ranks below one on the name itself
MAX_HITS = 25
QUERY_MAX = 100


class Kind(StrEnum):
    NONE = "none"  # nothing asked
    POSTCODE = "postcode"
    AREA = "area"  # a postcode not in the table: the neighbourhoods of its 4-digit area
    NAME = "name"


@dataclass(frozen=True, slots=True)
class Finding:
    query: str
    kind: Kind
    postcode: str | None = None  # the postcode as understood: "3552 AB" or "3552"
    hits: list[Neighbourhood] = field(default_factory=list)


def shown_postcode(postcode: str) -> str:
    return f"{postcode[:4]} {postcode[4:]}" if len(postcode) == 6 else postcode


def name_score(query: str, neighbourhood: Neighbourhood) -> float:
    """How well a folded query fits the neighbourhood's name (or, ranked a little lower, its district);
    0 when it does not fit."""
    name = codes.folded(neighbourhood.name)
    district = codes.folded(neighbourhood.district or "")
    if len(query) < 3:  # too short to be tolerant: only the start of a word counts
        words = [*name.split(), *district.split()]
        return 100.0 if any(word.startswith(query) for word in words) else 0.0
    score = fuzz.WRatio(query, name)
    score = score if score >= NAME_CUTOFF else 0.0
    if district and (whole := fuzz.ratio(query, district)) >= DISTRICT_CUTOFF:
        score = max(score, whole - DISTRICT_PENALTY)
    return score


async def find(session: AsyncSession, text: str) -> Finding:
    query = " ".join(text.split())[:QUERY_MAX]
    if not query:
        return Finding(query, Kind.NONE)
    postcode = codes.postcode(query)
    base = select(Neighbourhood).options(selectinload(Neighbourhood.municipality)).join(Municipality)
    if postcode is not None:
        order = (Neighbourhood.name, Municipality.name)
        if len(postcode) == 6:
            matching = or_(Postcode.postcode == postcode, Postcode.postcode == postcode[:4])
        else:
            matching = Postcode.area == postcode
        exact = (
            await session.scalars(
                base.where(Neighbourhood.id.in_(select(Postcode.neighbourhood_id).where(matching))).order_by(
                    *order
                )
            )
        ).all()
        if exact or len(postcode) == 4:
            return Finding(query, Kind.POSTCODE, shown_postcode(postcode), list(exact))
        nearby = (
            await session.scalars(
                base.where(
                    Neighbourhood.id.in_(
                        select(Postcode.neighbourhood_id).where(Postcode.area == postcode[:4])
                    )
                ).order_by(*order)
            )
        ).all()
        return Finding(query, Kind.AREA, shown_postcode(postcode), list(nearby))
    folded = codes.folded(query)
    if not folded:
        return Finding(query, Kind.NAME)
    scored = [
        (score, neighbourhood)
        for neighbourhood in (await session.scalars(base)).all()
        if (score := name_score(folded, neighbourhood)) > 0
    ]
    scored.sort(key=lambda pair: (-pair[0], pair[1].municipality.name, pair[1].name, pair[1].district or ""))
    return Finding(query, Kind.NAME, hits=[neighbourhood for _score, neighbourhood in scored[:MAX_HITS]])


class Finder:
    """The finder as a service handlers are given."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, text: str) -> Finding:
        return await find(self.session, text)
