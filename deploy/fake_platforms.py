"""A fake of Facebook Pages, Instagram, Mastodon, Bluesky and an SMTP server, for tests and for
the local run: the same paths, request and response shapes as the real platforms, token checks,
Mastodon's Idempotency-Key, Bluesky records by record key, and injectable faults.

Run it::

    python -m deploy.fake_platforms --host 127.0.0.1 --http-port 8090 --smtp-port 8025

and point the accounts at it: Facebook and Instagram ``http://HOST:8090/v21.0``, Mastodon and
Bluesky ``http://HOST:8090``, email ``smtp://HOST:8025``. Open ``http://HOST:8090/`` to see the
posts arrive. Valid credentials (flag / environment variable / default):

- Facebook page token   ``--facebook-token``   FAKE_FACEBOOK_TOKEN    fake-facebook-token
- Instagram token       ``--instagram-token``  FAKE_INSTAGRAM_TOKEN   fake-instagram-token
- Mastodon bearer token ``--mastodon-token``   FAKE_MASTODON_TOKEN    fake-mastodon-token
- Bluesky app password  ``--bluesky-password`` FAKE_BLUESKY_PASSWORD  fake-bluesky-password
  (any handle)
- SMTP ``user:password`` ``--smtp-credentials`` FAKE_SMTP_CREDENTIALS
  fake-smtp-user:fake-smtp-password (checked when the client uses AUTH; mail without AUTH is
  accepted, like a local relay)

Control API (JSON)::

    POST   /_fake/faults  {"platform", "mode", "times": 1, "retry_after": null, "delay": 5,
                           "code": null, "endpoint": null}
    DELETE /_fake/faults          GET /_fake/faults
    GET    /_fake/posts?platform=   GET /_fake/requests?platform=   POST /_fake/reset
    GET    /_fake/image.png       a small test image

Fault modes and where they strike (unless ``endpoint`` names another step, e.g. "media",
"uploadBlob", "createSession", or for SMTP "MAIL", "RCPT", "DATA", "AUTH"):

- ``token_error``: the first credential check of the platform: Facebook/Instagram HTTP 400
  code 190, Mastodon 401, Bluesky createSession 401 AuthenticationRequired (with a session:
  400 ExpiredToken), SMTP AUTH 535.
- the other modes strike the step that publishes: Facebook feed/photos, Instagram
  media_publish, Mastodon statuses, Bluesky createRecord; SMTP as noted below.
- ``rate_limit``: HTTP 429 with ``Retry-After`` when ``retry_after`` is given, plus the
  platform's own headers (Mastodon ``X-RateLimit-Reset``, Bluesky ``ratelimit-reset``).
  Facebook/Instagram answer as Graph does: HTTP 400 with error ``code`` (default 4; 17, 32, 613
  also make sense) and no Retry-After; with ``retry_after`` an ``X-Business-Use-Case-Usage``
  header carries estimated_time_to_regain_access in whole minutes. SMTP: 421 to MAIL.
- ``server_error``: HTTP 500 (Graph code 2); SMTP 451 to DATA.
- ``validation``: Graph 400 code 100, Mastodon 422, Bluesky 400 InvalidRequest; SMTP 550 to RCPT.
- ``timeout``: accept and record the post, then wait ``delay`` seconds before answering (the
  platform posted but answered too late); SMTP likewise at DATA.

``times`` is how many requests the fault strikes (-1: until cleared). Everything is in memory.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import email
import email.policy
import hashlib
import html
import itertools
import json
import math
import os
import socket
import struct
import weakref
import zlib
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import uvicorn
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from starlette.applications import Starlette
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

PLATFORMS = ("facebook", "instagram", "mastodon", "bluesky", "email")
MODES = ("rate_limit", "server_error", "timeout", "token_error", "validation")
# The step that publishes, where faults other than token_error strike by default.
PUBLISHING_STEP = {"facebook": {"feed", "photos"}, "instagram": {"media_publish"},
                   "mastodon": {"statuses"}, "bluesky": {"createRecord"}}
SMTP_STEP = {"rate_limit": "MAIL", "validation": "RCPT", "server_error": "DATA",
             "timeout": "DATA", "token_error": "AUTH"}
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Tokens:
    """The one valid credential per platform."""

    facebook: str = "fake-facebook-token"
    instagram: str = "fake-instagram-token"
    mastodon: str = "fake-mastodon-token"
    bluesky: str = "fake-bluesky-password"
    smtp: str = "fake-smtp-user:fake-smtp-password"

    @property
    def email(self) -> str:
        """So that `getattr(tokens, platform)` works for every platform name."""
        return self.smtp

    @classmethod
    def from_env(cls) -> Tokens:
        defaults = cls()
        return cls(**{f.name: os.environ.get(ENV_NAMES[f.name], getattr(defaults, f.name))
                      for f in fields(cls)})


ENV_NAMES = {"facebook": "FAKE_FACEBOOK_TOKEN", "instagram": "FAKE_INSTAGRAM_TOKEN",
             "mastodon": "FAKE_MASTODON_TOKEN", "bluesky": "FAKE_BLUESKY_PASSWORD",
             "smtp": "FAKE_SMTP_CREDENTIALS"}


@dataclass
class Fault:
    platform: str
    mode: str
    times: int = 1
    retry_after: float | None = None
    delay: float = 5.0
    code: int | None = None
    endpoint: str | None = None


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _png() -> bytes:
    """A 16×16 orange PNG, built here so the fake needs no files."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + b"\xf0\x80\x20" * 16 for _ in range(16))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


