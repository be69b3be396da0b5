"""The looks an installation ships: NL Design System token sets a municipality chooses one of.

Every look is scoped under class names on `<body>` and loads its token stylesheets after the Utrecht
token set (which every component needs as a base), so one page never mixes two municipalities' tokens.
Contrast stays at WCAG AA in each look: the browser tests scan a page in every look with axe.
"""

from dataclasses import dataclass

from buurtbudget.errors import InvalidInput
from buurtbudget.i18n import N_


@dataclass(frozen=True, slots=True)
class Theme:
    key: str
    label: str  # message id
    body_classes: str
    stylesheets: tuple[str, ...]


DEFAULT_THEME = "buurtbudget"
THEMES: dict[str, Theme] = {
    theme.key: theme
    for theme in (
        # The platform's own look: Utrecht's tokens with the Buurtbudget colours (static/css/theme.css).
        Theme(
            DEFAULT_THEME,
            N_("Buurtbudget"),
            "utrecht-theme buurtbudget-theme",
            ("/static/css/theme.css",),
        ),
        # Utrecht's published design tokens (@utrecht/design-tokens) as they are.
        Theme("utrecht", N_("Utrecht"), "utrecht-theme look-utrecht", ("/static/css/look-utrecht.css",)),
        # NL Design System's example municipality (@nl-design-system-unstable/voorbeeld-design-tokens).
        Theme(
            "voorbeeld",
            N_("Example municipality (NL Design System)"),
            "utrecht-theme voorbeeld-theme look-voorbeeld",
            ("/static/vendor/voorbeeld-tokens.css", "/static/css/look-voorbeeld.css"),
        ),
    )
}
LOGO_PREFIX = "/static/"  # the pages' Content-Security-Policy loads images from this site only
MAX_LOGO_LENGTH = 300


def theme_of(key: str | None) -> Theme:
    """The look with this key; an unknown or missing key (a theme no longer shipped) gets the default."""
    return THEMES.get(key or DEFAULT_THEME, THEMES[DEFAULT_THEME])


def check_theme(key: str) -> str:
    if key not in THEMES:
        raise InvalidInput("choose one of the themes this installation ships", field="theme")
    return key


def check_logo(url: str | None) -> str | None:
    """A logo is an image served by this installation (/static/...); empty means none."""
    url = (url or "").strip()
    if not url:
        return None
    if len(url) > MAX_LOGO_LENGTH or not url.startswith(LOGO_PREFIX) or any(c.isspace() for c in url):
        raise InvalidInput("a logo is an address on this site that starts with /static/", field="logo_url")
    return url
