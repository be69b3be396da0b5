"""Spaces for a need: hard requirements, opening hours, bookings, price and distance."""

from datetime import date, datetime, time

import pytest

from matching.errors import (
    BookingConflict,
    BookingInPast,
    DuplicateId,
    InvalidValue,
    OutsideOpeningHours,
    UnknownFacility,
    UnknownId,
)
from matching.spaces import SpaceIndex
from matching.types import Area, DatedSlot, Geography, SpaceNeed, SpaceProfile, WeeklySlot

GEO = Geography({"Zuilen": ["Ondiep"]})
ZUILEN = Area("Zuilen", "Utrecht")
ONDIEP = Area("Ondiep", "Utrecht")
OVERVECHT = Area("Overvecht", "Utrecht")
NOW = datetime(2025, 6, 1, 12, 0)  # noqa: DTZ001 - the engine works in local wall-clock time
TUESDAY = date(2025, 6, 10)
EVENING = DatedSlot(TUESDAY, time(19), time(21))
WEEKDAYS_9_TO_22 = tuple(WeeklySlot(d, time(9), time(22)) for d in range(5))


@pytest.fixture
def index() -> SpaceIndex:
    idx = SpaceIndex(GEO)
    idx.add(
        SpaceProfile(
            "buurthuis",
            "Buurthuis De Kade",
            ZUILEN,
            40,
            0,
            True,
            True,
            ("keuken", "beamer"),
            WEEKDAYS_9_TO_22,
        )
    )
    idx.add(
        SpaceProfile(
            "kerk", "Kerkzaal", ONDIEP, 120, 2500, True, False, ("kitchen", "piano"), WEEKDAYS_9_TO_22
        )
    )
    idx.add(
        SpaceProfile("atelier", "Atelier", OVERVECHT, 12, 1000, False, False, ("tuin",), WEEKDAYS_9_TO_22)
    )
    idx.add(SpaceProfile("cafe", "Buurtcafé", ZUILEN, 30, 500, False, False, ("koffie",)))  # always open
    return idx


def ids(index: SpaceIndex, need: SpaceNeed) -> list[str]:
    return [m.id for m in index.match(need)]


@pytest.mark.parametrize(
    ("need", "expected"),
    [
        (SpaceNeed(ZUILEN, 10), ["buurthuis", "cafe", "kerk", "atelier"]),
        (SpaceNeed(ZUILEN, 35), ["buurthuis", "kerk"]),  # capacity
        (SpaceNeed(ZUILEN, 10, wheelchair_accessible=True), ["buurthuis", "kerk"]),
        (SpaceNeed(ZUILEN, 10, accessible_toilet=True), ["buurthuis"]),
        (SpaceNeed(ZUILEN, 10, required_facilities=("keuken",)), ["buurthuis", "kerk"]),  # kitchen == keuken
        (SpaceNeed(ZUILEN, 10, required_facilities=("garden",)), ["atelier"]),
        (SpaceNeed(ZUILEN, 10, max_price_per_hour_cents=600), ["buurthuis", "cafe"]),
        (
            SpaceNeed(ZUILEN, 10, when=(DatedSlot(date(2025, 6, 14), time(10), time(12)),)),
            ["cafe"],
        ),  # Saturday
        (SpaceNeed(ZUILEN, 10, when=(DatedSlot(TUESDAY, time(21), time(23)),)), ["cafe"]),  # after closing
    ],
)
def test_hard_requirements_filter(index: SpaceIndex, need: SpaceNeed, expected: list[str]) -> None:
    assert sorted(ids(index, need)) == sorted(expected)


