"""Architecture rules that a reviewer should not have to check by eye."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir()
                  if p.is_dir() and (p / "__init__.py").exists())


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_the_four_services_exist() -> None:
    assert SERVICES == ["booking", "events", "metrics", "notifications"]


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


def test_every_service_has_the_agreed_layout() -> None:
    for service in SERVICES:
        folder = ROOT / "services" / service
        for part in ("api.py", "handlers.py", "domain.py", "store.py", "app.py",
                     "__main__.py", "migrations"):
            if part == "handlers.py" and service == "booking":
                continue  # booking consumes nothing yet
            assert (folder / part).exists(), f"{service} lacks {part}"
