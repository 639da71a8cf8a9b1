"""What every benchmark of the suite shares: where the servers are, percentiles, the table."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: (measure, value, notes): one printed row.
Rows = list[tuple[str, str, str]]


def endpoints() -> dict[str, str]:
    """Kafka and PostgreSQL, started by `deploy/local.sh up` if they are not running."""
    out = subprocess.run(["bash", str(ROOT / "deploy" / "local.sh"), "up"], check=True,
                         capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHON": sys.executable}).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def print_rows(results: Rows) -> None:
    width = max(len(r[0]) for r in results)
    print(f"\n{'measure':<{width}}  {'value':>16}  notes")
    for name, value, note in results:
        print(f"{name:<{width}}  {value:>16}  {note}")
