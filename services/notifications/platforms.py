"""Clients that publish one already-rendered post on Facebook, Instagram, Mastodon, Bluesky or
by email, and the classification of their failures for the scheduler's retry policy.

Every failure is a `DeliveryError` with one of five classes:

- ``retry``: temporary; nothing was posted (5xx, connection refused, Facebook codes 1 and 2);
- ``rate_limited``: wait ``retry_after`` seconds (or an own back-off when it is None);
- ``reauth``: the account's token or password is no longer accepted;
- ``permanent``: this post will never be accepted as it is;
- ``unconfirmed``: the request reached a platform where a re-send could post twice, and no
  answer came. Mastodon (Idempotency-Key) and Bluesky (deterministic record key, looked up
  first on a later attempt) make a re-send safe, so there the same situation is ``retry``.

The secret of an account never appears in an error's detail.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import email.policy
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr, parsedate_to_datetime
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import aiosmtplib
import httpx

from services.notifications.domain import after_lost_answer, mail_sender_name
from services.notifications.images import ImagePolicy, fetch_image
from shared.email_address import mail_address

Platform = Literal["facebook", "instagram", "mastodon", "bluesky", "email"]
ErrorClass = Literal["retry", "rate_limited", "reauth", "permanent", "unconfirmed"]


@dataclass(frozen=True)
class Account:
    """One configured channel account."""

    id: UUID
    platform: Platform
    # API root, e.g. "https://graph.facebook.com/v21.0", "https://mastodon.social",
    # "https://bsky.social"; email: "smtp://host:port[?starttls=1]" or "smtps://host:port".
    base_url: str
    # Facebook page id / Instagram user id / Bluesky handle / email From address.
    account_ref: str
    # FB/IG page access token, Mastodon bearer token, Bluesky app password, SMTP "user:password".
    secret: str = field(repr=False)


@dataclass(frozen=True)
class Post:
    """A post rendered by the domain code, already within the platform's limits."""

    text: str
    language: str
    idempotency_key: str
    created_at: datetime
    attempt: int
    link: str | None = None
    image_url: str | None = None
    image_alt: str | None = None
    subject: str | None = None
    recipient: str | None = None
    ics: str | None = None
    #: Extra email headers (e.g. RFC 8058's List-Unsubscribe and List-Unsubscribe-Post).
    headers: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Sent:
    remote_id: str
    remote_url: str | None = None


class DeliveryError(Exception):
    def __init__(self, error_class: ErrorClass, detail: str,
                 retry_after: float | None = None, maybe_sent: bool = False) -> None:
        super().__init__(f"{error_class}: {detail}")
        self.error_class: ErrorClass = error_class
        self.detail = detail
        self.retry_after = retry_after
        #: The post may be on the platform: the request that makes it got no answer.
        self.maybe_sent = maybe_sent

FACEBOOK_RATE_LIMIT_CODES = frozenset({4, 17, 32, 613})
FACEBOOK_TEMPORARY_CODES = frozenset({1, 2})
FACEBOOK_TOKEN_CODES = frozenset({190})
# Bluesky (XRPC) error names in a 400/401 body that mean the session or password is bad.
BLUESKY_TOKEN_ERRORS = frozenset({"AuthenticationRequired", "ExpiredToken", "InvalidToken"})
# SMTP: 530 auth required, 534 mechanism too weak, 535 credentials invalid.
SMTP_AUTH_CODES = frozenset({530, 534, 535})


# ---------------------------------------------------------------------------------------------
# Classification (pure)


def classify(platform: Platform, status: int, headers: Mapping[str, str], body: Any,
             now: datetime) -> tuple[ErrorClass, float | None]:
    """Class and wait in seconds of a failed answer. For email `status` is the SMTP reply code.

    `body` is the decoded JSON body (or its text); `now` is an aware datetime."""
    if platform == "email":
        if status in SMTP_AUTH_CODES:
            return "reauth", None
        return ("retry", None) if 400 <= status < 500 else ("permanent", None)

    wait = retry_wait(headers, now)
    if platform in ("facebook", "instagram"):
        code = _facebook_error_code(body)
        if code in FACEBOOK_RATE_LIMIT_CODES:
            return "rate_limited", wait
        if code in FACEBOOK_TOKEN_CODES:
            return "reauth", None
        if code in FACEBOOK_TEMPORARY_CODES:
            return "retry", wait
    if platform == "bluesky" and isinstance(body, Mapping):
        name = body.get("error")
        if name == "RateLimitExceeded":
            return "rate_limited", wait
        if name in BLUESKY_TOKEN_ERRORS and status in (400, 401):
            return "reauth", None
    if status == 429:
        return "rate_limited", wait
    if status == 401:
        return "reauth", None
    if status >= 500 or status == 408:
        return "retry", wait
    return "permanent", None


