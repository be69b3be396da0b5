"""Roles scoped per neighbourhood, and the pure policy questions the services ask about an actor."""

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    RESIDENT = "resident"
    BROKER = "broker"
    JUROR = "juror"
    ADVISOR = "advisor"
    SPACE_OWNER = "space_owner"
    MUNICIPALITY_ADMIN = "municipality_admin"
    PLATFORM_ADMIN = "platform_admin"


NEIGHBOURHOOD_ROLES = frozenset({Role.RESIDENT, Role.BROKER, Role.JUROR, Role.ADVISOR, Role.SPACE_OWNER})
# Held per municipality; a platform administrator holds the role without a scope.
MUNICIPALITY_ROLES = frozenset({Role.MUNICIPALITY_ADMIN})


@dataclass(frozen=True, slots=True)
class Grant:
    """One role and its scope: a neighbourhood, a municipality, or (neither) the whole platform."""

    role: Role
    neighbourhood_id: int | None = None
    municipality_id: int | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is asking, with their roles; `person_id` None is an anonymous visitor."""

    person_id: int | None
    grants: frozenset[Grant] = field(default_factory=frozenset)

    @property
    def signed_in(self) -> bool:
        return self.person_id is not None

    def has(
        self, role: Role, *, neighbourhood_id: int | None = None, municipality_id: int | None = None
    ) -> bool:
        return Grant(role, neighbourhood_id, municipality_id) in self.grants

    @property
    def is_platform_admin(self) -> bool:
        return self.has(Role.PLATFORM_ADMIN)

    def administers(self, municipality_id: int) -> bool:
        return self.is_platform_admin or self.has(Role.MUNICIPALITY_ADMIN, municipality_id=municipality_id)

    def is_broker_for(self, neighbourhood_id: int) -> bool:
        return self.has(Role.BROKER, neighbourhood_id=neighbourhood_id)

    def supports(self, neighbourhood_id: int, municipality_id: int) -> bool:
        """Professionals who may see drafts and act for the neighbourhood: its brokers and admins."""
        return self.is_broker_for(neighbourhood_id) or self.administers(municipality_id)

    def advises(self, neighbourhood_id: int, municipality_id: int) -> bool:
        """Professionals who advise the neighbourhood's jury and never vote: its advisors, brokers, admins."""
        return self.has(Role.ADVISOR, neighbourhood_id=neighbourhood_id) or self.supports(
            neighbourhood_id, municipality_id
        )


ANONYMOUS = Actor(person_id=None)
