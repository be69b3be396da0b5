"""Imports every table so the metadata (and Alembic's autogenerate) sees the whole schema."""

from buurtbudget.audit.models import AuditEntry, AuditHead
from buurtbudget.db.base import Base
from buurtbudget.db.keyvalue import KeyValueEntry
from buurtbudget.initiatives.models import (
    CostLine,
    Initiative,
    InitiativeTheme,
    Initiator,
    SpaceNeed,
    TimelineEvent,
    VolunteerNeed,
)
from buurtbudget.people.models import Person, RoleAssignment, SignInToken
from buurtbudget.places.models import Adjacency, Municipality, Neighbourhood
from buurtbudget.pots.models import Account, LedgerEntry, LedgerTransaction

__all__ = [
    "Account",
    "Adjacency",
    "AuditEntry",
    "AuditHead",
    "Base",
    "CostLine",
    "Initiative",
    "InitiativeTheme",
    "Initiator",
    "KeyValueEntry",
    "LedgerEntry",
    "LedgerTransaction",
    "Municipality",
    "Neighbourhood",
    "Person",
    "RoleAssignment",
    "SignInToken",
    "SpaceNeed",
    "TimelineEvent",
    "VolunteerNeed",
]
