"""The pure checks of places: CBS codes, postcodes, slugs, and text folded for searching."""

import re
import unicodedata

MUNICIPALITY_CODE = re.compile(r"GM\d{4}")
NEIGHBOURHOOD_CODE = re.compile(r"BU\d{8}")  # a buurt
DISTRICT_CODE = re.compile(r"WK\d{6}")  # a wijk, also a neighbourhood of the platform (a pot per wijk)
POSTCODE = re.compile(r"(\d{4})\s*([A-Za-z]{2})?")
LETTERS_NOT_USED = {"SA", "SD", "SS"}  # PostNL never gives these letter pairs


def is_municipality_code(code: str) -> bool:
    return MUNICIPALITY_CODE.fullmatch(code) is not None


def is_neighbourhood_code(code: str) -> bool:
    """A buurt (`BU` + 8 digits) or a wijk (`WK` + 6 digits)."""
    return NEIGHBOURHOOD_CODE.fullmatch(code) is not None or DISTRICT_CODE.fullmatch(code) is not None


def is_district_code(code: str) -> bool:
    return DISTRICT_CODE.fullmatch(code) is not None


def belongs_to(code: str, municipality_code: str) -> bool:
    """Whether a buurt or wijk code carries the municipality's four digits (BU0344xxxx in GM0344)."""
    return code[2:6] == municipality_code[2:6]


def postcode(text: str) -> str | None:
    """`3552 AB`, `3552ab` as `3552AB`; a 4-digit area `3552` as itself; anything else None."""
    found = POSTCODE.fullmatch(text.strip())
    if found is None or found.group(1).startswith("0"):
        return None
    letters = (found.group(2) or "").upper()
    if letters in LETTERS_NOT_USED:
        return None
    return found.group(1) + letters


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def folded(text: str) -> str:
    """Lower case without accents or punctuation, for comparing names: `Zuilen-Oost` ~ `zuilen oost`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).split())
