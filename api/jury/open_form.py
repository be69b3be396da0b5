"""The form that opens a round, read into a `RoundPlan`: every bad value gets its own message at its field.

Pure: text in, a plan or message ids by field out. Euros are read by the initiative form's reader
(`parse_amount`); moments are typed in Amsterdam time and become UTC.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from api.initiatives.form_input import AMOUNT_ERROR, parse_amount
from api.pages.form_errors import is_one_line, whole_number
from api.schemas import FIRST_DAY, LAST_DAY
from buurtbudget.i18n import N_
from buurtbudget.jury.allocation import Rule, TieBreak
from buurtbudget.jury.ballots import BallotKind, BallotRules
from buurtbudget.jury.rounds import RoundPlan
from buurtbudget.workdays import AMSTERDAM

TEXT_FIELDS = (
    "name",
    "mode",
    "track",
    "amount",
    "ballot_kind",
    "max_approvals",
    "max_total",
    "max_score",
    "points",
    "rule",
    "tie_break",
    "voting_opens_at",
    "voting_closes_at",
    "deliberation_opens_at",
    "decision_due_on",
    "seats",
    "quorum",
    "min_support",
    "partial_grants",
)
# The service names some fields by what they hold; the form by what is typed.
FORM_FIELD = {"amount_cents": "amount", "max_total_cents": "max_total", "reason": "name"}

NAME_ERROR = N_("Give the round a name of 3 to 120 characters, on one line.")
CHOICE_ERROR = N_("Choose one of the options.")
INITIATIVES_ERROR = N_("Choose at least one initiative for the ballot.")
MOMENT_ERROR = N_("Fill in a date and time, like 2026-03-14T20:00.")
DAY_ERROR = N_("Fill in a date, like 2026-03-31, or leave this empty.")
APPROVALS_ERROR = N_("Fill in a whole number from 1 to 200, or leave this empty.")
SCORE_ERROR = N_("Fill in a whole number from 1 to 100.")
POINTS_ERROR = N_("Fill in a whole number from 1 to 1000.")
SEATS_ERROR = N_("Fill in a whole number of seats from 1 to 100, or leave this empty.")
QUORUM_ERROR = N_("Fill in a whole number of ballots from 1 to 10000, or leave this empty.")
SUPPORT_ERROR = N_("Fill in a whole number from 0 to 1000000.")
OPTIONAL_AMOUNT_ERROR = N_("Fill in an amount in euros, like 250 or 12,50, or leave this empty.")
MAX_CENTS = 10**12  # a trillion cents: a typing error, not a budget


@dataclass
class OpenForm:
    """The typed values (text by field, the chosen initiatives) and, once read, the plan or the errors."""

    values: dict[str, str]
    initiative_ids: list[int]
    errors: dict[str, str] = field(default_factory=dict)
    plan: RoundPlan | None = None


def defaults() -> dict[str, str]:
    return {
        "mode": "jury",
        "track": "regular",
        "ballot_kind": BallotKind.APPROVAL.value,
        "max_score": "10",
        "points": "10",
        "rule": Rule.GREEDY.value,
        "tie_break": TieBreak.LEXICOGRAPHIC.value,
        "min_support": "1",
        "partial_grants": "ja",
    }


def moment(text: str) -> datetime | None:
    """`2026-03-14T20:00` in Amsterdam time as an aware UTC moment; None when unreadable."""
    try:
        found = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if found.tzinfo is not None or not FIRST_DAY <= found.date() <= LAST_DAY:
        return None
    return found.replace(tzinfo=AMSTERDAM).astimezone(UTC)


def amsterdam_text(value: datetime) -> str:
    """A moment as the form shows it: Amsterdam time, to the minute."""
    return value.astimezone(AMSTERDAM).strftime("%Y-%m-%dT%H:%M")


def _day(text: str) -> date | None:
    try:
        found = date.fromisoformat(text.strip())
    except ValueError:
        return None
    return found if FIRST_DAY <= found <= LAST_DAY else None


def _choice(values: Mapping[str, str], name: str, options: Sequence[str], errors: dict[str, str]) -> str:
    chosen = values.get(name, "")
    if chosen not in options:
        errors[name] = CHOICE_ERROR
    return chosen


def _number(
    values: Mapping[str, str], name: str, message: str, errors: dict[str, str], *, lowest: int, highest: int
) -> int | None:
    """A whole number, or None when left empty; an error when typed but out of range."""
    text = values.get(name, "").strip()
    if not text:
        return None
    number = whole_number(text, minimum=lowest, maximum=highest)
    if number is None:
        errors[name] = message
    return number


def _ballot_rules(text: Mapping[str, str], errors: dict[str, str]) -> BallotRules | None:
    kind = _choice(text, "ballot_kind", [k.value for k in BallotKind], errors)
    max_approvals = _number(text, "max_approvals", APPROVALS_ERROR, errors, lowest=1, highest=200)
    max_total = None
    if text["max_total"].strip():
        max_total = parse_amount(text["max_total"])
        if max_total is None or not 0 < max_total <= MAX_CENTS:
            errors["max_total"] = OPTIONAL_AMOUNT_ERROR
    max_score = _number(text, "max_score", SCORE_ERROR, errors, lowest=1, highest=100)
    points = _number(text, "points", POINTS_ERROR, errors, lowest=1, highest=1000)
    if kind not in {k.value for k in BallotKind}:
        return None
    return BallotRules(
        BallotKind(kind),
        max_approvals=max_approvals,
        max_total_cents=max_total,
        max_score=max_score or 10,
        points=points or 10,
    )


def _dates(
    text: Mapping[str, str], errors: dict[str, str]
) -> tuple[datetime | None, datetime | None, datetime | None, date | None]:
    """Voting opens and closes (required), the deliberation and the decision's day (optional)."""
    opens, closes = moment(text["voting_opens_at"]), moment(text["voting_closes_at"])
    for key, found in (("voting_opens_at", opens), ("voting_closes_at", closes)):
        if found is None:
            errors[key] = MOMENT_ERROR
    deliberation = None
    if text["deliberation_opens_at"].strip():
        deliberation = moment(text["deliberation_opens_at"])
        if deliberation is None:
            errors["deliberation_opens_at"] = MOMENT_ERROR
    due = None
    if text["decision_due_on"].strip():
        due = _day(text["decision_due_on"])
        if due is None:
            errors["decision_due_on"] = DAY_ERROR
    return opens, closes, deliberation, due


