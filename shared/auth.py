"""Who is asking: JWT bearer tokens and the roles of the design card.

Roles: public (no token), organiser, desk (library desk staff; `venues` lists theirs),
communications, analyst, admin. In production tokens come from the city's OIDC provider and are
verified against its keys (``KOHTAAMO_OIDC_JWKS_URL``, RS256/ES256); in development and tests a
local issuer signs them with ``KOHTAAMO_JWT_SECRET`` (HS256). The JSON API takes the token
from the Authorization header only; the staff pages keep it in their own cookie session
(`shared.pages`).

``python -m shared.auth --role desk --venue <uuid>`` prints a development token.
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any
from uuid import UUID

import jwt
from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from shared.errors import Unauthenticated
from shared.identity import PUBLIC, ROLES, Principal

__all__ = ["PUBLIC", "ROLES", "TOKEN_INVALID", "Principal", "Unauthenticated"]

#: The code of a 401 for a token given but not valid (a client's fault to fix, unlike
#: `sign_in`: no token where one is needed).
TOKEN_INVALID = "token_invalid"



def _invalid(reason: str) -> Unauthenticated:
    """A 401 for a token given that is not valid: `reason` starts "invalid token: "."""
    return Unauthenticated(reason, code=TOKEN_INVALID)


DEV_SECRET = "kohtaamo-development-secret-not-for-production"


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
def process_config() -> AuthConfig:
    """`AuthConfig.from_env` once per process: a process's environment does not change while
    it runs, and reading four variables on every request cost a booking ~1 % of its CPU."""
    return AuthConfig.from_env()


@lru_cache(maxsize=1)
def _jwks_client(url: str) -> jwt.PyJWKClient:
    return jwt.PyJWKClient(url, cache_keys=True, lifespan=3600)


def mint_token(subject: str, roles: list[str], venues: list[UUID] | None = None,
               name: str | None = None, ttl: int = 8 * 3600,
               config: AuthConfig | None = None, email: str | None = None,
               email_verified: bool | None = None) -> str:
    """A token from the local issuer (development and tests)."""
    config = config or process_config()
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
    if email:
        claims["email"] = email
    if email_verified is not None:
        claims["email_verified"] = email_verified
    return jwt.encode(claims, config.secret, algorithm="HS256")


#: Verified tokens: (token, config) -> (principal, valid until). A client sends the same
#: token for hours; checking its signature once per `_VERIFIED_FOR` seconds is enough.
_verified: dict[tuple[str, AuthConfig], tuple[Principal, float]] = {}
_VERIFIED_MAX = 4096
#: A verified token is trusted again without its signature for at most this long (and never
#: past its `exp`), which bounds how long a key the issuer withdrew still lets it in.
_VERIFIED_FOR = 300.0


def _cached(token: str, config: AuthConfig) -> Principal | None:
    hit = _verified.get((token, config))
    if hit is None:
        return None
    if time.time() < hit[1]:
        return hit[0]
    _verified.pop((token, config), None)
    return None


def verify_token(token: str, config: AuthConfig | None = None) -> Principal:
    if not token.isascii():  # a JWT is base64url: anything else (a lone surrogate) is no token
        raise _invalid("invalid token: not ASCII")
    config = config or process_config()
    hit = _cached(token, config)
    if hit is not None:
        return hit
    principal, exp = _verify(token, config)
    if len(_verified) >= _VERIFIED_MAX:  # the oldest go first
        for key in list(_verified)[: _VERIFIED_MAX // 4]:
            _verified.pop(key, None)
    # PyJWT accepts a token while now < exp: so does the cache.
    _verified[(token, config)] = (principal, min(exp, time.time() + _VERIFIED_FOR))
    return principal


def _verify(token: str, config: AuthConfig) -> tuple[Principal, float]:
    """The token's principal and expiry, or Unauthenticated."""
    try:
        if config.jwks_url:
            key = _jwks_client(config.jwks_url).get_signing_key_from_jwt(token).key
            claims = jwt.decode(token, key, algorithms=["RS256", "ES256"],
                                audience=config.audience, issuer=config.issuer,
                                options={"require": ["exp", "sub"]})
        else:
            claims = jwt.decode(token, config.secret, algorithms=["HS256"],
                                audience=config.audience, issuer=config.issuer,
                                options={"require": ["exp", "sub"]})
    except jwt.ExpiredSignatureError as exc:
        # Its own code: a client signs in again (or refreshes) rather than reports a fault.
        raise Unauthenticated(f"invalid token: {exc}", code="token_expired") from None
    except jwt.PyJWTError as exc:
        raise _invalid(f"invalid token: {exc}") from None
    return principal_of(claims)


