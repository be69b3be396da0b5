"""Buurtbudget's matching engine: volunteers, spaces and similar initiatives, fast and explainable."""

from matching.catalogue import Catalogues, Entry, default_catalogues
from matching.needs import NeedIndex
from matching.similar import InitiativeIndex, SimilarQuery
from matching.spaces import SpaceIndex
from matching.text import Analyser, default_analyser, normalise
from matching.types import (
    Area,
    DatedSlot,
    Geography,
    InitiativeDoc,
    Match,
    Reason,
    SpaceNeed,
    SpaceProfile,
    VolunteerNeed,
    VolunteerProfile,
    WeeklySlot,
)
from matching.volunteers import VolunteerIndex

__all__ = [
    "Analyser",
    "Area",
    "Catalogues",
    "DatedSlot",
    "Entry",
    "Geography",
    "InitiativeDoc",
    "InitiativeIndex",
    "Match",
    "NeedIndex",
    "Reason",
    "SimilarQuery",
    "SpaceIndex",
    "SpaceNeed",
    "SpaceProfile",
    "VolunteerIndex",
    "VolunteerNeed",
    "VolunteerProfile",
    "WeeklySlot",
    "default_analyser",
    "default_catalogues",
    "normalise",
]
