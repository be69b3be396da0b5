"""SimilarService: initiatives like this one elsewhere, suggestions while typing a title, and contact."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.models import AuditEntry
from buurtbudget.audit.service import record
from buurtbudget.db.base import utcnow
from buurtbudget.db.transaction import transaction
from buurtbudget.errors import InvalidInput, NotAllowed, NotFound
from buurtbudget.i18n import gettext
from buurtbudget.initiatives.errors import NotAnOwner
from buurtbudget.initiatives.models import Initiative
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.notifications.outgoing import SITE, mail_language, queue_mail
from buurtbudget.people.models import Person
from buurtbudget.people.names import shown_name
from buurtbudget.people.roles import Actor
from buurtbudget.places import service as places
from buurtbudget.similar.documents import HIDDEN_STATES, Card, area_of
from buurtbudget.similar.errors import (
    AbsurdSimilarQuery,
    EmptySimilarQuery,
    NoContactConsent,
    OwnInitiative,
    TooManyContactMessages,
)
from buurtbudget.similar.holder import holder_for
from matching import Area, InitiativeIndex, Match, Reason, SimilarQuery
from matching.errors import AbsurdQuery, EmptyQuery, MatchingError

MAX_TITLE = 150
MAX_RESULTS = 20
STORY_CHARS = 1500  # a long story is cut to its start: the engine refuses queries of over 2000 characters
STORY_WORDS = 150
MESSAGE_LENGTH = (10, 2000)
MESSAGES_PER_DAY = 5
DUPLICATES = 3
CONTACT_ACTION = "similar.contact_sent"


@dataclass(frozen=True, slots=True)
class Found:
    """One similar initiative: what its card shows, the engine's score and reasons."""

    card: Card
    score: float
    reasons: tuple[Reason, ...]
    likely_duplicate: bool


@dataclass(frozen=True, slots=True)
class Contacted:
    """A passed-on message: the initiative it was about, and how many initiators were mailed."""

    initiative: Initiative
    sent_to: int


@dataclass(frozen=True, slots=True)
class Suggestions:
    """While typing a title: likely duplicates in the same neighbourhood, and examples elsewhere."""

    duplicates: list[Found]
    elsewhere: list[Found]
    municipality: str | None


def _clip(text: str) -> str:
    return " ".join(text[:STORY_CHARS].split()[:STORY_WORDS])


def _query_error(error: MatchingError, field: str) -> InvalidInput:
    if isinstance(error, EmptyQuery):
        return EmptySimilarQuery(
            "type a few words that say what the plan is about, not only short words like 'de' or 'het'",
            field=field,
        )
    if isinstance(error, AbsurdQuery):
        return AbsurdSimilarQuery("this text is too long to search for; use a short title", field=field)
    return InvalidInput("this text cannot be searched", field=field)


