"""Imports every table so the metadata (and Alembic's autogenerate) sees the whole schema."""

# Modules whose tables are registered by importing them:
import buurtbudget.jury.deliberation.models as deliberation_tables  # noqa: F401
import buurtbudget.spaces.models as space_tables  # noqa: F401
import buurtbudget.volunteers.models as volunteer_tables  # noqa: F401
from buurtbudget.audit.models import AuditEntry, AuditHead
from buurtbudget.db.base import Base
from buurtbudget.db.change_log import IndexChange, IndexChangeMarker, IndexHeartbeat
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
from buurtbudget.jury.models import (
    CastBallot,
    Grant,
    Juror,
    JuryVolunteer,
    Recusal,
    Round,
    RoundInitiative,
)
from buurtbudget.outbox.models import OutboxMessage
from buurtbudget.people.models import Person, RoleAssignment, SignInToken
from buurtbudget.people.verification_models import (
    CodeAttempt,
    IdentityLink,
    LetterBatch,
    LetterCode,
    Verification,
    VerificationRequest,
)
from buurtbudget.places.models import Adjacency, Municipality, Neighbourhood, Postcode
from buurtbudget.pots.models import Account, LedgerEntry, LedgerTransaction, Pot

__all__ = [
    "Account",
    "Adjacency",
    "AuditEntry",
    "AuditHead",
    "Base",
    "CastBallot",
    "CodeAttempt",
    "CostLine",
    "Grant",
    "IdentityLink",
    "IndexChange",
    "IndexChangeMarker",
    "IndexHeartbeat",
    "Initiative",
    "InitiativeTheme",
    "Initiator",
    "Juror",
    "JuryVolunteer",
    "KeyValueEntry",
    "LedgerEntry",
    "LedgerTransaction",
    "LetterBatch",
    "LetterCode",
    "Municipality",
    "Neighbourhood",
    "OutboxMessage",
    "Person",
    "Postcode",
    "Pot",
    "Recusal",
    "RoleAssignment",
    "Round",
    "RoundInitiative",
    "SignInToken",
    "SpaceNeed",
    "TimelineEvent",
    "Verification",
    "VerificationRequest",
    "VolunteerNeed",
]