IMAGE = _png()


def _cid(data: bytes) -> str:
    return "bafkrei" + base64.b32encode(hashlib.sha256(data).digest()).decode().lower()[:52]


class FakeState:
    """Everything the fake remembers; shared by the HTTP app and the SMTP handler."""

    def __init__(self, tokens: Tokens) -> None:
        self.tokens = tokens
        self.http_url = ""
        self._ids = itertools.count(1)
        self.released = asyncio.Event()
        self.reset()

    def reset(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.requests: list[dict[str, Any]] = []
        self.faults: list[Fault] = []
        self.ig_containers: dict[str, dict[str, Any]] = {}
        self.mastodon_media: dict[str, dict[str, Any]] = {}
        self.mastodon_by_key: dict[tuple[str, str], dict[str, Any]] = {}
        self.bsky_access: dict[str, tuple[str, str]] = {}  # access jwt → (did, handle)
        self.bsky_refresh: dict[str, tuple[str, str]] = {}
        self.bsky_records: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.bsky_blobs: dict[str, bytes] = {}
        self.release()

    def release(self) -> None:
        """Let every stalled answer go now (reset and shutdown)."""
        self.released.set()
        self.released = asyncio.Event()

    def new_id(self) -> str:
        return str(next(self._ids))

    def log(self, platform: str, endpoint: str) -> None:
        self.requests.append({"platform": platform, "endpoint": endpoint, "time": _now()})

    def add_fault(self, fault: Fault) -> None:
        if fault.platform not in PLATFORMS or fault.mode not in MODES:
            raise ValueError(f"unknown platform {fault.platform!r} or mode {fault.mode!r}")
        self.faults.append(fault)

    def take(self, platform: str, endpoint: str, modes: set[str], *,
             credential: bool = False) -> Fault | None:
        """The first fault that strikes this request, counted as used."""
        for fault in self.faults:
            if fault.platform != platform or fault.mode not in modes:
                continue
            if fault.endpoint is not None:
                strikes = fault.endpoint == endpoint
            elif platform == "email":
                strikes = SMTP_STEP[fault.mode] == endpoint
            elif fault.mode == "token_error":
                strikes = credential
            else:
                strikes = endpoint in PUBLISHING_STEP[platform]
            if strikes:
                if fault.times > 0:
                    fault.times -= 1
                    if fault.times == 0:
                        self.faults.remove(fault)
                return fault
        return None

    def record(self, platform: str, **details: Any) -> dict[str, Any]:
        post = {"platform": platform, "time": _now(), **details}
        self.posts.append(post)
        return post

    async def stall(self, fault: Fault | None) -> None:
        if fault is not None and fault.mode == "timeout":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.released.wait(), fault.delay)


# --- Answers in each platform's own error format ---------------------------------------------


def _graph_error(code: int, message: str, status: int = 400,
                 headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": "OAuthException", "code": code,
                                   "fbtrace_id": "FakeTrace"}}, status, headers)


def _mastodon_error(status: int, message: str,
                    headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status, headers)


