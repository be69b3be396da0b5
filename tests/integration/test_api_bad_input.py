"""Values no database or mail can hold are refused at the JSON boundary with a 422 naming the field.

Moments outside the years the platform plans for, NUL characters, line breaks in one-line names and
numbers sent as true, 1.5 or "100" each get a specific problem on SQLite and PostgreSQL alike, and
nothing is written.
"""

from collections.abc import Callable
from typing import Any

import pytest
from conftest import Inbox, World, sign_in
from litestar.testing import TestClient
from test_api_errors import assert_problem, row_counts
from test_api_rounds import prepare, round_body
from test_api_spaces import SPACE, booking_body, register

from buurtbudget.settings import Settings

FAR_PAST = "0001-01-01T00:00:00+14:00"  # a day before year 1 in UTC: Python cannot even represent it
FAR_FUTURE = "9999-12-31T23:59:59-12:00"  # a day after year 9999 in UTC

# (who, method, path, body, field): the body is built from the world and a registered space.
Case = tuple[str, str, str, dict[str, Any], str]
Build = Callable[[World, dict[str, Any], list[int]], Case]


def problem_fields(response: Any) -> set[str]:
    body = assert_problem(response, 422, "validation_failed")
    return {error["field"] for error in body["errors"]}


def _initiative(world: World, **changes: Any) -> dict[str, Any]:
    return {"neighbourhood_id": world.zuilen_id, "title": "Moestuin", **changes}


def _space_need(moment: str, field: str) -> dict[str, Any]:
    need = {"description": "zaal", "capacity": 5, "starts_at": "2027-05-01T18:00:00+02:00"}
    return need | {"ends_at": "2027-05-01T20:00:00+02:00"} | {field: moment}


def date_cases(moment: str) -> list[tuple[str, Build]]:
    day = moment[:10]
    return [
        (
            "space need",
            lambda w, _s, _i: (
                "resident",
                "POST",
                "/api/v1/initiatives",
                _initiative(w, space_needs=[_space_need(moment, "starts_at")]),
                "space_needs.0.starts_at",
            ),
        ),
        (
            "booking",
            lambda _w, s, _i: (
                "resident",
                "POST",
                f"/api/v1/spaces/{s['id']}/bookings",
                booking_body(ends_at=moment),
                "ends_at",
            ),
        ),
        (
            "round",
            lambda w, _s, ids: (
                "municipality_admin",
                "POST",
                f"/api/v1/pots/{w.pot_id}/rounds",
                round_body(ids) | {"voting_closes_at": moment},
                "voting_closes_at",
            ),
        ),
        (
            "round decision day",
            lambda w, _s, ids: (
                "municipality_admin",
                "POST",
                f"/api/v1/pots/{w.pot_id}/rounds",
                round_body(ids) | {"decision_due_on": day},
                "decision_due_on",
            ),
        ),
        (
            "pot period",
            lambda w, _s, _i: (
                "municipality_admin",
                "POST",
                "/api/v1/pots",
                {
                    "neighbourhood_id": w.ondiep_id,
                    "name": "Pot",
                    "period_start": day,
                    "period_end": "2027-12-31",
                },
                "period_start",
            ),
        ),
        (
            "volunteer availability",
            lambda w, _s, _i: (
                "resident",
                "PUT",
                "/api/v1/volunteers/me",
                {
                    "neighbourhood_id": w.zuilen_id,
                    "skills": ["koken"],
                    "dated": [{"day": day, "start": "19:00", "end": "21:00"}],
                    "consent": True,
                },
                "dated.0.day",
            ),
        ),
    ]


DATE_CASES = [
    pytest.param(build, id=f"{label} {moment[:4]}")
    for moment in (FAR_PAST, FAR_FUTURE)
    for label, build in date_cases(moment)
]


def send(
    client: TestClient[Any], inbox: Inbox, world: World, settings: Settings, build: Build
) -> tuple[Any, str]:
    """Sign in as the case's person, send it, and check that nothing was written."""
    sign_in(client, inbox, world.emails["resident"])
    space = register(client, world)
    ids = prepare(settings, world)
    who, method, path, body, field = build(world, space, ids)
    sign_in(client, inbox, world.emails[who])
    before = row_counts(settings)
    response = client.request(method, path, json=body)
    assert row_counts(settings) == before
    return response, field


@pytest.mark.parametrize("build", DATE_CASES)
def test_moments_outside_the_plannable_years_are_a_422_naming_the_field(
    client: TestClient[Any], inbox: Inbox, world: World, settings: Settings, build: Build
) -> None:
    response, field = send(client, inbox, world, settings, build)
    assert field in problem_fields(response)


