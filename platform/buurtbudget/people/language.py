"""The language a person uses with us, kept so that mails to them are written in it."""

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.db.transaction import transaction
from buurtbudget.i18n import LOCALES
from buurtbudget.people.models import Person


async def remember_language(session: AsyncSession, person_id: int, locale: str) -> None:
    """Store `locale` as the person's language (ignored when it is not one the platform speaks)."""
    if locale not in LOCALES:
        return
    async with transaction(session):
        await session.execute(update(Person).where(Person.id == person_id).values(locale=locale))
