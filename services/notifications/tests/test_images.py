"""An activity's image URL cannot read the city's internal network into a public post
(images.py): loopback, private, link-local and IPv6 loopback addresses are refused, before any
connection and again after each redirect; only image bytes of a bounded size, in bounded time.
Local servers stand in for image hosts; loopback is allowed only where a test says so."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from uuid import uuid4

import httpx
import pytest

from deploy.fake_platforms import FakePlatforms, running_fake_platforms
from services.notifications.images import ImagePolicy, fetch_image, image_type
from services.notifications.platforms import Account, Post, forget_sessions, publish

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")
METRICS = b"# HELP kohtaamo_outbox_unsent Outbox rows not yet published\nsecret 1\n"
STRICT = ImagePolicy(max_bytes=1_000_000, seconds=2.0)
LOOPBACK = replace(STRICT, allow_loopback=True)

Route = tuple[int, dict[str, str], bytes]


class ImageHost:
    """A tiny HTTP/1.1 server on 127.0.0.1 answering each path from `routes`; it records every
    request (path, Host header) so a test can tell nothing reached it."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[tuple[str, str]] = []
        self.slow: set[str] = set()
        self.port = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            path = request[0].split(" ")[1]
            host = next((h.split(":", 1)[1].strip() for h in request[1:]
                         if h.lower().startswith("host:")), "")
            self.hits.append((path, host))
            status, headers, body = self.routes.get(path, (404, {}, b"not found"))
            if path in self.slow:
                await asyncio.sleep(5)
            head = f"HTTP/1.1 {status} X\r\nContent-Length: {len(body)}\r\nConnection: close\r\n"
            head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            writer.write(head.encode() + b"\r\n" + body)
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[ImageHost]:
        server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        try:
            yield self
        finally:
            server.close()


@pytest.fixture
async def host() -> AsyncIterator[ImageHost]:
    served = ImageHost()
    served.routes = {
        "/kuva.png": (200, {"Content-Type": "image/png"}, PNG),
        "/metrics": (200, {"Content-Type": "text/plain; version=0.0.4"}, METRICS),
        "/metrics.png": (200, {"Content-Type": "image/png"}, METRICS),
    }
    async with served.running():
        yield served


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=2.0) as client:
        yield client


def redirect(to: str) -> Route:
    return (302, {"Location": to}, b"")


async def test_internal_addresses_are_refused_before_any_connection(
        host: ImageHost, http: httpx.AsyncClient) -> None:
    port = host.port
    for url in (f"http://127.0.0.1:{port}/kuva.png", f"http://localhost:{port}/kuva.png",
                f"http://127.1.2.3:{port}/kuva.png", f"http://[::1]:{port}/kuva.png",
                f"http://[::ffff:127.0.0.1]:{port}/kuva.png", f"http://0.0.0.0:{port}/kuva.png",
                "http://10.0.0.1/kuva.png", "http://192.168.1.10/kuva.png",
                "http://172.16.0.5/kuva.png", "http://100.64.0.1/kuva.png",
                "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/kuva.png",
                "http://[fd00::1]/kuva.png", "http://224.0.0.1/kuva.png",
                "file:///etc/passwd", f"ftp://127.0.0.1:{port}/kuva.png",
                f"http://user:secret@127.0.0.1:{port}/kuva.png", "http:///kuva.png",
                "http://no-such-host.invalid/kuva.png",
                # Addresses no reader can read: a refusal, not an error.
                "https://[x/kuva.png", "http://example.org:99999/kuva.png"):
        assert await fetch_image(http, url, STRICT) is None, url
    assert host.hits == []


async def test_with_loopback_allowed_an_image_is_fetched_by_its_own_host_name(
        host: ImageHost, http: httpx.AsyncClient) -> None:
    assert await fetch_image(http, f"{host.base}/kuva.png", LOOPBACK) == (PNG, "image/png")
    assert await fetch_image(http, f"http://localhost:{host.port}/kuva.png", LOOPBACK) == (
        PNG, "image/png")
    # The request went to the checked address, under the name the URL gave.
    assert host.hits == [("/kuva.png", f"127.0.0.1:{host.port}"),
                         ("/kuva.png", f"localhost:{host.port}")]


async def test_only_image_bytes_are_taken(host: ImageHost, http: httpx.AsyncClient) -> None:
    assert await fetch_image(http, f"{host.base}/metrics", LOOPBACK) is None
    assert await fetch_image(http, f"{host.base}/metrics.png", LOOPBACK) is None  # lies
    for body, kind in ((b"\xff\xd8\xff\xe0" + b"0" * 20, "image/jpeg"),
                       (b"GIF89a" + b"0" * 20, "image/gif"),
                       (b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"0" * 20, "image/webp")):
        host.routes["/other"] = (200, {"Content-Type": "image/anything"}, body)
        assert await fetch_image(http, f"{host.base}/other", LOOPBACK) == (body, kind)
    assert image_type(b"<svg xmlns='http://www.w3.org/2000/svg'/>") is None


