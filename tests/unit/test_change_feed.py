"""A batch of the index change log seen from where an index stands after another request moved it."""

import pytest

from buurtbudget.db.change_feed import Batch, Position

G = "generation-a"
ROWS = ((4, "initiative", 7), (5, "space", 2), (6, "initiative", 9))
BATCH = Batch(Position(G, 3), Position(G, 6), ROWS, rebuild=False)


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        (Position(G, 3), BATCH),
        (Position(G, 4), Batch(Position(G, 4), Position(G, 6), ROWS[1:], rebuild=False)),
        (Position(G, 6), Batch(Position(G, 6), Position(G, 6), (), rebuild=False)),
        (Position(G, 8), Batch(Position(G, 8), Position(G, 8), (), rebuild=False)),  # already further
        (Position(G, 2), None),  # the batch does not reach back there
        (Position("generation-b", 4), None),  # another log altogether
        (None, None),
    ],
)
def test_a_batch_seen_from_a_later_position_keeps_only_what_is_newer(
    position: Position | None, expected: Batch | None
) -> None:
    assert BATCH.seen_from(position) == expected


def test_a_rebuild_is_never_cut_short_and_the_empty_log_leads_into_any() -> None:
    rebuild = Batch(None, Position(G, 6), (), rebuild=True)
    assert rebuild.seen_from(None) is rebuild
    assert rebuild.seen_from(Position(G, 4)) is None
    assert Position("", 0).continues(Position(G, 6))
    assert not Position(G, 6).continues(Position(G, 5))
    assert BATCH.ids("initiative") == {7, 9}
    assert BATCH.touches("space")
    assert not BATCH.touches("neighbourhood")
