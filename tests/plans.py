"""The plans of a store's statements as PostgreSQL runs them once prepared (issue #20).

asyncpg prepares every statement, and after five runs PostgreSQL may switch a prepared
statement to its generic plan, where the parameters are unknown: a function of a parameter
(`to_tsquery('finnish', $5)`, a folded search word) is then no longer computed once while
planning but for every row the plan looks at. A constant input belongs in a sub-select (an
InitPlan, run once per statement). These helpers show the generic plan of exactly the
statement a store method ran, so a test can say which calls may not run per row.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

#: Lines of a plan that are evaluated for each row (or each index probe).
_PER_ROW = re.compile(r"^\s*(?:->\s*)?(?:Filter|Join Filter|Index Cond|Recheck Cond|Hash Cond"
                      r"|Merge Cond|Sort Key|Order By):")


class RecordingConnection:
    """Runs a store's statements on `conn` and notes each (sql, args)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.statements: list[tuple[str, tuple[Any, ...]]] = []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.conn, name)
        if name not in ("fetch", "fetchrow", "fetchval", "execute"):
            return method

        async def noted(sql: str, *args: Any, **kwargs: Any) -> Any:
            self.statements.append((sql, args))
            return await method(sql, *args, **kwargs)
        return noted

    def statement(self, containing: str) -> tuple[str, tuple[Any, ...]]:
        """The last statement whose text contains `containing`."""
        found = [s for s in self.statements if containing in s[0]]
        assert found, f"no statement with {containing!r} among {len(self.statements)}"
        return found[-1]


async def generic_plan(conn: Any, sql: str, args: tuple[Any, ...]) -> str:
    """`EXPLAIN (VERBOSE)` of `sql` with `args` under its generic plan: PREPAREd with the
    parameter types PostgreSQL inferred, run with the values as typed literals."""
    types = [f"{t.schema}.{t.name}" for t in (await conn.prepare(sql)).get_parameters()]
    literals = [await conn.fetchval(f"SELECT quote_nullable($1::{t}::text) || '::{t}'", a)
                for t, a in zip(types, args, strict=True)]
    name = f"plan_{secrets.token_hex(4)}"
    await conn.execute(f"PREPARE {name} ({', '.join(types)}) AS {sql}")
    try:
        await conn.execute("SET plan_cache_mode = force_generic_plan")
        rows = await conn.fetch(f"EXPLAIN (VERBOSE) EXECUTE {name} ({', '.join(literals)})")
    finally:
        await conn.execute("RESET plan_cache_mode")
        await conn.execute(f"DEALLOCATE {name}")
    return "\n".join(r[0] for r in rows)


def per_row_calls(plan: str, *functions: str) -> list[str]:
    """The plan's per-row lines (filters, conditions, sort keys) that call any of
    `functions` with a parameter: each is work the generic plan repeats for every row."""
    calls = [re.compile(rf"\b{re.escape(f)}\([^)]*\$\d") for f in functions]
    return [line.strip() for line in plan.splitlines()
            if _PER_ROW.match(line) and any(c.search(line) for c in calls)]
