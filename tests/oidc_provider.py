"""Pytest plugin: the session fixture `oidc_provider`, a real local OpenID Connect provider."""

from collections.abc import Iterator

import pytest
from oidc_tools import LocalProvider, start_provider


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalProvider]:
    """`oidc-provider-mock` in its own process on a free loopback port, for the whole run."""
    with start_provider(tmp_path_factory.mktemp("oidc") / "provider.log") as provider:
        yield provider
