"""Every email this service sends is from one sender, named by one setting
(KOHTAAMO_MAIL_SENDER_NAME): the journey review found the booking, approval and guide mails
signed by different names. The From header carries the setting's name whatever the mail, and
every mail signs with the same sender."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from services.notifications import reach_text, rendering
from services.notifications.domain import (
    DEFAULT_MAIL_SENDER_NAME,
    DEFAULT_MAIL_SENDER_NAMES,
    MAIL_SENDER_NAME_SETTING,
    mail_sender_name,
)
from services.notifications.platforms import Account, Post, email_message


def _mail(account_ref: str = "asukastoiminta@kuopio.example",
          language: str = "fi") -> tuple[str, str]:
    account = Account(id=uuid4(), platform="email", base_url="smtp://127.0.0.1:2525",
                      account_ref=account_ref, secret="")
    message = email_message(account, Post(
        text="Hei", language=language, idempotency_key="k", created_at=datetime.now(UTC),
        attempt=1, recipient="liisa@example.org", subject="Aihe"))
    address = message["From"].addresses[0]
    return address.display_name, address.addr_spec


def test_a_mail_is_from_the_one_sender_name_by_default(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MAIL_SENDER_NAME_SETTING, raising=False)
    assert _mail() == (DEFAULT_MAIL_SENDER_NAME, "asukastoiminta@kuopio.example")
    # A Swedish or English mail is from the same sender in its language (it was Finnish).
    for lang in ("sv", "en"):
        assert _mail(language=lang) == (DEFAULT_MAIL_SENDER_NAMES[lang],
                                        "asukastoiminta@kuopio.example")
        assert rendering.SIGNATURE[lang].endswith(DEFAULT_MAIL_SENDER_NAMES[lang])


def test_the_setting_names_the_sender_of_every_mail_whatever_the_account_says(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MAIL_SENDER_NAME_SETTING, "  Kuopion kirjastot ")
    assert _mail() == ("Kuopion kirjastot", "asukastoiminta@kuopio.example")
    # An account configured with a name of its own still sends under the one name.
    assert _mail("Kohtaamo <noreply@kuopio.example>") == ("Kuopion kirjastot",
                                                           "noreply@kuopio.example")
    monkeypatch.setenv(MAIL_SENDER_NAME_SETTING, " ")
    assert mail_sender_name() == DEFAULT_MAIL_SENDER_NAME


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_mail_signs_with_the_same_sender(lang: str) -> None:
    signatures = {
        "booking": rendering._EMAIL[lang]["signature"],
        "attendance": rendering._ATTENDANCE[lang]["signature"],
        "approval": rendering._APPROVAL[lang]["signature"],
        "guide reply": rendering._GUIDE[lang]["signature"],
        "address confirmation": rendering._VERIFY[lang]["signature"],
        "registration and following": reach_text.T[lang]["signature"],
    }
    assert set(signatures.values()) == {rendering.SIGNATURE[lang]}, signatures
    # The Finnish signature names the default sender of the From header.
    assert rendering.SIGNATURE["fi"].endswith(DEFAULT_MAIL_SENDER_NAME)
