"""What the initiative form pages share: the sign-in redirect, the draft an editor may change, its values."""

from datetime import UTC
from typing import Any
from urllib.parse import urlencode

from litestar import Request
from litestar.response import Redirect
from litestar.status_codes import HTTP_303_SEE_OTHER

from api.dependencies import session_person_id
from buurtbudget.initiatives import lifecycle
from buurtbudget.initiatives.errors import NotAnOwner
from buurtbudget.initiatives.lifecycle import State
from buurtbudget.initiatives.models import Initiative
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.people.roles import Actor
from buurtbudget.workdays import AMSTERDAM


def see_other(path: str, **query: str) -> Redirect:
    """Post, then redirect: the browser's back button and reload never post twice."""
    return Redirect(f"{path}?{urlencode(query)}" if query else path, status_code=HTTP_303_SEE_OTHER)


def sign_in_first(request: Request[Any, Any, Any]) -> Redirect | None:
    """A redirect to the sign-in page (coming back here afterwards) for anonymous visitors."""
    if session_person_id(request) is not None:
        return None
    back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return see_other("/inloggen", volgende=back)


async def editable_draft(service: InitiativeService, actor: Actor, initiative_id: int) -> Initiative:
    """The initiative, if the actor is one of its residents (or their broker); drafts only are changed."""
    initiative = await service.get(actor, initiative_id)
    is_initiator = initiative.initiator_of(actor.person_id) is not None
    if not is_initiator and not await service.supports(actor, initiative):
        raise NotAnOwner("only the initiative's residents (or their broker) change it")
    return initiative


def is_draft(initiative: Initiative) -> bool:
    return lifecycle.is_editable(State(initiative.state))


def amount_text(cents: int, locale: str) -> str:
    """Cents as a person types euros: `1250,50` in Dutch, `1250.50` in English."""
    separator = "," if locale == "nl" else "."
    return f"{cents // 100}{separator}{cents % 100:02d}"


def values_of(initiative: Initiative, locale: str) -> dict[str, str]:
    """The draft as the form's field values."""
    values = {"title": initiative.title, "summary": initiative.summary}
    for row, line in enumerate(initiative.cost_lines):
        values[f"cost_lines.{row}.description"] = line.description
        values[f"cost_lines.{row}.amount"] = amount_text(line.amount_cents, locale)
        if not line.essential:
            values[f"cost_lines.{row}.optional"] = "ja"
    for row, need in enumerate(initiative.volunteer_needs):
        values[f"volunteer_needs.{row}.skill"] = need.skill
        values[f"volunteer_needs.{row}.hours"] = str(need.hours)
    if initiative.space_needs:
        space = initiative.space_needs[0]
        starts = space.starts_at.replace(tzinfo=space.starts_at.tzinfo or UTC).astimezone(AMSTERDAM)
        ends = space.ends_at.replace(tzinfo=space.ends_at.tzinfo or UTC).astimezone(AMSTERDAM)
        values |= {
            "space.description": space.description,
            "space.capacity": str(space.capacity),
            "space.date": starts.date().isoformat(),
            "space.start": starts.strftime("%H:%M"),
            "space.end": ends.strftime("%H:%M"),
        }
    return values
