"""BUURTBUDGET_OIDC_PROVIDERS: JSON from a municipality's CBS code to its OpenID Connect provider."""

import json

import pytest
from pydantic import ValidationError

from buurtbudget.settings import IdentityProviderSettings, Settings


def test_providers_are_read_from_the_environment_and_the_secret_never_shows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(
        "BUURTBUDGET_OIDC_PROVIDERS",
        json.dumps(
            {
                "GM0344": {
                    "issuer": "https://inloggen.utrecht.example/",
                    "client_id": "buurtbudget",
                    "client_secret": "heel-geheim",
                    "scopes": ["email", "profile"],
                    "label": "Inloggen met DigiD (Utrecht)",
                }
            }
        ),
    )
    settings = Settings()
    provider = settings.oidc_providers["GM0344"]
    assert provider.issuer == "https://inloggen.utrecht.example"  # as the ID token's "iss" must read
    assert provider.scopes == ["openid", "email", "profile"]
    assert provider.client_secret.get_secret_value() == "heel-geheim"
    assert "heel-geheim" not in repr(settings)
    assert "heel-geheim" not in str(settings.model_dump())


def test_no_providers_by_default() -> None:
    assert Settings().oidc_providers == {}


@pytest.mark.parametrize(
    "issuer", ["http://inloggen.utrecht.example", "http://localhost.example.org", "ftp://x", "https://"]
)
def test_an_issuer_must_be_https_except_on_this_machine(issuer: str) -> None:
    with pytest.raises(ValidationError):
        IdentityProviderSettings(issuer=issuer, client_id="a", client_secret="b")
    assert IdentityProviderSettings(
        issuer="http://127.0.0.1:9400",
        client_id="a",
        client_secret="b",
    ).issuer == ("http://127.0.0.1:9400")
