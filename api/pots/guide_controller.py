"""JSON endpoints of a pot's "how it works" texts (public to read) and its report (the municipality)."""

from litestar import Controller, get, put
from litestar.params import JSONBody

from api.dependencies import CurrentActor, Locale
from api.guards import PUBLIC, requires_signed_in
from api.pots.guide_schemas import GuideIn, GuideOut, ReportOut, RoundMoneyOut
from api.providers import PotGuides, PotReports
from api.schemas import PathId
from buurtbudget.initiatives.themes import theme_label
from buurtbudget.pots.guide import GuideInput
from buurtbudget.pots.models import Pot
from buurtbudget.pots.reporting import PotReport


def guide_out(pot: Pot) -> GuideOut:
    return GuideOut(
        pot_id=pot.id,
        name=pot.name,
        max_per_initiative_cents=pot.max_per_initiative_cents,
        criteria=pot.criteria,
        next_round_on=pot.next_round_on,
        payment_text=pot.payment_text,
        page=f"/potten/{pot.id}/zo-werkt-het",
    )


def report_out(report: PotReport, locale: str) -> ReportOut:
    return ReportOut(
        pot_id=report.pot.id,
        received_cents=report.received_cents,
        reserved_cents=report.reserved_cents,
        granted_cents=report.granted_cents,
        paid_cents=report.paid_cents,
        payments_tracked=report.payments_tracked,
        left_cents=report.left_cents,
        theme_budgets=report.themes,
        theme_labels={key: theme_label(key, locale) for key in report.themes},
        rounds=[
            RoundMoneyOut(
                round_id=line.money.round_id,
                name=line.name,
                state=line.state,
                reserved_cents=line.money.reserved_cents,
                granted_cents=line.money.granted_cents,
                released_cents=line.money.released_cents,
                held_cents=line.money.held_cents,
            )
            for line in report.rounds
        ],
    )


class PotGuideController(Controller):
    path = "/api/v1/pots"
    tags = ["pots"]
    guards = [requires_signed_in]  # the municipality's role is checked by the services

    @get(
        "/{pot_id:int}/guide",
        operation_id="getPotGuide",
        summary="How a pot works: maximum per initiative, criteria, next round, payment",
        opt=PUBLIC,
    )
    async def get_guide(self, pot_guides: PotGuides, pot_id: PathId) -> GuideOut:
        return guide_out(await pot_guides.guide(pot_id))

    @put(
        "/{pot_id:int}/guide",
        operation_id="setPotGuide",
        summary="Write how a pot works (municipality administrators)",
    )
    async def set_guide(
        self, pot_guides: PotGuides, actor: CurrentActor, pot_id: PathId, data: JSONBody[GuideIn]
    ) -> GuideOut:
        guide = GuideInput(
            max_per_initiative_cents=data.max_per_initiative_cents,
            criteria=data.criteria,
            next_round_on=data.next_round_on,
            payment_text=data.payment_text,
        )
        return guide_out(await pot_guides.set_guide(actor, pot_id, guide))

    @get(
        "/{pot_id:int}/report",
        operation_id="getPotReport",
        summary="Money in, reserved, granted, paid and left, also per round (municipality administrators)",
    )
    async def report(
        self, pot_reports: PotReports, actor: CurrentActor, locale: Locale, pot_id: PathId
    ) -> ReportOut:
        return report_out(await pot_reports.report(actor, pot_id), locale)
