"""What every benchmark of the suite shares: where the servers are, percentiles, the table."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: (measure, value, notes) or (measure, value, notes, met): one printed row; a row with a
#: target says whether this run met it, so a regression shows at a glance.
Row = tuple[str, str, str] | tuple[str, str, str, bool]
Rows = list[Row]


def verdict(row: Row) -> str:
    if len(row) < 4:
        return ""
    return "met" if row[3] else "MISSED"


def endpoints() -> dict[str, str]:
    """Kafka and PostgreSQL: from the environment when given (``KAFKA_BOOTSTRAP_SERVERS`` and
    ``KOHTAAMO_PG_DSN_BASE``, a role that may create databases, without a database name), as
    the test fixtures take them; otherwise started by `deploy/local.sh up` if not running."""
    given = {k: os.environ[k] for k in ("KAFKA_BOOTSTRAP_SERVERS", "KOHTAAMO_PG_DSN_BASE")
             if os.environ.get(k)}
    if len(given) == 2:
        return given
    out = subprocess.run(["bash", str(ROOT / "deploy" / "local.sh"), "up"], check=True,
                         capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHON": sys.executable}).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def share(value: float, target: float) -> str:
    """A ratio judged against `target`, in whole per cent unless rounding would land on the
    target itself: 49.8 % printed as "50%" beside "MISSED" read as a mistake."""
    return f"{value:.1%}" if round(value * 100) == round(target * 100) else f"{value:.0%}"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def print_rows(results: Rows) -> None:
    width = max(len(r[0]) for r in results)
    print(f"\n{'measure':<{width}}  {'value':>16}  {'target':<6}  notes")
    for row in results:
        print(f"{row[0]:<{width}}  {row[1]:>16}  {verdict(row):<6}  {row[2]}")
    missed = [row[0].strip() for row in results if verdict(row) == "MISSED"]
    print(f"\n{sum(verdict(r) == 'met' for r in results)} targets met, {len(missed)} missed"
          + (": " + "; ".join(missed) if missed else ""))
