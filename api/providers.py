"""Services reach handlers through dependency injection: one provider per service, named once here.

A handler declares what it needs by name and type (`pots: Pots`) and never builds a service itself.
Litestar resolves only what a handler declares, so registering every provider app-wide costs nothing.
"""

from litestar.di import NamedDependency, Provide

from api.dependencies import AppSettings, DbSession
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.jury.deliberation.service import DeliberationService
from buurtbudget.jury.grants import GrantService
from buurtbudget.jury.management import RoundManagement
from buurtbudget.jury.pool import JuryPoolService
from buurtbudget.jury.rounds import RoundService
from buurtbudget.people.identity_sign_in import IdentityProviderService
from buurtbudget.people.staffing import PeopleAdminService
from buurtbudget.people.verification import VerificationService
from buurtbudget.places.admin import PlacesAdmin
from buurtbudget.places.finder import Finder
from buurtbudget.places.imports import PlacesImport
from buurtbudget.pots.guide import PotGuideService
from buurtbudget.pots.reporting import PotReportService
from buurtbudget.pots.service import PotService
from buurtbudget.similar.service import SimilarService
from buurtbudget.spaces.bookings import BookingService
from buurtbudget.spaces.matches import SpaceMatcher
from buurtbudget.spaces.service import SpaceService
from buurtbudget.volunteers.service import VolunteerService

Initiatives = NamedDependency[InitiativeService]
Pots = NamedDependency[PotService]
PotGuides = NamedDependency[PotGuideService]
PotReports = NamedDependency[PotReportService]
Rounds = NamedDependency[RoundService]
RoundAdmin = NamedDependency[RoundManagement]
Grants = NamedDependency[GrantService]
Deliberations = NamedDependency[DeliberationService]
Similar = NamedDependency[SimilarService]
Spaces = NamedDependency[SpaceService]
Bookings = NamedDependency[BookingService]
SpaceMatches = NamedDependency[SpaceMatcher]
Volunteers = NamedDependency[VolunteerService]
Verifications = NamedDependency[VerificationService]
JuryPool = NamedDependency[JuryPoolService]
Places = NamedDependency[PlacesAdmin]
PlaceImports = NamedDependency[PlacesImport]
Finders = NamedDependency[Finder]
IdentityProviders = NamedDependency[IdentityProviderService]
PeopleAdmin = NamedDependency[PeopleAdminService]


def provide_initiatives(db_session: DbSession) -> InitiativeService:
    return InitiativeService(db_session)


def provide_pots(db_session: DbSession) -> PotService:
    return PotService(db_session)


def provide_pot_guides(db_session: DbSession) -> PotGuideService:
    return PotGuideService(db_session)


def provide_pot_reports(db_session: DbSession) -> PotReportService:
    return PotReportService(db_session)


def provide_rounds(db_session: DbSession) -> RoundService:
    return RoundService(db_session)


def provide_round_admin(db_session: DbSession) -> RoundManagement:
    return RoundManagement(db_session)


def provide_grants(db_session: DbSession) -> GrantService:
    return GrantService(db_session)


def provide_deliberations(db_session: DbSession) -> DeliberationService:
    return DeliberationService(db_session)


def provide_similar(db_session: DbSession) -> SimilarService:
    return SimilarService(db_session)


def provide_spaces(db_session: DbSession) -> SpaceService:
    return SpaceService(db_session)


def provide_bookings(db_session: DbSession) -> BookingService:
    return BookingService(db_session)


def provide_space_matcher(db_session: DbSession) -> SpaceMatcher:
    return SpaceMatcher(db_session)


def provide_volunteers(db_session: DbSession) -> VolunteerService:
    return VolunteerService(db_session)


def provide_places(db_session: DbSession) -> PlacesAdmin:
    return PlacesAdmin(db_session)


def provide_place_imports(db_session: DbSession) -> PlacesImport:
    return PlacesImport(db_session)


def provide_finder(db_session: DbSession) -> Finder:
    return Finder(db_session)


def provide_identity_providers(db_session: DbSession, settings: AppSettings) -> IdentityProviderService:
    return IdentityProviderService(db_session, settings)


def provide_verifications(db_session: DbSession) -> VerificationService:
    return VerificationService(db_session)


def provide_jury_pool(db_session: DbSession) -> JuryPoolService:
    return JuryPoolService(db_session)


def provide_people_admin(db_session: DbSession) -> PeopleAdminService:
    return PeopleAdminService(db_session)


# The dependency names handlers use; sync providers run inline (they only build an object).
SERVICE_PROVIDERS: dict[str, Provide] = {
    "initiatives": Provide(provide_initiatives, sync_to_thread=False),
    "pots": Provide(provide_pots, sync_to_thread=False),
    "pot_guides": Provide(provide_pot_guides, sync_to_thread=False),
    "pot_reports": Provide(provide_pot_reports, sync_to_thread=False),
    "rounds": Provide(provide_rounds, sync_to_thread=False),
    "round_admin": Provide(provide_round_admin, sync_to_thread=False),
    "grants": Provide(provide_grants, sync_to_thread=False),
    "deliberations": Provide(provide_deliberations, sync_to_thread=False),
    "similar": Provide(provide_similar, sync_to_thread=False),
    "spaces": Provide(provide_spaces, sync_to_thread=False),
    "bookings": Provide(provide_bookings, sync_to_thread=False),
    "space_matcher": Provide(provide_space_matcher, sync_to_thread=False),
    "volunteers": Provide(provide_volunteers, sync_to_thread=False),
    "verifications": Provide(provide_verifications, sync_to_thread=False),
    "jury_pool": Provide(provide_jury_pool, sync_to_thread=False),
    "places": Provide(provide_places, sync_to_thread=False),
    "place_imports": Provide(provide_place_imports, sync_to_thread=False),
    "finder": Provide(provide_finder, sync_to_thread=False),
    "identity_providers": Provide(provide_identity_providers, sync_to_thread=False),
    "people_admin": Provide(provide_people_admin, sync_to_thread=False),
}