def test_ranking_prefers_near_free_and_well_fitting_spaces(index: SpaceIndex) -> None:
    assert ids(index, SpaceNeed(ZUILEN, 20))[0] == "buurthuis"
    plain = {m.id: m.score for m in index.match(SpaceNeed(ZUILEN, 10))}
    piano = {m.id: m.score for m in index.match(SpaceNeed(ZUILEN, 10, wanted_facilities=("piano",)))}
    assert piano["kerk"] > plain["kerk"]
    assert piano["buurthuis"] < plain["buurthuis"]
    top = index.match(
        SpaceNeed(ZUILEN, 20, when=(EVENING,), wheelchair_accessible=True, wanted_facilities=("beamer",))
    )[0]
    assert top.id == "buurthuis"
    texts = [r.text for r in top.reasons]
    assert texts == [
        "past voor 20 mensen (maximaal 40)",
        "open en vrij op het gevraagde moment",
        "rolstoeltoegankelijk",
        "heeft: beamer",
        "gratis",
        "in dezelfde buurt (Zuilen)",
    ]
    kerk = index.match(SpaceNeed(ZUILEN, 50))[0]
    assert [r.text for r in kerk.reasons][-2:] == ["€ 25 per uur", "in de aangrenzende buurt Ondiep"]
    assert all(0.0 <= m.score <= 1.0 for m in index.match(SpaceNeed(ZUILEN, 1)))


def test_bookings_block_matching_and_can_be_cancelled(index: SpaceIndex) -> None:
    need = SpaceNeed(ZUILEN, 10, when=(EVENING,))
    assert "buurthuis" in ids(index, need)
    index.add_booking("buurthuis", "b1", DatedSlot(TUESDAY, time(20), time(22)), now=NOW)
    assert "buurthuis" not in ids(index, need)
    assert "buurthuis" in ids(index, SpaceNeed(ZUILEN, 10, when=(DatedSlot(TUESDAY, time(18), time(20)),)))
    index.cancel_booking("b1")
    assert "buurthuis" in ids(index, need)


@pytest.mark.parametrize(
    ("slot", "error"),
    [
        (DatedSlot(date(2025, 5, 1), time(19), time(21)), BookingInPast),
        (DatedSlot(date(2025, 6, 14), time(19), time(21)), OutsideOpeningHours),
        (DatedSlot(TUESDAY, time(20, 30), time(21, 30)), BookingConflict),
        (DatedSlot(TUESDAY, time(18), time(19, 15)), BookingConflict),
    ],
)
def test_bad_bookings_raise_and_change_nothing(
    index: SpaceIndex, slot: DatedSlot, error: type[Exception]
) -> None:
    index.add_booking("buurthuis", "b1", EVENING, now=NOW)
    with pytest.raises(error):
        index.add_booking("buurthuis", "b2", slot, now=NOW)
    assert [b[2] for b in index.bookings("buurthuis")] == ["b1"]


def test_back_to_back_bookings_are_fine(index: SpaceIndex) -> None:
    index.add_booking("buurthuis", "b1", EVENING, now=NOW)
    index.add_booking("buurthuis", "b2", DatedSlot(TUESDAY, time(17), time(19)), now=NOW)
    index.add_booking("buurthuis", "b3", DatedSlot(TUESDAY, time(21), time(22)), now=NOW)
    assert [b[2] for b in index.bookings("buurthuis")] == ["b2", "b1", "b3"]
    with pytest.raises(DuplicateId):
        index.add_booking("kerk", "b1", EVENING, now=NOW)
    with pytest.raises(UnknownId):
        index.cancel_booking("nope")


def test_changes_and_bad_input(index: SpaceIndex) -> None:
    with pytest.raises(UnknownFacility):
        index.add(SpaceProfile("x", "X", ZUILEN, 10, facilities=("teleporter",)))
    with pytest.raises(InvalidValue):
        SpaceProfile("x", "X", ZUILEN, 0)
    with pytest.raises(InvalidValue):
        SpaceNeed(ZUILEN, 0)
    index.update(SpaceProfile("atelier", "Atelier", OVERVECHT, 100, 0, True, True, ("tuin",)))
    assert "atelier" in ids(index, SpaceNeed(ZUILEN, 90))
    index.remove("atelier")
    assert "atelier" not in ids(index, SpaceNeed(ZUILEN, 1))
    assert len(index) == 3
