"""Demo channels for the local run: the city's social media accounts and email sender, all
pointed at the fake platforms (deploy/fake_platforms.py) so a new user sees the posts appear,
and a notice board for the city centre. Seed 001 names the channels: KANTTI's and the
libraries' social media, new Facebook and Instagram accounts, and the electronic notice
boards. Account names and ids are SAMPLES. Tokens are files in a local secret folder (the way
a Kubernetes Secret is mounted), never rows in the database. Loading twice changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

import asyncpg

from services.notifications import domain, usecases
from services.notifications.secrets import secrets_dir
from services.notifications.store import NotificationStore
from shared.clock import SYSTEM_CLOCK
from shared.db import create_pool, migrate
from shared.identity import Principal
from shared.settings import ServiceSettings
from shared.uow import PgUnitOfWork

ALL_LIBRARIES = None  # every area and venue


def demo_id(*parts: str) -> UUID:
    return uuid5(NAMESPACE_URL, "https://kohtaamo.example/demo/notifications/" + "/".join(parts))


#: Where the demo's tokens are when they come from the environment (docker-compose), e.g.
#: filled from a Kubernetes Secret in a real deployment.
DEMO_TOKEN_VARIABLES = {
    "facebook": "KOHTAAMO_CHANNEL_DEMO_FACEBOOK_TOKEN",
    "instagram": "KOHTAAMO_CHANNEL_DEMO_INSTAGRAM_TOKEN",
    "mastodon": "KOHTAAMO_CHANNEL_DEMO_MASTODON_TOKEN",
    "bluesky": "KOHTAAMO_CHANNEL_DEMO_BLUESKY_PASSWORD",
    "email": "KOHTAAMO_CHANNEL_DEMO_SMTP_CREDENTIALS",
}


def secret_ref(platform: str, secrets: Path | None) -> str:
    """A token file in `secrets` (a mounted secret folder), or else an environment variable."""
    if secrets is None:
        return f"env:{DEMO_TOKEN_VARIABLES[platform]}"
    return f"file:{secrets / platform}"


def demo_accounts(fake_url: str, smtp: str, secrets: Path | None,
                  ) -> list[tuple[UUID, usecases.ChannelAccountCommand]]:
    def account(platform: str, name: str, base_url: str, ref: str, **extra: Any,
                ) -> tuple[UUID, usecases.ChannelAccountCommand]:
        data: dict[str, Any] = {
            "platform": platform, "name": name, "base_url": base_url, "account_ref": ref,
            "secret_ref": secret_ref(platform, secrets), "areas": ALL_LIBRARIES}
        data.update(extra)
        return demo_id(platform, ref), usecases.ChannelAccountCommand(**data)

    return [
        account("facebook", "Kuopion asukastoiminta (SAMPLE Facebook page)",
                f"{fake_url}/v21.0", "100000000000001", reminder_hours=24),
        account("instagram", "kuopion_asukastoiminta (SAMPLE Instagram account)",
                f"{fake_url}/v21.0", "17841400000000001"),
        account("mastodon", "@kirjasto (SAMPLE Mastodon account)", fake_url, "",
                languages=("fi", "en"), reminder_hours=3),
        account("bluesky", "kuopionkirjasto.bsky.social (SAMPLE)", fake_url,
                "kuopionkirjasto.bsky.social"),
        account("email", "Kirjaston asukastoiminta (SAMPLE sender)",
                f"smtp://{smtp}", "asukastoiminta@kuopio.example"),
    ]


CENTRE_BOARD = demo_id("board", "kuopio.keskusta")
#: Who loads the demo: an administrator of the local run.
DEMO_LOADER = Principal(subject="demo-loader", roles=frozenset({"admin"}))


async def load_demo(pool: asyncpg.Pool, fake_url: str, smtp: str,
                    secrets: Path | None) -> int:
    """The demo accounts and board, through the same use cases as a person's requests."""
    board = usecases.AreaBoardCommand(
        board_id=CENTRE_BOARD, area="kuopio.keskusta",
        name={"fi": "Keskustan ilmoitustaulu", "sv": "Anslagstavlan i centrum",
              "en": "City centre notice board"})
    # In the local run the fake platforms are the platforms: their addresses are the fixed
    # API addresses of Facebook, Instagram and Bluesky.
    settings = domain.ChannelSettings(
        secrets_folder=secrets or secrets_dir(),
        fixed_api_urls={"facebook": f"{fake_url}/v21.0", "instagram": f"{fake_url}/v21.0",
                        "bluesky": fake_url})
    return await usecases.load_demo(
        PgUnitOfWork(pool, NotificationStore), SYSTEM_CLOCK, DEMO_LOADER,
        demo_accounts(fake_url, smtp, secrets), board, settings)


async def _main() -> None:
    parser = argparse.ArgumentParser(description="Load the demo channel accounts.")
    parser.add_argument("--fake-url", default="http://127.0.0.1:8090")
    parser.add_argument("--smtp", default="127.0.0.1:8025", help="the fake SMTP host:port")
    parser.add_argument("--secrets", type=Path,
                        help="folder with one token file per platform; without it the "
                        "tokens are read from KOHTAAMO_CHANNEL_DEMO_* variables")
    args = parser.parse_args(sys.argv[2:])
    pool = await create_pool(ServiceSettings(service="notifications").dsn, 1, 2)
    try:
        async with pool.acquire() as conn:
            await migrate(conn, "notifications")
        n = await load_demo(pool, args.fake_url.rstrip("/"), args.smtp,
                            args.secrets.resolve() if args.secrets else None)
    finally:
        await pool.close()
    print(f"[demo] notifications: {n} channel accounts on the fake platforms at "
          f"{args.fake_url}, and the city centre's notice board", file=sys.stderr)