def _xrpc_error(status: int, name: str, message: str,
                headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": name, "message": message}, status, headers)


def _fault_answer(state: FakeState, platform: str, fault: Fault, node: str = "") -> Response:
    wait = fault.retry_after
    retry_header = {"Retry-After": str(math.ceil(wait))} if wait is not None else {}
    if platform in ("facebook", "instagram"):
        if fault.mode == "rate_limit":
            headers = {}
            if wait is not None:
                usage = {node or "0": [{"type": "pages", "call_count": 100, "total_cputime": 100,
                                        "total_time": 100,
                                        "estimated_time_to_regain_access": math.ceil(wait / 60)}]}
                headers["X-Business-Use-Case-Usage"] = _json(usage)
            code = fault.code or 4
            return _graph_error(code, f"(#{code}) Application request limit reached",
                                headers=headers)
        if fault.mode == "server_error":
            return JSONResponse({"error": {
                "message": "An unexpected error has occurred. Please retry your request later.",
                "type": "OAuthException", "is_transient": True, "code": 2}}, 500)
        return _graph_error(100, "(#100) Invalid parameter")
    if platform == "mastodon":
        if fault.mode == "rate_limit":
            reset = datetime.now(UTC) + timedelta(seconds=wait if wait is not None else 300)
            return _mastodon_error(429, "Too many requests", {
                **retry_header, "X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": reset.isoformat(timespec="milliseconds")})
        if fault.mode == "server_error":
            return _mastodon_error(500, "Internal server error")
        return _mastodon_error(422, "Validation failed: Text can't be blank")
    if fault.mode == "rate_limit":
        reset_at = datetime.now(UTC).timestamp() + (wait if wait is not None else 300)
        return _xrpc_error(429, "RateLimitExceeded", "Rate Limit Exceeded", {
            **retry_header, "ratelimit-limit": "5000", "ratelimit-remaining": "0",
            "ratelimit-reset": str(math.ceil(reset_at)), "ratelimit-policy": "5000;w=3600"})
    if fault.mode == "server_error":
        return _xrpc_error(500, "InternalServerError", "Internal Server Error")
    return _xrpc_error(400, "InvalidRequest", "Invalid record")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value != "" else None


# --- Facebook and Instagram (Graph API) ------------------------------------------------------


async def _graph_form(request: Request) -> dict[str, str]:
    form: FormData = await request.form()
    values = {k: v for k, v in request.query_params.items()}
    values.update({k: v for k, v in form.items() if isinstance(v, str)})
    return values


def _graph_token_error(state: FakeState, platform: str, endpoint: str, form: dict[str, str],
                       authorization: str) -> Response | None:
    token = form.get("access_token") or request_bearer(authorization)
    if state.take(platform, endpoint, {"token_error"}, credential=True) or (
            token != getattr(state.tokens, platform)):
        return _graph_error(190, "Invalid OAuth access token - Cannot parse access token")
    return None


def request_bearer(header: str) -> str:
    return header[7:] if header.lower().startswith("bearer ") else ""


def graph_handler(platform: str, endpoint: str,
                  act: Callable[[FakeState, str, dict[str, str]], Any]
                  ) -> Callable[[Request], Any]:
    async def handle(request: Request) -> Response:
        state: FakeState = request.app.state.fake
        node = request.path_params["node"]
        state.log(platform, endpoint)
        form = await _graph_form(request)
        authorization = request.headers.get("authorization", "")
        if (error := _graph_token_error(state, platform, endpoint, form,
                                        authorization)) is not None:
            return error
        result = act(state, node, form)
        if isinstance(result, Response):
            return result
        answer, fault = result
        await state.stall(fault)
        return JSONResponse(answer)
    return handle


def _fault_or_none(state: FakeState, platform: str, endpoint: str,
                   node: str) -> tuple[Response | None, Fault | None]:
    fault = state.take(platform, endpoint, {"rate_limit", "server_error", "validation",
                                            "timeout"})
    if fault is not None and fault.mode != "timeout":
        return _fault_answer(state, platform, fault, node), None
    return None, fault


def facebook_feed(state: FakeState, node: str, form: dict[str, str]) -> Any:
    if not _text(form.get("message")) and not _text(form.get("link")):
        return _graph_error(100, "(#100) Missing message or attachment")
    refused, fault = _fault_or_none(state, "facebook", "feed", node)
    if refused is not None:
        return refused
    post_id = f"{node}_{state.new_id()}"
    state.record("facebook", account=node, endpoint="feed", text=form.get("message"),
                 link=form.get("link"), remote_id=post_id)
    return {"id": post_id}, fault


def facebook_photos(state: FakeState, node: str, form: dict[str, str]) -> Any:
    if not _text(form.get("url")):
        return _graph_error(324, "(#324) Requires upload file")
    refused, fault = _fault_or_none(state, "facebook", "photos", node)
    if refused is not None:
        return refused
    photo_id = state.new_id()
    post_id = f"{node}_{photo_id}"
    state.record("facebook", account=node, endpoint="photos", text=form.get("caption"),
                 image_url=form.get("url"), image_alt=form.get("alt_text_custom"),
                 photo_id=photo_id, remote_id=post_id)
    return {"id": photo_id, "post_id": post_id}, fault


def instagram_media(state: FakeState, node: str, form: dict[str, str]) -> Any:
    if not _text(form.get("image_url")):
        return _graph_error(100, "(#100) The parameter image_url is required.")
    refused, fault = _fault_or_none(state, "instagram", "media", node)
    if refused is not None:
        return refused
    container = state.new_id()
    state.ig_containers[container] = {"account": node, "image_url": form["image_url"],
                                      "caption": form.get("caption"),
                                      "alt_text": form.get("alt_text"), "published": None}
    return {"id": container}, fault


def instagram_publish(state: FakeState, node: str, form: dict[str, str]) -> Any:
    container = state.ig_containers.get(form.get("creation_id", ""))
    if container is None or container["account"] != node:
        return _graph_error(100, "(#100) Param creation_id must be a valid media container id")
    if container["published"] is not None:
        return _graph_error(100, "(#100) The media container has already been published")
    refused, fault = _fault_or_none(state, "instagram", "media_publish", node)
    if refused is not None:
        return refused
    media_id = state.new_id()
    container["published"] = media_id
    state.record("instagram", account=node, text=container["caption"],
                 image_url=container["image_url"], image_alt=container["alt_text"],
                 container_id=form["creation_id"], remote_id=media_id)
    return {"id": media_id}, fault


# --- Mastodon --------------------------------------------------------------------------------


def _mastodon_auth(state: FakeState, request: Request, endpoint: str) -> Response | None:
    token = request_bearer(request.headers.get("authorization", ""))
    if state.take("mastodon", endpoint, {"token_error"}, credential=True) or (
            token != state.tokens.mastodon):
        return _mastodon_error(401, "The access token is invalid")
    return None


async def mastodon_media(request: Request) -> Response:
    state: FakeState = request.app.state.fake
    state.log("mastodon", "media")
    if (error := _mastodon_auth(state, request, "media")) is not None:
        return error
    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        return _mastodon_error(422, "Validation failed: File can't be blank")
    content = await upload.read()
    if not content:
        return _mastodon_error(422, "Validation failed: File can't be blank")
    refused, fault = _fault_or_none(state, "mastodon", "media", "")
    if refused is not None:
        return refused
    media_id = state.new_id()
    description = form.get("description")
    media_url = f"{state.http_url}/_fake/media/{media_id}"
    media: dict[str, Any] = {
        "id": media_id, "type": "image", "url": media_url, "preview_url": media_url,
        "remote_url": None, "meta": {}, "blurhash": None,
        "description": description if isinstance(description, str) else None}
    state.mastodon_media[media_id] = {**media, "content": content,
                                      "content_type": upload.content_type,
                                      "filename": upload.filename, "size": len(content)}
    await state.stall(fault)
    return JSONResponse(media)


async def mastodon_media_file(request: Request) -> Response:
    state: FakeState = request.app.state.fake
    media = state.mastodon_media.get(request.path_params["media_id"])
    if media is None:
        return _mastodon_error(404, "Record not found")
    return Response(media["content"], media_type=media["content_type"])


async def mastodon_status(request: Request) -> Response:
    state: FakeState = request.app.state.fake
    state.log("mastodon", "statuses")
    if (error := _mastodon_auth(state, request, "statuses")) is not None:
        return error
    key = request.headers.get("idempotency-key")
    token = request_bearer(request.headers.get("authorization", ""))
    if key and (earlier := state.mastodon_by_key.get((token, key))) is not None:
        return JSONResponse(earlier)  # Mastodon answers a repeated key with the same status
    if "json" in request.headers.get("content-type", ""):
        body = await request.json()
        fields_ = body if isinstance(body, dict) else {}
    else:
        form = await request.form()
        fields_ = {k: v for k, v in form.items() if isinstance(v, str)}
        fields_["media_ids"] = [v for v in form.getlist("media_ids[]") if isinstance(v, str)]
    text = fields_.get("status")
    media_ids = [str(m) for m in fields_.get("media_ids") or []]
    language = fields_.get("language")
    visibility = fields_.get("visibility") or "public"
    if not _text(text) and not media_ids:
        return _mastodon_error(422, "Validation failed: Text can't be blank")
    if unknown := [m for m in media_ids if m not in state.mastodon_media]:
        return _mastodon_error(422, f"Validation failed: unknown media {unknown}")
    if language is not None and not (isinstance(language, str) and len(language) == 2):
        return _mastodon_error(422, "Validation failed: Language is not a valid ISO 639 code")
    if visibility not in ("public", "unlisted", "private", "direct"):
        return _mastodon_error(422, "Validation failed: Visibility is not included in the list")
    refused, fault = _fault_or_none(state, "mastodon", "statuses", "")
    if refused is not None:
        return refused
    status_id = state.new_id()
    attachments = [{k: v for k, v in state.mastodon_media[m].items()
                    if k not in ("content", "content_type", "filename", "size")}
                   for m in media_ids]
    status = {"id": status_id, "created_at": _now(),
              "url": f"{state.http_url}/@kohtaamo/{status_id}",
              "uri": f"{state.http_url}/users/kohtaamo/statuses/{status_id}",
              "content": f"<p>{html.escape(str(text or ''))}</p>", "language": language,
              "visibility": visibility, "media_attachments": attachments,
              "account": {"id": "1", "username": "kohtaamo", "acct": "kohtaamo"}}
    if key:
        state.mastodon_by_key[(token, key)] = status
    image = state.mastodon_media[media_ids[0]] if media_ids else None
    state.record("mastodon", account="kohtaamo", text=text, language=language,
                 visibility=visibility, remote_id=status_id, remote_url=status["url"],
                 headers={"Idempotency-Key": key},
                 media=[{"id": m, "description": state.mastodon_media[m]["description"],
                         "content_type": state.mastodon_media[m]["content_type"],
                         "size": state.mastodon_media[m]["size"]} for m in media_ids],
                 image_url=image["url"] if image else None,
                 image_alt=image["description"] if image else None)
    await state.stall(fault)
    return JSONResponse(status)


# --- Bluesky (AT Protocol XRPC) --------------------------------------------------------------


def _did(handle: str) -> str:
    digest = base64.b32encode(hashlib.sha256(handle.encode()).digest()).decode().lower()
    return f"did:plc:{digest[:24]}"


def _new_session(state: FakeState, did: str, handle: str) -> dict[str, Any]:
    access = "fake-access-" + os.urandom(12).hex()
    refresh = "fake-refresh-" + os.urandom(12).hex()
    state.bsky_access[access] = (did, handle)
    state.bsky_refresh[refresh] = (did, handle)
    return {"accessJwt": access, "refreshJwt": refresh, "did": did, "handle": handle,
            "active": True}


async def _json_body(request: Request) -> dict[str, Any] | None:
    try:
        body = await request.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


async def bsky_create_session(request: Request) -> Response:
    state: FakeState = request.app.state.fake
    state.log("bluesky", "createSession")
    body = await _json_body(request)
    if body is None or not _text(body.get("identifier")) or not _text(body.get("password")):
        return _xrpc_error(400, "InvalidRequest", "Input must have the property \"identifier\"")
    if state.take("bluesky", "createSession", {"token_error"}, credential=True) or (
            body["password"] != state.tokens.bluesky):
        return _xrpc_error(401, "AuthenticationRequired", "Invalid identifier or password")
    handle = str(body["identifier"]).lstrip("@")
    return JSONResponse(_new_session(state, _did(handle), handle))


async def bsky_refresh_session(request: Request) -> Response:
    state: FakeState = request.app.state.fake
    state.log("bluesky", "refreshSession")
    token = request_bearer(request.headers.get("authorization", ""))
    owner = state.bsky_refresh.pop(token, None)  # a refresh token is good for one refresh
    if state.take("bluesky", "refreshSession", {"token_error"}, credential=True) or (
            owner is None):
        return _xrpc_error(400, "ExpiredToken", "Token has been revoked")
    return JSONResponse(_new_session(state, *owner))


def _bsky_auth(state: FakeState, request: Request,
               endpoint: str) -> tuple[str, str] | Response:
    token = request_bearer(request.headers.get("authorization", ""))
    owner = state.bsky_access.get(token)
    if owner is None:
        return _xrpc_error(401, "InvalidToken", "Bad token scope" if token else
                           "Authentication Required")
    if state.take("bluesky", endpoint, {"token_error"}, credential=True):
        return _xrpc_error(400, "ExpiredToken", "Token has expired")
    return owner


async def bsky_upload_blob(request: Request) -> Response:
    state: FakeState = request.app.state.fake
    state.log("bluesky", "uploadBlob")
    owner = _bsky_auth(state, request, "uploadBlob")
    if isinstance(owner, Response):
        return owner
    content = await request.body()
    kind = request.headers.get("content-type", "")
    if not content or not kind:
        return _xrpc_error(400, "InvalidRequest", "Request has no body or content type")
    refused, fault = _fault_or_none(state, "bluesky", "uploadBlob", "")
    if refused is not None:
        return refused
    cid = _cid(content)
    state.bsky_blobs[cid] = content
    await state.stall(fault)
    return JSONResponse({"blob": {"$type": "blob", "ref": {"$link": cid}, "mimeType": kind,
                                  "size": len(content)}})


def _valid_tid(rkey: str) -> bool:
    return (len(rkey) == 13 and all(c in TID_ALPHABET for c in rkey)
            and rkey[0] in TID_ALPHABET[:16])


def _tid_now(state: FakeState) -> str:
    value = (int(datetime.now(UTC).timestamp() * 1_000_000) << 10) | (int(state.new_id()) & 1023)
    return "".join(TID_ALPHABET[(value >> (60 - 5 * i)) & 31] for i in range(13))


def _post_problem(state: FakeState, record: dict[str, Any]) -> str | None:
    """Why an app.bsky.feed.post record is invalid, or None."""
    text = record.get("text")
    if not isinstance(text, str) or not isinstance(record.get("createdAt"), str):
        return "Record/text and Record/createdAt must be strings"
    size = len(text.encode())
    if len(text) > 300 or size > 3000:
        return "Record/text must not be longer than 300 graphemes"
    for facet in record.get("facets") or []:
        index = facet.get("index", {}) if isinstance(facet, dict) else {}
        start, end = index.get("byteStart"), index.get("byteEnd")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= size):
            return "Record/facets has an invalid byte range"
    embed = record.get("embed")
    if isinstance(embed, dict) and embed.get("$type") == "app.bsky.embed.images":
        for image in embed.get("images") or []:
            ref = (image.get("image") or {}).get("ref", {}).get("$link")
            if ref not in state.bsky_blobs or not isinstance(image.get("alt"), str):
                return "Record/embed/images must reference an uploaded blob and have alt"
    return None


