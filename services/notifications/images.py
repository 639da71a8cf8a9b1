"""Fetching an activity's image for a post, without letting its URL reach inside the city's
network. An organiser writes `image_url`; the service fetches it and uploads the bytes to
Mastodon or Bluesky as public media, so a URL such as http://127.0.0.1:8004/metrics would
otherwise publish an internal page.

The rules (`fetch_image`), each checked again after every redirect:

- only http and https, no user name or password in the URL, at most `MAX_REDIRECTS` redirects;
- the host, when `KOHTAAMO_IMAGE_HOSTS_ALLOW` is set (comma-separated host names; ".kuopio.fi"
  allows the domain's subdomains), is on that list;
- every address the host resolves to is a public one (not loopback, private, link-local,
  shared, multicast or reserved; IPv4-mapped IPv6 addresses are judged as IPv4), and the
  request goes to the address that was checked (the Host header and TLS name stay the host's),
  so a second DNS answer cannot swap in another address;
- the answer is `image/*` and its bytes are a PNG, JPEG, GIF or WebP image (by their magic
  bytes), at most `max_bytes`, read within `KOHTAAMO_IMAGE_FETCH_SECONDS` in all.

Loopback addresses are allowed only with `KOHTAAMO_IMAGE_ALLOW_LOOPBACK=1`: for local runs
against the fake platforms and for tests, never in production. Anything refused is logged and
the post goes out without the image (Instagram, which needs one, fails the delivery saying so).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

log = logging.getLogger(__name__)

MAX_REDIRECTS = 3
DEFAULT_SECONDS = 10.0

#: Magic bytes of the image formats the platforms take, and the type each is uploaded as.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


class Refused(Exception):
    """Why an image URL is not fetched."""


@dataclass(frozen=True)
class ImagePolicy:
    max_bytes: int
    seconds: float = DEFAULT_SECONDS
    #: Host names that may be fetched (a leading dot: the domain's subdomains); None: any.
    allowed_hosts: tuple[str, ...] | None = None
    allow_loopback: bool = False

    @classmethod
    def from_env(cls, max_bytes: int) -> ImagePolicy:
        env = os.environ.get
        hosts = [h.strip().lower() for h in env("KOHTAAMO_IMAGE_HOSTS_ALLOW", "").split(",")
                 if h.strip()]
        return cls(max_bytes=max_bytes,
                   seconds=float(env("KOHTAAMO_IMAGE_FETCH_SECONDS", str(DEFAULT_SECONDS))),
                   allowed_hosts=tuple(hosts) if hosts else None,
                   allow_loopback=env("KOHTAAMO_IMAGE_ALLOW_LOOPBACK", "") in ("1", "true"))

    def host_allowed(self, host: str) -> bool:
        if self.allowed_hosts is None:
            return True
        host = host.lower().rstrip(".")
        return any(host == h or (h.startswith(".") and host.endswith(h))
                   for h in self.allowed_hosts)

    def address_allowed(self, address: str) -> bool:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if ip.is_loopback:
            return self.allow_loopback
        return ip.is_global and not ip.is_multicast and not ip.is_reserved


def image_type(content: bytes) -> str | None:
    """The image's type by its magic bytes (PNG, JPEG, GIF, WebP); None for anything else."""
    for magic, kind in _MAGIC:
        if content.startswith(magic):
            return kind
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return None


async def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused(f"{host} does not resolve: {exc}") from None
    return sorted({str(info[4][0]) for info in infos})


async def _checked_target(url: str, policy: ImagePolicy) -> tuple[str, str, str]:
    """(the URL with the checked address in place of the host, the Host header, the host
    name for TLS), or Refused."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:  # "https://[x/", a port of 99999: a redirect may send either
        raise Refused(f"not an address an image can be fetched from: {exc}") from None
    if parts.scheme not in ("http", "https"):
        raise Refused(f"only http(s) images are fetched, not {parts.scheme or 'no scheme'}")
    if parts.username is not None or parts.password is not None:
        raise Refused("an image URL must not carry a user name or password")
    host = parts.hostname
    if not host:
        raise Refused("the image URL has no host")
    if not policy.host_allowed(host):
        raise Refused(f"{host} is not among the image hosts allowed "
                      "(KOHTAAMO_IMAGE_HOSTS_ALLOW)")
    addresses = await _resolve(host, port)
    refused = [a for a in addresses if not policy.address_allowed(a)]
    if refused or not addresses:
        raise Refused(f"{host} resolves to an address that is not public: "
                      f"{', '.join(refused) or 'none'}")
    address = addresses[0]
    netloc_host = f"[{address}]" if ":" in address else address
    pinned = urlunsplit((parts.scheme, f"{netloc_host}:{port}", parts.path or "/",
                         parts.query, ""))
    host_header = f"[{host}]" if ":" in host else host  # an IPv6 literal in brackets
    if parts.port is not None:
        host_header += f":{parts.port}"
    return pinned, host_header, host


async def _fetch(http: httpx.AsyncClient, url: str, policy: ImagePolicy) -> tuple[bytes, str]:
    for _ in range(MAX_REDIRECTS + 1):
        pinned, host_header, host = await _checked_target(url, policy)
        request = http.build_request("GET", pinned, headers={"Host": host_header,
                                                             "Accept": "image/*"},
                                     extensions={"sni_hostname": host})
        response = await http.send(request, stream=True, follow_redirects=False)
        try:
            if response.is_redirect:
                location = response.headers.get("location")
                if not location:
                    raise Refused("a redirect without a Location")
                url = urljoin(url, location)
                continue
            if not response.is_success:
                raise Refused(f"the image host answered {response.status_code}")
            declared = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if not declared.startswith("image/"):
                raise Refused(f"not an image: {declared or 'no content type'}")
            length = response.headers.get("content-length")
            if length and length.isdigit() and int(length) > policy.max_bytes:
                raise Refused(f"the image is larger than {policy.max_bytes} bytes")
            content = bytearray()
            async for chunk in response.aiter_bytes():
                content += chunk
                if len(content) > policy.max_bytes:
                    raise Refused(f"the image is larger than {policy.max_bytes} bytes")
        finally:
            await response.aclose()
        kind = image_type(bytes(content))
        if kind is None:
            raise Refused(f"the body is not a PNG, JPEG, GIF or WebP image ({declared})")
        return bytes(content), kind
    raise Refused(f"more than {MAX_REDIRECTS} redirects")


async def fetch_image(http: httpx.AsyncClient, url: str,
                      policy: ImagePolicy) -> tuple[bytes, str] | None:
    """The image's bytes and type, or None when it may not or cannot be fetched (the reason
    is logged; the post goes without the image)."""
    try:
        async with asyncio.timeout(policy.seconds):
            return await _fetch(http, url, policy)
    except Refused as exc:
        log.warning("image not fetched", extra={"image_url": url[:500], "reason": str(exc)})
    except TimeoutError:
        log.warning("image not fetched", extra={"image_url": url[:500],
                                                "reason": f"over {policy.seconds} s"})
    except httpx.HTTPError as exc:
        log.info("image not fetched", extra={"image_url": url[:500], "reason": repr(exc)})
    return None
