"""Magic-link sign-in: a single-use token, stored hashed, valid for a short time."""

import hashlib
import secrets
from datetime import timedelta
from urllib.parse import urlencode

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.service import record
from buurtbudget.db.base import utcnow
from buurtbudget.db.transaction import transaction
from buurtbudget.i18n import gettext
from buurtbudget.notifications.mailer import Mailer, compose
from buurtbudget.people.errors import InvalidSignInLink, TooManySignInRequests
from buurtbudget.people.models import Person, SignInToken
from buurtbudget.people.service import get_or_create, normalise_email
from buurtbudget.settings import Settings


def hash_token(token: str) -> str:
    """Tokens are stored as SHA-256 digests: a leaked table signs nobody in."""
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in_link(settings: Settings, token: str) -> str:
    return f"{settings.base_url.rstrip('/')}/inloggen/bevestigen?{urlencode({'token': token})}"


async def request_link(
    session: AsyncSession, mailer: Mailer, settings: Settings, email: str, *, locale: str
) -> None:
    """Mail a sign-in link to `email`; the same answer whether or not the address has an account."""
    address = normalise_email(email)
    now = utcnow()
    async with transaction(session):
        recent = await session.scalar(
            select(func.count())
            .select_from(SignInToken)
            .where(SignInToken.email == address, SignInToken.created_at > now - timedelta(hours=1))
        )
        if (recent or 0) >= settings.sign_in_per_address_per_hour:
            raise TooManySignInRequests(
                "too many sign-in requests for this address", retry_after_seconds=3600
            )
        token = secrets.token_urlsafe(32)
        session.add(
            SignInToken(
                token_hash=hash_token(token),
                email=address,
                created_at=now,
                expires_at=now + timedelta(minutes=settings.sign_in_token_minutes),
            )
        )
    body = gettext(
        "Hello,\n\nUse this link to sign in to Buurtbudget:\n\n{link}\n\n"
        "The link works once and for {minutes} minutes.\n"
        "Did you not ask for it? Then you can ignore this e-mail.",
        locale,
    ).format(link=sign_in_link(settings, token), minutes=settings.sign_in_token_minutes)
    await mailer.send(
        compose(
            sender=settings.smtp_sender,
            to=address,
            subject=gettext("Your sign-in link for Buurtbudget", locale),
            body=body,
        )
    )


async def consume_link(session: AsyncSession, token: str) -> Person:
    """Use a token once: returns the person (created on first sign-in) or raises InvalidSignInLink."""
    now = utcnow()
    async with transaction(session):
        # One UPDATE claims the token, so two clicks racing cannot both sign in.
        claimed = await session.execute(
            update(SignInToken)
            .where(
                SignInToken.token_hash == hash_token(token),
                SignInToken.used_at.is_(None),
                SignInToken.expires_at > now,
            )
            .values(used_at=now)
            .returning(SignInToken.email)
        )
        email = claimed.scalar_one_or_none()
        if email is None:
            raise InvalidSignInLink("this sign-in link is unknown, used or expired", field="token")
        person = await get_or_create(session, email, actor_id=None)
        await record(
            session,
            actor_id=person.id,
            action="person.signed_in",
            subject_type="person",
            subject_id=person.id,
        )
    return person
