"""Bit rows of interned codes: sets, widening past 64 codes, shared-code tests and counts."""

import numpy as np

from matching.bitsets import BitRows, any_of, count_of


def test_rows_widen_and_answer_membership_and_counts() -> None:
    rows = BitRows(2)
    rows.ensure(3)
    rows.set(0, [1, 5])
    rows.set(1, [70, 5, 130])
    rows.set(2, [])
    assert rows.rows.shape[1] == 3
    taken = rows.take(np.array([0, 1, 2], dtype=np.int32))
    assert any_of(taken, rows.mask([5])).tolist() == [True, True, False]
    assert any_of(taken, rows.mask([130])).tolist() == [False, True, False]
    assert count_of(taken, rows.mask([5, 70, 130, 1])).tolist() == [2, 3, 0]
    rows.clear(1)
    assert count_of(rows.take(np.array([1], dtype=np.int32)), rows.mask([5, 70])).tolist() == [0]