async def bsky_create_record(request: Request) -> Response:
    state: FakeState = request.app.state.fake
    state.log("bluesky", "createRecord")
    owner = _bsky_auth(state, request, "createRecord")
    if isinstance(owner, Response):
        return owner
    did, handle = owner
    body = await _json_body(request)
    if body is None or not isinstance(body.get("record"), dict) or not _text(
            body.get("collection")) or not _text(body.get("repo")):
        return _xrpc_error(400, "InvalidRequest", "Input must have repo, collection and record")
    if body["repo"] not in (did, handle):
        return _xrpc_error(400, "InvalidRequest", "Invalid repo")
    collection, record = str(body["collection"]), body["record"]
    rkey = body.get("rkey") or _tid_now(state)
    if record.get("$type") != collection:
        return _xrpc_error(400, "InvalidRequest", "Record/$type must match the collection")
    if collection == "app.bsky.feed.post":
        if not _valid_tid(str(rkey)):
            return _xrpc_error(400, "InvalidRequest", "Record key is not a valid TID")
        if (problem := _post_problem(state, record)) is not None:
            return _xrpc_error(400, "InvalidRequest", f"Invalid app.bsky.feed.post: {problem}")
    if (did, collection, rkey) in state.bsky_records:
        return _xrpc_error(400, "InvalidRequest", "Record already exists")
    refused, fault = _fault_or_none(state, "bluesky", "createRecord", "")
    if refused is not None:
        return refused
    uri = f"at://{did}/{collection}/{rkey}"
    cid = _cid(_json(record).encode())
    state.bsky_records[(did, collection, rkey)] = {"uri": uri, "cid": cid, "value": record}
    embed = record.get("embed") if isinstance(record.get("embed"), dict) else {}
    images = embed.get("images") or [] if embed else []
    links = [f["features"][0].get("uri") for f in record.get("facets") or []
             if f.get("features")]
    state.record("bluesky", account=handle, did=did, text=record.get("text"),
                 language=(record.get("langs") or [None])[0], rkey=rkey, record=record,
                 link=(links[0] if links else (embed.get("external") or {}).get("uri")),
                 image_alt=images[0].get("alt") if images else None, remote_id=uri,
                 remote_url=f"https://bsky.app/profile/{handle}/post/{rkey}")
    await state.stall(fault)
    return JSONResponse({"uri": uri, "cid": cid, "validationStatus": "valid",
                         "commit": {"cid": cid, "rev": _tid_now(state)}})


