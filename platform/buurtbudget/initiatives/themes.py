"""The themes an initiative can have: stored as Dutch keys (the data's language), shown by their label."""

from collections.abc import Iterable

from buurtbudget.i18n import N_, gettext

# key -> message id of the label people read; a theme a resident typed in is its own label.
THEMES = {
    "groen": N_("green"),
    "ontmoeting": N_("meeting each other"),
    "jeugd": N_("children and young people"),
    "ouderen": N_("elderly people"),
    "cultuur": N_("culture"),
    "sport": N_("sport"),
    "veiligheid": N_("safety"),
}


def theme_label(key: str, locale: str) -> str:
    """What people read for a stored theme: the label of a known key, the typed text of any other."""
    label = THEMES.get(key)
    return key if label is None else gettext(label, locale)


def theme_labels(keys: Iterable[str], locale: str) -> list[str]:
    return [theme_label(key, locale) for key in keys]


def theme_options(also: Iterable[str] = ()) -> dict[str, str]:
    """The known themes, and any other keys in `also` (typed in by residents), each with the message id
    (or the text) people read: what a form offers to choose from."""
    return {**THEMES, **{key: key for key in also if key not in THEMES}}
