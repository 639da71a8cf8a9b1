"""A lean HTTP/1.1 load generator for benchmarks: keep-alive connections on asyncio streams.

httpx spends about a millisecond of CPU on each request; on a two-core machine that shares
its cores with the service under test, that millisecond would be counted against the
service. Here a request is one prepared byte string written and one response read, a few
tens of microseconds, so the figures measure the service rather than its client.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit


@dataclass
class Response:
    status: int
    body: bytes


def request_bytes(method: str, path: str, host: str, headers: dict[str, str],
                  body: bytes = b"") -> bytes:
    head = [f"{method} {path} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(body)}"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


class Sender(Protocol):
    """What sends a request and reads its answer: a `Client`, or clients routed by path."""

    async def send(self, request: bytes) -> Response: ...


class Connection:
    """One keep-alive connection; one request at a time."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    async def send(self, request: bytes) -> Response:
        self.writer.write(request)
        status_line = await self.reader.readuntil(b"\r\n")
        status = int(status_line.split(b" ", 2)[1])
        length = 0
        chunked = False
        while True:
            line = await self.reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        if not chunked:
            return Response(status, await self.reader.readexactly(length))
        body = bytearray()
        while size := int((await self.reader.readuntil(b"\r\n")).strip(), 16):
            body += await self.reader.readexactly(size + 2)
            del body[-2:]
        await self.reader.readuntil(b"\r\n")
        return Response(status, bytes(body))


@dataclass
class Client:
    """A pool of keep-alive connections, spread round-robin over the servers' URLs (replicas
    behind a load balancer, as a Kubernetes Service spreads connections)."""

    urls: Sequence[str]
    size: int
    _idle: asyncio.Queue[Connection] = field(default_factory=asyncio.Queue)
    _all: list[Connection] = field(default_factory=list)

    async def __aenter__(self) -> Client:
        for i in range(self.size):
            parts = urlsplit(self.urls[i % len(self.urls)])
            reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
            connection = Connection(reader, writer)
            self._all.append(connection)
            self._idle.put_nowait(connection)
        return self

    async def __aexit__(self, *exc: object) -> None:
        for connection in self._all:
            connection.writer.close()
            with contextlib.suppress(Exception):
                await connection.writer.wait_closed()

    async def send(self, request: bytes) -> Response:
        connection = await self._idle.get()
        try:
            return await connection.send(request)
        finally:
            self._idle.put_nowait(connection)


@contextlib.contextmanager
def no_collector_pauses() -> Iterator[None]:
    """The generator's own garbage collection paused while it measures: a full pass over this
    process's objects took ~50 ms and showed as the service's latency."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


async def closed_loop(client: Client, n: int, make: Callable[[int], bytes],
                      check: Callable[[Response], None]) -> tuple[float, list[float]]:
    """`n` requests, as many at once as the client has connections: (per second, ms each)."""
    latencies: list[float] = []
    counter = iter(range(n))

    async def worker() -> None:
        for i in counter:
            request = make(i)
            start = time.perf_counter()
            response = await client.send(request)
            latencies.append((time.perf_counter() - start) * 1000)
            check(response)

    with no_collector_pauses():
        begin = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(client.size)))
        return n / (time.perf_counter() - begin), latencies


async def open_loop(client: Sender, rate: float, seconds: float, make: Callable[[int], bytes],
                    check: Callable[[Response], None]) -> tuple[float, list[float]]:
    """A request due every 1/`rate` s whether or not earlier ones finished (independent
    clients arriving). Latency counts from when the request was due, so a stall shows as
    latency, not as fewer requests (no coordinated omission). (per second, ms each)"""
    latencies: list[float] = []
    running: list[asyncio.Task[None]] = []

    async def one(i: int, due: float) -> None:
        check(await client.send(make(i)))
        latencies.append((time.perf_counter() - due) * 1000)

    with no_collector_pauses():
        begin = time.perf_counter()
        for i in range(int(rate * seconds)):
            # Each request is started when due, not all scheduled up front: thousands of
            # tasks made at once would stall this loop and show as the service's latency.
            due = begin + i / rate
            if (wait := due - time.perf_counter()) > 0:
                await asyncio.sleep(wait)
            running.append(asyncio.create_task(one(i, due)))
        await asyncio.gather(*running)
        return len(running) / (time.perf_counter() - begin), latencies