TEXT_CASES: list[tuple[str, Build]] = [
    (
        "initiative title",
        lambda w, _s, _i: (
            "resident",
            "POST",
            "/api/v1/initiatives",
            _initiative(w, title="Moes\x00tuin"),
            "title",
        ),
    ),
    (
        "initiative story",
        lambda w, _s, _i: (
            "resident",
            "POST",
            "/api/v1/initiatives",
            _initiative(w, summary="a\x00b"),
            "summary",
        ),
    ),
    (
        "theme",
        lambda w, _s, _i: (
            "resident",
            "POST",
            "/api/v1/initiatives",
            _initiative(w, themes=["groen\x00"]),
            "themes.0",
        ),
    ),
    (
        "space description",
        lambda w, _s, _i: (
            "resident",
            "POST",
            "/api/v1/spaces",
            {**SPACE, "neighbourhood_id": w.zuilen_id, "description": "Groot\x00"},
            "description",
        ),
    ),
    (
        "booking title",
        lambda _w, s, _i: (
            "resident",
            "POST",
            f"/api/v1/spaces/{s['id']}/bookings",
            booking_body(title="Kook\x00les"),
            "title",
        ),
    ),
    (
        "jury attribute",
        lambda w, _s, _i: (
            "resident",
            "PUT",
            f"/api/v1/neighbourhoods/{w.zuilen_id}/jury-volunteer",
            {"attributes": {"wijk": "noord\x00"}},
            "attributes.wijk",
        ),
    ),
    (
        "round name",
        lambda w, _s, ids: (
            "municipality_admin",
            "POST",
            f"/api/v1/pots/{w.pot_id}/rounds",
            round_body(ids) | {"name": "Najaar\x00"},
            "name",
        ),
    ),
]


@pytest.mark.parametrize("build", [pytest.param(build, id=label) for label, build in TEXT_CASES])
def test_nul_characters_in_text_are_a_422_naming_the_field(
    client: TestClient[Any], inbox: Inbox, world: World, settings: Settings, build: Build
) -> None:
    response, field = send(client, inbox, world, settings, build)
    assert field in problem_fields(response)


@pytest.mark.parametrize(
    "name", ["Najaar\r\nBcc: iedereen@example.org", "Najaar\nronde", "Najaar\tronde", "a\u2028b"]
)
def test_line_breaks_and_control_characters_in_a_round_name_are_refused(
    client: TestClient[Any], inbox: Inbox, world: World, settings: Settings, name: str
) -> None:
    """The drawn jurors' mails carry the round's name in their subject: it must stay one line."""
    ids = prepare(settings, world)
    sign_in(client, inbox, world.emails["municipality_admin"])
    before = row_counts(settings)
    response = client.post(f"/api/v1/pots/{world.pot_id}/rounds", json=round_body(ids) | {"name": name})
    assert problem_fields(response) == {"name"}
    assert row_counts(settings) == before


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "Moestuin\r\nBcc: x@example.org"},
        {"cost_lines": [{"description": "Bakken\n", "amount_cents": 100}]},
        {"themes": ["groen\x1b[31m"]},
    ],
    ids=["title", "cost line", "theme"],
)
def test_control_characters_in_single_line_initiative_texts_are_refused(
    client: TestClient[Any], inbox: Inbox, world: World, settings: Settings, changes: dict[str, Any]
) -> None:
    sign_in(client, inbox, world.emails["resident"])
    before = row_counts(settings)
    response = client.post("/api/v1/initiatives", json=_initiative(world, **changes))
    assert problem_fields(response)
    assert row_counts(settings) == before
    # A story may span lines: only one-line texts refuse line breaks.
    story = client.post("/api/v1/initiatives", json=_initiative(world, summary="Eerst dit.\r\nDan dat."))
    assert story.status_code == 201, story.text


NOT_WHOLE_NUMBERS = [True, 1.5, "100", 100.0]


@pytest.mark.parametrize("amount", NOT_WHOLE_NUMBERS, ids=repr)
def test_amounts_are_whole_numbers_of_cents_only(
    client: TestClient[Any], inbox: Inbox, world: World, settings: Settings, amount: Any
) -> None:
    sign_in(client, inbox, world.emails["resident"])
    before = row_counts(settings)
    lines = [{"description": "Bakken", "amount_cents": amount}]
    response = client.post("/api/v1/initiatives", json=_initiative(world, cost_lines=lines))
    assert problem_fields(response) == {"cost_lines.0.amount_cents"}
    assert row_counts(settings) == before
    sign_in(client, inbox, world.emails["municipality_admin"])
    before = row_counts(settings)
    funding = client.post(f"/api/v1/pots/{world.pot_id}/fundings", json={"amount_cents": amount})
    assert problem_fields(funding) == {"amount_cents"}
    assert row_counts(settings) == before


