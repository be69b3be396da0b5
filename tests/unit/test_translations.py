"""Dutch first: every marked message has a Dutch translation; every domain error is extracted."""

from babel.messages.pofile import read_po

from api.messages import KEYWORDS, domain_error_names, extracted, po_path
from buurtbudget.i18n import best_locale, gettext


def test_every_marked_message_has_a_dutch_translation() -> None:
    with po_path("nl").open("rb") as handle:
        catalog = read_po(handle, locale="nl")
    missing = sorted(
        {
            f"{where}: {message!r}"
            for message, where in extracted()
            if not (catalog.get(message) and catalog[message].string and not catalog[message].fuzzy)
        }
    )
    assert not missing, "untranslated (run `buurtbudget messages`, then translate):\n" + "\n".join(missing)


def test_every_domain_error_is_extracted_for_translation() -> None:
    names = set(domain_error_names())
    assert {"NotFound", "InvalidInput", "RecusedFromInitiative", "InsufficientFunds"} <= names
    assert names <= set(KEYWORDS)


def test_dutch_is_the_default_and_english_follows_the_browser() -> None:
    assert best_locale(None) == "nl"
    assert best_locale("fr-FR,fr;q=0.9") == "nl"
    assert best_locale("en-GB,en;q=0.9,nl;q=0.8") == "en"
    assert best_locale("nl-NL,en;q=0.5") == "nl"
    assert best_locale("de;q=1.0, en;q=0.2") == "en"
    assert best_locale("en;q=nonsense") == "en"


def test_english_shows_the_message_ids() -> None:
    assert gettext("Sign in", "en") == "Sign in"
    assert gettext("Sign in", "nl") == "Inloggen"
