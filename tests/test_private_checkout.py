"""The README's commands from a checkout other users cannot enter (issue #12): root's home is
mode 700 on Debian, and PostgreSQL runs as the `postgres` user, so its data cannot live in
the checkout's .local/. `deploy/local.sh up` (what `./kohtaamo up` and `./kohtaamo test`
run) must put it where that user can reach, and `down --purge` must delete it there.

The check clones this repository into a mode-700 folder and runs the clone's
`deploy/local.sh up` on spare ports with the clone's own state: its own PostgreSQL cluster and
Kafka broker beside the ones the suite uses, stopped and purged at the end."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from tests.cluster import SHARED_LIBS, free_port_range

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.infra,
    pytest.mark.skipif(os.geteuid() != 0, reason="the postgres user is only separate as root"),
    pytest.mark.skipif(not list(Path("/usr/lib/postgresql").glob("*/bin/postgres")),
                       reason="Debian's PostgreSQL is not installed"),
]


def test_local_servers_start_from_a_checkout_other_users_cannot_enter(
        infra: object, tmp_path: Path) -> None:
    # `infra` is not used: asking for it puts this test in the servers' tier (tests/infra.py
    # derives tiers from fixtures), so `-m unit` stays quick; it starts servers of its own.
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o700)
    clone = home / "kohtaamo"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    # What this tree would commit: the script under test, even before it is committed.
    shutil.copy2(ROOT / "deploy" / "local.sh", clone / "deploy" / "local.sh")
    first = free_port_range(3)
    env = {k: v for k, v in os.environ.items()
           if k not in ("KOHTAAMO_STATE_DIR", "KAFKA_CONTROLLER_PORT", "KOHTAAMO_KAFKA_NODES",
                        "KOHTAAMO_PG_DIR")}
    env.update({"PYTHON": sys.executable, "KOHTAAMO_PG_FAST": "1", "PG_PORT": str(first),
                "KAFKA_PORT": str(first + 1)})
    if (SHARED_LIBS / ".fetched").exists():
        env["KOHTAAMO_KAFKA_LIBS"] = str(SHARED_LIBS)

    def local(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", str(clone / "deploy" / "local.sh"), *args], cwd=clone,
                              env=env, capture_output=True, text=True, timeout=300)

    assert subprocess.run(["runuser", "-u", "postgres", "--", "test", "-x", str(clone)]
                          ).returncode != 0, "the postgres user should not enter the clone"
    try:
        up = local("up")
        assert up.returncode == 0, up.stdout + up.stderr
        assert f"KOHTAAMO_PG_DSN_BASE=postgresql://kohtaamo:kohtaamo@127.0.0.1:{first}" \
            in up.stdout
        pg_dir = Path((clone / ".local" / "pg.dir").read_text().strip())
        assert pg_dir.parent.parent == Path("/var/lib/kohtaamo"), pg_dir
        assert (pg_dir / "data" / "PG_VERSION").exists()

        async def migrated() -> int:
            conn = await asyncpg.connect(
                f"postgresql://kohtaamo:kohtaamo@127.0.0.1:{first}/kohtaamo_booking")
            try:
                return int(await conn.fetchval("SELECT count(*) FROM schema_migrations"))
            finally:
                await conn.close()

        assert asyncio.run(migrated()) > 0
        status = local("status")
        assert status.returncode == 0, status.stdout + status.stderr
        assert f"data in {pg_dir}/data" in status.stdout
    finally:
        down = local("down", "--purge")
    assert down.returncode == 0, down.stdout + down.stderr
    assert not pg_dir.parent.exists(), "down --purge deletes PostgreSQL's data"
    assert not (clone / ".local" / "pg.dir").exists()
