"""The published result as people read it: outcome and reason per initiative, support bars, the money line.

Pure: it reads the round's published result (a `RoundResult`) and the ballot's titles and costs.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from buurtbudget.i18n import N_, gettext
from buurtbudget.jury import export
from buurtbudget.jury.export import GRANTED, NOT_GRANTED, PARTLY
from buurtbudget.jury.result import Explained, RoundResult

OUTCOME_LABELS = {
    GRANTED: N_("Granted"),
    PARTLY: N_("Partly granted"),
    NOT_GRANTED: N_("Not granted"),
}
REASONS = {
    "selected": N_("Enough support, and it fitted in the budget"),
    "did-not-fit": N_("Did not fit in the remaining amount of {remaining}"),
    "lost-tie": N_("Lost a tie to {winner} by the tie-break: {tie_break}"),
    "theme-budget-exhausted": N_("Did not fit in the remaining theme budget of {remaining} for {theme}"),
    "supporters-short": N_("Its supporters had only {remaining} left of their equal shares"),
    "no-support": N_("Nobody voted for it"),
    "not-in-optimum": N_("Not part of the combination with the most support"),
    "below-min-support": N_("Less support than the minimum of {minimum}: never granted"),
}
RECUSED_NOTE = N_("{count} juror(s) did not vote on it because of a conflict of interest.")
PARTLY_REASON = N_("Granted {granted} of the {asked} asked for")
TIE_BREAKS = {
    "lexicographic": N_("the lowest number"),
    "min-cost": N_("lower cost"),
    "max-support": N_("more support"),
    "lot": N_("a drawn lot"),
}


@dataclass(frozen=True, slots=True)
class Row:
    """One initiative in the result, in ranked order (most support first)."""

    rank: int
    initiative_id: int
    title: str
    asked_cents: int
    granted_cents: int
    support: Fraction
    support_text: str
    votes: int | None  # how many ballots marked it (published since partial grants), else None
    outcome: str
    reason: str
    bar_percent: str  # the support bar's length, relative to the most supported initiative


@dataclass(frozen=True, slots=True)
class Step:
    """One initiative on the money line: its stretch of money, and what had been granted by then."""

    row: Row
    start_percent: str
    width_percent: str
    fits: bool
    granted_after_cents: int
    left_after_cents: int
    ran_out_here: bool


@dataclass(frozen=True, slots=True)
class MoneyLine:
    steps: list[Step]
    budget_cents: int
    budget_percent: str
    granted_cents: int
    left_cents: int


def _fraction(value: object) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return Fraction(0)
    return Fraction(str(value))


def _cents(value: object) -> int:
    """An amount from the published JSON as whole cents, rounded down (MES leaves fractions of a cent)."""
    return int(_fraction(value))


def _number(value: Fraction, locale: str) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    text = f"{float(value):.2f}"
    return text.replace(".", ",") if locale == "nl" else text


def _percent(part: Fraction | int, whole: Fraction | int) -> str:
    if not whole:
        return "0"
    return f"{float(Fraction(part) * 100 / Fraction(whole)):.2f}"


def rows(
    result: RoundResult,
    ballot: Sequence[tuple[int, str, int]],
    locale: str,
    money: Callable[[int], str],
) -> list[Row]:
    """The initiatives in ranked order: most support first; at equal support the chosen, then the cheaper."""
    costs = {initiative_id: cost for initiative_id, _title, cost in ballot}
    titles = {initiative_id: title for initiative_id, title, _cost in ballot}
    support = {i: _fraction(result.support.get(str(i))) for i in costs}
    granted = result.granted_cents(costs)
    top = max(support.values(), default=Fraction(0))
    ranked = sorted(costs, key=lambda i: (-support[i], i not in granted, costs[i], i))
    found = []
    for rank, initiative_id in enumerate(ranked, start=1):
        amount = granted.get(initiative_id, 0)
        outcome = export.outcome(amount, costs[initiative_id])
        found.append(
            Row(
                rank=rank,
                initiative_id=initiative_id,
                title=titles[initiative_id],
                asked_cents=costs[initiative_id],
                granted_cents=amount,
                support=support[initiative_id],
                support_text=_number(support[initiative_id], locale),
                votes=result.votes_of(initiative_id),
                outcome=outcome,
                reason=_reason(
                    outcome,
                    amount,
                    costs[initiative_id],
                    result.explained(initiative_id),
                    result.tie_break,
                    titles,
                    locale,
                    money,
                ),
                bar_percent=_percent(support[initiative_id], top),
            )
        )
    return found


def _reason(
    outcome: str,
    granted: int,
    asked: int,
    explanation: Explained | None,
    tie_break: str,
    titles: Mapping[int, str],
    locale: str,
    money: Callable[[int], str],
) -> str:
    if outcome == PARTLY:
        return gettext(PARTLY_REASON, locale).format(granted=money(granted), asked=money(asked))
    if explanation is None or explanation.reason not in REASONS:
        return ""
    winner = str(explanation.winner or "")
    text = gettext(REASONS[explanation.reason], locale).format(
        remaining=money(_cents(explanation.remaining)),
        winner=titles.get(int(winner), winner) if winner.isdigit() else winner,
        tie_break=gettext(TIE_BREAKS[tie_break], locale) if tie_break in TIE_BREAKS else tie_break,
        theme=str(explanation.theme or ""),
        minimum=str(explanation.minimum or ""),
    )
    if explanation.recused is not None and explanation.recused > 0:
        text += " " + gettext(RECUSED_NOTE, locale).format(count=explanation.recused)
    return text


def money_line(ranked: Sequence[Row], budget_cents: int) -> MoneyLine:
    """The ranked initiatives' money added up against the budget: granted ones move the line on.

    An initiative that was not granted is drawn from where the money stood, so one sees it
    stick out past the budget; the first that did not fit is where the money ran out.
    """
    granted_so_far = 0
    ends = [budget_cents]
    for row in ranked:
        ends.append(granted_so_far + (row.granted_cents or row.asked_cents))
        granted_so_far += row.granted_cents
    scale = max(ends)
    steps = []
    granted_so_far = 0
    ran_out = False
    for row in ranked:
        length = row.granted_cents or row.asked_cents
        start = granted_so_far
        granted_so_far += row.granted_cents
        here = not ran_out and not row.granted_cents and start + length > budget_cents
        ran_out = ran_out or here
        steps.append(
            Step(
                row=row,
                start_percent=_percent(start, scale),
                width_percent=_percent(length, scale),
                fits=bool(row.granted_cents),
                granted_after_cents=granted_so_far,
                left_after_cents=budget_cents - granted_so_far,
                ran_out_here=here,
            )
        )
    return MoneyLine(
        steps=steps,
        budget_cents=budget_cents,
        budget_percent=_percent(budget_cents, scale),
        granted_cents=granted_so_far,
        left_cents=budget_cents - granted_so_far,
    )
