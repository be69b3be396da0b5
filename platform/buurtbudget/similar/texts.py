"""The engine's reasons as sentences in the reader's language (by reason code, through gettext)."""

from buurtbudget.i18n import N_, gettext
from buurtbudget.initiatives.themes import theme_labels
from buurtbudget.similar.documents import Card
from matching import Reason

REASONS = {
    "similar_title": N_("similar title: '{title}' in {neighbourhood}"),
    "shared_words": N_("Also about {words}"),
    "matched_word": N_("'{found}' is like '{asked}', as you typed it"),
    "related_word": N_("'{found}' is also about {theme}, as is {asked}"),
    "similar_story": N_("similar story: {words}"),
    "similar_costs": N_("similar budget: {words}"),
    "shared_themes": N_("same theme: {themes}"),
    "likely_duplicate": N_("looks like an existing initiative in the same neighbourhood"),
    "contact_possible": N_("the initiator is open to contact"),
}
GRANTED_IN = N_(", granted {year}")
IN_YEAR = N_(" ({year})")


def place(card: Card, own_municipality: str | None) -> str:
    """The neighbourhood, with its municipality when that is not the reader's own."""
    if own_municipality is not None and card.municipality == own_municipality:
        return card.neighbourhood
    return f"{card.neighbourhood} ({card.municipality})"


def reason_text(reason: Reason, card: Card, locale: str, own_municipality: str | None = None) -> str:
    """One reason as a sentence; a reason the platform does not know keeps the engine's Dutch text."""
    template = REASONS.get(reason.code)
    if template is None:
        return reason.text
    params = {key: str(value) for key, value in reason.params.items()}
    params["neighbourhood"] = place(card, own_municipality)
    if reason.code == "shared_themes":  # the engine names the stored keys; people read the labels
        params["themes"] = ", ".join(theme_labels(params.get("themes", "").split(", "), locale))
    text = gettext(template, locale).format_map(_Missing(params))
    if reason.code == "similar_title":
        suffix = GRANTED_IN if card.granted_cents else IN_YEAR
        text += gettext(suffix, locale).format(year=card.year)
    return text


class _Missing(dict[str, str]):
    """Format parameters where an unknown name stays empty instead of failing."""

    def __missing__(self, key: str) -> str:
        return ""
