"""Dutch-first text analysis: normalising, stop words, stemming, compounds, synonyms, typos."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching.fuzzy import FuzzyVocabulary
from matching.text import CONCEPT_PREFIX, content_words, default_analyser, normalise

A = default_analyser()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Buurtmoestuin", "buurtmoestuin"),
        ("CAFÉ Één", "cafe een"),
        ("Financiële training", "financiele training"),
        ("ĳsbaan", "ijsbaan"),
        ("Zeeën, ruïne & coördinatie", "zeeen, ruine & coordinatie"),
    ],
)
def test_normalise_lowercases_and_folds_accents(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("De moestuin in de buurt", ["moestuin", "buurt"]),
        ("Een plek voor het plein", ["plek", "plein"]),
        ("A garden for the kids", ["garden", "kids"]),
        ("pizza's en meer", ["pizza"]),
    ],
)
def test_stop_words_and_single_letters_are_dropped(text: str, expected: list[str]) -> None:
    assert content_words(text) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("moestuinen", "moestuin"),
        ("kinderen", "kinder"),
        ("straten", "straat"),
        ("pleinen", "plein"),
        ("gardens", "garden"),  # English stems too
        ("cooking", "cook"),
    ],
)
def test_snowball_stemming_joins_word_forms(a: str, b: str) -> None:
    assert set(A.token(a).forms) & set(A.token(b).forms)


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("buurtmoestuin", ("buurt", "moestuin")),
        ("speeltuin", ("speel", "tuin")),
        ("kooklessen", ("kook", "lessen")),
        ("buurtfeest", ("buurt", "feest")),
        ("jongerenwerk", ("jongeren", "werk")),
        ("moestuin", ()),  # a known word stays whole
        ("amsterdam", ()),
    ],
)
def test_compounds_split_into_known_parts(word: str, parts: tuple[str, ...]) -> None:
    assert A.token(word).part_labels == parts


def test_compound_and_its_spelled_out_form_share_every_query_group() -> None:
    doc = A.analyse("Moestuin in de buurt").terms
    for group in A.query("buurtmoestuin"):
        assert group.exact & doc, group.label
    doc = A.analyse("Buurtmoestuin").terms
    for group in A.query("moestuin in de buurt"):
        assert group.exact & doc, group.label


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("eenzaamheid", "eenzaamheid"),
        ("ouderen ontmoeten elkaar", "eenzaamheid"),
        ("groen", "groen"),
        ("tuin", "groen"),
        ("plantenbakken", "groen"),
        ("community garden", "groen"),
        ("jongeren", "jongeren"),
        ("tieners", "jongeren"),
        ("teenagers", "jongeren"),
        ("kookles", "eten"),
    ],
)
def test_synonym_groups_become_shared_concepts(text: str, concept: str) -> None:
    assert concept in A.concepts_of(text)
    assert CONCEPT_PREFIX + concept in A.analyse(text).terms


def test_ouderen_alone_is_not_eenzaamheid_but_the_phrase_is() -> None:
    assert "eenzaamheid" not in A.concepts_of("ouderen")
    assert "eenzaamheid" in A.concepts_of("ouderen ontmoeten")


def test_typos_are_found_through_trigrams() -> None:
    vocab = FuzzyVocabulary()
    for word in ["moestuin", "speeltuin", "kooklessen", "plantenbakken", "jongeren", "tuin"]:
        vocab.add(word)
    assert vocab.similar("moestiun")[0][0] == "moestuin"
    assert vocab.similar("koklessen")[0][0] == "kooklessen"
    assert vocab.similar("plantebakken")[0][0] == "plantenbakken"
    assert vocab.similar("xyzzy") == []
    assert vocab.similar("tui") == []  # too short to guess


words_strategy = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), max_size=60)


@given(words_strategy)
def test_normalise_is_idempotent(text: str) -> None:
    assert normalise(normalise(text)) == normalise(text)


@given(words_strategy)
def test_every_query_group_is_satisfied_by_its_own_text(text: str) -> None:
    terms = A.analyse(text).terms
    for group in A.query(text):
        assert group.exact & terms


@given(
    st.lists(
        st.sampled_from(["kook", "les", "buurt", "tuin", "moes", "feest", "speel"]), min_size=2, max_size=3
    )
)
def test_compounds_of_known_parts_split_back(parts: list[str]) -> None:
    word = "".join(parts)
    labels = A.token(word).part_labels
    assert "".join(labels) == word or labels == ()


@pytest.mark.parametrize(
    "text",
    ["Café\u00a0de Buurt", "moestuin\tin  de\nwijk", "Speeltuin-opknappen (2024)!", "  ", "één ĳsbaan"],
)
def test_words_read_per_chunk_equal_the_words_of_the_whole_text(text: str) -> None:
    assert [info.surface for info in A.infos(text)] == content_words(text)


@given(st.text(alphabet="aé bc\u00a0\t-ĳ1", max_size=30))
def test_cached_analysis_equals_a_fresh_one(text: str) -> None:
    assert A.analyse(text, cache=False) == A.analyse(text) == A._analyse(text)
