"""E-mails to the people a volunteer match concerns: an offer, an invitation, an agreement."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.i18n import DEFAULT_LOCALE, gettext
from buurtbudget.initiatives.models import Initiative
from buurtbudget.notifications.mailer import Mailer, compose, send_or_warn
from buurtbudget.people.models import Person
from buurtbudget.settings import Settings
from buurtbudget.volunteers.models import VolunteerMatch, VolunteerProfile


class Notifier:
    """Tells people by e-mail in Dutch (the interface's first language); a mail failure loses no change."""

    def __init__(self, session: AsyncSession, mailer: Mailer, settings: Settings) -> None:
        self.session = session
        self.mailer = mailer
        self.settings = settings

    def _link(self, path: str) -> str:
        return f"{self.settings.base_url.rstrip('/')}{path}"

    async def _send(self, to: str, subject: str, body: str) -> None:
        mail = compose(sender=self.settings.smtp_sender, to=to, subject=subject, body=body)
        await send_or_warn(self.mailer, mail, "a volunteer match")

    async def _parties(self, match: VolunteerMatch) -> tuple[Initiative, Person, list[Person]]:
        initiative = await self.session.get(Initiative, match.initiative_id)
        profile = await self.session.get(VolunteerProfile, match.profile_id)
        if initiative is None or profile is None:
            raise LookupError("the match's initiative or profile is gone")
        owners = [i.person_id for i in initiative.initiators if i.status == "active"]
        rows = await self.session.execute(select(Person).where(Person.id.in_({profile.person_id, *owners})))
        people = {p.id: p for p in rows.scalars()}
        return initiative, people[profile.person_id], [people[o] for o in owners if o in people]

    async def offered(self, match: VolunteerMatch) -> None:
        """The initiative's residents hear that someone offers help (no name yet)."""
        initiative, _volunteer, owners = await self._parties(match)
        text = gettext(
            "A volunteer offers to help with '{title}'. See what they can do and answer: {link}",
            DEFAULT_LOCALE,
        ).format(title=initiative.title, link=self._link(f"/initiatieven/{initiative.id}/vrijwilligers"))
        for owner in owners:
            await self._send(owner.email, gettext("A volunteer offers help", DEFAULT_LOCALE), text)

    async def invited(self, match: VolunteerMatch) -> None:
        """The volunteer hears that an initiative would like their help."""
        initiative, volunteer, _owners = await self._parties(match)
        text = gettext(
            "The initiative '{title}' would like your help. Say yes or no here: {link}", DEFAULT_LOCALE
        ).format(title=initiative.title, link=self._link("/vrijwilligers"))
        await self._send(volunteer.email, gettext("You are asked to help", DEFAULT_LOCALE), text)

    async def agreed(self, match: VolunteerMatch) -> None:
        """Both sides said yes: each gets the other's name and e-mail address."""
        initiative, volunteer, owners = await self._parties(match)
        subject = gettext("You agreed to work together", DEFAULT_LOCALE)
        contacts = ", ".join(f"{o.display_name} <{o.email}>" for o in owners)
        await self._send(
            volunteer.email,
            subject,
            gettext(
                "You will help with '{title}'. You can contact the initiators: {contacts}", DEFAULT_LOCALE
            ).format(title=initiative.title, contacts=contacts),
        )
        for owner in owners:
            await self._send(
                owner.email,
                subject,
                gettext(
                    "{name} will help with '{title}'. Their e-mail address: {email}", DEFAULT_LOCALE
                ).format(name=volunteer.display_name, title=initiative.title, email=volunteer.email),
            )
