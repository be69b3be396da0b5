"""Similar initiatives: ranking, reasons, duplicates, incremental updates and the exhaustive baseline."""

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.errors import AbsurdQuery, DuplicateId, EmptyQuery, InvalidValue, UnknownId
from matching.similar import InitiativeIndex, SimilarQuery
from matching.types import Area, InitiativeDoc

ONDIEP = Area("Ondiep", "Utrecht")
ZUILEN = Area("Zuilen", "Utrecht")
OOST = Area("Oost", "Amsterdam")

DOCS = [
    InitiativeDoc(
        "kook",
        "Kooklessen voor kinderen",
        ONDIEP,
        status="granted",
        year=2024,
        granted_cents=120000,
        themes=("Jeugdactiviteiten",),
        cost_lines=("ingrediënten", "huur keuken"),
        contact_consent=True,
    ),
    InitiativeDoc(
        "moes", "Buurtmoestuin aan de Kade", ZUILEN, themes=("Groen",), story="Samen groente kweken."
    ),
    InitiativeDoc("bak", "Plantenbakken in de straat", ZUILEN, themes=("Meer groen",)),
    InitiativeDoc("oud", "Dagactiviteiten voor eenzame ouderen", OOST, themes=("Eenzaamheid",)),
    InitiativeDoc("tien", "Sportavond voor tieners", OOST, themes=("Jeugd",)),
    InitiativeDoc("garden", "Community garden for kids", OOST),
    InitiativeDoc("feest", "Buurtfeest op het plein", ONDIEP, cost_lines=("springkussen", "muziek")),
    InitiativeDoc("afval", "Zwerfafval prikken met de buurt", ZUILEN, themes=("Schone buurt",)),
]


@pytest.fixture
def index() -> InitiativeIndex:
    idx = InitiativeIndex()
    for doc in DOCS:
        idx.add(doc)
    return idx


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Kooklessen voor kinderen", "kook"),  # exact
        ("koklesen kinderen", "kook"),  # typos
        ("kookles", "kook"),  # stem
        ("cooking lessons for children", "kook"),  # English
        ("moestuin in de buurt", "moes"),  # spelled-out compound
        ("buurtmoestuin", "moes"),
        ("buurtmoestiun", "moes"),  # typo in a compound
        ("groen in de straat", "bak"),  # synonym groen ~ plantenbakken, plus 'straat'
        ("ouderen ontmoeten", "oud"),  # synonym group eenzaamheid
        ("eenzaamheid", "oud"),
        ("avond voor jongeren", "tien"),  # jongeren ~ tieners
        ("garden", "garden"),
        ("zwerfvuil opruimen", "afval"),
    ],
)
def test_the_intended_initiative_ranks_first(index: InitiativeIndex, query: str, expected: str) -> None:
    found = index.suggest(query)
    assert found, query
    assert found[0].id == expected


def test_every_match_has_a_score_in_range_and_reasons(index: InitiativeIndex) -> None:
    for doc in DOCS:
        query = SimilarQuery(doc.title, doc.story, doc.cost_lines, doc.themes, doc.area, exclude_id=doc.id)
        for match in index.search(query, k=10, min_score=0.0):
            assert 0.0 <= match.score <= 1.0
            assert match.reasons
            assert all(r.code and r.text for r in match.reasons)
            assert match.id != doc.id


def test_reasons_say_what_matched(index: InitiativeIndex) -> None:
    top = index.suggest("koklessen kinderen", ZUILEN)[0]
    codes = {r.code: r for r in top.reasons}
    assert (
        codes["similar_title"].text
        == "vergelijkbare titel: 'Kooklessen voor kinderen' in Ondiep, toegekend 2024"
    )
    assert codes["similar_title"].params["granted_cents"] == 120000
    assert codes["matched_word"].params == {"found": "kooklessen", "asked": "koklessen"}
    assert "contact_possible" in codes
    related = index.suggest("tieners")[0]
    assert related.id == "tien"
    synonym = {r.code: r for r in index.suggest("isolement")[0].reasons}
    assert synonym["related_word"].params == {
        "found": "eenzame",
        "asked": "isolement",
        "theme": "eenzaamheid",
    }


def test_likely_duplicate_only_in_the_same_neighbourhood(index: InitiativeIndex) -> None:
    same = index.suggest("Buurtmoestuin aan de kade", ZUILEN)[0]
    assert same.id == "moes"
    assert same.likely_duplicate
    assert "likely_duplicate" in {r.code for r in same.reasons}
    elsewhere = index.suggest("Buurtmoestuin aan de kade", ONDIEP)[0]
    assert elsewhere.id == "moes"
    assert not elsewhere.likely_duplicate


def test_story_themes_and_cost_lines_count(index: InitiativeIndex) -> None:
    query = SimilarQuery("Kinderactiviteit", cost_lines=("huur keuken",), themes=("jeugdactiviteiten",))
    top = index.search(query)[0]
    assert top.id == "kook"
    codes = {r.code for r in top.reasons}
    assert {"similar_costs", "shared_themes"} <= codes


