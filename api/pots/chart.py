"""The pot page's charts, drawn on the server as inline SVG (pure: numbers in, geometry out).

Widths are percentages of the drawing, so the SVG scales to any screen without JavaScript; the same
numbers are in a table beside each chart, and each chart has a text alternative.
"""

from dataclasses import dataclass

from buurtbudget.i18n import N_
from buurtbudget.pots.reporting import PotReport

PART_LABELS = {
    "granted": N_("Granted"),
    "reserved": N_("Reserved"),
    "paid": N_("Paid out"),
    "left": N_("Left"),
    "released": N_("Back to the budget"),
    "held": N_("Still reserved"),
}


@dataclass(frozen=True, slots=True)
class Segment:
    """One coloured part of a bar: what it is (a key of PART_LABELS), its amount and where it lies."""

    part: str
    cents: int
    start_percent: float
    width_percent: float


@dataclass(frozen=True, slots=True)
class Bar:
    """A round's bar: its name, link and parts, scaled to the round that set the most aside."""

    round_id: int | None
    name: str | None
    total_cents: int
    segments: list[Segment]


def _segments(parts: list[tuple[str, int]], scale_cents: int) -> list[Segment]:
    """Parts laid end to end; `scale_cents` fills the whole width (nothing is drawn for zero)."""
    found, start = [], 0.0
    for part, cents in parts:
        width = 0.0 if scale_cents <= 0 else round(100 * cents / scale_cents, 2)
        if cents > 0:
            found.append(Segment(part, cents, start, width))
        start = round(start + width, 2)
    return found


def pot_bar(report: PotReport) -> list[Segment]:
    """What became of the money that came in: granted, reserved, paid out, left."""
    return _segments(
        [
            ("granted", report.granted_cents),
            ("reserved", report.reserved_cents),
            ("paid", report.paid_cents),
            ("left", report.left_cents),
        ],
        report.received_cents,
    )


def round_bars(report: PotReport) -> list[Bar]:
    """Per round: what it granted, what went back to the budget and what is still reserved."""
    scale = max((line.money.reserved_cents for line in report.rounds), default=0)
    return [
        Bar(
            line.money.round_id,
            line.name,
            line.money.reserved_cents,
            _segments(
                [
                    ("granted", line.money.granted_cents),
                    ("held", line.money.held_cents),
                    ("released", line.money.released_cents),
                ],
                scale,
            ),
        )
        for line in report.rounds
    ]


def share(cents: int, total_cents: int) -> int:
    """A whole percentage of the total (0 when nothing came in)."""
    return 0 if total_cents <= 0 else round(100 * cents / total_cents)