async def test_redirects_are_checked_at_every_hop_and_bounded(
        host: ImageHost, http: httpx.AsyncClient) -> None:
    base = host.base
    host.routes |= {
        "/to-private": redirect("http://10.0.0.1/kuva.png"),
        "/to-metadata": redirect("http://169.254.169.254/latest/meta-data/"),
        "/to-v6-loopback": redirect(f"http://[::1]:{host.port}/kuva.png"),
        "/to-loopback": redirect(f"http://127.0.0.1:{host.port}/kuva.png"),
        "/hop1": redirect("/hop2"), "/hop2": redirect("/hop3"), "/hop3": redirect("/kuva.png"),
        "/hop0": redirect("/hop1"),
    }
    for path in ("/to-private", "/to-metadata"):
        assert await fetch_image(http, base + path, LOOPBACK) is None, path
    # With an allow-list naming only "localhost", a hop to another name of it is refused.
    listed = replace(LOOPBACK, allowed_hosts=("localhost",))
    via_name = f"http://localhost:{host.port}"
    for path in ("/to-v6-loopback", "/to-loopback"):
        assert await fetch_image(http, via_name + path, listed) is None, path
    assert [p for p, _ in host.hits] == ["/to-private", "/to-metadata", "/to-v6-loopback",
                                         "/to-loopback"]
    assert await fetch_image(http, base + "/hop1", LOOPBACK) == (PNG, "image/png")  # 3 hops
    assert await fetch_image(http, base + "/hop0", LOOPBACK) is None  # 4 hops


async def test_the_allow_list_names_hosts_and_domains() -> None:
    policy = replace(STRICT, allowed_hosts=("kuvat.kuopio.fi", ".kuopio.example"))
    assert policy.host_allowed("kuvat.kuopio.fi") and policy.host_allowed("KUVAT.kuopio.fi.")
    assert policy.host_allowed("cdn.kuopio.example")
    assert not policy.host_allowed("kuopio.example.evil.test")
    assert not policy.host_allowed("evilkuopio.example")
    assert not policy.host_allowed("127.0.0.1")


async def test_size_and_time_are_bounded(host: ImageHost, http: httpx.AsyncClient) -> None:
    small = replace(LOOPBACK, max_bytes=len(PNG) - 1)
    assert await fetch_image(http, f"{host.base}/kuva.png", small) is None
    host.slow.add("/kuva.png")
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await fetch_image(http, f"{host.base}/kuva.png",
                             replace(LOOPBACK, seconds=0.3)) is None
    assert loop.time() - started < 2.0


def test_the_policy_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KOHTAAMO_IMAGE_ALLOW_LOOPBACK", raising=False)
    monkeypatch.delenv("KOHTAAMO_IMAGE_HOSTS_ALLOW", raising=False)
    default = ImagePolicy.from_env(100)
    assert (default.allow_loopback, default.allowed_hosts) == (False, None)
    assert not default.address_allowed("127.0.0.1") and default.address_allowed("8.8.8.8")
    monkeypatch.setenv("KOHTAAMO_IMAGE_HOSTS_ALLOW", " kuvat.kuopio.fi, .kuopio.example ")
    monkeypatch.setenv("KOHTAAMO_IMAGE_ALLOW_LOOPBACK", "1")
    monkeypatch.setenv("KOHTAAMO_IMAGE_FETCH_SECONDS", "4")
    configured = ImagePolicy.from_env(100)
    assert configured.allowed_hosts == ("kuvat.kuopio.fi", ".kuopio.example")
    assert configured.allow_loopback and configured.seconds == 4.0
    assert configured.address_allowed("::1") and not configured.address_allowed("10.1.2.3")


@pytest.fixture
async def fake() -> AsyncIterator[FakePlatforms]:
    forget_sessions()
    async with running_fake_platforms() as running:
        yield running


@pytest.mark.parametrize("platform", ["mastodon", "bluesky"])
async def test_a_post_with_an_internal_image_url_goes_out_without_the_image(
        platform: str, fake: FakePlatforms, host: ImageHost, http: httpx.AsyncClient,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The incident: image_url http://127.0.0.1:8004/metrics. The post is published, its
    text whole, with no media; the internal address was never asked."""
    monkeypatch.delenv("KOHTAAMO_IMAGE_ALLOW_LOOPBACK", raising=False)
    token = fake.tokens.mastodon if platform == "mastodon" else fake.tokens.bluesky
    ref = "" if platform == "mastodon" else "kirjasto.kohtaamo.test"
    account = Account(uuid4(), platform, fake.base_url(platform), ref, token)  # type: ignore[arg-type]
    post = Post(text="Satutunti", language="fi", idempotency_key=f"d-{uuid4()}",
                created_at=datetime.now(UTC), attempt=1, link="https://kohtaamo.example/t/7",
                image_url=f"{host.base}/metrics.png", image_alt="kuva")
    await publish(account, post, http)
    [recorded] = fake.posts(platform)
    assert recorded["text"] == "Satutunti"
    assert not recorded.get("media") and not recorded.get("image_url")
    assert not recorded.get("image_alt")
    assert host.hits == []