async def bsky_get_record(request: Request) -> Response:
    state: FakeState = request.app.state.fake
    state.log("bluesky", "getRecord")
    query = request.query_params
    repo, collection, rkey = query.get("repo"), query.get("collection"), query.get("rkey")
    if not repo or not collection or not rkey:
        return _xrpc_error(400, "InvalidRequest", "Params must have repo, collection and rkey")
    did = repo if repo.startswith("did:") else _did(repo.lstrip("@"))
    found = state.bsky_records.get((did, collection, rkey))
    if found is None:
        return _xrpc_error(400, "RecordNotFound",
                           f"Could not locate record: at://{did}/{collection}/{rkey}")
    return JSONResponse(found)


# --- Control API and the page ----------------------------------------------------------------


async def add_fault(request: Request) -> Response:
    state: FakeState = request.app.state.fake
    body = await _json_body(request)
    try:
        if body is None:
            raise ValueError("a JSON object is required")
        known = {f.name for f in fields(Fault)}
        fault = Fault(**{k: v for k, v in body.items() if k in known})
        state.add_fault(fault)
    except (TypeError, ValueError) as error:
        return JSONResponse({"detail": str(error)}, 422)
    return JSONResponse(asdict(fault), 201)


async def clear_faults(request: Request) -> Response:
    request.app.state.fake.faults.clear()
    return Response(status_code=204)


