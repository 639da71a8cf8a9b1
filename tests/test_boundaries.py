"""Architecture rules that a reviewer should not have to check by eye."""

from __future__ import annotations

import ast
import functools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir()
                  if p.is_dir() and (p / "__init__.py").exists())


@functools.cache
def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def imported_modules(path: Path) -> set[str]:
    tree = _parse(path)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module == "shared":
            # `from shared import l10n` imports the module shared.l10n
            found.update(f"shared.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_the_five_services_exist() -> None:
    assert SERVICES == ["booking", "events", "guide", "metrics", "notifications"]


def test_no_service_imports_another_service() -> None:
    offences = []
    for service in SERVICES:
        for path in (ROOT / "services" / service).rglob("*.py"):
            for module in imported_modules(path):
                parts = module.split(".")
                if parts[0] == "services" and len(parts) > 1 and parts[1] != service:
                    offences.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offences == []


def test_shared_does_not_import_services() -> None:
    offences = [f"{p.relative_to(ROOT)} imports {m}"
                for p in (ROOT / "shared").rglob("*.py")
                for m in imported_modules(p) if m.startswith("services")]
    assert offences == []


def _module_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _service_sources(service: str) -> list[Path]:
    folder = ROOT / "services" / service
    return [p for p in folder.rglob("*.py") if "tests" not in p.relative_to(folder).parts]


def test_every_service_has_the_agreed_layout() -> None:
    """ADR 0002: routes and handlers call use cases; use cases call domain and store."""
    for service in SERVICES:
        folder = ROOT / "services" / service
        for part in ("domain.py", "app.py", "__main__.py", "migrations"):
            assert (folder / part).exists(), f"{service} lacks {part}"
        for layer in ("usecases", "store"):
            assert (folder / f"{layer}.py").exists() or (folder / layer).is_dir(), (
                f"{service} lacks its {layer} module")


#: Shared modules without I/O or web framework, which domain rules may use (`shared.l10n`
#: formats from CLDR data: what a rule writes for a reader is part of the rule;
#: `shared.announcements` is what the channels say of an activity, the same for every service;
#: `shared.accessibility` the accessibility features' vocabulary and names;
#: `shared.house_rules` the city's rules for its spaces, as text; `shared.holidays` the days
#: libraries close; `shared.areas` the areas the city names; `shared.email_address` how an
#: address a person typed is read, with `email_validator` never asking DNS).
PURE_SHARED = {"shared.errors", "shared.identity", "shared.clock", "shared.bounds",
               "shared.recurrence", "shared.contracts", "shared.l10n", "shared.announcements",
               "shared.accessibility", "shared.ceilings", "shared.ical", "shared.house_rules",
               "shared.holidays", "shared.areas", "shared.email_address"}


def test_what_channels_say_is_pure() -> None:
    """The posts' and the board slide's rendering, which both the events and the
    notifications service run, imports only the standard library and pure shared modules."""
    path = ROOT / "shared" / "announcements.py"
    offences = [m for m in imported_modules(path)
                if m.split(".")[0] not in sys.stdlib_module_names and m not in PURE_SHARED]
    assert offences == []


def test_domain_modules_are_pure() -> None:
    """Domain rules import only the standard library and the pure shared modules: no I/O,
    no FastAPI, no SQL driver, no JWT."""
    offences = []
    for service in SERVICES:
        folder = ROOT / "services" / service
        paths = [folder / "domain.py", *sorted((folder / "domain").glob("*.py"))]
        for path in paths:
            if not path.exists():
                continue
            for module in imported_modules(path):
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or module in PURE_SHARED:
                    continue
                if module.startswith(f"services.{service}.domain"):
                    continue
                offences.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offences == []


def test_nothing_imports_an_api_module() -> None:
    """HTTP routes are an edge: pages, jobs, handlers, demo loaders and imports call use
    cases, never another route's function."""
    offences = []
    for service in SERVICES:
        for path in _service_sources(service):
            for module in imported_modules(path):
                parts = module.split(".")
                if "api" in parts[1:]:
                    offences.append(f"{path.relative_to(ROOT)} imports {module}")
            tree = _parse(path)
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.module == f"services.{service}":
                    offences += [f"{path.relative_to(ROOT)} imports {service}.api"
                                 for alias in node.names if alias.name == "api"]
    assert offences == []


SQL_CALLS = {"fetch", "fetchrow", "fetchval", "execute", "executemany",
             "copy_records_to_table", "copy_to_table"}


def test_sql_only_in_stores() -> None:
    """All SQL of a service is in its store module(s)."""
    offences = []
    for service in SERVICES:
        for path in _service_sources(service):
            rel = path.relative_to(ROOT / "services" / service)
            if rel.parts[0] in ("store.py", "store", "migrations"):
                continue
            for node in ast.walk(_parse(path)):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr in SQL_CALLS):
                    offences.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.func.attr}()")
    assert offences == []


def test_use_cases_do_not_know_http() -> None:
    """Use cases are called from HTTP, Kafka, jobs and imports alike: no FastAPI there."""
    offences = []
    for service in SERVICES:
        folder = ROOT / "services" / service
        paths = [folder / "usecases.py", *sorted((folder / "usecases").glob("*.py"))]
        for path in paths:
            if not path.exists():
                continue
            for module in imported_modules(path):
                if module.split(".")[0] in ("fastapi", "starlette", "jwt") or module in (
                        "shared.auth", "shared.http", "shared.service"):
                    offences.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offences == []
