"""Verification through the municipality's OpenID Connect provider, end to end against a real local provider.

The app talks HTTP to `oidc-provider-mock` running in its own process on loopback (the `oidc_provider`
fixture); the test plays the browser: it follows the app's redirect to the provider, signs in there, and
brings the provider's redirect back to the app. Every failure is a specific page that writes nothing.
"""

import asyncio
import base64
import json
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from conftest import BASE_URL, Inbox, World, sign_in
from litestar.testing import TestClient
from oidc_tools import LocalProvider, local_path
from pydantic import SecretStr
from sqlalchemy import func, select

from api.app import create_app
from buurtbudget.audit.models import AuditEntry
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.people.errors import InvalidIdentityToken
from buurtbudget.people.identity_provider import OpenIdClient, PendingSignIn
from buurtbudget.people.models import Person
from buurtbudget.people.verification_models import IdentityLink, Verification
from buurtbudget.settings import IdentityProviderSettings, Settings

pytest_plugins = ["oidc_provider"]

UTRECHT = "GM0344"
CLIENT_ID = "buurtbudget-utrecht"
START = "/buurten/zuilen/verifieren/idp"


def provider(issuer: str, client_id: str = CLIENT_ID) -> IdentityProviderSettings:
    return IdentityProviderSettings(issuer=issuer, client_id=client_id, client_secret=SecretStr("geheim"))


def with_provider(settings: Settings, issuer: str, *, timeout: float = 3.0) -> Settings:
    return settings.model_copy(
        update={"oidc_providers": {UTRECHT: provider(issuer)}, "oidc_timeout_seconds": timeout}
    )


@pytest.fixture
def idp_settings(settings: Settings, oidc_provider: LocalProvider) -> Settings:
    return with_provider(settings, oidc_provider.issuer)


@pytest.fixture
def idp_client(idp_settings: Settings) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(idp_settings), base_url=BASE_URL, raise_server_exceptions=False) as client:
        yield client


def run(settings: Settings, job: Any) -> Any:
    async def go() -> Any:
        engine = create_engine(settings.database_url)
        try:
            async with create_session_factory(engine)() as session:
                return await job(session)
        finally:
            await engine.dispose()

    return asyncio.run(go())


def written(settings: Settings) -> dict[str, int]:
    """How many rows the tables a sign-in could write hold."""

    async def job(session: Any) -> dict[str, int]:
        return {
            table.__name__: await session.scalar(select(func.count()).select_from(table))
            for table in (Person, Verification, IdentityLink, AuditEntry)
        }

    found: dict[str, int] = run(settings, job)
    return found


def verifications_of(settings: Settings, email: str) -> list[Verification]:
    async def job(session: Any) -> list[Verification]:
        rows = await session.execute(
            select(Verification)
            .join(Person, Person.id == Verification.person_id)
            .where(Person.email == email)
        )
        return list(rows.scalars())

    found: list[Verification] = run(settings, job)
    return found


def leave_for_provider(client: TestClient[Any], oidc_provider: LocalProvider) -> str:
    started = client.get(START, follow_redirects=False)
    assert started.status_code == 302, started.text
    location = started.headers["location"]
    assert location.startswith(f"{oidc_provider.issuer}/oauth2/authorize?")
    return location