@pytest.mark.parametrize("value", [True, 2.5, "3"], ids=repr)
def test_other_whole_numbers_refuse_true_fractions_and_text(
    client: TestClient[Any], inbox: Inbox, world: World, value: Any
) -> None:
    sign_in(client, inbox, world.emails["resident"])
    needs = [{"skill": "koken", "hours": value}]
    response = client.post("/api/v1/initiatives", json=_initiative(world, volunteer_needs=needs))
    assert problem_fields(response) == {"volunteer_needs.0.hours"}
    space = client.post(
        "/api/v1/spaces", json={**SPACE, "neighbourhood_id": world.zuilen_id, "capacity": value}
    )
    assert problem_fields(space) == {"capacity"}


def test_yes_or_no_fields_refuse_numbers_and_text(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["resident"])
    for value in (1, "true", "yes"):
        response = client.post(
            "/api/v1/spaces", json={**SPACE, "neighbourhood_id": world.zuilen_id, "bookable": value}
        )
        assert problem_fields(response) == {"bookable"}


def test_the_openapi_document_still_says_integer_and_shows_mappings_as_objects(
    client: TestClient[Any],
) -> None:
    schemas = client.get("/schema/openapi.json").json()["components"]["schemas"]
    cost_line = schemas["CostLineIn"]["properties"]["amount_cents"]
    assert cost_line["type"] == "integer"
    assert cost_line["exclusiveMinimum"] == 0 or cost_line.get("minimum") == 1
    assert schemas["FundingIn"]["properties"]["amount_cents"]["type"] == "integer"
    assert schemas["VolunteerNeedIn"]["properties"]["hours"]["type"] == "integer"
    marks = schemas["BallotIn"]["properties"]["marks"]
    assert marks["type"] == "object"
    assert marks["additionalProperties"] == {"type": "integer", "minimum": 0, "maximum": 1000}
    assert marks["maxProperties"] == 200
    attributes = schemas["VolunteerIn"]["properties"]["attributes"]
    assert attributes["type"] == "object"
    assert attributes["maxProperties"] == 10
    # No mapping anywhere is shown as a list (Litestar did so for a dict with a size limit).

    def lists_with_string_limits(node: Any) -> list[Any]:
        if isinstance(node, dict):
            found = [node] if node.get("type") == "array" and "maxLength" in node else []
            return found + [hit for value in node.values() for hit in lists_with_string_limits(value)]
        if isinstance(node, list):
            return [hit for value in node for hit in lists_with_string_limits(value)]
        return []

    assert lists_with_string_limits(schemas) == []


def test_a_ballot_still_takes_initiative_ids_as_keys_and_refuses_bad_marks(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    """JSON keys are text: a ballot's keys stay ids as text while its marks must be whole numbers."""
    sign_in(client, inbox, world.emails["juror"])
    for marks in ({"1": True}, {"1": 1.5}, {"1": "1"}):
        response = client.put("/api/v1/rounds/424242/ballot", json={"marks": marks})
        assert problem_fields(response) == {"marks.1"}
    too_many = {str(number): 1 for number in range(1, 202)}
    response = client.put("/api/v1/rounds/424242/ballot", json={"marks": too_many})
    assert problem_fields(response) == {"marks"}
    assert client.put("/api/v1/rounds/424242/ballot", json={"marks": {"1": 1}}).status_code == 404


PROBLEM_REF = "#/components/schemas/Problem"


def test_the_openapi_document_describes_errors_as_the_problems_the_server_sends(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    document = client.get("/schema/openapi.json").json()
    problem = document["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "code", "instance"} <= set(problem["required"])
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status in ("400", "401", "403", "404", "422", "503"):
                content = operation["responses"][status]["content"]
                assert list(content) == ["application/problem+json"], f"{method} {path} {status}"
                assert content["application/problem+json"]["schema"] == {
                    "$ref": "#/components/schemas/Problem"
                }
    # What the server sends for a 422 has every required member of the documented problem.
    sign_in(client, inbox, world.emails["resident"])
    sent = client.post("/api/v1/initiatives", json={"neighbourhood_id": world.zuilen_id, "title": "x"}).json()
    assert set(problem["required"]) <= set(sent)
    assert set(sent) <= set(problem["properties"])
