"""Inviting a co-initiator from the form: the service records it, and the invitee gets an e-mail."""

from pydantic import ValidationError

from api.auth.schemas import SignInRequest
from buurtbudget.errors import InvalidInput
from buurtbudget.i18n import gettext
from buurtbudget.initiatives.models import Initiative
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.notifications.mailer import Mailer, compose
from buurtbudget.people.roles import Actor
from buurtbudget.settings import Settings


async def invite(
    service: InitiativeService,
    actor: Actor,
    initiative: Initiative,
    email: str,
    mailer: Mailer,
    settings: Settings,
    locale: str,
) -> None:
    """Add `email` as an invited co-initiator and tell them where to accept."""
    try:
        address = SignInRequest(email=email.strip()).email
    except ValidationError:
        raise InvalidInput("Fill in a valid e-mail address, like naam@voorbeeld.nl.", field="email") from None
    title = initiative.title
    await service.invite_co_initiator(actor, initiative.id, address)
    link = f"{settings.base_url.rstrip('/')}/inloggen?volgende=/initiatieven/{initiative.id}"
    body = gettext(
        "You are invited to join the initiative '{title}'. Sign in with this link to say yes: {link}", locale
    ).format(title=title, link=link)
    await mailer.send(
        compose(
            sender=settings.smtp_sender,
            to=address,
            subject=gettext("You are invited to join an initiative", locale),
            body=body,
        )
    )
