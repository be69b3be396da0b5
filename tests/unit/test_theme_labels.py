"""Themes are stored as Dutch keys and shown by their labels, in the reader's language; a theme a
resident typed in is shown as typed."""

import pytest

from buurtbudget.initiatives.themes import THEMES, theme_label, theme_labels
from buurtbudget.similar.documents import Card
from buurtbudget.similar.texts import reason_text
from matching import Reason


@pytest.mark.parametrize(
    ("key", "locale", "label"),
    [
        ("jeugd", "nl", "kinderen en jongeren"),
        ("jeugd", "en", "children and young people"),
        ("ontmoeting", "en", "meeting each other"),
        ("zitplekken", "en", "zitplekken"),  # typed by a resident: its own label
    ],
)
def test_a_theme_is_shown_by_its_label(key: str, locale: str, label: str) -> None:
    assert theme_label(key, locale) == label


def test_every_key_has_a_label() -> None:
    assert [theme_label(key, "en") for key in THEMES] == list(THEMES.values())
    assert theme_labels(["groen", "jeugd"], "en") == ["green", "children and young people"]


def test_the_same_theme_reason_names_labels_not_keys() -> None:
    reason = Reason("shared_themes", {"themes": "jeugd, buurtfeest"}, "zelfde thema: jeugd, buurtfeest")
    card = Card(1, "Kookclub", 1, "Zuilen", "Utrecht", "submitted", 0, 2026, False)
    assert reason_text(reason, card, "nl") == "zelfde thema: kinderen en jongeren, buurtfeest"
    assert reason_text(reason, card, "en") == "same theme: children and young people, buurtfeest"
