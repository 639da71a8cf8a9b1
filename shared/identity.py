"""Who is asking, as the rules see it: a principal with roles and venues.

Pure (no FastAPI, no JWT): domain rules and use cases take a `Principal`; `shared.auth` makes
one from a verified token at the HTTP edge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from shared.errors import Forbidden, Unauthenticated

#: Roles of the design card: organiser, desk (library desk staff; `venues` lists theirs),
#: communications, analyst, admin. The public carries none.
ROLES = ("organiser", "desk", "communications", "analyst", "admin")


@dataclass(frozen=True)
class Principal:
    subject: str | None
    roles: frozenset[str] = field(default_factory=frozenset)
    venues: frozenset[UUID] = field(default_factory=frozenset)
    name: str | None = None
    #: The identity provider's `email` claim, and whether it says the person proved it
    #: (`email_verified`): the one address the platform may mail without asking first.
    email: str | None = None
    email_verified: bool = False

    @property
    def verified_email(self) -> str | None:
        """The address the identity provider vouches for, lower-cased; else None."""
        return self.email.strip().lower() if self.email and self.email_verified else None

    @property
    def is_public(self) -> bool:
        return self.subject is None

    def has(self, *roles: str) -> bool:
        return "admin" in self.roles or bool(self.roles.intersection(roles))

    def is_desk_for(self, venue_id: UUID) -> bool:
        """Desk staff act on their own venues; admins on all."""
        return "admin" in self.roles or ("desk" in self.roles and venue_id in self.venues)


PUBLIC = Principal(subject=None)


def require(principal: Principal, *roles: str) -> None:
    """Who may act, said one way by every service: the public is told to sign in (401
    `sign_in`), a signed-in person without any of `roles` is refused (403 `forbidden`)."""
    if principal.is_public:
        raise Unauthenticated("sign in first", code="sign_in")
    if not principal.has(*roles):
        raise Forbidden(f"needs one of the roles: {', '.join(roles)}", code="forbidden")