def test_a_new_resident_signs_in_through_the_provider_and_is_verified(
    idp_client: TestClient[Any], idp_settings: Settings, oidc_provider: LocalProvider, world: World
) -> None:
    oidc_provider.set_user("digid-1001", {"email": "Nieuw.Bewoner@example.org", "email_verified": True})
    location = leave_for_provider(idp_client, oidc_provider)
    query = parse_qs(urlsplit(location).query)
    # The authorisation request: code flow with PKCE (S256), a state and a nonce, the fixed return address.
    assert query["response_type"] == ["code"]
    assert query["client_id"] == [CLIENT_ID]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert len(query["state"][0]) >= 32
    assert len(query["nonce"][0]) >= 32
    assert query["scope"] == ["openid email"]
    assert query["redirect_uri"] == ["http://127.0.0.1:8000/verifieren/idp/terug"]
    assert "geheim" not in location
    assert "code_verifier" not in location

    back = oidc_provider.sign_in(location, "digid-1001")
    assert back.startswith("http://127.0.0.1:8000/verifieren/idp/terug?")
    done = idp_client.get(local_path(back), follow_redirects=False)
    assert done.status_code == 303, done.text
    # First sign-in: the name page first, then the verification page with its message.
    assert done.headers["location"] == (
        "/mijn-naam?volgende=%2Fbuurten%2Fzuilen%2Fverifieren%3Fklaar%3Dgeverifieerd"
    )
    me = idp_client.get("/api/v1/people/me")
    assert me.status_code == 200, me.text
    assert me.json()["email"] == "nieuw.bewoner@example.org"
    [verification] = verifications_of(idp_settings, "nieuw.bewoner@example.org")
    assert (verification.method, verification.neighbourhood_id) == ("oidc", world.zuilen_id)
    assert (verification.issuer, verification.subject) == (oidc_provider.issuer, "digid-1001")
    assert verification.ended_at is None

    async def audited(session: Any) -> list[str]:
        rows = await session.execute(select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(3))
        return sorted(rows.scalars())

    assert run(idp_settings, audited) == ["person.created", "person.signed_in", "verification.recorded"]

    # The answer is used once: bringing it back again is refused and changes nothing.
    before = written(idp_settings)
    again = idp_client.get(local_path(back), follow_redirects=False)
    assert again.status_code == 400
    assert written(idp_settings) == before


def test_a_signed_in_resident_is_verified_and_returns_to_the_verification_page(
    idp_client: TestClient[Any],
    idp_settings: Settings,
    inbox: Inbox,
    oidc_provider: LocalProvider,
    world: World,
) -> None:
    sign_in(idp_client, inbox, world.emails["other_resident"])
    # The provider's address may differ from the account's: the signed-in person is the one verified.
    oidc_provider.set_user("digid-2002", {"email": "prive@example.org", "email_verified": True})
    back = oidc_provider.sign_in(leave_for_provider(idp_client, oidc_provider), "digid-2002")
    done = idp_client.get(local_path(back), follow_redirects=False)
    assert done.status_code == 303, done.text
    assert done.headers["location"] == "/buurten/zuilen/verifieren?klaar=geverifieerd"
    [verification] = [
        v for v in verifications_of(idp_settings, world.emails["other_resident"]) if v.method == "oidc"
    ]
    assert (verification.neighbourhood_id, verification.subject) == (world.zuilen_id, "digid-2002")
    assert verifications_of(idp_settings, "prive@example.org") == []


def test_an_answer_with_a_wrong_state_is_refused_and_writes_nothing(
    idp_client: TestClient[Any], idp_settings: Settings, oidc_provider: LocalProvider, world: World
) -> None:
    oidc_provider.set_user("digid-3003", {"email": "derde@example.org", "email_verified": True})
    back = oidc_provider.sign_in(leave_for_provider(idp_client, oidc_provider), "digid-3003")
    code = parse_qs(urlsplit(back).query)["code"][0]
    before = written(idp_settings)
    forged = idp_client.get(f"/verifieren/idp/terug?code={code}&state=iets-anders", follow_redirects=False)
    assert forged.status_code == 400
    assert "Deze aanmelding kan niet worden afgemaakt" in forged.text
    assert written(idp_settings) == before
    # An answer nobody asked for (no sign-in started in this browser) is refused too.
    idp_client.cookies.clear()
    stray = idp_client.get(local_path(back), follow_redirects=False)
    assert stray.status_code == 400
    assert written(idp_settings) == before


def test_stopping_at_the_provider_shows_why_and_writes_nothing(
    idp_client: TestClient[Any], idp_settings: Settings, oidc_provider: LocalProvider, world: World
) -> None:
    before = written(idp_settings)
    leave_for_provider(idp_client, oidc_provider)
    # An error answer that carries a state must carry ours too.
    forged = idp_client.get("/verifieren/idp/terug?error=access_denied&state=iets-anders")
    assert forged.status_code == 400
    back = oidc_provider.deny(leave_for_provider(idp_client, oidc_provider))
    assert "error=access_denied" in back
    refused = idp_client.get(local_path(back), follow_redirects=False)
    assert refused.status_code == 403
    assert "U bent gestopt met inloggen" in refused.text
    assert 'href="/buurten/zuilen/verifieren/idp"' in refused.text  # try again
    assert written(idp_settings) == before


