"""Lifecycle steps residents take from the pages: send in, withdraw, accept an invitation, answer a grant."""

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import URLEncodedBody
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_409_CONFLICT

from api.dependencies import CurrentActor, DbSession, Locale
from api.initiatives import steps
from api.initiatives.labels import STATE_LABELS
from api.initiatives.page_support import editable_draft, see_other, sign_in_first, values_of
from api.pages.form_errors import translated
from api.providers import Grants, Initiatives
from api.rendering import page
from api.schemas import PathId
from buurtbudget.errors import Conflict, InvalidInput
from buurtbudget.initiatives.errors import IncompleteInitiative, NotAnOwner
from buurtbudget.initiatives.lifecycle import Action
from buurtbudget.places import service as places
from buurtbudget.pots.errors import AboveMaximum

ANSWERS = {"aannemen": True, "afwijzen": False}


class InitiativeActionPages(Controller):
    include_in_schema = False
    tags = ["pages"]

    @post("/initiatieven/{initiative_id:int}/insturen", operation_id="submitInitiativePost")
    async def submit(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        initiatives: Initiatives,
        actor: CurrentActor,
        locale: Locale,
        initiative_id: PathId,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        form = await request.form()
        # The check step sends the consent box with the plan; without the marker, nothing changes.
        consent = form.get("toestemming") == "ja" if form.get("toestemming_gevraagd") == "ja" else None
        try:
            await initiatives.act(actor, initiative_id, Action.SUBMIT, contact_consent=consent)
        except (IncompleteInitiative, AboveMaximum) as error:
            initiative = await editable_draft(initiatives, actor, initiative_id)
            missing = [
                steps.MISSING[name] for name in error.params.get("missing", []) if name in steps.MISSING
            ]
            if isinstance(error, AboveMaximum):  # the budget step says how much one initiative may ask
                missing = [(error.message, "begroting")]
            return page(
                request,
                "initiatives/step.html",
                status_code=HTTP_409_CONFLICT,
                step=steps.BY_SLUG["controleren"],
                steps=steps.STEPS,
                number=steps.number("controleren"),
                initiative=initiative,
                values=values_of(initiative, locale),
                themes=steps.THEMES,
                errors=translated({f"stap-{slug}": message for message, slug in missing}, locale),
                error_links={
                    f"stap-{slug}": f"/initiatieven/{initiative_id}/stappen/{slug}" for _m, slug in missing
                },
                neighbourhood=await places.get_neighbourhood(db_session, initiative.neighbourhood_id),
                people=await initiatives.people_by_id([i.person_id for i in initiative.initiators]),
                consent_posted=consent,
                notice=None,
            )
        return see_other(f"/initiatieven/{initiative_id}")

    @get("/initiatieven/{initiative_id:int}/intrekken", operation_id="withdrawInitiativePage")
    async def withdraw_form(
        self,
        request: Request[Any, Any, Any],
        initiatives: Initiatives,
        actor: CurrentActor,
        initiative_id: PathId,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        initiative = await editable_draft(initiatives, actor, initiative_id)
        return page(request, "initiatives/withdraw.html", initiative=initiative, states=STATE_LABELS)

    @post("/initiatieven/{initiative_id:int}/intrekken", operation_id="withdrawInitiativePost")
    async def withdraw(
        self,
        request: Request[Any, Any, Any],
        initiatives: Initiatives,
        actor: CurrentActor,
        initiative_id: PathId,
    ) -> Redirect:
        if redirect := sign_in_first(request):
            return redirect
        await initiatives.act(actor, initiative_id, Action.WITHDRAW)
        return see_other(f"/initiatieven/{initiative_id}")

    @post("/initiatieven/{initiative_id:int}/uitnodiging", operation_id="acceptInvitationPost")
    async def accept(
        self,
        request: Request[Any, Any, Any],
        initiatives: Initiatives,
        actor: CurrentActor,
        initiative_id: PathId,
    ) -> Redirect:
        if redirect := sign_in_first(request):
            return redirect
        await initiatives.accept_invitation(actor, initiative_id)
        return see_other(f"/initiatieven/{initiative_id}")

    @get("/initiatieven/{initiative_id:int}/toekenning", operation_id="grantAnswerPage")
    async def grant_answer_form(
        self,
        request: Request[Any, Any, Any],
        initiatives: Initiatives,
        grants: Grants,
        actor: CurrentActor,
        initiative_id: PathId,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        initiative = await initiatives.get(actor, initiative_id)
        if initiative.initiator_of(actor.person_id) is None:
            raise NotAnOwner("only the initiative's residents take this step")
        grant = await grants.waiting(initiative_id)
        if grant is None:
            raise Conflict("there is no partial grant waiting for an answer", field="initiative_id")
        return page(request, "initiatives/grant_answer.html", initiative=initiative, grant=grant)

    @post("/initiatieven/{initiative_id:int}/toekenning", operation_id="grantAnswerPost")
    async def grant_answer(
        self,
        request: Request[Any, Any, Any],
        grants: Grants,
        actor: CurrentActor,
        initiative_id: PathId,
        data: URLEncodedBody[dict[str, str]],
    ) -> Redirect:
        if redirect := sign_in_first(request):
            return redirect
        answer = data.get("answer")
        if answer not in ANSWERS:
            raise InvalidInput("choose to accept or to decline", field="answer")
        await grants.answer(actor, initiative_id, accept=ANSWERS[answer])
        return see_other(f"/initiatieven/{initiative_id}")
