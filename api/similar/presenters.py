"""Turning the service's findings into what the API returns and the pages show."""

from api.similar.schemas import ReasonOut, SimilarInitiativeOut
from buurtbudget.initiatives.lifecycle import State
from buurtbudget.similar.service import Found
from buurtbudget.similar.texts import place, reason_text


def found_out(found: Found, locale: str, own_municipality: str | None = None) -> SimilarInitiativeOut:
    card = found.card
    return SimilarInitiativeOut(
        id=card.id,
        title=card.title,
        neighbourhood_id=card.neighbourhood_id,
        neighbourhood=card.neighbourhood,
        municipality=card.municipality,
        place=place(card, own_municipality),
        state=State(card.state),
        granted_cents=card.granted_cents,
        year=card.year,
        score=round(found.score, 4),
        likely_duplicate=found.likely_duplicate,
        contact_possible=card.contact_consent,
        reasons=[
            ReasonOut(code=r.code, text=reason_text(r, card, locale, own_municipality)) for r in found.reasons
        ],
    )


def many_out(
    found: list[Found], locale: str, own_municipality: str | None = None
) -> list[SimilarInitiativeOut]:
    return [found_out(f, locale, own_municipality) for f in found]