def test_without_a_verified_address_a_visitor_who_is_not_signed_in_is_not_signed_up(
    idp_client: TestClient[Any], idp_settings: Settings, oidc_provider: LocalProvider, world: World
) -> None:
    oidc_provider.set_user("digid-4004", {"email": "onbevestigd@example.org"})  # no email_verified
    before = written(idp_settings)
    back = oidc_provider.sign_in(leave_for_provider(idp_client, oidc_provider), "digid-4004")
    refused = idp_client.get(local_path(back), follow_redirects=False)
    assert refused.status_code == 422
    assert "Log eerst in met uw e-mailadres" in refused.text
    assert written(idp_settings) == before


def test_an_identity_that_verifies_one_person_cannot_verify_another(
    idp_client: TestClient[Any],
    idp_settings: Settings,
    inbox: Inbox,
    oidc_provider: LocalProvider,
    world: World,
) -> None:
    oidc_provider.set_user("digid-5005", {"email": "eerste@example.org", "email_verified": True})
    first = oidc_provider.sign_in(leave_for_provider(idp_client, oidc_provider), "digid-5005")
    assert idp_client.get(local_path(first), follow_redirects=False).status_code == 303
    idp_client.cookies.clear()
    sign_in(idp_client, inbox, world.emails["other_resident"])
    before = written(idp_settings)
    second = oidc_provider.sign_in(leave_for_provider(idp_client, oidc_provider), "digid-5005")
    taken = idp_client.get(local_path(second), follow_redirects=False)
    assert taken.status_code == 409
    assert "Deze identiteit is al in gebruik" in taken.text
    assert written(idp_settings) == before


def test_an_unreachable_provider_is_a_clear_page_within_the_timeout(settings: Settings, world: World) -> None:
    with socket.socket() as silent:  # accepts connections and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        issuer = f"http://127.0.0.1:{silent.getsockname()[1]}"
        app = create_app(with_provider(settings, issuer, timeout=1.0))
        with TestClient(app, base_url=BASE_URL, raise_server_exceptions=False) as client:
            before = written(settings)
            down = client.get(START, follow_redirects=False)
            assert down.status_code == 503
            assert "De inlogdienst is niet bereikbaar" in down.text
            assert written(settings) == before
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        issuer = f"http://127.0.0.1:{closed.getsockname()[1]}"  # nothing listens there
    app = create_app(with_provider(settings, issuer, timeout=1.0))
    with TestClient(app, base_url=BASE_URL, raise_server_exceptions=False) as client:
        assert client.get(START, follow_redirects=False).status_code == 503


def test_a_municipality_without_a_provider_shows_no_button_and_says_so(
    idp_client: TestClient[Any], world: World
) -> None:
    page = idp_client.get("/buurten/bovenveen/verifieren/idp", follow_redirects=False)
    assert page.status_code == 404
    assert "Inloggen via de gemeente is niet ingesteld" in page.text
    bovenveen = idp_client.get("/api/v1/neighbourhoods").json()
    [other] = [n for n in bovenveen if n["slug"] == "bovenveen"]
    problem = idp_client.get(f"/api/v1/neighbourhoods/{other['id']}/identity-provider")
    assert problem.status_code == 404
    assert problem.headers["content-type"].startswith("application/problem+json")
    assert problem.json()["code"] == "identity_provider_not_configured"
    configured = idp_client.get(f"/api/v1/neighbourhoods/{world.zuilen_id}/identity-provider")
    assert configured.status_code == 200
    assert configured.json()["start_url"] == START
    assert "geheim" not in configured.text


def test_no_provider_configured_at_all(client: TestClient[Any], world: World) -> None:
    assert client.get(START, follow_redirects=False).status_code == 404
    answer = client.get("/verifieren/idp/terug?code=x&state=y", follow_redirects=False)
    assert answer.status_code == 400


# --- the ID token's checks, on tokens the real provider issued ---------------------------------------


