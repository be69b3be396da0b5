"""Reading the pot pages' forms: Dutch euro amounts, dates, themes; an error message id per field (pure)."""

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date

from api.initiatives.form_input import AMOUNT_ERROR, parse_amount
from api.pages.form_errors import is_one_line, whole_number
from api.schemas import FIRST_DAY, LAST_DAY
from buurtbudget.i18n import N_
from buurtbudget.pots.guide import GuideInput

Getter = Callable[[str], str]

NAME_ERROR = N_("Give the pot a name of at most 120 characters, on one line.")
NEIGHBOURHOOD_ERROR = N_("Choose a neighbourhood.")
DAY_ERROR = N_("Fill in a date, like 2026-01-31.")
THEME_ERROR = N_("Choose a theme.")
MEMO_ERROR = N_("Write the note on one line, in at most 300 characters.")
SEATS_ERROR = N_("Fill in a whole number of jurors from 1 to 25.")
TEXT_ERROR = N_("Write at most 5000 characters.")


@dataclass
class Read:
    """What a form said: its values as typed, the errors by field, and the parsed content."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)


def _amount(text: str, name: str, errors: dict[str, str], *, optional: bool = False) -> int | None:
    """Euros as typed ("1.234,56") into cents; an error when unreadable, zero or (unless optional) empty."""
    if optional and not text.strip():
        return None
    cents = parse_amount(text)
    if cents is None or cents <= 0:
        errors[name] = AMOUNT_ERROR
        return None
    return cents


def _day(text: str, name: str, errors: dict[str, str], *, optional: bool = False) -> date | None:
    if optional and not text.strip():
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        errors[name] = DAY_ERROR
        return None
    if not FIRST_DAY <= day <= LAST_DAY:
        errors[name] = DAY_ERROR
        return None
    return day


@dataclass(frozen=True, slots=True)
class PotPlan:
    neighbourhood_id: int
    name: str
    period_start: date
    period_end: date


@dataclass
class NewPot(Read):
    plan: PotPlan | None = None


def new_pot(get: Getter) -> NewPot:
    """Whether the neighbourhood is the actor's to choose is the service's question (403 if not)."""
    read = NewPot({name: get(name) for name in ("neighbourhood_id", "name", "period_start", "period_end")})
    neighbourhood_id = whole_number(get("neighbourhood_id"), minimum=1)
    if neighbourhood_id is None:
        read.errors["neighbourhood_id"] = NEIGHBOURHOOD_ERROR
    name = get("name").strip()
    if not name or len(name) > 120 or not is_one_line(name):
        read.errors["name"] = NAME_ERROR
    start = _day(get("period_start"), "period_start", read.errors)
    end = _day(get("period_end"), "period_end", read.errors)
    if neighbourhood_id is not None and start is not None and end is not None and not read.errors:
        read.plan = PotPlan(neighbourhood_id, name, start, end)
    return read


@dataclass
class Funding(Read):
    amount_cents: int | None = None
    memo: str = ""


def funding(get: Getter) -> Funding:
    read = Funding({"amount": get("amount"), "memo": get("memo")})
    read.amount_cents = _amount(get("amount"), "amount", read.errors)
    read.memo = get("memo").strip()
    if len(read.memo) > 300 or not is_one_line(read.memo):
        read.errors["memo"] = MEMO_ERROR
    return read


@dataclass
class ThemeBudget(Read):
    theme: str = ""
    amount_cents: int | None = None


def theme_budget(get: Getter, themes: Collection[str]) -> ThemeBudget:
    read = ThemeBudget({"theme": get("theme"), "amount": get("amount")})
    read.theme = get("theme").strip()
    if read.theme not in themes:
        read.errors["theme"] = THEME_ERROR
    read.amount_cents = _amount(get("amount"), "amount", read.errors)
    return read


@dataclass
class FastTrack(Read):
    threshold_cents: int | None = None
    seats: int | None = None


def fast_track(get: Getter) -> FastTrack:
    read = FastTrack({"threshold": get("threshold"), "seats": get("seats")})
    read.threshold_cents = _amount(get("threshold"), "threshold", read.errors, optional=True)
    read.seats = whole_number(get("seats"), minimum=1, maximum=25)
    if read.seats is None:
        read.errors["seats"] = SEATS_ERROR
    return read


@dataclass
class Guide(Read):
    guide: GuideInput | None = None


def guide(get: Getter) -> Guide:
    names = ("max_per_initiative", "criteria", "next_round_on", "payment_text")
    read = Guide({name: get(name) for name in names})
    maximum = _amount(get("max_per_initiative"), "max_per_initiative", read.errors, optional=True)
    next_round = _day(get("next_round_on"), "next_round_on", read.errors, optional=True)
    for name in ("criteria", "payment_text"):
        if len(get(name).strip()) > 5000:
            read.errors[name] = TEXT_ERROR
    if not read.errors:
        read.guide = GuideInput(maximum, get("criteria"), next_round, get("payment_text"))
    return read
