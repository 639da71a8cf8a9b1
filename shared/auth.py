"""Who is asking: JWT bearer tokens and the roles of the design card.

Roles: public (no token), organiser, desk (library desk staff; `venues` lists theirs),
communications, analyst, admin. In production tokens come from the city's OIDC provider and are
verified against its keys (``KOHTAAMO_OIDC_JWKS_URL``, RS256/ES256); in development and tests a
local issuer signs them with ``KOHTAAMO_JWT_SECRET`` (HS256). A browser may carry the token in
the ``kohtaamo_token`` cookie instead of the Authorization header.

``python -m shared.auth --role desk --venue <uuid>`` prints a development token.
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Annotated, Any
from uuid import UUID

import jwt
from fastapi import Depends, Request

from shared.errors import DomainError, Forbidden

ROLES = ("organiser", "desk", "communications", "analyst", "admin")
COOKIE = "kohtaamo_token"
DEV_SECRET = "kohtaamo-development-secret-not-for-production"


class Unauthenticated(DomainError):
    status = 401


@dataclass(frozen=True)
class Principal:
    subject: str | None
    roles: frozenset[str] = field(default_factory=frozenset)
    venues: frozenset[UUID] = field(default_factory=frozenset)
    name: str | None = None

    @property
    def is_public(self) -> bool:
        return self.subject is None

    def has(self, *roles: str) -> bool:
        return "admin" in self.roles or bool(self.roles.intersection(roles))

    def is_desk_for(self, venue_id: UUID) -> bool:
        """Desk staff act on their own venues; admins on all."""
        return "admin" in self.roles or ("desk" in self.roles and venue_id in self.venues)


PUBLIC = Principal(subject=None)


@dataclass(frozen=True)
class AuthConfig:
    secret: str
    issuer: str
    audience: str
    jwks_url: str | None

    @classmethod
    def from_env(cls) -> AuthConfig:
        return cls(
            secret=os.environ.get("KOHTAAMO_JWT_SECRET", DEV_SECRET),
            issuer=os.environ.get("KOHTAAMO_JWT_ISSUER", "kohtaamo-local"),
            audience=os.environ.get("KOHTAAMO_JWT_AUDIENCE", "kohtaamo"),
            jwks_url=os.environ.get("KOHTAAMO_OIDC_JWKS_URL") or None,
        )


@lru_cache(maxsize=1)
def _jwks_client(url: str) -> jwt.PyJWKClient:
    return jwt.PyJWKClient(url, cache_keys=True, lifespan=3600)


def mint_token(subject: str, roles: list[str], venues: list[UUID] | None = None,
               name: str | None = None, ttl: int = 8 * 3600,
               config: AuthConfig | None = None) -> str:
    """A token from the local issuer (development and tests)."""
    config = config or AuthConfig.from_env()
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": subject, "roles": roles, "venues": [str(v) for v in venues or []],
        "iss": config.issuer, "aud": config.audience, "iat": now, "exp": now + ttl,
    }
    if name:
        claims["name"] = name
    return jwt.encode(claims, config.secret, algorithm="HS256")


def verify_token(token: str, config: AuthConfig | None = None) -> Principal:
    config = config or AuthConfig.from_env()
    try:
        if config.jwks_url:
            key = _jwks_client(config.jwks_url).get_signing_key_from_jwt(token).key
            claims = jwt.decode(token, key, algorithms=["RS256", "ES256"],
                                audience=config.audience, issuer=config.issuer)
        else:
            claims = jwt.decode(token, config.secret, algorithms=["HS256"],
                                audience=config.audience, issuer=config.issuer)
    except jwt.PyJWTError as exc:
        raise Unauthenticated(f"invalid token: {exc}") from None
    try:
        venues = frozenset(UUID(v) for v in claims.get("venues", []))
    except (TypeError, ValueError):
        raise Unauthenticated("invalid token: venues must be ids") from None
    return Principal(
        subject=str(claims["sub"]),
        roles=frozenset(r for r in claims.get("roles", []) if r in ROLES),
        venues=venues,
        name=claims.get("name"),
    )


def principal_from(request: Request) -> Principal:
    header = request.headers.get("authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else None
    token = token or request.cookies.get(COOKIE)
    return verify_token(token) if token else PUBLIC


CurrentPrincipal = Annotated[Principal, Depends(principal_from)]


def require(principal: Principal, *roles: str) -> None:
    """401 for the public, 403 for a signed-in person without any of `roles`."""
    if principal.is_public:
        raise Unauthenticated("sign in first")
    if not principal.has(*roles):
        raise Forbidden(f"needs one of the roles: {', '.join(roles)}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Print a development token.")
    parser.add_argument("--role", action="append", required=True, choices=ROLES)
    parser.add_argument("--venue", action="append", type=UUID, default=[])
    parser.add_argument("--subject", default="dev-user")
    parser.add_argument("--name")
    args = parser.parse_args()
    print(mint_token(args.subject, args.role, args.venue, args.name))


if __name__ == "__main__":
    main()