def retry_wait(headers: Mapping[str, str], now: datetime) -> float | None:
    """Seconds to wait from the first rate-limit header present, or None."""
    lower = {k.lower(): v for k, v in headers.items()}
    if (value := lower.get("retry-after")) is not None:
        value = value.strip()
        if value.isdigit():
            return float(value)
        try:
            return _seconds_until(parsedate_to_datetime(value), now)
        except (TypeError, ValueError):
            pass
    if (value := lower.get("x-ratelimit-reset")) is not None:  # Mastodon: ISO 8601 time
        try:
            return _seconds_until(datetime.fromisoformat(value.strip()), now)
        except ValueError:
            pass
    if (value := lower.get("ratelimit-reset")) is not None:  # Bluesky: epoch seconds
        try:
            return max(0.0, float(value) - now.timestamp())
        except ValueError:
            pass
    minutes = [_regain_minutes(lower.get(name))
               for name in ("x-business-use-case-usage", "x-app-usage")]
    found = [m for m in minutes if m is not None]
    return max(found) * 60.0 if found else None


def _seconds_until(when: datetime, now: datetime) -> float:
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _regain_minutes(value: str | None) -> float | None:
    """Largest `estimated_time_to_regain_access` (minutes) in a Facebook usage header."""
    if not value:
        return None
    try:
        usage = json.loads(value)
    except ValueError:
        return None
    found: list[float] = []

    def walk(node: Any) -> None:
        if isinstance(node, Mapping):
            minutes = node.get("estimated_time_to_regain_access")
            if isinstance(minutes, int | float) and minutes > 0:
                found.append(float(minutes))
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(usage)
    return max(found) if found else None


def _facebook_error_code(body: Any) -> int | None:
    if isinstance(body, Mapping) and isinstance(body.get("error"), Mapping):
        code = body["error"].get("code")
        return code if isinstance(code, int) else None
    return None


# ---------------------------------------------------------------------------------------------
# Publishing


async def publish(account: Account, post: Post, http: httpx.AsyncClient) -> Sent:
    """Publish on the account's platform; raise DeliveryError classed as described above."""
    try:
        match account.platform:
            case "facebook":
                return await _facebook(account, post, http)
            case "instagram":
                return await _instagram(account, post, http)
            case "mastodon":
                return await _mastodon(account, post, http)
            case "bluesky":
                return await _bluesky(account, post, http)
            case "email":
                return await _email(account, post, _timeout_seconds(http))
    except DeliveryError as error:
        detail = _scrub(error.detail, account.secret)
        if detail != error.detail:
            raise DeliveryError(error.error_class, detail, error.retry_after) from None
        raise
    raise DeliveryError("permanent", f"unknown platform {account.platform!r}")


def _scrub(text: str, secret: str) -> str:
    for part in {secret, *secret.split(":", 1)}:
        if len(part) >= 4:
            text = text.replace(part, "***")
    return text


def _timeout_seconds(http: httpx.AsyncClient) -> float | None:
    timeout = http.timeout
    return timeout.read if timeout.read is not None else timeout.connect


async def _request(http: httpx.AsyncClient, platform: Platform, method: str, url: str, *,
                   sends_post: bool, **kwargs: Any) -> httpx.Response:
    """Send one request; map transport failures to a class.

    `sends_post`: this request creates the post itself, so a lost answer may mean it exists."""
    try:
        return await http.request(method, url, **kwargs)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
        raise DeliveryError("retry", f"{platform}: not sent: {type(error).__name__}") from None
    except httpx.TransportError as error:
        lost: ErrorClass = after_lost_answer(platform) if sends_post else "retry"
        raise DeliveryError(lost, f"{platform}: no answer: {type(error).__name__}",
                            maybe_sent=sends_post) from None


def _body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text


