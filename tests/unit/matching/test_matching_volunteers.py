"""Volunteers for a need: skills, time, distance, themes, load; drop-outs; index equals the scan."""

from datetime import date, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.errors import (
    DuplicateId,
    EmptyQuery,
    InvalidAvailability,
    InvalidValue,
    UnknownSkill,
    UnknownTheme,
)
from matching.needs import NeedIndex
from matching.types import Area, DatedSlot, Geography, VolunteerNeed, VolunteerProfile, WeeklySlot
from matching.volunteers import VolunteerIndex

GEO = Geography({"Zuilen": ["Ondiep"], "Ondiep": ["Pijlsweerd"]})
ZUILEN = Area("Zuilen", "Utrecht", 52.1090, 5.1050)
ONDIEP = Area("Ondiep", "Utrecht")
OVERVECHT = Area("Overvecht", "Utrecht")
AMSTERDAM = Area("Centrum", "Amsterdam")
TUE_EVENING = WeeklySlot(1, time(19), time(21))


def vol(
    vid: str, area: Area = ZUILEN, skills: tuple[str, ...] = ("koken",), **kw: object
) -> VolunteerProfile:
    return VolunteerProfile(vid, area, skills, **kw)  # type: ignore[arg-type]


def need(skills: tuple[str, ...] = ("kookles",), area: Area = ZUILEN, **kw: object) -> VolunteerNeed:
    return VolunteerNeed("init-1", area, skills, **kw)  # type: ignore[arg-type]


def ranked(index: VolunteerIndex, wanted: VolunteerNeed) -> list[str]:
    return [m.id for m in index.match(wanted, k=20)]


@pytest.mark.parametrize(
    ("asked", "offered", "code"),
    [
        ("kookles", "koken", "can_do"),
        ("cooking", "koken", "can_do"),
        ("koken", "kok", "can_do"),
        ("kokne", "koken", "can_do"),  # typo in the need
        ("taalmaatje", "Nederlands leren", "can_do"),
        ("koken", "bakken", "related_skill"),  # same family
    ],
)
def test_skills_match_through_synonyms_typos_and_families(asked: str, offered: str, code: str) -> None:
    index = VolunteerIndex(GEO)
    index.add(vol("v", skills=(offered,)))
    (match,) = index.match(need((asked,)))
    first = match.reasons[0]
    assert first.code == code
    assert first.params["asked"] == asked


def test_reason_texts_are_dutch_by_default() -> None:
    index = VolunteerIndex(GEO)
    index.add(vol("v", skills=("koken",), weekly=(WeeklySlot(1, time(18), time(22)),), themes=("groen",)))
    (match,) = index.match(need(weekly=(TUE_EVENING,), themes=("tuin",)))
    texts = [r.text for r in match.reasons]
    assert "kan: koken (gevraagd: kookles)" in texts
    assert "vrij op dinsdagavond (2 uur overlap)" in texts
    assert "woont in dezelfde buurt (Zuilen)" in texts
    assert "vindt ook belangrijk: groen" in texts
    assert match.score == pytest.approx(1.0)


def test_availability_overlap_in_hours_ranks_volunteers() -> None:
    index = VolunteerIndex(GEO)
    index.add(vol("full", weekly=(WeeklySlot(1, time(18), time(23)),)))
    index.add(vol("half", weekly=(WeeklySlot(1, time(20), time(23)),)))
    index.add(vol("none", weekly=(WeeklySlot(3, time(9), time(12)),)))
    assert ranked(index, need(weekly=(TUE_EVENING,))) == ["full", "half", "none"]
    half = index.match(need(weekly=(TUE_EVENING,)))[1]
    assert half.reasons[1].code == "available"
    assert half.reasons[1].params["hours"] == 1.0


def test_dated_needs_use_weekly_time_and_extra_dates() -> None:
    index = VolunteerIndex(GEO)
    saturday = date(2025, 6, 14)
    index.add(vol("weekly", weekly=(WeeklySlot(5, time(10), time(16)),)))
    index.add(vol("once", dated=(DatedSlot(saturday, time(10), time(13)),)))
    index.add(vol("never"))
    wanted = need(dated=(DatedSlot(saturday, time(10), time(16)),))
    assert ranked(index, wanted) == ["weekly", "once", "never"]
    once = index.match(wanted)[1]
    assert any(r.code == "available_on_date" and r.params["hours"] == 3.0 for r in once.reasons)