async def list_faults(request: Request) -> Response:
    return JSONResponse([asdict(f) for f in request.app.state.fake.faults])


async def list_posts(request: Request) -> Response:
    platform = request.query_params.get("platform")
    return JSONResponse([p for p in request.app.state.fake.posts
                         if platform in (None, p["platform"])])


async def list_requests(request: Request) -> Response:
    platform = request.query_params.get("platform")
    return JSONResponse([r for r in request.app.state.fake.requests
                         if platform in (None, r["platform"])])


async def reset(request: Request) -> Response:
    request.app.state.fake.reset()
    return Response(status_code=204)


async def image(request: Request) -> Response:
    return Response(IMAGE, media_type="image/png")


def _post_html(post: dict[str, Any]) -> str:
    escape = html.escape
    lines = [f"<time>{escape(post['time'][:19].replace('T', ' '))} UTC</time>"]
    if post["platform"] == "email":
        lines.append(f"<b>{escape(str(post.get('from')))} → {escape(str(post.get('to')))}</b>"
                     f"<br>{escape(str(post.get('subject')))}"
                     f"{' · 📅 invite.ics' if post.get('has_ics') else ''}")
    else:
        lines.append(f"<b>{escape(str(post.get('account')))}</b>"
                     f" · {escape(str(post.get('language') or ''))}")
    lines.append(f"<p>{escape(str(post.get('text') or post.get('body') or ''))}</p>")
    if post.get("image_url"):
        lines.append(f'<img src="{escape(post["image_url"])}" '
                     f'alt="{escape(str(post.get("image_alt") or ""))}">')
    if post.get("image_alt"):
        lines.append(f"<small>alt: {escape(str(post['image_alt']))}</small>")
    if post.get("link"):
        lines.append(f'<a href="{escape(post["link"])}">{escape(post["link"])}</a>')
    lines.append(f"<small>id {escape(str(post.get('remote_id')))}</small>")
    return "<li>" + "<br>".join(lines) + "</li>"


