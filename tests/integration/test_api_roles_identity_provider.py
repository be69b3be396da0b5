"""Every route of verification through the identity provider, for every role; municipalities kept apart."""

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import BASE_URL, Inbox, World, sign_in
from litestar.testing import TestClient
from oidc_tools import LocalProvider, local_path
from pydantic import SecretStr
from test_identity_provider import verifications_of

from api.app import create_app
from buurtbudget.settings import IdentityProviderSettings, Settings

pytest_plugins = ["oidc_provider"]

ROLES = [
    "anonymous",
    "resident",
    "other_resident",
    "broker",
    "other_broker",
    "juror",
    "advisor",
    "municipality_admin",
    "other_municipality_admin",
    "platform_admin",
]

Ask = Callable[[TestClient[Any], World], Any]

# (name, request, expected status for every role): these routes are the same for everyone, signed in or
# not; what differs is only whom a finished sign-in verifies (the signed-in person, see below).
ROUTES: list[tuple[str, Ask, int]] = [
    (
        "GET identity provider (configured)",
        lambda c, w: c.get(f"/api/v1/neighbourhoods/{w.zuilen_id}/identity-provider"),
        200,
    ),
    (
        "GET identity provider (unknown neighbourhood)",
        lambda c, w: c.get("/api/v1/neighbourhoods/999999/identity-provider"),
        404,
    ),
    ("GET start", lambda c, w: c.get("/buurten/zuilen/verifieren/idp", follow_redirects=False), 302),
    (
        "GET start (unknown neighbourhood)",
        lambda c, w: c.get("/buurten/nergens/verifieren/idp", follow_redirects=False),
        404,
    ),
    (
        "GET return (no sign-in started)",
        lambda c, w: c.get("/verifieren/idp/terug?code=abc&state=def", follow_redirects=False),
        400,
    ),
]


@pytest.fixture
def two_providers(settings: Settings, oidc_provider: LocalProvider) -> Settings:
    """Utrecht and Leidschendam-Voorburg each with their own client at the provider."""

    def client(client_id: str) -> IdentityProviderSettings:
        return IdentityProviderSettings(
            issuer=oidc_provider.issuer, client_id=client_id, client_secret=SecretStr(f"{client_id}-geheim")
        )

    return settings.model_copy(
        update={"oidc_providers": {"GM0344": client("utrecht"), "GM1916": client("voorburg")}}
    )


@pytest.fixture
def idp_client(two_providers: Settings) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(two_providers), base_url=BASE_URL, raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize(("name", "ask", "expected"), ROUTES, ids=[route[0] for route in ROUTES])
def test_route_by_role(
    idp_client: TestClient[Any], inbox: Inbox, world: World, name: str, ask: Ask, expected: int
) -> None:
    outcomes = {}
    for role in ROLES:
        idp_client.cookies.clear()
        if role != "anonymous":
            sign_in(idp_client, inbox, world.emails[role])
        outcomes[role] = ask(idp_client, world).status_code
    assert outcomes == dict.fromkeys(ROLES, expected), name


def test_each_municipality_sends_its_residents_to_its_own_client(
    idp_client: TestClient[Any], world: World
) -> None:
    for slug, client_id in (("zuilen", "utrecht"), ("bovenveen", "voorburg")):
        started = idp_client.get(f"/buurten/{slug}/verifieren/idp", follow_redirects=False)
        assert started.status_code == 302
        assert parse_qs(urlsplit(started.headers["location"]).query)["client_id"] == [client_id]
    answer = idp_client.get(f"/api/v1/neighbourhoods/{world.zuilen_id}/identity-provider")
    assert "geheim" not in answer.text


def test_another_municipalitys_administrator_verifies_only_themself(
    idp_client: TestClient[Any],
    inbox: Inbox,
    two_providers: Settings,
    oidc_provider: LocalProvider,
    world: World,
) -> None:
    """Voorburg's administrator gains nothing in Utrecht: a finished sign-in verifies the signed-in person."""
    admin = world.emails["other_municipality_admin"]
    sign_in(idp_client, inbox, admin)
    oidc_provider.set_user("digid-7007", {"email": world.emails["resident"], "email_verified": True})
    started = idp_client.get("/buurten/zuilen/verifieren/idp", follow_redirects=False)
    back = oidc_provider.sign_in(started.headers["location"], "digid-7007")
    done = idp_client.get(local_path(back), follow_redirects=False)
    assert done.status_code == 303
    [verification] = verifications_of(two_providers, admin)
    assert (verification.method, verification.neighbourhood_id) == ("oidc", world.zuilen_id)
    # The resident whose address the provider happened to name is not touched.
    assert [v for v in verifications_of(two_providers, world.emails["resident"]) if v.method == "oidc"] == []
