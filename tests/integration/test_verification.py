"""Verified residents: approval, letter codes, the identity provider's record, expiry and its reminder,
and what verification unlocks (the jury pool, voting, sending in a plan) on SQLite and PostgreSQL."""

import io
from datetime import timedelta

import pypdf
import pytest
from conftest import RecordingMailer, World, drain_outbox, new_initiatives
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.db.base import utcnow
from buurtbudget.db.transaction import transaction
from buurtbudget.errors import Conflict, InvalidInput, NotAllowed, NotFound
from buurtbudget.initiatives.lifecycle import Action
from buurtbudget.initiatives.rules import CostLineInput, DraftContent
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.jury.pool import JuryPoolService
from buurtbudget.jury.sortition import Quota
from buurtbudget.people import service as people
from buurtbudget.people.letter_codes import ALPHABET, AddressFileRefused, normalise, parse_addresses
from buurtbudget.people.letter_pdf import letters_pdf
from buurtbudget.people.roles import Actor, Role
from buurtbudget.people.verification import VerificationService, record_verification
from buurtbudget.people.verification_errors import NotVerified, TooManyCodeAttempts
from buurtbudget.people.verification_models import APPROVAL, CodeAttempt, LetterCode, Verification
from buurtbudget.people.verification_reminders import remind_expiring
from buurtbudget.places.models import Neighbourhood

ADDRESSES = (
    "straat,huisnummer,postcode,plaats\n"
    "Amsterdamsestraatweg,12,3551 AB,Utrecht\n"
    "Amsterdamsestraatweg,12A,3551AB,Utrecht\n"
    "Prinses Christinalaan,3,3554 HG,Utrecht\n"
)


async def newcomer(session: AsyncSession, email: str = "nieuw@example.org") -> Actor:
    async with transaction(session):
        person = await people.get_or_create(session, email, actor_id=None)
    return await people.actor_of(session, person.id)


async def codes_of(session: AsyncSession, world: World, batch_id: int) -> list[str]:
    printable = await VerificationService(session).printable(world.actors["broker"], batch_id)
    return [letter.code for letter in printable.letters]


async def test_the_broker_or_the_municipality_approves_and_only_for_their_neighbourhood(
    session: AsyncSession, world: World
) -> None:
    service = VerificationService(session)
    anna = await newcomer(session)
    assert anna.person_id is not None
    assert not anna.has(Role.RESIDENT, neighbourhood_id=world.zuilen_id)
    for who in ("other_broker", "other_municipality_admin", "resident", "juror", "advisor"):
        with pytest.raises(NotAllowed):
            await service.approve(world.actors[who], anna.person_id, world.zuilen_id)
    await service.approve(
        world.actors["broker"], anna.person_id, world.zuilen_id, "kent haar van het buurthuis"
    )
    await service.approve(world.actors["municipality_admin"], anna.person_id, world.lunetten_id)
    actor = await people.actor_of(session, anna.person_id)
    assert actor.has(Role.RESIDENT, neighbourhood_id=world.zuilen_id)
    assert actor.has(Role.RESIDENT, neighbourhood_id=world.lunetten_id)
    assert not actor.has(Role.RESIDENT, neighbourhood_id=world.ondiep_id)
    # load_actor (the person and their actor) agrees with the one-query actor_of
    assert (await people.load_actor(session, anna.person_id))[1] == actor


async def test_a_resident_asks_for_approval_and_the_request_is_closed_by_it(
    session: AsyncSession, world: World
) -> None:
    service = VerificationService(session)
    anna = await newcomer(session)
    assert anna.person_id is not None
    asked = await service.request_approval(anna, world.zuilen_id, "Amsterdamsestraatweg 12")
    assert (await service.request_approval(anna, world.zuilen_id, "nog eens")).id == asked.id  # one open
    with pytest.raises(NotAllowed):
        await service.staff_overview(world.actors["other_broker"], world.zuilen_id)
    _n, requests, _verified = await service.staff_overview(world.actors["broker"], world.zuilen_id)
    assert [(r.id, p.id) for r, p in requests] == [(asked.id, anna.person_id)]
    await service.approve(world.actors["broker"], anna.person_id, world.zuilen_id)
    _n, requests, verified = await service.staff_overview(world.actors["broker"], world.zuilen_id)
    assert requests == []
    assert anna.person_id in {p.id for _v, p in verified}


