"""The demo's outbox: mails that would have been sent, so sign-in works without an SMTP server."""

from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException
from litestar.response import Template

from api.dependencies import AppSettings
from api.rendering import page

SHOWN = 20


class OutboxPage(Controller):
    include_in_schema = False

    @get("/outbox", operation_id="outboxPage", tags=["pages"])
    async def outbox(self, request: Request[Any, Any, Any], settings: AppSettings) -> Template:
        if not settings.show_outbox or settings.smtp_host:
            raise NotFoundException()
        files = sorted(settings.outbox_dir.glob("*.eml"), reverse=True)[:SHOWN]
        messages = []
        for path in files:
            message = message_from_bytes(path.read_bytes(), policy=policy.default)
            if isinstance(message, EmailMessage):
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