def test_elsewhere_only_leaves_out_the_own_neighbourhood(index: InitiativeIndex) -> None:
    found = index.search(SimilarQuery("buurt", area=ZUILEN, elsewhere_only=True), k=10, min_score=0.0)
    assert found
    assert all(m.id not in {"moes", "bak", "afval"} for m in found)


@pytest.mark.parametrize(
    ("title", "error"),
    [
        ("", EmptyQuery),
        ("   ", EmptyQuery),
        ("de het een", EmptyQuery),
        ("?!", EmptyQuery),
        ("x" * 3000, AbsurdQuery),
    ],
)
def test_bad_queries_raise_specific_errors(
    index: InitiativeIndex, title: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        index.suggest(title)


@pytest.mark.parametrize("k", [0, -1, 1001])
def test_absurd_result_counts_are_refused(index: InitiativeIndex, k: int) -> None:
    with pytest.raises(AbsurdQuery):
        index.suggest("tuin", k=k)


def test_bad_changes_raise_and_change_nothing(index: InitiativeIndex) -> None:
    with pytest.raises(DuplicateId):
        index.add(DOCS[0])
    with pytest.raises(UnknownId):
        index.remove("nope")
    with pytest.raises(InvalidValue):
        index.add(InitiativeDoc("x", " ", ZUILEN))
    assert len(index) == len(DOCS)
    assert "x" not in index


def test_add_change_remove_without_rebuild(index: InitiativeIndex) -> None:
    index.update(InitiativeDoc("bak", "Fietsenstalling bij de school", ZUILEN))
    assert index.suggest("plantenbakken")[0].id != "bak" if index.suggest("plantenbakken") else True
    assert index.suggest("fietsenstalling")[0].id == "bak"
    index.remove("moes")
    assert all(m.id != "moes" for m in index.suggest("moestuin", min_score=0.0, k=50))
    index.add(InitiativeDoc("moes2", "Moestuin voor iedereen", ONDIEP))
    assert index.suggest("moestuin")[0].id == "moes2"


TITLES = [d.title for d in DOCS] + [
    "Speeltuin opknappen",
    "Taalcafe voor nieuwkomers",
    "Bankjes op het plein",
    "Repair cafe in het buurthuis",
    "Groene daken",
    "Kookclub voor ouderen",
    "Voetbaltoernooi jongeren",
    "Bloembakken langs de gracht",
]
QUERIES = [
    "tuin",
    "kook ouderen",
    "plein bankjes",
    "jongeren sport",
    "groen",
    "repair",
    "buurt feest",
    "spelen",
]
AREAS = [ONDIEP, ZUILEN, OOST]

ops_strategy = st.lists(
    st.tuples(
        st.sampled_from(["add", "update", "remove"]),
        st.integers(0, 15),
        st.sampled_from(TITLES),
        st.integers(0, 2),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=40, deadline=None)
@given(ops_strategy)
def test_incremental_index_equals_a_fresh_build(ops: list[tuple[str, int, str, int]]) -> None:
    live = InitiativeIndex()
    state: dict[str, InitiativeDoc] = {}
    for op, n, title, area in ops:
        doc = InitiativeDoc(f"d{n}", title, AREAS[area], themes=(title.split()[0],))
        if op == "remove":
            if doc.id in state:
                live.remove(doc.id)
                del state[doc.id]
        elif doc.id in state:
            live.update(doc)
            state[doc.id] = doc
        else:
            live.add(doc)
            state[doc.id] = doc
    fresh = InitiativeIndex()
    for doc in sorted(state.values(), key=lambda d: d.id, reverse=True):
        fresh.add(doc)
    assert len(live) == len(fresh) == len(state)
    for query in QUERIES:
        a = [(m.id, m.score) for m in live.suggest(query, ZUILEN, k=10, min_score=0.0)]
        b = [(m.id, m.score) for m in fresh.suggest(query, ZUILEN, k=10, min_score=0.0)]
        assert a == b, query


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(TITLES), st.integers(0, 2)), min_size=1, max_size=30),
    st.sampled_from([*QUERIES, "kookklub", "speltuin", "plantebakken", "community"]),
    st.integers(1, 8),
    st.none() | st.integers(0, 9),
    st.booleans(),
)
def test_index_search_equals_the_exhaustive_scan(
    docs: list[tuple[str, int]], query: str, k: int, exclude: int | None, elsewhere: bool
) -> None:
    index = InitiativeIndex()
    for n, (title, area) in enumerate(docs):
        index.add(InitiativeDoc(f"d{n:02d}", title, AREAS[area]))
    fast = [(m.id, m.score, m.likely_duplicate) for m in index.suggest(query, ONDIEP, k=k)]
    slow = [(m.id, m.score, m.likely_duplicate) for m in index.scan(SimilarQuery(query, area=ONDIEP), k=k)]
    assert fast == slow
    # the options the platform passes: leave out the initiative itself (the plain search's n-th
    # result, else an id that did not rank or is unknown) and/or its own neighbourhood
    ranked = [m[0] for m in slow]
    own = None if exclude is None else ranked[exclude] if exclude < len(ranked) else f"d{exclude:02d}"
    limited = SimilarQuery(query, area=ONDIEP, exclude_id=own, elsewhere_only=elsewhere)
    fast = [(m.id, m.score, m.likely_duplicate) for m in index.search(limited, k=k)]
    slow = [(m.id, m.score, m.likely_duplicate) for m in index.scan(limited, k=k)]
    assert fast == slow
    assert own not in {m[0] for m in fast}