async def test_a_verification_from_another_neighbourhood_does_not_count(
    session: AsyncSession, world: World
) -> None:
    lunetten = world.actors["other_resident"]  # verified in Lunetten, not in Zuilen
    with pytest.raises(NotVerified) as refused:
        await JuryPoolService(session).volunteer(lunetten, world.zuilen_id, {})
    assert refused.value.neighbourhood_slug == "zuilen"
    [draft] = await new_initiatives(session, world, 1)
    initiatives = InitiativeService(session)
    await initiatives.invite_co_initiator(world.actors["resident"], draft, world.emails["other_resident"])
    await initiatives.accept_invitation(lunetten, draft)
    with pytest.raises(NotVerified):
        await initiatives.act(lunetten, draft, Action.SUBMIT)


async def test_an_unverified_resident_keeps_a_draft_but_cannot_send_it_in(
    session: AsyncSession, world: World
) -> None:
    anna = await newcomer(session)
    initiatives = InitiativeService(session)
    content = DraftContent(
        title="Bankjes", summary="Bankjes op het plein.", cost_lines=[CostLineInput("Hout", 100_00)]
    )
    mine = (await initiatives.create_draft(anna, world.zuilen_id, content)).id  # a draft needs none
    with pytest.raises(NotVerified):
        await initiatives.act(anna, mine, Action.SUBMIT)
    assert anna.person_id is not None
    await VerificationService(session).approve(world.actors["broker"], anna.person_id, world.zuilen_id)
    anna = await people.actor_of(session, anna.person_id)
    await initiatives.act(anna, mine, Action.SUBMIT)
    session.expire_all()
    assert (await initiatives.get(anna, mine)).state == "submitted"


async def test_verification_expires_and_a_reminder_is_mailed_once(
    session: AsyncSession, world: World
) -> None:
    anna = await newcomer(session)
    assert anna.person_id is not None
    async with transaction(session):
        person = await people.get_person(session, anna.person_id)
        zuilen = await session.get(Neighbourhood, world.zuilen_id)
        assert zuilen is not None
        # Verified 720 days ago: the municipality's 730 days end in ten days.
        verification = await record_verification(
            session, person, zuilen, APPROVAL, now=utcnow() - timedelta(days=720)
        )
    assert (await people.actor_of(session, anna.person_id)).has(
        Role.RESIDENT, neighbourhood_id=world.zuilen_id
    )
    # The clock moves on past the expiry: no longer a resident, for either way of reading the actor.
    later = verification.expires_at + timedelta(seconds=1)
    assert not people.actor_for(person, now=later).has(Role.RESIDENT, neighbourhood_id=world.zuilen_id)
    assert people.actor_for(person).has(Role.RESIDENT, neighbourhood_id=world.zuilen_id)

    assert await remind_expiring(session, utcnow()) == 1
    assert await remind_expiring(session, utcnow()) == 0  # once
    mailer = RecordingMailer()
    await drain_outbox(session, mailer)
    [mail] = [m for m in mailer.sent if m["To"] == "nieuw@example.org"]
    body = mail.get_content()
    assert "Zuilen" in mail["Subject"]
    assert "/buurten/zuilen/verifieren" in body

    async with transaction(session):
        await record_verification(session, person, zuilen, APPROVAL, now=utcnow() - timedelta(days=731))
        stored = await session.get(Verification, verification.id)
        assert stored is not None
        assert stored.ended_at is not None
    assert not (await people.actor_of(session, anna.person_id)).has(
        Role.RESIDENT, neighbourhood_id=world.zuilen_id
    )
    assert await VerificationService(session).active(anna.person_id) == []


async def test_the_resident_ends_their_own_verification_and_staff_of_elsewhere_cannot(
    session: AsyncSession, world: World
) -> None:
    service = VerificationService(session)
    resident = world.actors["resident"]
    assert resident.person_id is not None
    [here] = [v.id for v in await service.active(resident.person_id)]
    with pytest.raises(NotFound):
        await service.end(world.actors["other_broker"], here, "verhuisd")
    with pytest.raises(InvalidInput):
        await service.end(resident, here, "  ")
    await service.end(resident, here, "Ik ben verhuisd")
    with pytest.raises(Conflict):
        await service.end(world.actors["broker"], here, "nog eens")
    after = await people.actor_of(session, resident.person_id)
    assert not after.has(Role.RESIDENT, neighbourhood_id=world.zuilen_id)
    with pytest.raises(NotVerified):
        await JuryPoolService(session).volunteer(after, world.zuilen_id, {})


