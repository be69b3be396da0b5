"""What the initiative page shows of similar initiatives elsewhere, and the viewer's own consent."""

from typing import Any

from api.similar.presenters import many_out
from buurtbudget.initiatives.models import Initiative
from buurtbudget.people.roles import Actor
from buurtbudget.similar.service import SimilarService


async def elsewhere_context(
    similar: SimilarService, actor: Actor, initiative: Initiative, locale: str
) -> dict[str, Any]:
    """`elsewhere`: similar initiatives in other neighbourhoods; `contact_consent`: None if no initiator."""
    found = await similar.for_initiative(actor, initiative.id)
    return {
        "elsewhere": many_out(found.elsewhere, locale, found.municipality),
        "contact_consent": similar.consent_of(actor, initiative),
    }
