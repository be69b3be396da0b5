"""Mail goes out encrypted and authenticated when configured: STARTTLS and implicit TLS with a login,
against a real local SMTP server (aiosmtpd) with a certificate of a test authority (trustme)."""

import socket
import ssl
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from conftest import Inbox

from buurtbudget.notifications.errors import MailUnavailable
from buurtbudget.notifications.mailer import SmtpMailer, compose, mailer_for
from buurtbudget.settings import Settings

USER, PASSWORD = "buurtbudget", "geheim-wachtwoord"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def check_login(_server: Any, _session: Any, _envelope: Any, _mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (USER.encode(), PASSWORD.encode())
    return AuthResult(success=ok)


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def starttls_server(authority: trustme.CA) -> Iterator[tuple[int, Inbox]]:
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(server_context)
    inbox, port = Inbox(), free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        ready_timeout=10,
        tls_context=server_context,
        require_starttls=True,
        auth_required=True,
        auth_require_tls=True,
        authenticator=check_login,
    )
    controller.start()
    yield port, inbox
    controller.stop()


def client_context(authority: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    authority.configure_trust(context)
    return context


def message() -> EmailMessage:
    return compose(sender="noreply@buurtbudget.example", to="anna@example.org", subject="Hallo", body="Hoi")


async def test_starttls_with_a_login_delivers(
    starttls_server: tuple[int, Inbox], authority: trustme.CA
) -> None:
    port, inbox = starttls_server
    mailer = SmtpMailer(
        "127.0.0.1",
        port,
        security="starttls",
        username=USER,
        password=PASSWORD,
        tls_context=client_context(authority),
    )
    await mailer.send(message())
    assert [m["To"] for m in inbox.messages] == ["anna@example.org"]


@pytest.mark.parametrize(
    ("security", "password"),
    [("none", PASSWORD), ("starttls", "fout"), ("tls", PASSWORD)],  # plain, wrong password, wrong protocol
)
async def test_a_server_that_refuses_us_is_unavailable_not_a_crash(
    starttls_server: tuple[int, Inbox], authority: trustme.CA, security: str, password: str
) -> None:
    port, inbox = starttls_server
    mailer = SmtpMailer(
        "127.0.0.1",
        port,
        security=security,
        username=USER,
        password=password,
        tls_context=client_context(authority),
    )
    with pytest.raises(MailUnavailable):
        await mailer.send(message())
    assert inbox.messages == []


async def test_an_untrusted_certificate_is_refused(starttls_server: tuple[int, Inbox]) -> None:
    port, inbox = starttls_server
    mailer = SmtpMailer("127.0.0.1", port, security="starttls", username=USER, password=PASSWORD)
    with pytest.raises(MailUnavailable):  # the system's trust store does not know the test authority
        await mailer.send(message())
    assert inbox.messages == []


# aiosmtpd counts only STARTTLS as TLS: on an implicit-TLS port it offers AUTH only when told not to
# require TLS, and warns about that, though the whole connection is encrypted.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
async def test_implicit_tls_with_a_login_delivers(authority: trustme.CA) -> None:
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(server_context)
    inbox, port = Inbox(), free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        ready_timeout=10,
        ssl_context=server_context,
        auth_required=True,
        auth_require_tls=False,
        authenticator=check_login,
    )
    controller.start()
    try:
        mailer = SmtpMailer(
            "127.0.0.1",
            port,
            security="tls",
            username=USER,
            password=PASSWORD,
            tls_context=client_context(authority),
        )
        await mailer.send(message())
    finally:
        controller.stop()
    assert [m["To"] for m in inbox.messages] == ["anna@example.org"]


def test_the_settings_choose_security_and_login() -> None:
    settings = Settings(
        smtp_host="mail.example.org",
        smtp_port=587,
        smtp_security="starttls",
        smtp_username=USER,
        smtp_password=PASSWORD,  # type: ignore[arg-type]  (pydantic turns it into a SecretStr)
    )
    mailer = mailer_for(settings)
    assert isinstance(mailer, SmtpMailer)
    assert (mailer.security, mailer.username, mailer.password) == ("starttls", USER, PASSWORD)