async def page(request: Request) -> Response:
    state: FakeState = request.app.state.fake
    sections = []
    for platform in PLATFORMS:
        posts = [p for p in state.posts if p["platform"] == platform]
        items = "".join(_post_html(p) for p in reversed(posts)) or (
            "<li>Ei vielä julkaisuja / No posts yet</li>")
        sections.append(f"<section><h2>{platform} ({len(posts)})</h2><ul>{items}</ul></section>")
    faults = "".join(f"<li>{html.escape(_json(asdict(f)))}</li>" for f in state.faults)
    body = (
        "<!doctype html><html lang='fi'><head><meta charset='utf-8'>"
        "<meta http-equiv='refresh' content='5'>"
        "<title>Kohtaamo: valekanavat / fake platforms</title><style>"
        "body{font-family:sans-serif;margin:1em 2em}section{margin-bottom:1.5em}"
        "li{border-bottom:1px solid #ddd;padding:.4em 0;list-style:none}"
        "p{white-space:pre-wrap;margin:.3em 0}img{max-height:80px}</style></head><body>"
        "<h1>Vastaanotetut julkaisut / Received posts</h1>"
        "<p>Uusin ensin, päivittyy 5 s välein / Newest first, refreshes every 5 s.</p>"
        + (f"<h2>Viat / Faults</h2><ul>{faults}</ul>" if faults else "")
        + "".join(sections) + "</body></html>")
    return HTMLResponse(body)


def create_app(state: FakeState) -> Starlette:
    routes = [
        Route("/", page),
        Route("/_fake/faults", add_fault, methods=["POST"]),
        Route("/_fake/faults", clear_faults, methods=["DELETE"]),
        Route("/_fake/faults", list_faults, methods=["GET"]),
        Route("/_fake/posts", list_posts),
        Route("/_fake/requests", list_requests),
        Route("/_fake/reset", reset, methods=["POST"]),
        Route("/_fake/image.png", image),
        Route("/_fake/media/{media_id}", mastodon_media_file),
        # Mastodon before the Graph routes: "/api/v2/media" would match "/{version}/{node}/media".
        Route("/api/v2/media", mastodon_media, methods=["POST"]),
        Route("/api/v1/statuses", mastodon_status, methods=["POST"]),
        Route("/xrpc/com.atproto.server.createSession", bsky_create_session, methods=["POST"]),
        Route("/xrpc/com.atproto.server.refreshSession", bsky_refresh_session,
              methods=["POST"]),
        Route("/xrpc/com.atproto.repo.uploadBlob", bsky_upload_blob, methods=["POST"]),
        Route("/xrpc/com.atproto.repo.createRecord", bsky_create_record, methods=["POST"]),
        Route("/xrpc/com.atproto.repo.getRecord", bsky_get_record, methods=["GET"]),
        Route("/{version}/{node}/feed", graph_handler("facebook", "feed", facebook_feed),
              methods=["POST"]),
        Route("/{version}/{node}/photos", graph_handler("facebook", "photos", facebook_photos),
              methods=["POST"]),
        Route("/{version}/{node}/media", graph_handler("instagram", "media", instagram_media),
              methods=["POST"]),
        Route("/{version}/{node}/media_publish",
              graph_handler("instagram", "media_publish", instagram_publish), methods=["POST"]),
    ]
    app = Starlette(routes=routes)
    app.state.fake = state
    return app


# --- SMTP ------------------------------------------------------------------------------------


