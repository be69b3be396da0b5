"""The people API: a municipality's people, giving a role (the invitation arrives by mail and signs the
person in), revoking one; a revoked role stops working on the next request, sessions included."""

import re
from typing import Any

from conftest import Inbox, World, sign_in
from litestar.testing import TestClient


def invitation_token(inbox: Inbox, address: str) -> str:
    body = inbox.last_to(address).get_body(preferencelist=("plain",))
    assert body is not None
    found = re.search(
        r"http://127\.0\.0\.1:8000/inloggen/bevestigen\?token=([A-Za-z0-9_-]+)", body.get_content()
    )
    assert found, "the invitation holds a sign-in link to the platform"
    return found.group(1)


def test_an_administrator_gives_a_role_and_the_invitation_signs_the_person_in(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["municipality_admin"])
    given = client.post(
        "/api/v1/role-assignments",
        json={"email": "Ruimte@Example.org", "role": "space_owner", "neighbourhood_id": world.zuilen_id},
    )
    assert given.status_code == 201, given.text
    assert given.json()["role"] == "space_owner"
    assert given.json()["granted_by_id"] == world.actors["municipality_admin"].person_id
    message = inbox.last_to("ruimte@example.org")
    assert message["Subject"] == "Uw rol op Buurtbudget"
    assert "Eigenaar van een ruimte voor Zuilen (Utrecht)" in str(message.get_body(preferencelist=("plain",)))
    found = client.get(f"/api/v1/municipalities/{world.municipality_id}/people", params={"q": "ruimte"})
    assert found.status_code == 200
    [person] = found.json()["items"]
    assert person["email"] == "ruimte@example.org"
    assert [(r["role"], r["neighbourhood_name"], r["revocable"]) for r in person["roles"]] == [
        ("space_owner", "Zuilen", True)
    ]
    roles = client.get(f"/api/v1/people/{person['id']}/role-assignments")
    assert roles.status_code == 200
    assert roles.json()["roles"][0]["id"] == given.json()["id"]
    assert given.json()["verification_id"] is None

    resident = client.post(
        "/api/v1/role-assignments",
        json={"email": "ruimte@example.org", "role": "resident", "neighbourhood_id": world.zuilen_id},
    )
    assert resident.status_code == 201, resident.text
    assert resident.json()["id"] is None  # a resident is verified, not assigned
    assert resident.json()["verification_id"] is not None

    client.cookies.clear()
    signed_in = client.post(
        "/api/v1/auth/session", json={"token": invitation_token(inbox, "ruimte@example.org")}
    )
    assert signed_in.status_code == 200
    assert {
        "role": "space_owner",
        "neighbourhood_id": world.zuilen_id,
        "municipality_id": None,
    } in signed_in.json()["roles"]


def test_bad_input_gets_a_problem_at_the_field(client: TestClient[Any], inbox: Inbox, world: World) -> None:
    sign_in(client, inbox, world.emails["municipality_admin"])
    cases = [
        ({"email": "geen adres", "role": "broker", "neighbourhood_id": world.zuilen_id}, 422, "email"),
        ({"email": "a@example.org", "role": "broker", "neighbourhood_id": 999_999}, 422, "neighbourhood_id"),
        ({"email": "a@example.org", "role": "broker"}, 422, "neighbourhood_id"),
        ({"email": "a@example.org", "role": "juror", "neighbourhood_id": world.zuilen_id}, 422, "role"),
        (
            {"email": world.emails["broker"], "role": "broker", "neighbourhood_id": world.zuilen_id},
            409,
            "role",
        ),
    ]
    for body, status, field in cases:
        refused = client.post("/api/v1/role-assignments", json=body)
        assert refused.status_code == status, (body, refused.text)
        if status == 422:
            assert refused.json()["errors"][0]["field"] == field, refused.text
        else:
            assert refused.json()["code"] == "role_already_held"
    not_a_role = client.post("/api/v1/role-assignments", json={"email": "a@example.org", "role": "koning"})
    assert not_a_role.status_code == 422
    empty_reason = client.post("/api/v1/role-assignments/1/revoke", json={"reason": ""})
    assert empty_reason.status_code == 422


def test_a_revoked_broker_is_signed_out_and_cannot_act_on_the_next_request(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["broker"])
    assert client.get("/api/v1/people/me/overdue").status_code == 200  # the broker's caseload
    broker_cookies = dict(client.cookies)

    client.cookies.clear()
    sign_in(client, inbox, world.emails["municipality_admin"])
    broker_id = world.actors["broker"].person_id
    [role] = client.get(f"/api/v1/people/{broker_id}/role-assignments").json()["roles"]
    revoked = client.post(f"/api/v1/role-assignments/{role['id']}/revoke", json={"reason": "Vertrokken"})
    assert revoked.status_code == 200, revoked.text
    assert revoked.json() == {
        "person_id": broker_id,
        "role": "broker",
        "neighbourhood_id": world.zuilen_id,
        "municipality_id": None,
    }
    assert client.get("/api/v1/people/me").status_code == 200  # the administrator stays signed in

    client.cookies.clear()
    client.cookies.update(broker_cookies)
    assert client.get("/api/v1/people/me").status_code == 401
    assert client.get("/api/v1/people/me/overdue").status_code == 401
    acting = client.post(
        "/api/v1/initiatives", json={"neighbourhood_id": world.zuilen_id, "title": "Namens een bewoner"}
    )
    assert acting.status_code == 401
    # Signing in again works, without the role.
    client.cookies.clear()
    sign_in(client, inbox, world.emails["broker"])
    assert client.get("/api/v1/people/me").json()["roles"] == []
    assert client.get("/api/v1/people/me/overdue").status_code == 403


def test_another_municipality_s_administrator_never_sees_or_changes_these_people(
    client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    sign_in(client, inbox, world.emails["other_municipality_admin"])
    assert client.get(f"/api/v1/municipalities/{world.municipality_id}/people").status_code == 403
    broker_id = world.actors["broker"].person_id
    assert client.get(f"/api/v1/people/{broker_id}/role-assignments").status_code == 404
    given = client.post(
        "/api/v1/role-assignments",
        json={"email": "indringer@example.org", "role": "broker", "neighbourhood_id": world.zuilen_id},
    )
    assert given.status_code == 403
    admin = client.post(
        "/api/v1/role-assignments",
        json={
            "email": "indringer@example.org",
            "role": "municipality_admin",
            "municipality_id": world.municipality_id,
        },
    )
    assert admin.status_code == 403

    client.cookies.clear()
    sign_in(client, inbox, world.emails["municipality_admin"])
    [role] = client.get(f"/api/v1/people/{broker_id}/role-assignments").json()["roles"]
    client.cookies.clear()
    sign_in(client, inbox, world.emails["other_municipality_admin"])
    assert (
        client.post(f"/api/v1/role-assignments/{role['id']}/revoke", json={"reason": "Zomaar"}).status_code
        == 404
    )
    own = client.get(f"/api/v1/municipalities/{world.other_municipality_id}/people").json()
    assert [p["email"] for p in own["items"]] == [world.emails["other_municipality_admin"]]
    assert "indringer@example.org" not in {p["email"] for p in own["items"]}
