"""The ballot form: reading marks per initiative, the running total, and errors per field (pure, no I/O)."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from api.pages.form_errors import sentence
from buurtbudget.errors import InvalidInput
from buurtbudget.i18n import N_, gettext
from buurtbudget.jury.ballots import BallotKind, BallotRules
from buurtbudget.jury.errors import BallotOverLimit, RecusedFromInitiative

Getter = Callable[[str], str]
BALLOT = "ballot"  # the field of errors about the ballot as a whole

APPROVAL_VALUE = N_("Tick the box to vote for this initiative, or leave it empty.")
SCORE_VALUE = N_("Fill in a whole number from 0 to {limit}.")
POINTS_VALUE = N_("Fill in a whole number of points: 0 or more.")
TOO_MANY = N_("You chose {count} initiatives; you may choose at most {limit}.")
TOO_COSTLY = N_("The initiatives you chose cost {total} together; at most {limit} is allowed.")
TOO_MANY_POINTS = N_("You gave out {used} points; you have {limit}.")
RECUSED = N_("You have a conflict of interest with this initiative, so you do not vote on it.")


@dataclass(frozen=True, slots=True)
class Line:
    """One initiative on the ballot form."""

    initiative_id: int
    title: str
    cost_cents: int
    recused: bool


@dataclass(frozen=True, slots=True)
class Totals:
    """The running total under the form: what is chosen and how much room is left."""

    chosen: int
    chosen_cents: int
    points: int
    over: bool


def field(initiative_id: int) -> str:
    return f"mark.{initiative_id}"


def values_of(marks: Mapping[int, int]) -> dict[str, str]:
    """A stored ballot as the form's values."""
    return {field(initiative_id): str(mark) for initiative_id, mark in marks.items()}


def read(
    rules: BallotRules, lines: Sequence[Line], get: Getter, locale: str
) -> tuple[dict[int, int], dict[str, str]]:
    """The marks typed or ticked, and a sentence per field that cannot be read."""
    marks: dict[int, int] = {}
    errors: dict[str, str] = {}
    for line in lines:
        if line.recused:
            continue  # a recused juror gets no field for it; the service refuses a forged one
        text = get(field(line.initiative_id)).strip()
        if not text:
            continue
        if rules.kind is BallotKind.APPROVAL:
            if text != "1":
                errors[field(line.initiative_id)] = gettext(APPROVAL_VALUE, locale)
                continue
            marks[line.initiative_id] = 1
            continue
        if not (text.isascii() and text.isdigit() and len(text) <= 5) or int(text) > 10_000:
            errors[field(line.initiative_id)] = _value_error(rules, locale)
            continue
        marks[line.initiative_id] = int(text)
    return marks, errors


def _value_error(rules: BallotRules, locale: str) -> str:
    if rules.kind is BallotKind.SCORE:
        return gettext(SCORE_VALUE, locale).format(limit=rules.max_score)
    return gettext(POINTS_VALUE, locale)


def totals(rules: BallotRules, lines: Sequence[Line], marks: Mapping[int, int]) -> Totals:
    cost = {line.initiative_id: line.cost_cents for line in lines}
    chosen = [i for i, mark in marks.items() if mark and i in cost]
    chosen_cents = sum(cost[i] for i in chosen)
    points = sum(mark for i, mark in marks.items() if i in cost)
    over = False
    if rules.kind is BallotKind.APPROVAL:
        over = (rules.max_approvals is not None and len(chosen) > rules.max_approvals) or (
            rules.max_total_cents is not None and chosen_cents > rules.max_total_cents
        )
    elif rules.kind is BallotKind.CUMULATIVE:
        over = points > rules.points
    else:
        over = any(mark > rules.max_score for mark in marks.values())
    return Totals(chosen=len(chosen), chosen_cents=chosen_cents, points=points, over=over)


def refusal(
    error: InvalidInput,
    rules: BallotRules,
    marks: Mapping[int, int],
    lines: Sequence[Line],
    locale: str,
    money: Callable[[int], str],
) -> dict[str, str]:
    """The service's refusal of a ballot as a sentence next to the field it is about."""
    where = error.field.replace("marks.", "mark.", 1) if error.field.startswith("marks.") else BALLOT
    if isinstance(error, RecusedFromInitiative):
        return {where: gettext(RECUSED, locale)}
    if isinstance(error, BallotOverLimit) and where == BALLOT:
        limit = int(error.params.get("limit", 0))
        counted = totals(rules, lines, marks)
        if rules.kind is BallotKind.CUMULATIVE:
            return {BALLOT: gettext(TOO_MANY_POINTS, locale).format(used=counted.points, limit=limit)}
        if rules.max_approvals is not None and counted.chosen > rules.max_approvals:
            return {BALLOT: gettext(TOO_MANY, locale).format(count=counted.chosen, limit=limit)}
        return {
            BALLOT: gettext(TOO_COSTLY, locale).format(total=money(counted.chosen_cents), limit=money(limit))
        }
    if isinstance(error, BallotOverLimit):
        return {where: gettext(SCORE_VALUE, locale).format(limit=rules.max_score)}
    return {where: sentence(gettext(error.message, locale))}