async def test_a_letter_code_works_once_and_wrong_codes_are_refused_and_counted(
    session: AsyncSession, world: World
) -> None:
    service = VerificationService(session)
    with pytest.raises(NotAllowed):
        await service.issue_batch(
            world.actors["other_broker"], world.zuilen_id, parse_addresses(ADDRESSES.encode())
        )
    batch = await service.issue_batch(
        world.actors["broker"], world.zuilen_id, parse_addresses(ADDRESSES.encode())
    )
    codes = await codes_of(session, world, batch.id)
    assert len(codes) == len(set(codes)) == 3
    for code in codes:  # grouped for typing, 12 characters without look-alikes (59 bits)
        assert len(code) == 14
        assert code[4] == code[9] == "-"
        assert set(code.replace("-", "")) <= set(ALPHABET)
        assert not set(code) & set("0O1IL")
    stored = list((await session.execute(select(LetterCode.code_hash))).scalars())
    assert not any(
        code.replace("-", "") in h or code in h for code in codes for h in stored
    )  # never in plain

    anna, bert = await newcomer(session), await newcomer(session, "bert@example.org")
    verification = await service.redeem(anna, codes[0].lower().replace("-", " "))  # typed loosely
    assert (verification.neighbourhood_id, verification.method, verification.letter_batch_id) == (
        world.zuilen_id,
        "letter_code",
        batch.id,
    )
    assert anna.person_id is not None
    assert (await people.actor_of(session, anna.person_id)).has(
        Role.RESIDENT, neighbourhood_id=world.zuilen_id
    )
    with pytest.raises(InvalidInput) as used:
        await service.redeem(bert, codes[0])
    assert used.value.message == "this code has been used already"
    with pytest.raises(InvalidInput) as wrong:
        await service.redeem(bert, "ABCD-EFGH-JKMN")
    assert wrong.value.field == "code"
    counted = await session.scalar(
        select(func.count(CodeAttempt.id)).where(CodeAttempt.person_id == bert.person_id)
    )
    assert counted == 2
    for _ in range(3):
        with pytest.raises(InvalidInput):
            await service.redeem(bert, "nonsense")
    with pytest.raises(TooManyCodeAttempts):  # five wrong in the hour: even a right code waits
        await service.redeem(bert, codes[1])
    assert await service.redeem(anna, codes[1]) is not None  # others are not slowed down


async def test_a_code_does_not_work_after_its_batch_expired(session: AsyncSession, world: World) -> None:
    service = VerificationService(session)
    batch = await service.issue_batch(
        world.actors["broker"], world.zuilen_id, parse_addresses(ADDRESSES.encode())
    )
    codes = await codes_of(session, world, batch.id)
    async with transaction(session):
        batch.expires_at = utcnow() - timedelta(minutes=1)
    with pytest.raises(InvalidInput) as expired:
        await service.redeem(await newcomer(session), codes[0])
    assert "expired" in expired.value.message