def read(values: Mapping[str, str], chosen: Sequence[str]) -> OpenForm:
    """The form's text as a plan, or the message id of every bad value by its field."""
    form = OpenForm(values={name: str(values.get(name, "")) for name in TEXT_FIELDS}, initiative_ids=[])
    errors = form.errors
    text = form.values
    name = text["name"].strip()
    if not 3 <= len(name) <= 120 or not is_one_line(name):
        errors["name"] = NAME_ERROR
    mode = _choice(text, "mode", ("jury", "open"), errors)
    track = _choice(text, "track", ("regular", "fast"), errors)
    ids = [whole_number(i, minimum=1) for i in chosen]
    form.initiative_ids = sorted({i for i in ids if i is not None})
    if not form.initiative_ids or None in ids:
        errors["initiative_ids"] = INITIATIVES_ERROR
    amount = parse_amount(text["amount"])
    if amount is None or not 0 < amount <= MAX_CENTS:
        errors["amount"] = AMOUNT_ERROR
    rules = _ballot_rules(text, errors)
    rule = _choice(text, "rule", [r.value for r in Rule], errors)
    tie_break = _choice(text, "tie_break", [t.value for t in TieBreak], errors)
    opens, closes, deliberation, due = _dates(text, errors)
    seats = _number(text, "seats", SEATS_ERROR, errors, lowest=1, highest=100)
    quorum = _number(text, "quorum", QUORUM_ERROR, errors, lowest=1, highest=10_000)
    if not text["min_support"].strip():
        errors["min_support"] = SUPPORT_ERROR
    min_support = _number(text, "min_support", SUPPORT_ERROR, errors, lowest=0, highest=1_000_000)
    if errors or amount is None or opens is None or closes is None or rules is None:
        return form
    form.plan = RoundPlan(
        name=name,
        mode=mode,
        amount_cents=amount,
        initiative_ids=form.initiative_ids,
        rules=rules,
        rule=Rule(rule),
        tie_break=TieBreak(tie_break),
        voting_opens_at=opens,
        voting_closes_at=closes,
        track=track,
        partial_grants=text["partial_grants"] == "ja",
        deliberation_opens_at=deliberation,
        decision_due_on=due,
        quorum=quorum,
        min_support=min_support or 0,
        seats=seats,
    )
    return form