def _token_for(oidc_provider: LocalProvider, client_id: str, pending: PendingSignIn) -> dict[str, Any]:
    """Run the code flow by hand at the provider for `client_id`; its token response."""
    redirect = "http://127.0.0.1:8000/verifieren/idp/terug"
    oidc_provider.set_user("digid-6006", {"email": "zes@example.org", "email_verified": True})
    authorize = httpx.Request(
        "GET",
        f"{oidc_provider.issuer}/oauth2/authorize",
        params={
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect,
            "scope": "openid email",
            "state": pending.state,
            "nonce": pending.nonce,
        },
    )
    back = oidc_provider.sign_in(str(authorize.url), "digid-6006")
    code = parse_qs(urlsplit(back).query)["code"][0]
    token = httpx.post(
        f"{oidc_provider.issuer}/oauth2/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect},
        auth=(client_id, "geheim"),
        timeout=5,
    )
    assert token.status_code == 200, token.text
    found: dict[str, Any] = token.json()
    return found


def _check(oidc_provider: LocalProvider, token: dict[str, Any], pending: PendingSignIn) -> Any:
    metadata = httpx.get(f"{oidc_provider.issuer}/.well-known/openid-configuration", timeout=5).json()
    keys = httpx.get(metadata["jwks_uri"], timeout=5).json()
    client = OpenIdClient(provider(oidc_provider.issuer), redirect_uri="unused", timeout=3)
    return client._identity(token, keys, metadata, pending)


PENDING = PendingSignIn(
    state="s" * 32, nonce="n" * 32, code_verifier="v" * 64, neighbourhood_slug="zuilen", started_at=0
)


def test_an_id_token_of_the_provider_for_us_passes(oidc_provider: LocalProvider) -> None:
    identity = _check(oidc_provider, _token_for(oidc_provider, CLIENT_ID, PENDING), PENDING)
    assert (identity.issuer, identity.subject, identity.email, identity.email_verified) == (
        oidc_provider.issuer,
        "digid-6006",
        "zes@example.org",
        True,
    )


def test_an_id_token_for_another_audience_is_refused(oidc_provider: LocalProvider) -> None:
    token = _token_for(oidc_provider, "een-andere-app", PENDING)
    with pytest.raises(InvalidIdentityToken):
        _check(oidc_provider, token, PENDING)


def test_an_id_token_with_another_nonce_is_refused(oidc_provider: LocalProvider) -> None:
    token = _token_for(oidc_provider, CLIENT_ID, PENDING)
    other = PendingSignIn(
        state=PENDING.state,
        nonce="x" * 32,
        code_verifier=PENDING.code_verifier,
        neighbourhood_slug="zuilen",
        started_at=0,
    )
    with pytest.raises(InvalidIdentityToken):
        _check(oidc_provider, token, other)


def test_an_id_token_changed_after_signing_is_refused(oidc_provider: LocalProvider) -> None:
    token = _token_for(oidc_provider, CLIENT_ID, PENDING)
    header, payload, signature = token["id_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "iemand-anders"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(InvalidIdentityToken):
        _check(oidc_provider, {**token, "id_token": f"{header}.{forged}.{signature}"}, PENDING)
    unsigned = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    with pytest.raises(InvalidIdentityToken):
        _check(oidc_provider, {**token, "id_token": f"{unsigned}.{payload}."}, PENDING)


def test_a_pending_sign_in_expires() -> None:
    from buurtbudget.people.errors import SignInNotStartedHere

    fresh = PendingSignIn.from_dict(PENDING.as_dict(), now=60)
    assert fresh == PENDING
    with pytest.raises(SignInNotStartedHere):
        PendingSignIn.from_dict(PENDING.as_dict(), now=16 * 60)
    with pytest.raises(SignInNotStartedHere):
        PendingSignIn.from_dict({"state": "s"}, now=0)


def test_the_verification_page_offers_the_button_only_where_a_provider_is_set_up(
    idp_client: TestClient[Any], inbox: Inbox, world: World
) -> None:
    anonymous = idp_client.get("/buurten/zuilen/verifieren")  # signs in and verifies in one go
    assert 'href="/buurten/zuilen/verifieren/idp"' in anonymous.text
    sign_in(idp_client, inbox, world.emails["other_resident"])
    utrecht = idp_client.get("/buurten/zuilen/verifieren")
    assert utrecht.status_code == 200
    assert 'href="/buurten/zuilen/verifieren/idp"' in utrecht.text
    assert "Inloggen met DigiD via de gemeente" in utrecht.text
    voorburg = idp_client.get("/buurten/bovenveen/verifieren")
    assert voorburg.status_code == 200
    assert "/verifieren/idp" not in voorburg.text
