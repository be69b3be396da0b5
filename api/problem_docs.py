"""The OpenAPI document states what every JSON operation's errors look like: RFC 9457 problems."""

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from pydantic import BaseModel, Field

PROBLEM_JSON = "application/problem+json"


class FieldError(BaseModel):
    field: str = Field(description="Where the error is: a field, 'cost_lines.0.amount_cents', or a parameter")
    reason: str


class Problem(BaseModel):
    """An RFC 9457 problem, as `api.errors` writes every error of the JSON API."""

    type: str
    title: str = Field(description="The kind of error, in the request's language")
    status: int
    detail: str = Field(description="What went wrong, in the request's language")
    code: str = Field(description="A stable code, e.g. validation_failed, not_found, invalid_input")
    instance: str
    errors: list[FieldError] | None = Field(default=None, description="Each field that is not right")


# Litestar documents a 400 of its own shape ({status_code, detail, extra}); the server never sends it.
ERRORS = {
    400: "The request could not be read (not JSON, not UTF-8, nested too deep)",
    401: "Please sign in first",
    403: "You are not allowed to do this",
    404: "We could not find this",
    409: "This is not possible right now",
    415: "Send JSON",
    422: "Some details are not right: see errors",
    429: "Too many attempts: see Retry-After",
    503: "Not available right now (busy, or the database is out of reach): see Retry-After",
}
RESPONSES = {
    status: ResponseSpec(
        data_container=Problem, media_type=PROBLEM_JSON, description=description, generate_examples=False
    )
    for status, description in ERRORS.items()
}


def document_problems(app: Litestar) -> None:
    """Give every operation in the OpenAPI document the problems it may answer with."""
    for route in app.routes:
        if not route.path.startswith("/api/"):
            continue
        for handler in getattr(route, "route_handlers", ()):
            if isinstance(handler, HTTPRouteHandler):
                handler.responses = {**RESPONSES, **(handler.responses or {})}