class SmtpHandler:
    """aiosmtpd hooks: faults per SMTP step, and a record of each accepted message."""

    def __init__(self, state: FakeState) -> None:
        self.state = state
        # Clients try the next AUTH mechanism after a refusal; a revoked password fails them all.
        self.refused: weakref.WeakSet[Session] = weakref.WeakSet()

    def authenticate(self, server: SMTP, session: Session, envelope: Envelope, mechanism: str,
                     auth_data: Any) -> AuthResult:
        self.state.log("email", "AUTH")
        if self.state.take("email", "AUTH", {"token_error"}, credential=True):
            self.refused.add(session)
        if session not in self.refused and isinstance(auth_data, LoginPassword):
            given = f"{auth_data.login.decode()}:{auth_data.password.decode()}"
            if given == self.state.tokens.smtp:
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    async def handle_MAIL(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, mail_options: list[str]) -> str:
        self.state.log("email", "MAIL")
        if self.state.take("email", "MAIL", {"rate_limit"}):
            return "421 4.7.0 Too many messages, try again later"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        self.state.log("email", "RCPT")
        if self.state.take("email", "RCPT", {"validation"}):
            return "550 5.1.1 Recipient address rejected: user unknown"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.state.log("email", "DATA")
        fault = self.state.take("email", "DATA", {"server_error", "timeout"})
        if fault is not None and fault.mode == "server_error":
            return "451 4.3.0 Temporary server error, try again later"
        raw = envelope.original_content or envelope.content or b""
        data = raw if isinstance(raw, bytes) else raw.encode()
        message = email.message_from_bytes(data, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        body = message.get_body(("plain",))
        calendar = next((part for part in message.iter_attachments()
                         if part.get_content_type() == "text/calendar"), None)
        self.state.record(
            "email", account=envelope.mail_from, envelope_from=envelope.mail_from,
            envelope_to=list(envelope.rcpt_tos), authenticated=bool(session.authenticated),
            **{"from": message["From"]}, to=message["To"], subject=message["Subject"],
            message_id=message["Message-ID"], language=message["Content-Language"],
            text=body.get_content() if isinstance(body, EmailMessage) else None,
            has_ics=calendar is not None,
            ics_filename=calendar.get_filename() if calendar else None,
            ics_method=calendar.get_param("method") if calendar else None,
            ics=calendar.get_content() if calendar else None,
            list_unsubscribe=message["List-Unsubscribe"],
            list_unsubscribe_post=message["List-Unsubscribe-Post"],
            # The whole message, for tests that parse it as a mail client would.
            raw=data.decode("utf-8", "replace"),
            remote_id=message["Message-ID"])
        await self.state.stall(fault)
        return "250 2.0.0 Message accepted for delivery"


# --- Running it ------------------------------------------------------------------------------


@dataclass
class FakePlatforms:
    """A running fake, as handed to tests by `running_fake_platforms`."""

    state: FakeState
    http_url: str
    smtp_host: str
    smtp_port: int
    tokens: Tokens = field(default_factory=Tokens)
    # The HTTP server's task: it ends when the server stops (e.g. on Ctrl-C).
    serving: asyncio.Task[None] | None = field(default=None, repr=False)

    @property
    def image_url(self) -> str:
        return f"{self.http_url}/_fake/image.png"

    def base_url(self, platform: str) -> str:
        """The API root an account of this platform should use."""
        if platform in ("facebook", "instagram"):
            return f"{self.http_url}/v21.0"
        if platform == "email":
            return f"smtp://{self.smtp_host}:{self.smtp_port}"
        return self.http_url

    def posts(self, platform: str | None = None) -> list[dict[str, Any]]:
        return [p for p in self.state.posts if platform in (None, p["platform"])]

    def requests(self, platform: str | None = None,
                 endpoint: str | None = None) -> list[dict[str, Any]]:
        return [r for r in self.state.requests if platform in (None, r["platform"])
                and endpoint in (None, r["endpoint"])]

    def fault(self, platform: str, mode: str, *, times: int = 1,
              retry_after: float | None = None, delay: float = 5.0, code: int | None = None,
              endpoint: str | None = None) -> None:
        self.state.add_fault(Fault(platform, mode, times, retry_after, delay, code, endpoint))

    def clear_faults(self) -> None:
        self.state.faults.clear()

    def reset(self) -> None:
        self.state.reset()


def _bound_socket(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


@contextlib.asynccontextmanager
async def running_fake_platforms(host: str = "127.0.0.1", http_port: int = 0,
                                 smtp_port: int = 0, tokens: Tokens | None = None,
                                 log_config: dict[str, Any] | None = None
                                 ) -> AsyncIterator[FakePlatforms]:
    """Run the fake HTTP and SMTP servers in the current event loop (port 0: a free port)."""
    tokens = tokens or Tokens()
    state = FakeState(tokens)
    loop = asyncio.get_running_loop()
    handler = SmtpHandler(state)
    smtp_server = await loop.create_server(
        lambda: SMTP(handler, hostname="fake-smtp", authenticator=handler.authenticate,
                     auth_require_tls=False, loop=loop),
        host=host, port=smtp_port)
    smtp_bound = smtp_server.sockets[0].getsockname()[1]
    sock = _bound_socket(host, http_port)
    http_bound = sock.getsockname()[1]
    url_host = f"[{host}]" if ":" in host else host
    state.http_url = f"http://{url_host}:{http_bound}"
    # log_config None keeps uvicorn from reconfiguring the test run's logging.
    config = uvicorn.Config(create_app(state), log_config=log_config, access_log=False,
                            lifespan="off", timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if serving.done():
                serving.result()
                raise RuntimeError("the fake platforms' HTTP server stopped at start")
            await asyncio.sleep(0.01)
        yield FakePlatforms(state, state.http_url, host, smtp_bound, tokens, serving)
    finally:
        state.release()
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await serving
        sock.close()
        smtp_server.close()
        await smtp_server.wait_closed()


async def serve_forever(host: str, http_port: int, smtp_port: int, tokens: Tokens) -> None:
    async with running_fake_platforms(host, http_port, smtp_port, tokens,
                                      log_config=uvicorn.config.LOGGING_CONFIG) as fake:
        print(f"fake platforms: {fake.http_url}/ (posts page)\n"
              f"  facebook/instagram base_url {fake.base_url('facebook')}\n"
              f"  mastodon/bluesky base_url   {fake.http_url}\n"
              f"  email base_url              {fake.base_url('email')}", flush=True)
        assert fake.serving is not None
        await asyncio.shield(fake.serving)


def main(argv: list[str] | None = None) -> None:
    defaults = Tokens.from_env()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--http-port", type=int, default=8090)
    parser.add_argument("--smtp-port", type=int, default=8025)
    parser.add_argument("--facebook-token", default=defaults.facebook)
    parser.add_argument("--instagram-token", default=defaults.instagram)
    parser.add_argument("--mastodon-token", default=defaults.mastodon)
    parser.add_argument("--bluesky-password", default=defaults.bluesky)
    parser.add_argument("--smtp-credentials", default=defaults.smtp,
                        help="user:password accepted by SMTP AUTH")
    args = parser.parse_args(argv)
    tokens = Tokens(args.facebook_token, args.instagram_token, args.mastodon_token,
                    args.bluesky_password, args.smtp_credentials)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve_forever(args.host, args.http_port, args.smtp_port, tokens))


if __name__ == "__main__":
    main()
