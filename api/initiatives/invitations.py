"""Inviting a co-initiator from the form: the service records it and queues the invitee's e-mail."""

from pydantic import ValidationError

from api.auth.schemas import SignInRequest
from buurtbudget.errors import InvalidInput
from buurtbudget.initiatives.models import Initiative
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.people.roles import Actor


async def invite(service: InitiativeService, actor: Actor, initiative: Initiative, email: str) -> None:
    """Add `email` as an invited co-initiator; the mail says who invites and where to accept."""
    try:
        address = SignInRequest(email=email.strip()).email
    except ValidationError:
        raise InvalidInput("Fill in a valid e-mail address, like naam@voorbeeld.nl.", field="email") from None
    await service.invite_co_initiator(actor, initiative.id, address)
