"""JSON endpoints for verified residents under /api/v1: ask, approve, enter a letter code, end; letter
batches (issue, list, download as CSV or PDF); the jury pool (withdraw) and its attributes."""

from litestar import Controller, Response, get, post, put
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from api.dependencies import AppSettings, CurrentActor
from api.guards import PUBLIC, requires_signed_in
from api.people.verification_schemas import (
    ApproveIn,
    CodeIn,
    EndIn,
    JuryAttributesIn,
    JuryAttributesOut,
    LetterBatchIn,
    LetterBatchOut,
    PendingRequestOut,
    ValidityIO,
    VerificationOut,
    VerificationRequestIn,
    VerificationRequestOut,
)
from api.providers import JuryPool, Verifications
from api.schemas import PathId
from buurtbudget.db.base import utcnow
from buurtbudget.jury.attributes import JuryAttribute, stored_form
from buurtbudget.people.letter_batches import PrintableBatch
from buurtbudget.people.letter_codes import parse_addresses
from buurtbudget.people.letter_pdf import letters_pdf
from buurtbudget.people.verification_models import Verification


def present(verification: Verification) -> VerificationOut:
    return VerificationOut(
        id=verification.id,
        person_id=verification.person_id,
        neighbourhood_id=verification.neighbourhood_id,
        method=verification.method,
        verified_at=verification.verified_at,
        expires_at=verification.expires_at,
        ended_at=verification.ended_at,
        end_reason=verification.end_reason,
        active=verification.active_at(utcnow()),
    )


def attributes_out(attributes: tuple[JuryAttribute, ...]) -> JuryAttributesOut:
    return JuryAttributesOut.model_validate({"attributes": stored_form(attributes)})


def batch_pdf(printable: PrintableBatch, base_url: str) -> bytes:
    neighbourhood = printable.neighbourhood
    return letters_pdf(
        [(letter.address, letter.code) for letter in printable.letters],
        neighbourhood=neighbourhood.name,
        municipality=neighbourhood.municipality.name,
        verify_url=f"{base_url.rstrip('/')}/buurten/{neighbourhood.slug}/verifieren",
        expires_at=printable.batch.expires_at,
    )


def download(content: bytes | str, media_type: str, filename: str) -> Response[bytes | str]:
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",  # the codes are secret until delivered
        },
    )


