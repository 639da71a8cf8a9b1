"""An email address as every service reads one a person typed: one way, so an address the
guide takes is one booking and the public forms take too, and one mail can reach: the
services send without SMTPUTF8, so a local part of letters other than ASCII's is refused
where it is typed, never taken and then failed at sending."""

from __future__ import annotations

from typing import Annotated

from email_validator import EmailNotValidError, ValidatedEmail, validate_email
from pydantic import AfterValidator, EmailStr


def _validated(value: str) -> ValidatedEmail | None:
    try:
        # No DNS lookup: a check never waits on the network, and an address of a domain
        # down for a moment is still taken.
        return validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        return None


def email_address(value: str) -> str | None:
    """`value` as an address mail can go to, normalised (the domain in lower case, Unicode
    in NFC; an internationalised domain as written), or None when it is none: a zero-width
    space or another character a mail server refuses, letters other than ASCII's before
    the @ (which would need SMTPUTF8), no domain. `email_validator` reads it."""
    found = _validated(value)
    return str(found.normalized) if found else None


def mail_address(value: str) -> str | None:
    """The address as mail is sent to it (the SMTP envelope and the To header): ASCII, an
    internationalised domain in its IDNA form (`ääkkönen.fi` → `xn--kknen-fraa0m.fi`);
    None for one no mail can reach without SMTPUTF8 (kept before the rule above)."""
    found = _validated(value)
    return str(found.ascii_email) if found and found.ascii_email else None


def _mailable(value: str) -> str:
    if email_address(value) is None:
        raise ValueError("value is not a valid email address: mail reaches no address with"
                         " letters other than a–z before the @-sign")
    return value


#: An API's email field: pydantic's `EmailStr` (its JSON schema, `format: email`) and the
#: rule above, so the API takes exactly the addresses the pages take.
EmailAddress = Annotated[EmailStr, AfterValidator(_mailable)]
