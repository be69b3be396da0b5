"""Public downloads of a closed round: its anonymous ballots as Pabulib (.pb) and its result as CSV."""

from litestar import Controller, Response, get

from api.dependencies import DbSession, Locale
from api.jury import result_view
from api.schemas import PathId
from buurtbudget.formatting import money
from buurtbudget.jury.export import csv_text, load_closed_round, pabulib_text, result_rows

CACHE = "public, max-age=300"  # a closed round never changes


def _download(text: str, media_type: str, filename: str) -> Response[str]:
    return Response(
        text,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": CACHE},
    )


class RoundExportController(Controller):
    path = "/api/v1/rounds"
    tags = ["rounds"]

    @get(
        "/{round_id:int}/export.pb",
        operation_id="exportRoundPabulib",
        summary="A closed round's anonymous ballots as a Pabulib file (amounts in cents); 409 before closing",
        media_type="text/plain; charset=utf-8",
    )
    async def pabulib(self, db_session: DbSession, round_id: PathId) -> Response[str]:
        closed = await load_closed_round(db_session, round_id)
        return _download(
            pabulib_text(closed), "text/plain; charset=utf-8", f"buurtbudget-ronde-{round_id}.pb"
        )

    @get(
        "/{round_id:int}/export.csv",
        operation_id="exportRoundCsv",
        summary="A closed round's result per initiative as CSV (amounts in euro cents); 409 before closing",
        media_type="text/csv; charset=utf-8",
    )
    async def csv(self, db_session: DbSession, locale: Locale, round_id: PathId) -> Response[str]:
        closed = await load_closed_round(db_session, round_id)
        worded = {
            row.initiative_id: row.reason
            for row in result_view.rows(
                closed.result,
                [(item.initiative_id, item.title, item.cost_cents) for item in closed.items],
                locale,
                lambda cents: money(cents, locale),
            )
        }
        text = csv_text(result_rows(closed), lambda row: worded.get(row.initiative_id, ""))
        return _download(text, "text/csv; charset=utf-8", f"buurtbudget-ronde-{round_id}.csv")