async def test_the_batch_downloads_as_csv_and_as_letters_one_per_page(
    session: AsyncSession, world: World
) -> None:
    service = VerificationService(session)
    batch = await service.issue_batch(
        world.actors["municipality_admin"], world.zuilen_id, parse_addresses(ADDRESSES.encode())
    )
    with pytest.raises(NotFound):
        await service.printable(world.actors["other_municipality_admin"], batch.id)
    printable = await service.printable(world.actors["broker"], batch.id)
    lines = printable.csv().splitlines()
    assert lines[0] == "straat,huisnummer,postcode,plaats,code,geldig_tot"
    assert lines[1].startswith("Amsterdamsestraatweg,12,3551AB,Utrecht,")
    assert [line.split(",")[4] for line in lines[1:]] == [letter.code for letter in printable.letters]
    pdf = letters_pdf(
        [(letter.address, letter.code) for letter in printable.letters],
        neighbourhood="Zuilen",
        municipality="Utrecht",
        verify_url="https://buurtbudget.example/buurten/zuilen/verifieren",
        expires_at=batch.expires_at,
    )
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 3
    first = reader.pages[0].extract_text()
    assert printable.letters[0].code in first
    assert "https://buurtbudget.example/buurten/zuilen/verifieren" in first
    assert "Amsterdamsestraatweg 12" in first
    assert "één keer" in first


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("adres,postcode\nA,1\n", 1, "the first line must be"),
        (ADDRESSES + "Kanaalweg,,3553 AA,Utrecht\n", 5, "house number"),
        (ADDRESSES + "Kanaalweg,4,35533 AA,Utrecht\n", 5, "postcode"),
        (ADDRESSES + "Kanaalweg,4,3553 AA\n", 5, "four columns"),
        (ADDRESSES + "Amsterdamsestraatweg,12,3551AB,Utrecht\n", 5, "twice"),
        ("straat,huisnummer,postcode,plaats\n", 2, "no addresses"),
    ],
)
async def test_a_bad_addresses_file_is_refused_as_a_whole_with_line_and_reason(
    session: AsyncSession, world: World, text: str, line: int, reason: str
) -> None:
    with pytest.raises(AddressFileRefused) as refused:
        parse_addresses(text.encode())
    assert any(number == line and reason in message for number, message in refused.value.problems)
    assert await session.scalar(select(func.count(LetterCode.id))) == 0


def test_codes_are_normalised_and_look_alikes_refused() -> None:
    assert normalise(" abcd-efgh-jkmn ") == "ABCDEFGHJKMN"
    assert normalise("ABCD-EFGH-JKM0") is None  # a zero is never in a code
    assert normalise("ABCD") is None


async def test_one_identity_verifies_at_most_one_person(session: AsyncSession, world: World) -> None:
    service = VerificationService(session)
    anna, bert = await newcomer(session), await newcomer(session, "bert@example.org")
    assert anna.person_id is not None
    assert bert.person_id is not None
    issuer = "https://login.utrecht.example"
    done = await service.record_identity_provider(
        person_id=anna.person_id, neighbourhood_id=world.zuilen_id, issuer=issuer, subject="s-1"
    )
    assert (done.method, done.issuer, done.subject) == ("oidc", issuer, "s-1")
    again = await service.record_identity_provider(  # the same person again (renewal): fine
        person_id=anna.person_id, neighbourhood_id=world.zuilen_id, issuer=issuer, subject="s-1"
    )
    assert [v.id for v in await service.active(anna.person_id)] == [again.id]
    with pytest.raises(Conflict):
        await service.record_identity_provider(
            person_id=bert.person_id, neighbourhood_id=world.zuilen_id, issuer=issuer, subject="s-1"
        )
    assert await service.active(bert.person_id) == []


async def test_the_pool_asks_the_municipalitys_attributes_and_refuses_unknown_values(
    session: AsyncSession, world: World
) -> None:
    pool = JuryPoolService(session)
    resident = world.actors["resident"]
    joined = await pool.volunteer(resident, world.zuilen_id, {"gender": "vrouw", "age_band": ""})
    assert joined.attributes == {"gender": "vrouw"}
    with pytest.raises(InvalidInput) as unknown_value:
        await pool.volunteer(resident, world.zuilen_id, {"gender": "robot"})
    assert unknown_value.value.field == "attributes.gender"
    with pytest.raises(InvalidInput):
        await pool.volunteer(resident, world.zuilen_id, {"shoe_size": "42"})
    areas = [
        {
            "key": "area",
            "label": "Deel van de buurt",
            "choices": [{"key": "noord", "label": "Noord"}, {"key": "zuid", "label": "Zuid"}],
        }
    ]
    with pytest.raises(NotAllowed):
        await pool.set_attributes(world.actors["other_municipality_admin"], world.municipality_id, areas)
    with pytest.raises(NotAllowed):
        await pool.set_attributes(world.actors["broker"], world.municipality_id, areas)
    await pool.set_attributes(world.actors["municipality_admin"], world.municipality_id, areas)
    assert [a.key for a in await pool.attributes(world.zuilen_id)] == ["area"]
    assert (await pool.volunteer(resident, world.zuilen_id, {"area": "noord"})).attributes == {
        "area": "noord"
    }
    with pytest.raises(InvalidInput):
        await pool.volunteer(resident, world.zuilen_id, {"gender": "vrouw"})  # no longer asked here
    with pytest.raises(InvalidInput):
        await pool.set_attributes(
            world.actors["municipality_admin"],
            world.municipality_id,
            [{"key": "X!", "label": "", "choices": []}],
        )
    assert await pool.withdraw(resident, world.zuilen_id) is True
    assert await pool.withdraw(resident, world.zuilen_id) is False
    assert await pool.membership(resident.person_id, world.zuilen_id) is None


