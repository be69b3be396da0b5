"""The demo's outbox: mails that would have been sent, so sign-in works without an SMTP server."""

from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException
from litestar.response import Template

from api.dependencies import AppSettings, DbSession
from api.rendering import page
from buurtbudget.people.service import normalise_email, privileged_addresses

SHOWN = 20


def _read(path: Path) -> EmailMessage | None:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    return message if isinstance(message, EmailMessage) else None


class OutboxPage(Controller):
    include_in_schema = False

    @get("/outbox", operation_id="outboxPage", tags=["pages"])
    async def outbox(
        self, request: Request[Any, Any, Any], settings: AppSettings, db_session: DbSession
    ) -> Template:
        if not settings.shows_outbox:
            raise NotFoundException()
        found = [
            (path, message)
            for path in sorted(settings.outbox_dir.glob("*.eml"), reverse=True)[:SHOWN]
            if (message := _read(path)) is not None
        ]
        # A sign-in link in a mail to a broker or an administrator would hand their rights to anyone.
        hidden = await privileged_addresses(
            db_session, {normalise_email(parseaddr(str(message["To"]))[1]) for _path, message in found}
        )
        messages = []
        for path, message in found:
            if normalise_email(parseaddr(str(message["To"]))[1]) in hidden:
                continue
            body = message.get_body(preferencelist=("plain",))
            messages.append(
                {
                    "to": message["To"],
                    "subject": message["Subject"],
                    "date": path.stem,
                    "body": body.get_content() if body else "",
                }
            )
        return page(request, "outbox.html", messages=messages)
