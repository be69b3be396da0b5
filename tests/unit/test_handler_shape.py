"""How handlers are built: services come by dependency injection, guards are declared once per controller.

Read from the source (ast), so a handler that slips back into the old shape fails here by name and line,
without starting the application.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

API = Path(__file__).resolve().parents[2] / "api"
PROVIDERS = API / "providers.py"
HTTP_DECORATORS = frozenset({"get", "post", "put", "patch", "delete", "route"})
SESSION_NAMES = frozenset({"db_session", "session"})


def _is_command_module(path: Path) -> bool:
    """Command-line modules have no dependency injection: they build what they use."""
    return path.name == "cli.py" or "command" in path.stem


def _modules() -> list[Path]:
    return sorted(p for p in API.rglob("*.py") if p != PROVIDERS and not _is_command_module(p))


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _builds_a_service(call: ast.Call) -> bool:
    """`XService(...)`, or any class built from a database session (`SpaceMatcher(db_session)`)."""
    name = _name(call.func)
    if name.endswith("Service"):
        return True
    only_a_session = len(call.args) == 1 and _name(call.args[0]) in SESSION_NAMES and not call.keywords
    return only_a_session and name[:1].isupper()


def _route_decorator(function: ast.AsyncFunctionDef | ast.FunctionDef) -> ast.Call | None:
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Call) and _name(decorator.func) in HTTP_DECORATORS:
            return decorator
    return None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _guard_names(value: ast.expr | None) -> set[str]:
    if isinstance(value, ast.List | ast.Tuple):
        return {ast.unparse(element) for element in value.elts}
    return set()


def _class_guards(controller: ast.ClassDef) -> set[str]:
    for statement in controller.body:
        if isinstance(statement, ast.Assign) and any(_name(t) == "guards" for t in statement.targets):
            return _guard_names(statement.value)
    return set()


def _handlers(tree: ast.Module) -> Iterator[tuple[ast.ClassDef | None, ast.AsyncFunctionDef, ast.Call]]:
    for node in tree.body:
        members = node.body if isinstance(node, ast.ClassDef) else [node]
        for member in members:
            if isinstance(member, ast.AsyncFunctionDef) and (route := _route_decorator(member)):
                yield (node if isinstance(node, ast.ClassDef) else None), member, route


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(API.parent)}:{getattr(node, 'lineno', 0)}"


def test_the_scan_finds_the_handlers() -> None:
    """A guard against a scan that silently finds nothing (a moved folder, a new decorator style)."""
    handlers = [h for p in _modules() for h in _handlers(ast.parse(p.read_text()))]
    assert len(handlers) > 100
    assert any(_class_guards(c) for c, _h, _r in handlers if c is not None)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(API.parent)))
def test_no_service_is_built_by_hand(path: Path) -> None:
    """Handlers and their helpers take services from api/providers.py (`pots: Pots`), never build one."""
    built = [
        f"{_where(path, node)} {ast.unparse(node.func)}(...)"
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call) and _builds_a_service(node)
    ]
    assert not built, "declare the service as a dependency (api/providers.py) instead: " + ", ".join(built)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(API.parent)))
def test_guards_are_declared_on_the_controller(path: Path) -> None:
    """A handler never repeats its controller's guard; the signed-in guard belongs to a controller, never
    to a handler; `opt=PUBLIC` only appears where the controller has a guard to open."""
    problems = []
    for controller, handler, route in _handlers(ast.parse(path.read_text())):
        where = f"{_where(path, handler)} {handler.name}"
        on_class = _class_guards(controller) if controller else set()
        on_handler = _guard_names(_keyword(route, "guards"))
        if repeated := on_class & on_handler:
            problems.append(f"{where} repeats {sorted(repeated)}")
        if "requires_signed_in" in on_handler:
            problems.append(f"{where}: put requires_signed_in on the controller")
        opt = _keyword(route, "opt")
        if opt is not None and ast.unparse(opt) == "PUBLIC" and "requires_signed_in" not in on_class:
            problems.append(f"{where} is PUBLIC in a controller without a guard")
    assert not problems, "; ".join(problems)