async def test_quotas_name_configured_attributes_and_only_verified_volunteers_are_drawn(
    session: AsyncSession, world: World
) -> None:
    from test_jury_rounds import plan, ready_initiatives, residents

    from buurtbudget.jury.rounds import RoundService

    ids = await ready_initiatives(session, world, 1)
    opened = await RoundService(session).open_round(
        world.actors["municipality_admin"], world.pot_id, plan(ids)
    )
    round_id = opened.id
    pool = await residents(session, world, 4)
    for actor in pool:
        await RoundService(session).volunteer(actor, world.zuilen_id, {"gender": "vrouw"})
    service = VerificationService(session)
    [moved] = [v.id for v in await service.active(pool[0].person_id or 0)]
    await service.end(pool[0], moved, "Ik ben verhuisd")  # still in the pool, but no longer drawn
    with pytest.raises(InvalidInput) as refused:
        await RoundService(session).freeze_pool(
            world.actors["municipality_admin"], round_id, seats=2, quotas=[Quota("geslacht", "vrouw", 1, 2)]
        )
    assert refused.value.field == "quotas"
    frozen = await RoundService(session).freeze_pool(
        world.actors["municipality_admin"], round_id, seats=2, quotas=[Quota("gender", "vrouw", 1, 2)]
    )
    assert len(frozen.pool) == 3


async def test_a_municipality_administrator_works_only_in_their_own_municipality(
    session: AsyncSession, world: World
) -> None:
    """Voorburg's administrator verifies and prints letters in Bovenveen, and sees nothing of Utrecht's."""
    bovenveen = (
        await session.execute(select(Neighbourhood.id).where(Neighbourhood.slug == "bovenveen"))
    ).scalar_one()
    service = VerificationService(session)
    voorburg, utrecht = world.actors["other_municipality_admin"], world.actors["municipality_admin"]
    anna = await newcomer(session)
    assert anna.person_id is not None
    await service.request_approval(anna, world.zuilen_id, "Zuilen")
    await service.approve(voorburg, anna.person_id, bovenveen)
    batch_id = (await service.issue_batch(voorburg, bovenveen, parse_addresses(ADDRESSES.encode()))).id
    _n, _requests, verified = await service.staff_overview(voorburg, bovenveen)
    assert anna.person_id in {p.id for _v, p in verified}
    for refused in (
        service.staff_overview(voorburg, world.zuilen_id),
        service.batches(voorburg, world.zuilen_id),
        service.approve(voorburg, anna.person_id, world.zuilen_id),
        service.issue_batch(voorburg, world.zuilen_id, parse_addresses(ADDRESSES.encode())),
        JuryPoolService(session).set_attributes(voorburg, world.municipality_id, None),
    ):
        with pytest.raises(NotAllowed):
            await refused
    with pytest.raises(NotFound):
        await service.printable(utrecht, batch_id)  # Utrecht's administrator does not see Voorburg's letters
    [here] = [v.id for v in await service.active(anna.person_id) if v.neighbourhood_id == bovenveen]
    with pytest.raises(NotFound):
        await service.end(utrecht, here, "verhuisd")


async def test_the_municipality_sets_how_long_a_verification_counts(
    session: AsyncSession, world: World
) -> None:
    service = VerificationService(session)
    with pytest.raises(NotAllowed):
        await service.set_validity(world.actors["other_municipality_admin"], world.municipality_id, 365)
    with pytest.raises(InvalidInput):
        await service.set_validity(world.actors["municipality_admin"], world.municipality_id, 10)
    await service.set_validity(world.actors["municipality_admin"], world.municipality_id, 365)
    anna = await newcomer(session)
    assert anna.person_id is not None
    verification = await service.approve(world.actors["broker"], anna.person_id, world.zuilen_id)
    assert verification.expires_at - verification.verified_at == timedelta(days=365)