def _failure(platform: Platform, response: httpx.Response, step: str) -> DeliveryError:
    body = _body(response)
    error_class, wait = classify(platform, response.status_code, response.headers, body,
                                 datetime.now(UTC))
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return DeliveryError(error_class,
                         f"{platform} {step}: HTTP {response.status_code}: {text[:300]}", wait)


def _ok(platform: Platform, response: httpx.Response, step: str) -> dict[str, Any]:
    if not response.is_success:
        raise _failure(platform, response, step)
    body = _body(response)
    if not isinstance(body, dict):
        raise DeliveryError("permanent", f"{platform} {step}: unexpected answer {body!r:.200}")
    return body


async def _facebook(account: Account, post: Post, http: httpx.AsyncClient) -> Sent:
    base = f"{account.base_url.rstrip('/')}/{account.account_ref}"
    if post.image_url:
        form = {"url": post.image_url, "caption": post.text,
                "access_token": account.secret}
        if post.image_alt:
            form["alt_text_custom"] = post.image_alt
        response = await _request(http, "facebook", "POST", f"{base}/photos", data=form,
                                  sends_post=True)
        body = _ok("facebook", response, "photos")
        # The photo's own id and the feed story's post_id differ; the story is what people see.
        remote_id = str(body.get("post_id") or body["id"])
    else:
        form = {"message": post.text, "access_token": account.secret}
        if post.link:
            form["link"] = post.link
        response = await _request(http, "facebook", "POST", f"{base}/feed", data=form,
                                  sends_post=True)
        remote_id = str(_ok("facebook", response, "feed")["id"])
    return Sent(remote_id, f"https://www.facebook.com/{remote_id}")


async def _instagram(account: Account, post: Post, http: httpx.AsyncClient) -> Sent:
    if not post.image_url:
        raise DeliveryError("permanent", "instagram: a post needs an image")
    base = f"{account.base_url.rstrip('/')}/{account.account_ref}"
    form = {"image_url": post.image_url, "caption": post.text, "access_token": account.secret}
    if post.image_alt:
        form["alt_text"] = post.image_alt
    # An unpublished container is invisible, so losing this answer is a plain retry.
    response = await _request(http, "instagram", "POST", f"{base}/media", data=form,
                              sends_post=False)
    container = str(_ok("instagram", response, "media")["id"])
    response = await _request(http, "instagram", "POST", f"{base}/media_publish",
                              data={"creation_id": container,
                                    "access_token": account.secret},
                              sends_post=True)
    return Sent(str(_ok("instagram", response, "media_publish")["id"]))


#: The largest image fetched for a post (Mastodon takes 16 MB, Bluesky 1 MB blobs): a bigger
#: or endless answer must not fill the replica's memory.
MAX_IMAGE_BYTES = 16 * 1024 * 1024


async def _download(http: httpx.AsyncClient, url: str) -> tuple[bytes, str] | None:
    """The image's bytes and type, or None when it may not or cannot be fetched, or is too
    big (the post goes without it): images.fetch_image's rules, so an image URL cannot read
    the city's internal addresses into a public post."""
    return await fetch_image(http, url, ImagePolicy.from_env(MAX_IMAGE_BYTES))


async def _mastodon(account: Account, post: Post, http: httpx.AsyncClient) -> Sent:
    base = account.base_url.rstrip("/")
    auth = {"Authorization": f"Bearer {account.secret}"}
    media_ids: list[str] = []
    if post.image_url and (image := await _download(http, post.image_url)):
        content, kind = image
        name = post.image_url.rsplit("/", 1)[-1].split("?")[0] or "image"
        response = await _request(
            http, "mastodon", "POST", f"{base}/api/v2/media", headers=auth,
            files={"file": (name, content, kind)},
            data={"description": post.image_alt or ""}, sends_post=False)
        media_ids.append(str(_ok("mastodon", response, "media")["id"]))
    status: dict[str, Any] = {"status": post.text, "language": post.language,
                              "visibility": "public", "media_ids": media_ids}
    response = await _request(
        http, "mastodon", "POST", f"{base}/api/v1/statuses", json=status,
        headers={**auth, "Idempotency-Key": post.idempotency_key}, sends_post=True)
    body = _ok("mastodon", response, "statuses")
    return Sent(str(body["id"]), body.get("url") or body.get("uri"))


