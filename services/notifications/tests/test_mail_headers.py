"""A mail's Subject and From come back, as a mail client decodes them, exactly as given.
Python's own folding of a long header with non-ASCII words lost the space before an encoded
word ("yhteislaulu –Pyörö & Jynkkä"), began an English subject with a space and wrote an
empty `=?utf-8?q??=`; the tester read the raw `=?utf-8?b?4oCT?=\\r\\n =?utf-8?b?UHnD…?=`.
Each message is written as the sender writes it (`as_bytes(policy=MAIL_POLICY)`) and
parsed back."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime
from email.message import EmailMessage
from uuid import uuid4

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from services.notifications.domain import MAIL_SENDER_NAME_SETTING
from services.notifications.platforms import MAIL_POLICY, Account, Post, email_message
from services.notifications.reach_text import unsubscribe_headers

ACCOUNT = Account(id=uuid4(), platform="email", base_url="smtp://127.0.0.1:2525",
                  account_ref="asukastoiminta@kuopio.example", secret="")

#: What the tester saw mangled, and subjects of the shapes the service writes.
SUBJECTS = [
    "Varauksesi on vahvistettu: Joululaulujen yhteislaulu – Pyörö & Jynkkä",
    "Varauksesi on vahvistettu: Joululaulujen yhteislaulu – Pyörö & Jynkkä la 5.12.2026 "
    "klo 18.00–20.00",
    "The time of your booking has changed: Joululaulujen yhteislaulu at the library in Pyörö",
    "The time of your booking has changed: Christmas carol singing at the library tonight, "
    "all welcome",
    "Din bokning är bekräftad: Julsångsstund – Pyörö & Jynkkä bibliotek, lördag 5.12.",
    "Ilmoittautumisesi on vahvistettu: Pyörön kirjaston satutunti 🎄 – tervetuloa! 👨‍👩‍👧",
    "Peruttu: Äänikirjapiiri – Neulamäen kirjasto",
    "Aihe",
    "x" * 300,
    "ä" * 100,
    "A =?utf-8?q?not_an_encoded_word?= in a subject",
    "– – – ä ö å € & < > \" ' ; , : @ ( ) [ ] \\ = ? _",
]

#: Subjects as the service writes them: words (plain, Finnish, Swedish, dashes, emoji,
#: ampersands, times) joined by spaces, and any text at all.
_WORDS = st.sampled_from([
    "Varauksesi", "on", "vahvistettu:", "The", "time", "of", "your", "booking", "has",
    "changed:", "Joululaulujen", "yhteislaulu", "–", "—", "Pyörö", "&", "Jynkkä", "Åbo",
    "invånarverksamhet", "18.00–20.00", "la", "5.12.2026", "🎄", "👨‍👩‍👧", "<b>", "\"x\"",
    "a=?b", "_", "Sat", "5", "Dec", "x" * 80, "ä" * 30])
subjects = st.one_of(
    st.lists(_WORDS, min_size=1, max_size=30).map(" ".join),
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1,
            max_size=200),
)


def written(subject: str, headers: dict[str, str] | None = None) -> bytes:
    """The mail as the sender writes it on the wire."""
    message = email_message(ACCOUNT, Post(
        text="Hei", language="fi", idempotency_key="k", created_at=datetime.now(UTC),
        attempt=1, recipient="liisa@example.org", subject=subject,
        ics="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", headers=headers))
    return message.as_bytes(policy=MAIL_POLICY)


def sent(subject: str) -> EmailMessage:
    raw = written(subject)
    for line in raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        assert len(line) <= 78, line  # RFC 5322: every header line fits
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def expected(subject: str) -> str:
    # A header holds no line break: the sender joins the subject's words by single spaces.
    return " ".join(subject.split())


@pytest.mark.parametrize("subject", SUBJECTS)
def test_a_subject_comes_back_as_given(subject: str) -> None:
    assert sent(subject)["Subject"] == subject


@given(subjects)
@example("The time of your booking has changed: Joululaulujen yhteislaulu – Pyörö & "
         "Jynkkä Sat 5 Dec 2026 18:00–20:00")
@settings(max_examples=400, deadline=None)
def test_any_subject_comes_back_as_given(subject: str) -> None:
    if not expected(subject):
        return  # nothing to say: the first line of the text is the subject then
    assert sent(subject)["Subject"] == expected(subject)


@pytest.mark.parametrize("name", [
    "Kuopion kaupungin asukastoiminta",
    "Kuopion kaupungin asukastoiminta – Kuopio stads invånarverksamhet – Pyörö",
    "Kirjasto, \"KANTTI\" & ystävät",
])
def test_the_senders_name_comes_back_as_given(monkeypatch: pytest.MonkeyPatch,
                                              name: str) -> None:
    monkeypatch.setenv(MAIL_SENDER_NAME_SETTING, name)
    [address] = sent("Aihe")["From"].addresses
    assert (address.display_name, address.addr_spec) == (name, "asukastoiminta@kuopio.example")


def test_a_list_header_says_its_url_as_it_is() -> None:
    """RFC 2369's URLs are never encoded words (RFC 2047 5 forbids them there): a mail
    client reads the one-click unsubscribe address (RFC 8058) out of the raw line. A
    64-character token made the line longer than 78, and Python's policy encoded it."""
    unsubscribe = "https://tapahtumat.kuopio.example/follow/" + "a1" * 32 + "/unsubscribe"
    prefs = "https://tapahtumat.kuopio.example/follow/" + "a1" * 32 + "?lang=sv"
    raw = written("Veckans evenemang för dig", unsubscribe_headers(unsubscribe, prefs))
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert f"\r\nList-Unsubscribe: <{unsubscribe}>\r\n".encode() in head
    assert f"\r\nList-Help: <{prefs}>\r\n".encode() in head
    assert b"\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in head
    assert b"=?" not in b"".join(line for line in head.split(b"\r\n")
                                 if line.startswith(b"List-"))
    assert all(len(line) <= 998 for line in head.split(b"\r\n"))
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert parsed["Subject"] == "Veckans evenemang för dig"
