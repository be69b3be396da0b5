"""`buurtbudget people list|assign|revoke|invite`: people and their roles, for scripted set-up.

The command line acts as a platform administrator (audited without a person). Exit codes: 0 done,
1 refused (unknown place or person, bad input, a role held already), 2 a wrong command (click).
"""

# ruff: noqa: PLC0415  (commands import what they use, so every command starts quickly)
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

import click

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from buurtbudget.people.roles import Actor
    from buurtbudget.places.models import Municipality, Neighbourhood
    from buurtbudget.settings import Settings

T = TypeVar("T")
ROLES = ("resident", "broker", "advisor", "space_owner", "municipality_admin")


def _say(text: str) -> None:
    click.echo(text, err=True)


def _command_line() -> "Actor":
    from buurtbudget.people.roles import Actor, Grant, Role

    return Actor(person_id=None, grants=frozenset({Grant(Role.PLATFORM_ADMIN)}))


def _run(settings: "Settings", work: Callable[["AsyncSession"], Awaitable[T]]) -> T:
    """`work` on the database; a domain error is reported on stderr with exit code 1."""
    from api.command_session import with_session
    from buurtbudget.errors import DomainError

    try:
        return with_session(settings, work)
    except DomainError as error:
        details = ", ".join(f"{key}: {value}" for key, value in error.params.items())
        _say(f"Refused: {error.message}" + (f" ({details})" if details else ""))
        raise SystemExit(1) from None


async def _municipality(session: "AsyncSession", reference: str) -> "Municipality":
    """A municipality by id, CBS code (GM0344) or name."""
    from sqlalchemy import func, or_, select

    from buurtbudget.errors import NotFound
    from buurtbudget.places.models import Municipality

    matches = [Municipality.cbs_code == reference.upper(), func.lower(Municipality.name) == reference.lower()]
    if reference.isdigit():
        matches.append(Municipality.id == int(reference))
    found = (await session.execute(select(Municipality).where(or_(*matches)))).scalars().first()
    if found is None:
        raise NotFound("there is no such municipality", municipality=reference)
    return found


async def _neighbourhood(session: "AsyncSession", reference: str) -> "Neighbourhood":
    """A neighbourhood by slug or id."""
    from buurtbudget.errors import NotFound
    from buurtbudget.places import service as places
    from buurtbudget.places.models import Neighbourhood

    if reference.isdigit():
        found = await session.get(Neighbourhood, int(reference))
        if found is None:
            raise NotFound("there is no such neighbourhood", neighbourhood=reference)
        return found
    try:
        return await places.get_by_slug(session, reference)
    except NotFound:
        raise NotFound("there is no such neighbourhood", neighbourhood=reference) from None


@click.group("people")
def people_command() -> None:
    """People and their roles: list, assign (with an invitation by mail), revoke, invite again."""


@people_command.command("list")
@click.option("--municipality", "municipality", help="Id, CBS code or name (default: everyone with a role).")
@click.option("--search", default=None, help="Part of a name or e-mail address.")
@click.option("--role", type=click.Choice([*ROLES, "juror", "platform_admin"]), default=None)
@click.option("--page", default=1, show_default=True, type=click.IntRange(min=1))
@click.pass_obj
def people_list(
    settings: "Settings", municipality: str | None, search: str | None, role: str | None, page: int
) -> None:
    """A table of people with their roles."""
    import shutil
    import sys

    from rich.console import Console
    from rich.table import Table

    from buurtbudget.people.invitations import ROLE_LABELS
    from buurtbudget.people.staffing import PeopleAdminService, PeoplePage

    async def work(session: "AsyncSession") -> PeoplePage:
        town_id = (await _municipality(session, municipality)).id if municipality else None
        return await PeopleAdminService(session).people(_command_line(), town_id, search, role, page)

    found = _run(settings, work)
    table = Table(title=f"People {found.page}/{found.pages} ({found.total} in all)")
    for column in ("id", "e-mail", "name", "roles (assignment id)"):
        table.add_column(column, overflow="fold")
    for person in found.items:
        roles = "\n".join(
            f"{ROLE_LABELS[r.role]}"
            + (f" {r.neighbourhood_name}" if r.neighbourhood_name else "")
            + (f" ({r.municipality_name})" if r.municipality_name else "")
            + (f" [{r.id}]" if r.id is not None else f" (verified until {r.verified_until:%Y-%m-%d})")
            for r in person.roles
        )
        table.add_row(str(person.person_id), person.email, person.display_name, roles)
    width = None if sys.stdout.isatty() else max(shutil.get_terminal_size().columns, 160)
    Console(width=width).print(table)


@people_command.command("assign")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--neighbourhood", help="Slug or id (for resident, broker, advisor, space_owner).")
@click.option("--municipality", help="Id, CBS code or name (for municipality_admin).")
@click.option("--locale", default="nl", show_default=True, type=click.Choice(["nl", "en"]))
@click.pass_obj
def people_assign(
    settings: "Settings",
    email: str,
    role: str,
    neighbourhood: str | None,
    municipality: str | None,
    locale: str,
) -> None:
    """Give EMAIL a role (making the account when new; a resident is approved as verified); the
    invitation waits in the outbox. Prints the role assignment's id (a resident's: the verification's)."""
    from buurtbudget.people.staffing import PeopleAdminService

    async def work(session: "AsyncSession") -> int:
        place = (await _neighbourhood(session, neighbourhood)).id if neighbourhood else None
        town = (await _municipality(session, municipality)).id if municipality else None
        made = await PeopleAdminService(session).give(
            _command_line(),
            email=email,
            role=role,
            neighbourhood_id=place,
            municipality_id=town,
            locale=locale,
        )
        return made.assignment_id or made.verification_id or 0

    made_id = _run(settings, work)
    click.echo(made_id)
    what = "verification" if role == "resident" else "assignment"
    _say(f"{email} is now {role} ({what} {made_id}); the invitation is in the outbox.")


@people_command.command("revoke")
@click.argument("assignment_id", type=click.IntRange(min=1))
@click.option("--reason", required=True, help="Kept in the audit log.")
@click.pass_obj
def people_revoke(settings: "Settings", assignment_id: int, reason: str) -> None:
    """Take role ASSIGNMENT_ID away; it stops at once and the person's sessions end."""
    from buurtbudget.people.staffing import PeopleAdminService

    async def work(session: "AsyncSession") -> str:
        revoked = await PeopleAdminService(session).revoke(_command_line(), assignment_id, reason)
        return revoked.role.value

    role = _run(settings, work)
    _say(f"Role {assignment_id} ({role}) is revoked.")


@people_command.command("invite")
@click.option("--email", required=True)
@click.option("--locale", default="nl", show_default=True, type=click.Choice(["nl", "en"]))
@click.pass_obj
def people_invite(settings: "Settings", email: str, locale: str) -> None:
    """Mail EMAIL a new sign-in link with the roles they hold (when the first one has expired)."""
    from buurtbudget.errors import NotFound
    from buurtbudget.people import service as people
    from buurtbudget.people.staffing import PeopleAdminService

    async def work(session: "AsyncSession") -> int:
        person = await people.find_by_email(session, email)
        if person is None:
            raise NotFound("no such person", email=email)
        held = await PeopleAdminService(session).reinvite(_command_line(), person.id, locale)
        return len(held.roles)

    count = _run(settings, work)
    _say(f"A new sign-in link for {email} ({count} roles) is in the outbox.")