class VerificationController(Controller):
    path = "/api/v1"
    tags = ["verification"]
    guards = [requires_signed_in]

    @get("/me/verifications", operation_id="myVerifications", summary="Where you are a verified resident")
    async def mine(self, verifications: Verifications, actor: CurrentActor) -> list[VerificationOut]:
        return [present(v) for v in await verifications.history(actor.person_id or 0)]

    @post(
        "/neighbourhoods/{neighbourhood_id:int}/verification-requests",
        operation_id="askForVerification",
        summary="Ask the neighbourhood's broker or municipality to approve that you live there",
        status_code=HTTP_201_CREATED,
    )
    async def ask(
        self,
        verifications: Verifications,
        actor: CurrentActor,
        neighbourhood_id: PathId,
        data: JSONBody[VerificationRequestIn],
    ) -> VerificationRequestOut:
        request = await verifications.request_approval(actor, neighbourhood_id, data.note)
        return VerificationRequestOut.model_validate(request)

    @get(
        "/neighbourhoods/{neighbourhood_id:int}/verification-requests",
        operation_id="listVerificationRequests",
        summary="Open requests for approval (the neighbourhood's broker, the municipality)",
    )
    async def pending(
        self, verifications: Verifications, actor: CurrentActor, neighbourhood_id: PathId
    ) -> list[PendingRequestOut]:
        _neighbourhood, requests, _verified = await verifications.staff_overview(actor, neighbourhood_id)
        return [
            PendingRequestOut(
                id=r.id,
                person_id=r.person_id,
                neighbourhood_id=r.neighbourhood_id,
                note=r.note,
                requested_at=r.requested_at,
                decided_at=r.decided_at,
                decision=r.decision,
                display_name=person.display_name,
                email=person.email,
            )
            for r, person in requests
        ]

    @post(
        "/verification-requests/{request_id:int}/decline",
        operation_id="declineVerificationRequest",
        summary="Turn down a request for approval (the neighbourhood's broker, the municipality)",
        status_code=HTTP_200_OK,
    )
    async def decline(
        self, verifications: Verifications, actor: CurrentActor, request_id: PathId
    ) -> VerificationRequestOut:
        return VerificationRequestOut.model_validate(await verifications.decline(actor, request_id))

    @post(
        "/neighbourhoods/{neighbourhood_id:int}/verifications",
        operation_id="approveResident",
        summary="Verify a person as a resident by approval (the neighbourhood's broker, the municipality)",
        status_code=HTTP_201_CREATED,
    )
    async def approve(
        self,
        verifications: Verifications,
        actor: CurrentActor,
        neighbourhood_id: PathId,
        data: JSONBody[ApproveIn],
    ) -> VerificationOut:
        return present(await verifications.approve(actor, data.person_id, neighbourhood_id, data.note))

    @post(
        "/verification-codes",
        operation_id="redeemLetterCode",
        summary="Enter the code from your letter: verified in its neighbourhood (once per code)",
        status_code=HTTP_201_CREATED,
    )
    async def redeem(
        self, verifications: Verifications, actor: CurrentActor, data: JSONBody[CodeIn]
    ) -> VerificationOut:
        return present(await verifications.redeem(actor, data.code))

    @post(
        "/verifications/{verification_id:int}/end",
        operation_id="endVerification",
        summary="End a verification: you moved, or (staff) the person no longer lives there",
        status_code=HTTP_200_OK,
    )
    async def end(
        self,
        verifications: Verifications,
        actor: CurrentActor,
        verification_id: PathId,
        data: JSONBody[EndIn],
    ) -> VerificationOut:
        return present(await verifications.end(actor, verification_id, data.reason))

    @post(
        "/neighbourhoods/{neighbourhood_id:int}/letter-batches",
        operation_id="issueLetterBatch",
        summary="Issue a batch of single-use letter codes for addresses (CSV; refused whole on a mistake)",
        status_code=HTTP_201_CREATED,
    )
    async def issue(
        self,
        verifications: Verifications,
        actor: CurrentActor,
        neighbourhood_id: PathId,
        data: JSONBody[LetterBatchIn],
    ) -> LetterBatchOut:
        addresses = parse_addresses(data.csv.encode())
        return LetterBatchOut.model_validate(
            await verifications.issue_batch(actor, neighbourhood_id, addresses)
        )

    @get(
        "/neighbourhoods/{neighbourhood_id:int}/letter-batches",
        operation_id="listLetterBatches",
        summary="The neighbourhood's letter batches and how many codes were used",
    )
    async def batches(
        self, verifications: Verifications, actor: CurrentActor, neighbourhood_id: PathId
    ) -> list[LetterBatchOut]:
        return [
            LetterBatchOut(
                id=b.id,
                neighbourhood_id=b.neighbourhood_id,
                created_at=b.created_at,
                expires_at=b.expires_at,
                size=b.size,
                redeemed=used,
            )
            for b, used in await verifications.batches(actor, neighbourhood_id)
        ]

    @get(
        "/letter-batches/{batch_id:int}/letters.csv",
        operation_id="downloadLetterBatchCsv",
        summary="The batch for the print shop: address and code per line",
    )
    async def batch_csv(
        self, verifications: Verifications, actor: CurrentActor, batch_id: PathId
    ) -> Response[bytes | str]:
        printable = await verifications.printable(actor, batch_id)
        return download(printable.csv(), "text/csv; charset=utf-8", f"brieven-{batch_id}.csv")

    @get(
        "/letter-batches/{batch_id:int}/letters.pdf",
        operation_id="downloadLetterBatchPdf",
        summary="The batch as letters, one per page, in Dutch",
    )
    async def batch_letters(
        self, verifications: Verifications, actor: CurrentActor, settings: AppSettings, batch_id: PathId
    ) -> Response[bytes | str]:
        printable = await verifications.printable(actor, batch_id)
        return download(batch_pdf(printable, settings.base_url), "application/pdf", f"brieven-{batch_id}.pdf")

    @get(
        "/neighbourhoods/{neighbourhood_id:int}/jury-attributes",
        operation_id="neighbourhoodJuryAttributes",
        summary="What the jury pool asks volunteers (age band, gender, ...), as the municipality set it",
        opt=PUBLIC,
    )
    async def neighbourhood_attributes(
        self, jury_pool: JuryPool, neighbourhood_id: PathId
    ) -> JuryAttributesOut:
        return attributes_out(await jury_pool.attributes(neighbourhood_id))

    @put(
        "/municipalities/{municipality_id:int}/jury-attributes",
        operation_id="setJuryAttributes",
        summary="Set the jury pool's stratification attributes (the municipality's administrator)",
    )
    async def set_attributes(
        self,
        jury_pool: JuryPool,
        actor: CurrentActor,
        municipality_id: PathId,
        data: JSONBody[JuryAttributesIn],
    ) -> JuryAttributesOut:
        given = [attribute.model_dump() for attribute in data.attributes]
        return attributes_out(await jury_pool.set_attributes(actor, municipality_id, given))

    @put(
        "/municipalities/{municipality_id:int}/verification-validity",
        operation_id="setVerificationValidity",
        summary="How long a new verification counts in this municipality (its administrator)",
    )
    async def set_validity(
        self,
        verifications: Verifications,
        actor: CurrentActor,
        municipality_id: PathId,
        data: JSONBody[ValidityIO],
    ) -> ValidityIO:
        municipality = await verifications.set_validity(actor, municipality_id, data.days)
        return ValidityIO(days=municipality.verification_days)
