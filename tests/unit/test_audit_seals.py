"""Seals on the audit chain: with the key, a rewrite that recomputes every hash is caught; entries from
before sealing began are covered by the first sealed entry."""

from dataclasses import replace

from test_audit_chain import chain

from buurtbudget.audit.chain import ChainLink, entry_hash, verify
from buurtbudget.audit.keys import AuditKey

KEY = AuditKey(b"a key that is not in the database")


def sealed(links: list[ChainLink], start: int = 0) -> list[ChainLink]:
    return [
        replace(link, entry_mac=KEY.seal(link.entry_hash)) if i >= start else link
        for i, link in enumerate(links)
    ]


def rewritten(links: list[ChainLink], index: int) -> list[ChainLink]:
    """Change one entry and recompute every hash after it (the seals cannot be recomputed without the key)."""
    out, previous = [], links[0].prev_hash
    for i, link in enumerate(links):
        data = {"n": -1} if i == index else link.data
        digest = entry_hash(
            previous,
            at=link.at,
            actor_id=link.actor_id,
            action=link.action,
            subject_type=link.subject_type,
            subject_id=link.subject_id,
            data=data,
        )
        out.append(replace(link, data=data, prev_hash=previous, entry_hash=digest))
        previous = digest
    return out


def test_a_sealed_chain_verifies_with_its_key_and_not_with_another() -> None:
    links = sealed(chain(5))
    assert verify(links, links[-1].entry_hash, KEY).ok
    assert not verify(links, links[-1].entry_hash, AuditKey(b"another key")).ok


def test_a_rewrite_with_recomputed_hashes_passes_the_hashes_but_not_the_seals() -> None:
    links = rewritten(sealed(chain(5)), 2)
    assert verify(links, links[-1].entry_hash).ok
    verdict = verify(links, links[-1].entry_hash, KEY)
    assert (verdict.ok, verdict.broken_entry_id) == (False, 3)


def test_an_unsealed_prefix_is_covered_by_the_first_sealed_entry() -> None:
    links = sealed(chain(5), start=2)
    assert verify(links, links[-1].entry_hash, KEY).ok
    changed = rewritten(links, 0)
    assert not verify(changed, changed[-1].entry_hash, KEY).ok


def test_a_missing_seal_after_a_sealed_entry_or_no_seal_at_all_is_caught() -> None:
    links = sealed(chain(5))
    links[3] = replace(links[3], entry_mac=None)
    assert verify(links, links[-1].entry_hash, KEY).broken_entry_id == 4
    unsealed = chain(3)
    assert not verify(unsealed, unsealed[-1].entry_hash, KEY).ok