# --- Bluesky ---------------------------------------------------------------------------------

TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
BLUESKY_BLOB_LIMIT = 1_000_000
POST_COLLECTION = "app.bsky.feed.post"


def tid(created_at: datetime, idempotency_key: str) -> str:
    """Deterministic record key: 53 bits of µs since the epoch and a 10-bit clock id. The
    deliveries planned in one transaction share `created_at` (an announcement and its
    reminder), so the key's hash also moves the time by up to a second: 30 bits of it, not
    10, tell two such deliveries apart."""
    if created_at.tzinfo is None:
        created_at = created_at.replace(tzinfo=UTC)
    digest = hashlib.sha256(idempotency_key.encode()).digest()
    micros = (created_at - EPOCH) // timedelta(microseconds=1)
    micros += int.from_bytes(digest[2:5]) & 0xFFFFF  # < 1.05 s
    clock = int.from_bytes(digest[:2]) & 0x3FF
    value = ((micros & ((1 << 53) - 1)) << 10) | clock
    chars = []
    for _ in range(13):
        chars.append(TID_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


@dataclass
class _Session:
    access_jwt: str
    refresh_jwt: str
    did: str
    handle: str


# One session per account: createSession is strictly rate limited, so it is reused.
#: Sessions per account identity: an account edited to another handle, password or server
#: gets a new session, and no token goes to a server it was not made for.
_sessions: dict[tuple[UUID, str, str, str], _Session] = {}
_session_locks: dict[tuple[UUID, str, str, str], asyncio.Lock] = {}


def forget_sessions() -> None:
    """Drop cached Bluesky sessions (tests, or after an account's password changes)."""
    _sessions.clear()
    _session_locks.clear()


def _session_from(body: dict[str, Any]) -> _Session:
    return _Session(str(body["accessJwt"]), str(body["refreshJwt"]), str(body["did"]),
                    str(body.get("handle") or body["did"]))


async def _new_session(account: Account, http: httpx.AsyncClient) -> _Session:
    response = await _request(
        http, "bluesky", "POST",
        f"{account.base_url.rstrip('/')}/xrpc/com.atproto.server.createSession",
        json={"identifier": account.account_ref, "password": account.secret},
        sends_post=False)
    if response.status_code == 401:
        raise DeliveryError("reauth", f"bluesky createSession: HTTP 401: {_body(response)}")
    return _session_from(_ok("bluesky", response, "createSession"))


def _session_key(account: Account) -> tuple[UUID, str, str, str]:
    secret = hashlib.sha256(account.secret.encode()).hexdigest()
    return account.id, account.base_url, account.account_ref, secret


async def _session(account: Account, http: httpx.AsyncClient, *,
                   stale: _Session | None = None) -> _Session:
    """The cached session; with `stale`, a refreshed (or new) one replacing it."""
    key = _session_key(account)
    lock = _session_locks.setdefault(key, asyncio.Lock())
    async with lock:
        current = _sessions.get(key)
        if current is not None and current is not stale:
            return current  # none yet asked for, or another task already refreshed it
        session: _Session | None = None
        if current is not None:
            response = await _request(
                http, "bluesky", "POST",
                f"{account.base_url.rstrip('/')}/xrpc/com.atproto.server.refreshSession",
                headers={"Authorization": f"Bearer {current.refresh_jwt}"}, sends_post=False)
            if response.is_success:
                session = _session_from(_ok("bluesky", response, "refreshSession"))
        if session is None:
            _sessions.pop(key, None)
            session = await _new_session(account, http)
        _sessions[key] = session
        return session


def _expired(response: httpx.Response) -> bool:
    body = _body(response)
    return (response.status_code in (400, 401) and isinstance(body, dict)
            and body.get("error") in ("ExpiredToken", "InvalidToken"))


async def _bluesky_call(account: Account, http: httpx.AsyncClient, method: str, nsid: str, *,
                        sends_post: bool = False, **kwargs: Any
                        ) -> tuple[httpx.Response, _Session]:
    """An authenticated XRPC call; refreshes the session once if its token has expired."""
    url = f"{account.base_url.rstrip('/')}/xrpc/{nsid}"
    session = await _session(account, http)
    headers = dict(kwargs.pop("headers", {}))
    for last in (False, True):
        headers["Authorization"] = f"Bearer {session.access_jwt}"
        response = await _request(http, "bluesky", method, url, headers=headers,
                                  sends_post=sends_post, **kwargs)
        if last or not _expired(response):
            break
        session = await _session(account, http, stale=session)
    return response, session


#: A web address in a post's text; a full stop or a bracket after it ends the sentence.
_URL = re.compile(r"https?://[^\s<>\"]+")
_URL_END = ".,;:!?)]}'»”"


def _link_facets(text: str) -> list[dict[str, Any]]:
    """Every web address in the text as a link (the event's page, a sign-up page): Bluesky
    makes none of a bare address, which residents would see as dead text. Offsets in UTF-8
    bytes, as the facets count them."""
    facets = []
    for found in _URL.finditer(text):
        uri = found.group().rstrip(_URL_END)
        byte_start = len(text[:found.start()].encode())
        facets.append({"index": {"byteStart": byte_start,
                                 "byteEnd": byte_start + len(uri.encode())},
                       "features": [{"$type": "app.bsky.richtext.facet#link", "uri": uri}]})
    return facets


async def _find_record(account: Account, http: httpx.AsyncClient, did: str,
                       rkey: str) -> dict[str, Any] | None:
    response = await _request(
        http, "bluesky", "GET",
        f"{account.base_url.rstrip('/')}/xrpc/com.atproto.repo.getRecord",
        params={"repo": did, "collection": POST_COLLECTION, "rkey": rkey}, sends_post=False)
    if response.is_success:
        return _ok("bluesky", response, "getRecord")
    body = _body(response)
    if response.status_code in (400, 404) and isinstance(body, dict) and (
            body.get("error") == "RecordNotFound"):
        return None
    raise _failure("bluesky", response, "getRecord")


async def _bluesky(account: Account, post: Post, http: httpx.AsyncClient) -> Sent:
    rkey = tid(post.created_at, post.idempotency_key)
    session = await _session(account, http)

    def sent(uri: str) -> Sent:
        return Sent(uri, f"https://bsky.app/profile/{session.handle}/post/{rkey}")

    # An earlier try may have created the record and lost the answer: look before posting.
    if post.attempt > 1 and (found := await _find_record(account, http, session.did, rkey)):
        return sent(str(found.get("uri") or f"at://{session.did}/{POST_COLLECTION}/{rkey}"))

    embed: dict[str, Any] | None = None
    if post.image_url and (image := await _download(http, post.image_url)):
        content, kind = image
        if len(content) <= BLUESKY_BLOB_LIMIT:
            response, session = await _bluesky_call(
                account, http, "POST", "com.atproto.repo.uploadBlob", content=content,
                headers={"Content-Type": kind})
            blob = _ok("bluesky", response, "uploadBlob")["blob"]
            embed = {"$type": "app.bsky.embed.images",
                     "images": [{"alt": post.image_alt or "", "image": blob}]}
    if embed is None and post.link:
        first_line = post.text.strip().split("\n", 1)[0]
        embed = {"$type": "app.bsky.embed.external",
                 "external": {"uri": post.link, "title": first_line[:300], "description": ""}}

    record: dict[str, Any] = {
        "$type": POST_COLLECTION,
        "text": post.text,
        # The real publishing time: a retried post must not appear back-dated in feeds.
        "createdAt": datetime.now(UTC).isoformat(timespec="milliseconds").replace(
            "+00:00", "Z"),
        "langs": [post.language],
    }
    if facets := _link_facets(post.text):
        record["facets"] = facets
    if embed is not None:
        record["embed"] = embed
    response, session = await _bluesky_call(
        account, http, "POST", "com.atproto.repo.createRecord", sends_post=True,
        json={"repo": session.did, "collection": POST_COLLECTION, "rkey": rkey,
              "record": record})
    if response.status_code == 400 and (
            found := await _find_record(account, http, session.did, rkey)):
        return sent(str(found.get("uri")))  # a concurrent earlier try won; it is posted
    if response.status_code == 401:
        _sessions.pop(_session_key(account), None)
    return sent(str(_ok("bluesky", response, "createRecord")["uri"]))


# --- Email -----------------------------------------------------------------------------------


def sender_address(account: Account) -> str:
    """The email account's address, also when it was configured with a name of its own."""
    return parseaddr(account.account_ref)[1] or account.account_ref


#: A header's line, its line break not counted (RFC 5322 2.1.1: 78 characters).
_HEADER_LINE = 78
#: UTF-8 bytes in one encoded word: "=?utf-8?b?" + 56 base64 characters + "?=" is 68, which
#: fits after "Subject: " on the first line and after the folding space on the others.
_WORD_BYTES = 42


def subject_header(subject: str) -> str:
    """The Subject header's value as it goes on the wire, folded into lines by hand.

    Python's own folding of a header with non-ASCII words mangles it (CPython 3.11-3.12):
    the space before an encoded word is lost ("– Pyörö" comes back as "–Pyörö"), a first
    word too long for the line leaves the header starting with a space, and an empty
    `=?utf-8?q??=` may appear. So a subject of plain ASCII words is folded at its spaces,
    and any other is written as base64 encoded words (RFC 2047) of whole characters, the
    spaces inside them, so that what a mail client decodes is exactly the subject given."""
    first = _HEADER_LINE - len("Subject: ")
    if all(" " <= c <= "~" for c in subject) and "=?" not in subject:
        lines: list[str] = []
        for word in subject.split(" "):
            if lines and len(lines[-1]) + 1 + len(word) <= (first if len(lines) == 1
                                                            else _HEADER_LINE - 1):
                lines[-1] += " " + word
            else:
                lines.append(word)
        if all(len(line) <= (first if n == 0 else _HEADER_LINE - 1) and line
               for n, line in enumerate(lines)):
            return "\n ".join(lines)
    return "\n ".join(_encoded_words(subject))


def _encoded_words(text: str) -> list[str]:
    """`text` as base64 encoded words (RFC 2047) of whole characters, one a line."""
    words: list[bytes] = [b""]
    for char in text:
        encoded = char.encode("utf-8", "replace")
        if words[-1] and len(words[-1]) + len(encoded) > _WORD_BYTES:
            words.append(b"")
        words[-1] += encoded
    return [f"=?utf-8?b?{base64.b64encode(w).decode()}?=" for w in words if w]


_SPECIALS = frozenset('()<>[]:;@\\,."')


def _set_from(message: EmailMessage, name: str, address: str) -> None:
    """The From header: a display name of plain ASCII as Python writes it; any other folded
    by hand (Python's folding split "invånarverksamhet" into "inv ånarverksamhet", as it
    loses spaces in subjects). Its words of plain letters stay as they are; each run of
    the others is one encoded word, so no two encoded words meet (whose space between them
    mail clients drop and Python keeps), unless a run is longer than one can hold."""
    if all(" " <= c <= "~" for c in name) and "=?" not in name:
        message["From"] = formataddr((name, address))
        return
    tokens: list[str] = []
    run: list[str] = []

    def plain(word: str) -> bool:
        return all(" " < c <= "~" and c not in _SPECIALS for c in word) and "=?" not in word

    for word in [*name.split(), None]:
        if word is not None and not plain(word):
            run.append(word)
            continue
        if run:
            tokens += _encoded_words(" ".join(run))
            run = []
        if word is not None:
            tokens.append(word)
    lines = [""]
    for token in [*tokens, f"<{address}>"]:
        limit = _HEADER_LINE - len("From: ") if len(lines) == 1 else _HEADER_LINE - 1
        if lines[-1] and len(lines[-1]) + 1 + len(token) > limit:
            lines.append(token)
        else:
            lines[-1] = f"{lines[-1]} {token}" if lines[-1] else token
    message.set_raw("From", "\n ".join(lines))


#: How a mail is written for sending: SMTP's line ends, and a header set as written
#: (`set_raw`) kept as written. Subject and From are folded by hand already; a list header's
#: URL (`List-Unsubscribe`, RFC 2369) must never become an encoded word, which the default
#: policy made of a line longer than 78 characters, and one-click unsubscribe broke.
MAIL_POLICY = email.policy.SMTP.clone(refold_source="none")
#: A header line's hard limit (RFC 5322 2.1.1); 78 is what it should be.
_HEADER_LINE_MAX = 998


def email_message(account: Account, post: Post) -> EmailMessage:
    message = EmailMessage()
    # One sender name for every mail (KOHTAAMO_MAIL_SENDER_NAME, else the city's in the
    # mail's language), not the account's own.
    _set_from(message, mail_sender_name(post.language), sender_address(account))
    # ASCII, as it is sent to (an internationalised domain in its IDNA form).
    message["To"] = mail_address(post.recipient or "") or post.recipient or ""
    # A header cannot hold a line break (a booking's title may have one).
    subject = post.subject or post.text.strip().split("\n", 1)[0][:120]
    # Stored as written: the policy keeps a header whose lines fit as it is, not refolded.
    message.set_raw("Subject", subject_header(" ".join(subject.split())))
    message["Message-ID"] = f"<{post.idempotency_key}@kohtaamo.local>"
    message["Date"] = format_datetime(datetime.now(UTC))
    for name, value in (post.headers or {}).items():
        # A header cannot hold a line break.
        said = " ".join(value.split())
        if said.isascii() and len(name) + 2 + len(said) <= _HEADER_LINE_MAX:
            message.set_raw(name, said)  # a URL in angle brackets, as it is
        else:
            message[name] = said
    message.set_content(post.text)
    if post.ics:
        # The part's method says what the calendar should do, as the .ics itself says.
        method = "CANCEL" if "\r\nMETHOD:CANCEL\r\n" in post.ics else "PUBLISH"
        message.add_attachment(post.ics, subtype="calendar", filename="invite.ics",
                               params={"method": method})
    # After the body: set_content and add_attachment move or drop Content-* headers.
    message["Content-Language"] = post.language
    return message


async def _email(account: Account, post: Post, timeout: float | None) -> Sent:
    if not post.recipient:
        raise DeliveryError("permanent", "email: no recipient")
    recipient = mail_address(post.recipient)
    if recipient is None:
        # Kept before addresses were read by the one rule: no mail reaches it without
        # SMTPUTF8, so it failed, not "maybe sent".
        raise DeliveryError("permanent", "email: an address mail cannot reach (SMTPUTF8)")
    url = urlsplit(account.base_url)
    if url.scheme not in ("smtp", "smtps") or not url.hostname:
        raise DeliveryError("permanent", f"email: bad server URL scheme {url.scheme!r}")
    implicit_tls = url.scheme == "smtps"
    # Upgrade with STARTTLS whenever the server offers it (aiosmtplib's None), so credentials
    # never go in the clear by default; `?starttls=1` insists on it, `?starttls=0` refuses it.
    wanted = parse_qs(url.query).get("starttls", [""])[0]
    start_tls = True if wanted in ("1", "true") else False if wanted in ("0", "false") else None
    user, _, password = account.secret.partition(":")
    message = email_message(account, post)
    smtp = aiosmtplib.SMTP(hostname=url.hostname, port=url.port or (465 if implicit_tls else 25),
                           use_tls=implicit_tls, start_tls=start_tls, timeout=timeout,
                           username=user or None, password=password or None)
    stage = "connect"
    try:
        try:
            await smtp.connect()  # also EHLO, STARTTLS and AUTH
            stage = "envelope"
            await smtp.mail(sender_address(account))
            await smtp.rcpt(recipient)
            stage = "data"
            await smtp.data(message.as_bytes(policy=MAIL_POLICY))
        except UnicodeEncodeError:
            # Nothing went out: a command the server was never sent.
            raise DeliveryError("permanent", f"email {stage}: not ASCII (SMTPUTF8)") from None
        except aiosmtplib.SMTPAuthenticationError as error:
            raise DeliveryError("reauth", f"email: SMTP {error.code} {error.message}") from None
        except aiosmtplib.SMTPResponseException as error:
            # The server answered with a refusal, so the message was not accepted.
            error_class, _ = classify("email", error.code, {}, None, datetime.now(UTC))
            raise DeliveryError(error_class,
                                f"email {stage}: SMTP {error.code} {error.message}") from None
        except (aiosmtplib.SMTPException, OSError) as error:
            # Lost after DATA went out: the server may have queued the message.
            sent = stage == "data"
            lost: ErrorClass = after_lost_answer("email") if sent else "retry"
            raise DeliveryError(lost, f"email {stage}: {type(error).__name__}",
                                maybe_sent=sent) from None
        # Accepted: QUIT is a courtesy whose failure changes nothing.
        with contextlib.suppress(aiosmtplib.SMTPException, OSError):
            await smtp.quit()
    finally:
        smtp.close()
    return Sent(str(message["Message-ID"]))
