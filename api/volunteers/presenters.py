"""Service results as the JSON schemas of volunteering."""

from api.volunteers.schemas import (
    CaseloadItemOut,
    CodeLabel,
    ContactOut,
    DatedSlotOut,
    InitiativeSuggestionOut,
    MatchOut,
    ProfileOut,
    ReasonOut,
    SummaryOut,
    VolunteerSuggestionOut,
    WeeklySlotOut,
)
from buurtbudget.volunteers.explain import ShownReason
from buurtbudget.volunteers.models import VolunteerProfile
from buurtbudget.volunteers.service import (
    CaseloadItem,
    InitiativeSuggestion,
    MatchView,
    Summary,
    VolunteerService,
    VolunteerSuggestion,
)


def reasons(shown: list[ShownReason]) -> list[ReasonOut]:
    return [
        ReasonOut(
            code=r.code,
            params={k: v for k, v in r.params.items() if isinstance(v, str | int | float)},
            text=r.text,
        )
        for r in shown
    ]


def profile(service: VolunteerService, found: VolunteerProfile) -> ProfileOut:
    skills = service.matcher.catalogues.skills
    themes = service.matcher.catalogues.themes
    return ProfileOut(
        id=found.id,
        pseudonym=found.pseudonym,
        neighbourhood_id=found.neighbourhood_id,
        skills=[CodeLabel(code=c, label=skills.label(c)) for c in found.skills if c in skills.entries],
        themes=[CodeLabel(code=c, label=themes.label(c)) for c in found.themes if c in themes.entries],
        weekly=[WeeklySlotOut.model_validate(s) for s in found.weekly],
        dated=[DatedSlotOut.model_validate(s) for s in found.dated],
        max_commitments=found.max_commitments,
        consent=found.consent,
        updated_at=found.updated_at,
    )


def summary(found: Summary) -> SummaryOut:
    return SummaryOut(
        profile_id=found.profile_id,
        pseudonym=found.pseudonym,
        skills=found.skills,
        themes=found.themes,
        weekly=[WeeklySlotOut.model_validate(s) for s in found.weekly],
        dated=[DatedSlotOut.model_validate(s) for s in found.dated],
        neighbourhood=found.neighbourhood,
    )


def volunteer_suggestion(found: VolunteerSuggestion) -> VolunteerSuggestionOut:
    return VolunteerSuggestionOut(
        volunteer=summary(found.volunteer), score=found.score, reasons=reasons(found.reasons)
    )


def initiative_suggestion(found: InitiativeSuggestion) -> InitiativeSuggestionOut:
    return InitiativeSuggestionOut(
        initiative_id=found.initiative.id,
        title=found.initiative.title,
        neighbourhood=found.neighbourhood,
        state=found.initiative.state,
        score=found.score,
        reasons=reasons(found.reasons),
    )


def match(view: MatchView) -> MatchOut:
    found = view.match
    return MatchOut(
        id=found.id,
        initiative_id=found.initiative_id,
        initiative_title=view.initiative.title,
        origin=found.origin,
        status=found.status,
        volunteer_answer=found.volunteer_answer,
        initiative_answer=found.initiative_answer,
        score=found.score,
        reasons=reasons(view.reasons),
        volunteer=summary(view.volunteer),
        your_side=view.side,
        can_accept=view.can_accept,
        can_decline=view.can_decline,
        volunteer_contact=ContactOut(display_name=c.display_name, email=c.email)
        if (c := view.volunteer_contact)
        else None,
        initiative_contacts=[
            ContactOut(display_name=o.display_name, email=o.email) for o in view.initiative_contacts
        ],
        created_at=found.created_at,
        agreed_at=found.agreed_at,
    )


def caseload_item(item: CaseloadItem) -> CaseloadItemOut:
    return CaseloadItemOut(
        initiative_id=item.initiative.id,
        title=item.initiative.title,
        neighbourhood=item.neighbourhood,
        matches=[match(v) for v in item.matches],
        suggestions=[volunteer_suggestion(s) for s in item.suggestions],
    )