STORIES = ["Samen koken en eten", "Bloemen planten in de straat", "Sporten met de buurt", ""]
COSTS = [("huur zaal",), ("materiaal", "koffie en thee"), ("planten", "aarde"), ()]
THEME_NAMES = [("Groen",), ("Jeugd",), ("Eenzaamheid",), ()]


def _random_docs(seed: int, n: int) -> list[InitiativeDoc]:
    import random

    rng = random.Random(seed)
    return [
        InitiativeDoc(
            f"d{i:03d}",
            rng.choice(TITLES) + ("" if rng.random() < 0.5 else " " + rng.choice(QUERIES)),
            rng.choice(AREAS),
            story=rng.choice(STORIES),
            cost_lines=rng.choice(COSTS),
            themes=rng.choice(THEME_NAMES),
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("shared", [True, False], ids=["shared texts", "every field costly"])
@pytest.mark.parametrize("seed", range(4))
def test_pruned_search_equals_the_exhaustive_scan(
    seed: int, shared: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The MaxScore path (seed floor, skipped frequent terms, two-step rerank) returns the scan's top k.

    Exact by construction: a document holding none of the essential terms scores at most the
    skipped terms' joint bound, which stays below a score k documents already reach. Without shared
    texts every field is costly: their scores are summed per document across the fields.
    """
    import random

    import matching.rerank
    import matching.similar
    import matching.textfield

    if not shared:
        monkeypatch.setattr(matching.textfield, "SHARED_RATIO", 1_000_000)

    monkeypatch.setattr(matching.similar, "DIRECT_DOCS", 0)
    monkeypatch.setattr(matching.similar, "SEED_DOCS", 20)
    monkeypatch.setattr(matching.similar, "SEED_EXACT", 8)
    monkeypatch.setattr(matching.similar, "SKIP_SHARE", 1.0)
    monkeypatch.setattr(matching.rerank, "FIRST_BATCH", 4)
    docs = _random_docs(seed, 240)
    index = InitiativeIndex()
    index.add_many(docs[:100])
    for doc in docs[100:]:
        index.add(doc)
    for doc in docs[:40]:
        index.remove(doc.id)
    rng = random.Random(seed)
    options = random.Random(seed + 1000)  # its own stream, so the plain queries stay the same
    for _ in range(10):
        query = SimilarQuery(
            rng.choice([*QUERIES, "kookklub", "speltuin"]),
            story=rng.choice(STORIES),
            cost_lines=rng.choice(COSTS),
            themes=rng.choice(THEME_NAMES),
            area=rng.choice(AREAS),
        )
        k = rng.randint(1, 10)
        fast = [(m.id, m.score) for m in index.search(query, k=k)]
        slow = [(m.id, m.score) for m in index.scan(query, k=k)]
        assert fast == slow, query
        # the options the platform passes; excluding a winner (often) moves the floor and the top k
        own = options.choice([None, options.choice(docs).id, *(m[0] for m in slow)])
        limited = replace(query, exclude_id=own, elsewhere_only=options.random() < 0.5)
        fast = [(m.id, m.score) for m in index.search(limited, k=k)]
        slow = [(m.id, m.score) for m in index.scan(limited, k=k)]
        assert fast == slow, limited
        assert own not in {m[0] for m in fast}


def test_bulk_build_equals_adding_one_by_one() -> None:
    docs = _random_docs(7, 120)
    one = InitiativeIndex()
    for doc in docs:
        one.add(doc)
    bulk = InitiativeIndex()
    bulk.add_many(docs[:50])
    bulk.add_many(docs[50:])
    for query in QUERIES:
        a = [(m.id, m.score, m.reasons) for m in one.suggest(query, ZUILEN, k=10)]
        b = [(m.id, m.score, m.reasons) for m in bulk.suggest(query, ZUILEN, k=10)]
        assert a == b


def test_bulk_build_refuses_duplicates_and_changes_nothing(index: InitiativeIndex) -> None:
    with pytest.raises(DuplicateId):
        index.add_many([InitiativeDoc("new", "Nieuw plan", ZUILEN), InitiativeDoc("new", "Nog een", ZUILEN)])
    with pytest.raises(InvalidValue):
        index.add_many([InitiativeDoc("new", "Nieuw plan", ZUILEN), InitiativeDoc("x", "  ", ZUILEN)])
    assert "new" not in index
    assert len(index) == len(DOCS)
