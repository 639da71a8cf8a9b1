"""Apply migrations: ``python -m shared.migrate --all`` or ``python -m shared.migrate booking``.

Used by `deploy/local.sh up`; services also migrate on start, so this is for operators who
want the schema in place before the first replica starts.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from shared.db import migrate_dsn
from shared.logging import configure_logging
from shared.settings import DEFAULT_PORTS, ServiceSettings

SERVICES = tuple(DEFAULT_PORTS)


async def _run(services: list[str]) -> int:
    for service in services:
        settings = ServiceSettings(service=service)
        try:
            applied = await migrate_dsn(settings.dsn, service)
        except Exception as exc:
            print(f"[migrate] {service}: FAILED on {settings.dsn.split('@')[-1]}: {exc}",
                  file=sys.stderr)
            return 1
        print(f"[migrate] {service}: {len(applied)} applied" +
              (f" ({', '.join(applied)})" if applied else ""), file=sys.stderr)
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("services", nargs="*", choices=[*SERVICES, []], metavar="SERVICE")
    parser.add_argument("--all", action="store_true", help="migrate all four services")
    args = parser.parse_args()
    services = list(SERVICES) if args.all else args.services
    if not services:
        parser.error("name a service or give --all")
    configure_logging("migrate", "WARNING")
    sys.exit(asyncio.run(_run(services)))


if __name__ == "__main__":
    main()