@pytest.mark.parametrize(
    ("area", "code"),
    [
        (ZUILEN, "same_neighbourhood"),
        (ONDIEP, "adjacent_neighbourhood"),
        (OVERVECHT, "same_municipality"),
        (AMSTERDAM, None),
    ],
)
def test_distance_tiers(area: Area, code: str | None) -> None:
    index = VolunteerIndex(GEO)
    index.add(vol("v", area=area))
    (match,) = index.match(need(area=Area("Zuilen", "Utrecht")))
    codes = {r.code for r in match.reasons}
    tiers = {"same_neighbourhood", "adjacent_neighbourhood", "same_municipality"}
    assert codes & tiers == ({code} if code else set())


def test_distance_tiers_rank_nearer_first() -> None:
    index = VolunteerIndex(GEO)
    for name, area in [("far", AMSTERDAM), ("city", OVERVECHT), ("next", ONDIEP), ("here", ZUILEN)]:
        index.add(vol(name, area=area))
    assert ranked(index, need(area=Area("Zuilen", "Utrecht"))) == ["here", "next", "city", "far"]


def test_kilometres_when_both_have_coordinates() -> None:
    index = VolunteerIndex(GEO)
    index.add(vol("near", area=Area("Elders", "Maarssen", 52.1130, 5.1050)))  # ~0.45 km
    index.add(vol("farther", area=Area("Elders2", "Maarssen", 52.1450, 5.1050)))  # ~4 km
    found = index.match(need(area=ZUILEN))
    assert [m.id for m in found] == ["near", "farther"]
    km = next(r for r in found[0].reasons if r.code == "distance_km")
    assert km.params["km"] == pytest.approx(0.4, abs=0.1)
    assert km.text.startswith("op 0,")


def test_themes_and_load_spreading() -> None:
    index = VolunteerIndex(GEO)
    index.add(vol("busy", commitments=2, max_commitments=3))
    index.add(vol("free", commitments=0, max_commitments=3))
    assert ranked(index, need()) == ["free", "busy"]
    index.add(vol("caring", commitments=2, max_commitments=3, themes=("eenzaamheid",)))
    assert ranked(index, need(themes=("ouderen ontmoeten",)))[0] == "caring"


def test_declined_fully_booked_and_inactive_volunteers_drop_out() -> None:
    index = VolunteerIndex(GEO)
    index.add(vol("ok"))
    index.add(vol("declined"))
    index.add(vol("booked", commitments=3, max_commitments=3))
    index.add(vol("paused", active=False))
    index.add(vol("other", skills=("muziek",)))
    assert ranked(index, need(declined_by=frozenset({"declined"}))) == ["ok"]


@pytest.mark.parametrize(
    ("build", "error"),
    [
        (lambda: need(("kwantumfysica",)), UnknownSkill),
        (lambda: need(()), EmptyQuery),
        (lambda: need(themes=("ruimtevaart",)), UnknownTheme),
        (lambda: need(weekly=(WeeklySlot(1, time(21), time(19)),)), InvalidAvailability),
        (lambda: need(weekly=(WeeklySlot(7, time(9), time(10)),)), InvalidAvailability),
        (lambda: need(weekly=(WeeklySlot(1, time(9, 1), time(9, 10)),)), InvalidAvailability),
        (lambda: need(hours=-1), InvalidValue),
        (lambda: need(area=Area("Zuilen", "Utrecht", 123.0, 5.0)), InvalidValue),
    ],
)
def test_bad_needs_raise_specific_errors(build: object, error: type[Exception]) -> None:
    index = VolunteerIndex(GEO)
    index.add(vol("v"))
    with pytest.raises(error):
        index.match(build())  # type: ignore[operator]


def test_unknown_skill_comes_with_suggestions() -> None:
    with pytest.raises(UnknownSkill) as caught:
        VolunteerIndex(GEO).add(vol("v", skills=("kokkerellen",)))
    assert "koken" in caught.value.suggestions


