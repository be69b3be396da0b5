"""Invitations: a mail saying which role someone was given for which place, with a sign-in link.

The link is an ordinary single-use sign-in token (see `sign_in`), valid for a week instead of minutes:
a new colleague may read the mail days later. It is queued in the outbox inside the caller's unit of
work, so nobody is invited to a role that did not commit.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.db.base import utcnow
from buurtbudget.i18n import N_, gettext
from buurtbudget.notifications.outgoing import SITE, mail_language, queue_mail
from buurtbudget.people.models import Person, SignInToken
from buurtbudget.people.roles import Role
from buurtbudget.people.sign_in import hash_token

INVITATION_DAYS = 7

# What a role is called for people (in lists, on pages and in the invitation).
ROLE_LABELS: dict[Role, str] = {
    Role.RESIDENT: N_("Resident"),
    Role.BROKER: N_("Social broker"),
    Role.JUROR: N_("Juror"),
    Role.ADVISOR: N_("Advisor to the jury"),
    Role.SPACE_OWNER: N_("Space owner"),
    Role.MUNICIPALITY_ADMIN: N_("Municipality administrator"),
    Role.PLATFORM_ADMIN: N_("Platform administrator"),
}


@dataclass(frozen=True, slots=True)
class RolePlace:
    """A role and where it holds: a neighbourhood of a municipality, a municipality, or the platform."""

    role: Role
    neighbourhood: str | None = None
    municipality: str | None = None

    def describe(self, locale: str) -> str:
        role = gettext(ROLE_LABELS[self.role], locale)
        if self.neighbourhood:
            place = f"{self.neighbourhood} ({self.municipality})" if self.municipality else self.neighbourhood
        elif self.municipality:
            place = gettext("the municipality {name}", locale).format(name=self.municipality)
        else:
            return role
        return gettext("{role} for {place}", locale).format(role=role, place=place)


async def queue_invitation(
    session: AsyncSession, person: Person, roles: list[RolePlace], locale: str
) -> None:
    """Mail `person` a fresh sign-in link and the roles they hold, in their language (else `locale`).

    Runs in the caller's unit of work.
    """
    language = mail_language(person.locale or locale)
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        SignInToken(
            token_hash=hash_token(token),
            email=person.email,
            created_at=now,
            expires_at=now + timedelta(days=INVITATION_DAYS),
            locale=language,
        )
    )
    link = f"{SITE}/inloggen/bevestigen?{urlencode({'token': token})}"
    body = gettext(
        "Hello,\n\nYou have been given a role on Buurtbudget:\n\n{roles}\n\n"
        "Sign in with this link to get started:\n\n{link}\n\n"
        "The link works once and for {days} days. After that, ask for a new link at {site}/inloggen.\n"
        "Did you not expect this e-mail? Then you can ignore it.",
        language,
    ).format(
        roles="\n".join(f"- {role.describe(language)}" for role in roles),
        link=link,
        days=INVITATION_DAYS,
        site=SITE,
    )
    await queue_mail(
        session,
        to=person.email,
        subject=gettext("Your role on Buurtbudget", language),
        body=body,
        topic=f"invitation:{person.email}",
    )
