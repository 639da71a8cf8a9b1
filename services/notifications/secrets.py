"""Where a channel account's token is. Never in the database: an account names it with
`secret_ref`, and only channel secrets may be named, so whoever configures an account (and its
`base_url`) cannot have the service send any other secret, such as the JWT signing key or a
file of the server, to an address of their choosing.

- `env:KOHTAAMO_CHANNEL_<NAME>`: an environment variable (e.g. from a Kubernetes Secret);
- `file:<folder>/<name>`: a file in the channels' secret folder, KOHTAAMO_CHANNEL_SECRETS_DIR
  (a mounted Secret; re-read at each send, so a rotated token is used without a restart).
"""

from __future__ import annotations

import os
from pathlib import Path

from services.notifications.domain import DEFAULT_API_URLS, ChannelSettings, check_secret_ref
from services.notifications.domain import SECRET_ENV_PREFIX as ENV_PREFIX

__all__ = ["ENV_PREFIX", "channel_settings", "check_secret_ref", "resolve_secret",
           "secrets_dir"]


def secrets_dir() -> Path:
    return Path(os.environ.get("KOHTAAMO_CHANNEL_SECRETS_DIR", "/etc/kohtaamo/channels"))


def fixed_api_urls() -> dict[str, str]:
    """The API addresses of the platforms that have one: Facebook's Graph API (Instagram's
    too), KOHTAAMO_FACEBOOK_API_URL; the Bluesky PDS, KOHTAAMO_BLUESKY_PDS_URL."""
    facebook = os.environ.get("KOHTAAMO_FACEBOOK_API_URL") or DEFAULT_API_URLS["facebook"]
    bluesky = os.environ.get("KOHTAAMO_BLUESKY_PDS_URL") or DEFAULT_API_URLS["bluesky"]
    return {"facebook": facebook, "instagram": facebook, "bluesky": bluesky}


def channel_settings() -> ChannelSettings:
    """The channel account rules' configuration, from the environment."""
    return ChannelSettings(secrets_folder=secrets_dir(), fixed_api_urls=fixed_api_urls())


def resolve_secret(ref: str, folder: Path | None = None) -> str:
    """The token `ref` names. Raises LookupError when it is not allowed or not there."""
    folder = folder or secrets_dir()
    problem = check_secret_ref(ref, folder)
    if problem:
        raise LookupError(problem)
    kind, _, where = ref.partition(":")
    if kind == "env":
        if where in os.environ:
            return os.environ[where]
        raise LookupError(f"the variable {where} is not set")
    # A mounted Kubernetes Secret's files are links into the folder: follow them, and make
    # sure the target is still inside it.
    real = Path(where).resolve()
    if real.is_file() and real.is_relative_to(folder.resolve()):
        return real.read_text().strip()
    raise LookupError(f"the secret file {where} is not there")
