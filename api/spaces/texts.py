"""What the pages say about spaces: facility names, weekdays and the engine's reasons, in both languages."""

from collections.abc import Callable

from buurtbudget.i18n import N_, gettext
from matching import Reason, default_catalogues

FACILITY_LABELS = {
    "keuken": N_("kitchen"),
    "beamer": N_("projector"),
    "tuin": N_("garden or outdoor space"),
    "wifi": N_("wifi"),
    "geluidsinstallatie": N_("sound system"),
    "piano": N_("piano"),
    "podium": N_("stage"),
    "parkeren": N_("parking"),
    "koffie": N_("coffee and tea"),
    "kinderhoek": N_("children's corner"),
    "opslag": N_("storage"),
}
WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
# The engine explains in Dutch; these say the same in the visitor's language (codes from matching.reasons).
REASONS = {
    "fits_people": N_("fits {people} people (up to {capacity})"),
    "open_and_free": N_("open and free at the time asked"),
    "wheelchair_accessible": N_("wheelchair accessible"),
    "accessible_toilet": N_("with an accessible toilet"),
    "has_facility": N_("has: {facility}"),
    "free_of_charge": N_("free of charge"),
    "price_per_hour": N_("{price} per hour"),
    "located_same_neighbourhood": N_("in the same neighbourhood ({neighbourhood})"),
    "located_adjacent_neighbourhood": N_("in the neighbouring {neighbourhood}"),
    "located_same_municipality": N_("in the same municipality ({municipality})"),
    "distance_km": N_("{km} km away"),
}


def facility_label(code: str, locale: str) -> str:
    """A facility's name in the visitor's language (the catalogue's Dutch label for codes we do not know)."""
    if code in FACILITY_LABELS:
        return gettext(FACILITY_LABELS[code], locale)
    entries = default_catalogues().facilities.entries
    return entries[code].label if code in entries else code


def facility_code_of(label: str) -> str | None:
    """The code whose Dutch label (as the engine's reasons use it) is this, if any."""
    return next(
        (code for code, entry in default_catalogues().facilities.entries.items() if entry.label == label),
        None,
    )


def reason_text(reason: Reason, locale: str, money: Callable[[int], str]) -> str:
    """One reason in the visitor's language; codes we do not know keep the engine's Dutch text."""
    template = REASONS.get(reason.code)
    if template is None:
        return reason.text
    params = {key: str(value) for key, value in reason.params.items()}
    if "facility" in params:
        code = facility_code_of(params["facility"])
        params["facility"] = facility_label(code, locale) if code else params["facility"]
    if "cents" in reason.params:
        params["price"] = money(int(reason.params["cents"]))
    if "km" in reason.params:
        km = f"{float(reason.params['km']):.1f}".rstrip("0").rstrip(".")
        params["km"] = km.replace(".", ",") if locale == "nl" else km
    try:
        return gettext(template, locale).format(**params)
    except (KeyError, IndexError, ValueError):  # a parameter the engine no longer sends
        return reason.text
