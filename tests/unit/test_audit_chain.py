"""The audit hash chain detects a changed, removed, reordered or truncated entry."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from buurtbudget.audit.chain import GENESIS_HASH, ChainLink, entry_hash, verify


def chain(length: int) -> list[ChainLink]:
    links, previous = [], GENESIS_HASH
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for index in range(length):
        at = start + timedelta(minutes=index)
        data: dict[str, object] = {"n": index}
        digest = entry_hash(
            previous,
            at=at,
            actor_id=1,
            action="thing.done",
            subject_type="thing",
            subject_id=index,
            data=data,
        )
        links.append(ChainLink(index + 1, at, 1, "thing.done", "thing", index, data, previous, digest))
        previous = digest
    return links


def test_an_intact_chain_verifies() -> None:
    links = chain(5)
    verdict = verify(links, links[-1].entry_hash)
    assert verdict.ok
    assert verdict.checked == 5


def test_an_empty_chain_verifies_against_the_genesis_head() -> None:
    assert verify([], GENESIS_HASH).ok


def test_changed_content_is_caught_at_that_entry() -> None:
    links = chain(5)
    links[2] = replace(links[2], data={"n": 999})
    verdict = verify(links, links[-1].entry_hash)
    assert (verdict.ok, verdict.broken_entry_id) == (False, 3)


def test_a_removed_entry_breaks_the_link_after_it() -> None:
    links = chain(5)
    del links[1]
    verdict = verify(links, links[-1].entry_hash)
    assert (verdict.ok, verdict.broken_entry_id) == (False, 3)


def test_a_truncated_tail_is_caught_by_the_head() -> None:
    links = chain(5)
    verdict = verify(links[:3], links[-1].entry_hash)
    assert not verdict.ok
    assert verdict.broken_entry_id is None


def test_a_rewritten_entry_with_a_recomputed_hash_breaks_the_next_link() -> None:
    links = chain(4)
    forged = replace(links[1], data={"n": -1})
    forged = replace(
        forged,
        entry_hash=entry_hash(
            forged.prev_hash,
            at=forged.at,
            actor_id=forged.actor_id,
            action=forged.action,
            subject_type=forged.subject_type,
            subject_id=forged.subject_id,
            data=forged.data,
        ),
    )
    links[1] = forged
    verdict = verify(links, links[-1].entry_hash)
    assert (verdict.ok, verdict.broken_entry_id) == (False, 3)