def test_bad_updates_change_nothing() -> None:
    index = VolunteerIndex(GEO)
    index.add(vol("v"))
    with pytest.raises(UnknownSkill):
        index.update(vol("v", skills=("kwantumfysica",)))
    with pytest.raises(DuplicateId):
        index.add(vol("v"))
    assert ranked(index, need()) == ["v"]


def test_add_change_remove_without_rebuild() -> None:
    index = VolunteerIndex(GEO)
    index.add(vol("a"))
    index.add(vol("b", skills=("muziek",)))
    index.update(vol("b", skills=("koken",), area=ONDIEP))
    assert ranked(index, need()) == ["a", "b"]
    index.remove("a")
    assert ranked(index, need()) == ["b"]


def test_needs_suggested_to_a_volunteer() -> None:
    needs = NeedIndex(GEO)
    needs.add(VolunteerNeed("cook", ZUILEN, ("kookles",)))
    needs.add(VolunteerNeed("bake", ONDIEP, ("bakken",)))
    needs.add(VolunteerNeed("music", ZUILEN, ("muziek",)))
    found = needs.for_volunteer(vol("v", skills=("koken",)))
    assert [m.id for m in found] == ["cook", "bake"]
    needs.remove("cook")
    assert [m.id for m in needs.for_volunteer(vol("v", skills=("koken",)))] == ["bake"]


SKILLS = ["koken", "bakken", "tuinieren", "muziek", "klussen", "taalles", "vervoer"]
THEMES = ["groen", "eenzaamheid", "jongeren", "sport"]
AREAS = [ZUILEN, ONDIEP, OVERVECHT, AMSTERDAM, Area("Noord", "Utrecht", 52.12, 5.11)]
slot = st.builds(
    WeeklySlot,
    st.integers(0, 6),
    st.sampled_from([time(h) for h in range(0, 20, 3)]),
    st.sampled_from([time(h, m) for h in range(21, 24) for m in (0, 30)]),
)
profile = st.builds(
    lambda n, skills, themes, weekly, area, c, active: VolunteerProfile(
        f"v{n:03d}", AREAS[area], tuple(skills), tuple(themes), tuple(weekly), commitments=c, active=active
    ),
    st.integers(0, 999),
    st.lists(st.sampled_from(SKILLS), min_size=1, max_size=3),
    st.lists(st.sampled_from(THEMES), max_size=2),
    st.lists(slot, max_size=3),
    st.integers(0, len(AREAS) - 1),
    st.integers(0, 3),
    st.booleans(),
)
need_strategy = st.builds(
    lambda skills, themes, weekly, area, hours: VolunteerNeed(
        "i", AREAS[area], tuple(skills), tuple(themes), tuple(weekly), hours=hours
    ),
    st.lists(st.sampled_from(SKILLS), min_size=1, max_size=3),
    st.lists(st.sampled_from(THEMES), max_size=2),
    st.lists(slot, max_size=2),
    st.integers(0, len(AREAS) - 1),
    st.none() | st.sampled_from([1.0, 2.5, 6.0]),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(profile, max_size=40, unique_by=lambda p: p.id), need_strategy, st.integers(1, 10))
def test_index_equals_the_scan_of_the_reference_scorer(
    profiles: list[VolunteerProfile], wanted: VolunteerNeed, k: int
) -> None:
    index = VolunteerIndex(GEO)
    for p in profiles:
        index.add(p)
    fast = index.match(wanted, k=k)
    slow = index.scan(wanted, k=k)
    assert [m.id for m in fast] == [m.id for m in slow]
    assert [m.score for m in fast] == [m.score for m in slow]
    assert all(0.0 <= m.score <= 1.0 and m.reasons for m in fast)


