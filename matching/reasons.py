"""Reason objects: a stable code with parameters, plus a default Dutch text the platform may replace."""

from matching.types import ParamValue, Reason

WEEKDAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
DAY_PARTS_NL = {"morning": "ochtend", "afternoon": "middag", "evening": "avond", "night": "nacht"}

# Default Dutch texts; the platform translates by code (and params) through its gettext catalogs.
TEMPLATES_NL: dict[str, str] = {
    "can_do": "kan: {skill} (gevraagd: {asked})",
    "related_skill": "kan iets verwants: {skill} (gevraagd: {asked})",
    "available": "vrij op {weekday_nl}{part_nl} ({hours_nl} uur overlap)",
    "available_on_date": "vrij op {date} ({hours_nl} uur overlap)",
    "same_neighbourhood": "woont in dezelfde buurt ({neighbourhood})",
    "adjacent_neighbourhood": "woont in de aangrenzende buurt {neighbourhood}",
    "same_municipality": "woont in dezelfde gemeente ({municipality})",
    "located_same_neighbourhood": "in dezelfde buurt ({neighbourhood})",
    "located_adjacent_neighbourhood": "in de aangrenzende buurt {neighbourhood}",
    "located_same_municipality": "in dezelfde gemeente ({municipality})",
    "distance_km": "op {km_nl} km afstand",
    "shared_theme": "vindt ook belangrijk: {theme}",
    "has_time": "heeft tijd ({commitments} van {max_commitments} klussen)",
    "fits_people": "past voor {people} mensen (maximaal {capacity})",
    "wheelchair_accessible": "rolstoeltoegankelijk",
    "accessible_toilet": "met invalidentoilet",
    "has_facility": "heeft: {facility}",
    "free_of_charge": "gratis",
    "price_per_hour": "€ {euros_nl} per uur",
    "open_and_free": "open en vrij op het gevraagde moment",
    "similar_title": "vergelijkbare titel: '{title}' in {neighbourhood}{status_nl}",
    "matched_word": "'{found}' lijkt op '{asked}', zoals je het typte",
    "related_word": "'{found}' gaat ook over {theme}, net als {asked}",
    "shared_words": "Ook over {words}",
    "similar_story": "vergelijkbaar verhaal: {words}",
    "similar_costs": "vergelijkbare begroting: {words}",
    "shared_themes": "zelfde thema: {themes}",
    "likely_duplicate": "lijkt op een bestaand initiatief in dezelfde buurt",
    "contact_possible": "de initiatiefnemer wil contact",
}


def _euros(cents: int) -> str:
    euros, rest = divmod(cents, 100)
    whole = f"{euros:,}".replace(",", ".")
    return whole if rest == 0 else f"{whole},{rest:02d}"


def _decimal_nl(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _extras(code: str, params: dict[str, ParamValue]) -> dict[str, ParamValue]:
    extra: dict[str, ParamValue] = {}
    if "weekday" in params:
        extra["weekday_nl"] = WEEKDAYS_NL[int(params["weekday"])]
        extra["part_nl"] = DAY_PARTS_NL.get(str(params.get("part", "")), "")
    if "hours" in params:
        extra["hours_nl"] = _decimal_nl(float(params["hours"]))
    if "km" in params:
        extra["km_nl"] = _decimal_nl(float(params["km"]))
    if "cents" in params:
        extra["euros_nl"] = _euros(int(params["cents"]))
    if code == "similar_title":
        status = str(params.get("status", ""))
        year = params.get("year")
        if status == "granted":
            extra["status_nl"] = f", toegekend {year}" if year else ", toegekend"
        else:
            extra["status_nl"] = f" ({year})" if year else ""
    return extra


def reason(code: str, **params: ParamValue) -> Reason:
    """Build a reason with its default Dutch text."""
    fill = {**params, **_extras(code, params)}
    return Reason(code, params, TEMPLATES_NL[code].format(**fill))