class SimilarService:
    """Reads only public initiatives (never drafts, never withdrawn ones), ranked by the engine."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _index(self) -> InitiativeIndex:
        return await holder_for(self.session).ready(self.session)

    def _found(self, matches: list[Match]) -> list[Found]:
        cards = holder_for(self.session).cards
        return [
            Found(cards[int(m.id)], m.score, m.reasons, m.likely_duplicate)
            for m in matches
            if int(m.id) in cards
        ]

    async def for_initiative(self, actor: Actor, initiative_id: int, k: int = 5) -> Suggestions:
        """Initiatives like this one in other neighbourhoods (the initiative itself excluded)."""
        initiative = await InitiativeService(self.session).get(actor, initiative_id)
        neighbourhood = await places.get_neighbourhood(self.session, initiative.neighbourhood_id)
        if not 1 <= k <= MAX_RESULTS:
            raise AbsurdSimilarQuery("ask for 1 to 20 results", field="k")
        query = SimilarQuery(
            initiative.title,
            story=_clip(initiative.summary),
            cost_lines=tuple(_clip(line.description) for line in initiative.cost_lines[:20]),
            themes=tuple(initiative.themes),
            area=area_of(neighbourhood.id, neighbourhood.municipality_id),
            exclude_id=str(initiative.id),
            elsewhere_only=True,
        )
        index = await self._index()
        try:
            matches = index.search(query, k)
        except MatchingError:  # a title of only stop words finds nothing, and is no error of the visitor
            matches = []
        return Suggestions([], self._found(matches), neighbourhood.municipality.name)

    async def suggest(self, title: str, neighbourhood_id: int | None = None, k: int = 5) -> Suggestions:
        """What a resident typing `title` should see: a likely duplicate nearby, and examples elsewhere."""
        text = title.strip()
        if not text:
            raise EmptySimilarQuery("type the title of your plan", field="title")
        if len(text) > MAX_TITLE:
            raise AbsurdSimilarQuery("a title has at most 150 characters", field="title")
        if not 1 <= k <= MAX_RESULTS:
            raise AbsurdSimilarQuery("ask for 1 to 20 results", field="k")
        area: Area | None = None
        municipality: str | None = None
        if neighbourhood_id is not None:
            try:
                neighbourhood = await places.get_neighbourhood(self.session, neighbourhood_id)
            except NotFound:
                raise InvalidInput("unknown neighbourhood", field="neighbourhood_id") from None
            area = area_of(neighbourhood.id, neighbourhood.municipality_id)
            municipality = neighbourhood.municipality.name
        index = await self._index()
        try:
            elsewhere = index.search(SimilarQuery(text, area=area, elsewhere_only=area is not None), k)
            nearby = self._nearby(index, SimilarQuery(text, area=area), neighbourhood_id)
        except MatchingError as error:
            raise _query_error(error, "title") from None
        duplicates = [m for m in nearby if m.likely_duplicate]
        return Suggestions(self._found(duplicates), self._found(elsewhere), municipality)

    def _nearby(
        self, index: InitiativeIndex, query: SimilarQuery, neighbourhood_id: int | None
    ) -> list[Match]:
        """The best matches among the neighbourhood's own initiatives only (where a duplicate can be)."""
        if query.area is None or neighbourhood_id is None:
            return []
        # Not the top of all neighbourhoods filtered afterwards: any number of equal titles elsewhere
        # would push the duplicate nearby out of it.
        own = holder_for(self.session).ids_in(neighbourhood_id)
        return index.scan(query, DUPLICATES, only=own) if own else []

    async def _own_initiative(self, actor: Actor, initiative_id: int) -> Initiative:
        initiative = await InitiativeService(self.session).get(actor, initiative_id)
        if initiative.initiator_of(actor.person_id) is None:
            raise NotAnOwner("only the initiative's residents say whether they may be contacted")
        return initiative

    @staticmethod
    def consent_of(actor: Actor, initiative: Initiative) -> bool | None:
        """The actor's own consent on this initiative, or None when they are not one of its residents."""
        mine = initiative.initiator_of(actor.person_id)
        return None if mine is None else mine.contact_consent

    async def set_consent(self, actor: Actor, initiative_id: int, consent: bool) -> Initiative:
        """An initiator says whether residents elsewhere may contact them about this initiative."""
        if not actor.signed_in:
            raise NotAllowed("sign in to change this")
        await self._own_initiative(actor, initiative_id)
        async with transaction(self.session):
            locked = select(Initiative).where(Initiative.id == initiative_id).with_for_update()
            initiative = (await self.session.execute(locked)).scalar_one()
            mine = initiative.initiator_of(actor.person_id)
            if mine is None:  # left the initiative since the check above
                raise NotAnOwner("only the initiative's residents say whether they may be contacted")
            if mine.contact_consent != consent:
                mine.contact_consent = consent
                initiative.updated_at = utcnow()  # the marker other workers watch
                await record(
                    self.session,
                    actor_id=actor.person_id,
                    action="initiative.contact_consent",
                    subject_type="initiative",
                    subject_id=initiative.id,
                    data={"consent": consent},
                )
        return initiative

    async def recipients(self, actor: Actor, initiative_id: int) -> tuple[Initiative, list[Person]]:
        """The initiative and its initiators who consented, if `actor` may contact them."""
        initiative = await InitiativeService(self.session).get(actor, initiative_id)
        if initiative.initiator_of(actor.person_id, status=None) is not None:
            raise OwnInitiative("this is your own initiative")
        if initiative.state in HIDDEN_STATES:
            raise NotFound("no such initiative", initiative_id=initiative_id)
        ids = [i.person_id for i in initiative.initiators if i.status == "active" and i.contact_consent]
        if not ids:
            raise NoContactConsent("the initiators of this initiative did not ask to be contacted")
        people = await InitiativeService(self.session).people_by_id(ids)
        return initiative, [people[i] for i in ids if i in people]

    async def contact(self, actor: Actor, initiative_id: int, message: str) -> Contacted:
        """Queue the message to the consenting initiators; the sender's name and address go along.

        The initiators' addresses are never shown: the platform passes the message on. The request is
        recorded (and counted against the daily limit) in the same unit of work that queues the mails, so
        a mail server that is down delays the message but never loses it.
        """
        if not actor.signed_in or actor.person_id is None:
            raise NotAllowed("sign in to contact an initiator")
        text = message.strip()
        if not MESSAGE_LENGTH[0] <= len(text) <= MESSAGE_LENGTH[1]:
            raise InvalidInput("write a message of 10 to 2000 characters", field="message")
        initiative, recipients = await self.recipients(actor, initiative_id)
        sender = await self.session.get(Person, actor.person_id)
        if sender is None:
            raise NotAllowed("sign in to contact an initiator")
        async with transaction(self.session):
            # Recording first takes the audit head's lock: concurrent senders are counted one by one.
            await record(
                self.session,
                actor_id=actor.person_id,
                action=CONTACT_ACTION,
                subject_type="initiative",
                subject_id=initiative.id,
                data={"recipients": [p.id for p in recipients]},
            )
            sent_today = await self.session.scalar(
                select(func.count(AuditEntry.id)).where(
                    AuditEntry.actor_id == actor.person_id,
                    AuditEntry.action == CONTACT_ACTION,
                    AuditEntry.at >= utcnow() - timedelta(days=1),
                )
            )
            if (sent_today or 0) > MESSAGES_PER_DAY:
                raise TooManyContactMessages("you sent 5 messages today; you can send more tomorrow")
            for person in recipients:
                await self._queue_mail(initiative, sender, person, text)
        return Contacted(initiative, len(recipients))

    async def _queue_mail(self, initiative: Initiative, sender: Person, to: Person, text: str) -> None:
        locale = mail_language(to.locale)
        body = gettext(
            "{name} ({email}) read about your initiative '{title}' and sends you this message:\n\n"
            "{message}\n\nAnswer by replying to this e-mail. You get this because you said residents "
            "elsewhere may contact you. You can change that on your initiative's page: {link}",
            locale,
        ).format(
            name=shown_name(sender.display_name, locale),
            email=sender.email,
            title=initiative.title,
            message=text,
            link=f"{SITE}/initiatieven/{initiative.id}",
        )
        await queue_mail(
            self.session,
            to=to.email,
            subject=gettext("Someone wants to get in touch about your initiative", locale),
            body=body,
            reply_to=sender.email,
        )
