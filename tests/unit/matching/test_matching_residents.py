"""How residents write: compounds split on the Dutch word list, lemmas, the concept lexicon (a data file)
and filler words; each case from the labelled resident-style queries over real titles."""

import pytest

from matching.lexicon import CONCEPT_LABELS_NL, CONCEPTS, FILLER_WORDS, LEXICON_FILE, THEMES
from matching.similar import InitiativeIndex
from matching.text import Analyser
from matching.types import Area, InitiativeDoc

A = Analyser()
WEST = Area("West", "Amsterdam")


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("groentetuin", ("groente", "tuin")),
        ("reparatiecafe", ("reparatie", "cafe")),
        ("buurtkoor", ("buurt", "koor")),
        ("toneelvoorstelling", ("toneel", "voorstelling")),
        ("computerles", ("computer", "les")),
        ("muziekles", ("muziek", "les")),
        ("kinderen", ()),  # a frequent word is not kind + eren
        ("moestuin", ()),  # a curated part stays whole
    ],
)
def test_compounds_split_on_the_dutch_word_list(word: str, parts: tuple[str, ...]) -> None:
    assert A.token(word).part_labels == parts


def test_lemmas_join_inflected_forms() -> None:
    assert "kapot" in A.token("kapotte").forms
    assert "verhaal" in A.token("verhalen").forms


def test_the_lexicon_is_data_with_labels_for_every_group() -> None:
    assert LEXICON_FILE.suffix == ".toml"
    assert set(THEMES) < set(CONCEPTS)
    assert set(CONCEPT_LABELS_NL) == set(CONCEPTS)
    assert {"groentetuin", "buurttuin", "tuinieren"} <= set(CONCEPTS["moestuin"])
    assert {"repair", "food"} <= {w for words in CONCEPTS.values() for w in words}


@pytest.mark.parametrize(
    ("query", "concept"),
    [
        ("groentetuin", "moestuin"),
        ("kapotte spullen", "reparatie"),
        ("repair cafe", "reparatie"),
        ("buurtkoor", "zingen"),
        ("toneel", "toneel"),
        ("laptop", "digitaal"),
        ("food", "koken"),
        ("meet up", "ontmoeten"),
    ],
)
def test_resident_words_reach_their_concept(query: str, concept: str) -> None:
    assert concept in A.concepts_of(query)


def test_filler_words_are_asked_for_only_when_nothing_else_is() -> None:
    assert {"buurt", "organiseren", "straat"} <= FILLER_WORDS
    assert [g.label for g in A.query("een buurtfeest organiseren in onze straat")] == ["feest"]
    assert [g.label for g in A.query("buurt")] == ["buurt"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("groentetuin aanleggen met de buren", "moes"),
        ("reparatiecafe voor kapotte spullen", "repair"),
        ("buurtkoor oprichten", "koor"),
        ("toneelvoorstelling met buurtbewoners", "toneel"),
        ("computerles voor ouderen", "digi"),
    ],
)
def test_resident_queries_find_the_kind_of_initiative(query: str, expected: str) -> None:
    index = InitiativeIndex()
    for doc_id, title in [
        ("moes", "Een moestuintje voor iedereen"),
        ("muren", "Groene Muren"),
        ("parkeer", "Groene parkeervakken"),
        ("repair", "Van Repair- naar Circulair Café"),
        ("koor", "Wildemanbuurtkoor"),
        ("toneel", "Voorstelling Toneelgroep JET"),
        ("film", "Ontmoet buurtbewoners tijdens filmvoorstelling"),
        ("digi", "Samen Digitaal: digitale computercursus voor iedereen in West"),
        ("uit", "Er op uit met ouderen!"),  # as in the real titles, ouderen is a common word
        ("dag", "Dagactiviteiten voor eenzame ouderen"),
        ("beweeg", "Bewegen voor ouderen"),
    ]:
        index.add(InitiativeDoc(doc_id, title, WEST))
    found = [m.id for m in index.suggest(query, k=5)]
    assert expected in found[:3], found  # the issue counts the top 5


def test_reasons_are_sentences_with_whole_words() -> None:
    index = InitiativeIndex()
    index.add(InitiativeDoc("kook", "Kooklessen voor kinderen", WEST))
    typed = {r.code: r.text for r in index.suggest("koklessen kinderen", k=1)[0].reasons}
    assert typed["shared_words"] == "Ook over kooklessen en kinderen"
    assert typed["matched_word"] == "'kooklessen' lijkt op 'koklessen', zoals je het typte"
    index.add(InitiativeDoc("repair", "Mobiele betaalbare reparatiedienst", WEST))
    loan = {r.text: r.code for r in index.suggest("kapotte spullen", k=1)[0].reasons}
    assert loan["Ook over repareren"] == "shared_words"
    assert loan["'reparatiedienst' gaat ook over repareren, net als kapotte en spullen"] == "related_word"
    for text in [*typed.values(), *loan]:
        assert "gevraagd" not in text
        assert "kinder," not in text
        assert "kook," not in text


def test_a_weakly_associated_skill_is_not_related() -> None:
    from datetime import time

    from matching.types import VolunteerNeed, VolunteerProfile, WeeklySlot
    from matching.volunteers import VolunteerIndex

    index = VolunteerIndex()
    slot = (WeeklySlot(2, time(18), time(21)),)
    index.upsert(VolunteerProfile("tolk", WEST, ("vertalen",), (), slot))
    index.upsert(VolunteerProfile("bakker", WEST, ("bakken",), (), slot))
    assert index.match(VolunteerNeed("huiswerk", WEST, ("bijles",), (), slot)) == []
    baking = index.match(VolunteerNeed("kook", WEST, ("koken",), (), slot))
    assert [m.id for m in baking] == ["bakker"]
    assert baking[0].reasons[0].code == "related_skill"