def principal_of(claims: dict[str, Any]) -> tuple[Principal, float]:
    """The principal and expiry of verified claims; anything not of the expected type is 401.

    `exp` and `sub` are required: a token without an expiry would be good forever.
    """
    sub, exp = claims.get("sub"), claims.get("exp")
    if not isinstance(sub, str) or not sub.strip():
        raise _invalid("invalid token: sub must be a non-empty string")
    if isinstance(exp, bool) or not isinstance(exp, int | float):
        raise _invalid("invalid token: exp is required")
    roles, venues, name = claims.get("roles", []), claims.get("venues", []), claims.get("name")
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise _invalid("invalid token: roles must be a list of strings")
    if not isinstance(venues, list) or not all(isinstance(v, str) for v in venues):
        raise _invalid("invalid token: venues must be a list of ids")
    if name is not None and not isinstance(name, str):
        raise _invalid("invalid token: name must be a string")
    email, email_verified = claims.get("email"), claims.get("email_verified", False)
    if email is not None and (not isinstance(email, str) or len(email) > 320):
        raise _invalid("invalid token: email must be a string")
    if not isinstance(email_verified, bool):
        raise _invalid("invalid token: email_verified must be true or false")
    try:
        venue_ids = frozenset(UUID(v) for v in venues)
    except ValueError:
        raise _invalid("invalid token: venues must be ids") from None
    return Principal(
        subject=sub,
        roles=frozenset(r for r in roles if r in ROLES),
        venues=venue_ids,
        name=name,
        email=email or None,
        email_verified=email_verified,
    ), float(exp)


def bearer_token(request: Request) -> str | None:
    """The token of the ``Authorization: Bearer`` header; never a cookie. The JSON API takes
    only this: a cookie is sent by the browser on its own, so an API that honoured one could
    be driven by any other site's page (CSRF). Pages have their own cookie session
    (`shared.pages.PageSession`) with a CSRF token."""
    header = request.headers.get("authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else None
    return token or None


_token = bearer_token


def principal_from(request: Request) -> Principal:
    token = _token(request)
    return verify_token(token) if token else PUBLIC


async def current_principal(request: Request) -> Principal:
    """`principal_from` as an async dependency: FastAPI runs a plain function dependency in
    a worker thread, a hop that costs more than checking a cached token. Only a fetch of the
    issuer's keys (JWKS, which blocks) goes to a thread."""
    token = _token(request)
    if not token:
        return PUBLIC
    config = process_config()
    hit = _cached(token, config)
    if hit is not None:
        return hit
    if config.jwks_url:
        return await run_in_threadpool(verify_token, token, config)
    return verify_token(token, config)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


async def signed_in(request: Request) -> Principal:
    """`current_principal` of a route only a signed-in caller may use: the public is refused
    (401) before anything the request carries is judged. A dependency runs before the
    endpoint's own path, query and body are validated; a body that is no JSON at all is read
    even before that, and `shared.http` asks this before it answers such a refusal."""
    principal = await current_principal(request)
    if principal.is_public:
        raise Unauthenticated("sign in first", code="sign_in")
    return principal


#: The caller of a route that needs a token (roles are the use case's to check: 403).
SignedIn = Annotated[Principal, Depends(signed_in)]


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