@settings(max_examples=30, deadline=None)
@given(st.lists(profile, max_size=30), need_strategy)
def test_incremental_updates_equal_a_fresh_build(
    profiles: list[VolunteerProfile], wanted: VolunteerNeed
) -> None:
    live = VolunteerIndex(GEO)
    final: dict[str, VolunteerProfile] = {}
    for n, p in enumerate(profiles):
        live.upsert(p)
        final[p.id] = p
        if n % 4 == 3:
            live.remove(p.id)
            del final[p.id]
    fresh = VolunteerIndex(GEO)
    for p in sorted(final.values(), key=lambda p: p.id, reverse=True):
        fresh.add(p)
    a = [(m.id, m.score) for m in live.match(wanted, k=50)]
    b = [(m.id, m.score) for m in fresh.match(wanted, k=50)]
    assert a == b


@pytest.mark.parametrize("seed", range(6))
def test_pruned_search_equals_the_scan_on_larger_sets(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import random

    import matching.volunteers

    monkeypatch.setattr(matching.volunteers, "_FIRST_BATCH", 8)  # force the bound-pruning path
    rng = random.Random(seed)
    index = VolunteerIndex(GEO)
    for n in range(300):
        start = rng.randrange(8, 20)
        index.add(
            VolunteerProfile(
                f"v{n:03d}",
                rng.choice(AREAS),
                tuple(rng.sample(SKILLS, rng.randint(1, 3))),
                tuple(rng.sample(THEMES, rng.randint(0, 2))),
                (WeeklySlot(rng.randrange(7), time(start), time(start + rng.randint(1, 3))),),
                commitments=rng.randint(0, 3),
            )
        )
    for _ in range(10):
        wanted = VolunteerNeed(
            "i",
            rng.choice(AREAS),
            tuple(rng.sample(SKILLS, rng.randint(1, 2))),
            tuple(rng.sample(THEMES, rng.randint(0, 1))),
            (WeeklySlot(rng.randrange(7), time(18), time(21)),),
        )
        k = rng.randint(1, 15)
        fast = [(m.id, m.score) for m in index.match(wanted, k=k)]
        slow = [(m.id, m.score) for m in index.scan(wanted, k=k)]
        assert fast == slow


DENSE = [
    Area("Zuilen", "Utrecht", 52.1090, 5.1050),
    Area("Zuilen", "Utrecht"),
    Area("Ondiep", "Utrecht", 52.1010, 5.1000),
    Area("Ondiep", "Utrecht"),
    Area("Pijlsweerd", "Utrecht"),
    Area("Overvecht", "Utrecht", 52.1150, 5.1200),
    Area("Elders", "Maarssen", 52.1300, 5.0400),
    AMSTERDAM,
]


@pytest.mark.parametrize("near_limit", [200_000, 40, 0])
@pytest.mark.parametrize("seed", range(4))
def test_nearby_rounds_and_skill_postings_equal_the_scan(
    seed: int, near_limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nearby rounds, the skill-posting rounds and the related-skill round together are exact."""
    import random

    import matching.volunteers

    monkeypatch.setattr(matching.volunteers, "_FIRST_BATCH", 4)
    monkeypatch.setattr(matching.volunteers, "_NEAR_LIMIT", near_limit)
    rng = random.Random(seed)
    skills = [*SKILLS, "bakken", "zingen", "fotografie"]
    index = VolunteerIndex(GEO)
    for n in range(400):
        index.upsert(
            VolunteerProfile(
                f"v{rng.randrange(300):03d}",
                rng.choice(DENSE),
                tuple(rng.sample(skills, rng.randint(1, 3))),
                tuple(rng.sample(THEMES, rng.randint(0, 2))),
                (WeeklySlot(rng.randrange(7), time(rng.randrange(8, 20)), time(21)),),
                commitments=rng.randint(0, 3),
                active=n % 17 != 0,
            )
        )
    for _ in range(12):
        wanted = VolunteerNeed(
            "i",
            rng.choice(DENSE),
            tuple(rng.sample(skills, rng.randint(1, 3))),
            tuple(rng.sample(THEMES, rng.randint(0, 1))),
            (WeeklySlot(rng.randrange(7), time(18), time(21)),) if rng.random() < 0.8 else (),
            declined_by=frozenset({f"v{rng.randrange(300):03d}"}),
        )
        k = rng.randint(1, 12)
        fast = [(m.id, m.score) for m in index.match(wanted, k=k)]
        slow = [(m.id, m.score) for m in index.scan(wanted, k=k)]
        assert fast == slow
