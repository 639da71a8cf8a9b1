"""An email address as every service reads one a person typed: one way, so an address the
guide takes is one booking takes too."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email


def email_address(value: str) -> str | None:
    """`value` as an address mail can go to, normalised (the domain in lower case, Unicode
    in NFC), or None when it is none: a zero-width space or another character a mail server
    refuses, no domain. `email_validator` reads it; no DNS lookup, so a check never waits on
    the network and an address of a domain down for a moment is still taken."""
    try:
        return str(validate_email(value, check_deliverability=False).normalized)
    except EmailNotValidError:
        return None
