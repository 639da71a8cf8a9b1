"""The sender: posts due deliveries to their platforms. Every replica runs it.

One pass: (1) deliveries whose sender vanished mid-send (lease over) are due again where a
re-send is safe, else `unconfirmed` for a person to decide; (2) due deliveries are claimed
with FOR UPDATE SKIP LOCKED and committed as `sending` under this replica's lease; (3) each
is sent outside any transaction; (4) its outcome and its `notification.*` event commit
together. A kill between (3) and (4) is what the lease and step (1) are for.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import time
import weakref
from typing import Any

import asyncpg
import httpx
from opentelemetry.trace import SpanKind
from prometheus_client import Counter, Gauge

from services.notifications import domain, handlers, usecases
from services.notifications.platforms import Account, DeliveryError, Post, Sent, publish
from services.notifications.secrets import resolve_secret
from services.notifications.store import NotificationStore
from shared import tracing
from shared.db import log_failed_pass
from shared.jobs import run_every
from shared.service import ServiceRuntime
from shared.uow import PgUnitOfWork

log = logging.getLogger(__name__)


class SenderSettings:
    """KOHTAAMO_NOTIFICATIONS_* variables, read when the sender starts."""

    def __init__(self) -> None:
        env = os.environ.get
        #: Seconds between passes; 0 turns the sender off in this replica.
        self.interval = float(env("KOHTAAMO_NOTIFICATIONS_JOB_INTERVAL", "2"))
        #: How long one platform call may take.
        self.send_timeout = float(env("KOHTAAMO_NOTIFICATIONS_SEND_TIMEOUT", "15"))
        #: How long a claim holds: longer than any send, so a live sender keeps its rows.
        #: How long a send may take in all (jobs.send_one): several reads of one request.
        self.send_deadline = self.send_timeout * 3
        self.lease = float(env("KOHTAAMO_NOTIFICATIONS_LEASE_SECONDS",
                               str(max(60.0, self.send_deadline + self.send_timeout))))
        self.batch = int(env("KOHTAAMO_NOTIFICATIONS_BATCH", "20"))


#: How often the deliveries are counted for Prometheus (about a scrape interval).
REFRESH_SECONDS = 15.0


class DeliveryMetrics:
    """Prometheus: this replica's tries, and every replica's deliveries by channel and state
    (counted in the shared database, so any replica's /metrics tells the whole truth)."""

    def __init__(self, runtime: ServiceRuntime) -> None:
        registry = runtime.metrics.registry
        self.tries = Counter("kohtaamo_delivery_tries", "Tries by this replica, by outcome",
                             ["channel", "outcome"], registry=registry)
        self.deliveries = Gauge("kohtaamo_deliveries", "Deliveries by channel and state",
                                ["channel", "status"], registry=registry)
        self.accounts_needing_reauth = Gauge(
            "kohtaamo_channel_accounts_reauth_needed",
            "Channel accounts whose queue waits for a person to re-authorise them",
            registry=registry)

        self._refreshed_at = -REFRESH_SECONDS

    async def refresh_if_due(self, pool: asyncpg.Pool) -> None:
        """Count the deliveries at most every REFRESH_SECONDS, busy or idle: counting the
        whole table on every pass of the sender would be work on its hot path."""
        if time.monotonic() - self._refreshed_at < REFRESH_SECONDS:
            return
        self._refreshed_at = time.monotonic()
        counts, reauth = await usecases.count_deliveries(uow(pool))
        for channel, status, n in counts:
            self.deliveries.labels(channel, status).set(n)
        self.accounts_needing_reauth.set(reauth)


_METRICS: weakref.WeakKeyDictionary[ServiceRuntime, DeliveryMetrics] = \
    weakref.WeakKeyDictionary()


def delivery_metrics(runtime: ServiceRuntime) -> DeliveryMetrics:
    if runtime not in _METRICS:
        _METRICS[runtime] = DeliveryMetrics(runtime)
    return _METRICS[runtime]


def uow(pool: asyncpg.Pool) -> PgUnitOfWork[NotificationStore]:
    return PgUnitOfWork(pool, NotificationStore)


def _post(row: Any) -> Post:
    content = row["content"] or {}
    return Post(
        text=content.get("text", ""), language=content.get("language") or "fi",
        idempotency_key=row["idempotency_key"], created_at=row["created_at"],
        attempt=row["attempts"], link=content.get("link"), image_url=content.get("image_url"),
        image_alt=content.get("image_alt"), subject=content.get("subject"),
        recipient=row["recipient"], ics=content.get("ics"), headers=content.get("headers"))


async def send_one(row: Any, http: httpx.AsyncClient,
                   deadline: float = 45.0) -> Sent | DeliveryError:
    """Send one claimed delivery, in at most `deadline` seconds in all (the client's timeout
    bounds each read, not a server that trickles an answer; the claim's lease must outlast
    the send, or a second replica could take it over mid-send)."""
    try:
        async with asyncio.timeout(deadline):
            return await _send(row, http)
    except TimeoutError:
        return DeliveryError(domain.after_lost_answer(row["platform"]),
                             f"no answer within {deadline:.0f} s in all", maybe_sent=True)


async def _send(row: Any, http: httpx.AsyncClient) -> Sent | DeliveryError:
    try:
        secret = resolve_secret(row["secret_ref"])
    except LookupError as exc:
        # A missing token is the account's problem, not the post's: treated like a refused one.
        return DeliveryError("reauth", str(exc))
    account = Account(id=row["account_id"], platform=row["platform"], base_url=row["base_url"],
                      account_ref=row["account_ref"], secret=secret)
    try:
        return await publish(account, _post(row), http)
    except DeliveryError as exc:
        return exc
    except Exception as exc:  # a bug in a client must not leave the row claimed forever
        log.exception("platform client failed", extra={"delivery_id": str(row["id"])})
        return DeliveryError("unconfirmed", f"client error: {exc!r}")


def tried(result: Sent | DeliveryError) -> domain.Tried:
    """A platform client's answer as the use case that records it sees it."""
    if isinstance(result, Sent):
        return domain.Tried(remote_id=result.remote_id, remote_url=result.remote_url)
    return domain.Tried(error_class=result.error_class, detail=result.detail,
                        retry_after=result.retry_after, maybe_sent=result.maybe_sent)


async def send_due(runtime: ServiceRuntime, http: httpx.AsyncClient,
                   settings: SenderSettings | None = None) -> dict[str, int]:
    """One pass of the sender; returns how many deliveries ended in which status."""
    settings = settings or SenderSettings()
    replica, clock = runtime.settings.replica_name, runtime.clock
    for row, status in await usecases.recover_lost_leases(uow(runtime.pool), clock):
        log.warning("delivery lease lost", extra={"delivery_id": str(row["id"]),
                                                 "now": status})
    await usecases.drop_out_of_date(uow(runtime.pool), clock, handlers.public_events_url(),
                                    handlers.reach_links())
    rows = await usecases.claim_due(uow(runtime.pool), clock, replica, settings.lease,
                                    settings.batch)
    metrics = delivery_metrics(runtime)
    await metrics.refresh_if_due(runtime.pool)
    if not rows:
        return {}
    statuses = await asyncio.gather(*(deliver(runtime, row, http, replica, settings)
                                      for row in rows))
    counts: dict[str, int] = {}
    for row, status in zip(rows, statuses, strict=True):
        counts[status] = counts.get(status, 0) + 1
        metrics.tries.labels(row["channel"], status).inc()
    return counts


async def deliver(runtime: ServiceRuntime, row: Any, http: httpx.AsyncClient,
                  replica: str, settings: SenderSettings) -> str:
    """Send one claimed delivery (outside any transaction) and record what happened (in a
    unit of work of its own), in a span of the trace of the event that planned it."""
    with tracing.span(f"deliver {row['channel']}", SpanKind.CLIENT, row["traceparent"],
                      "notifications", {"kohtaamo.delivery_id": str(row["id"]),
                                        "kohtaamo.purpose": row["purpose"],
                                        "kohtaamo.attempt": row["attempts"],
                                        "server.address": row["base_url"]}) as current:
        try:
            result = await send_one(row, http, settings.send_deadline)
        except asyncio.CancelledError:
            # Shut down before the platform answered: the claim is given up now, so another
            # replica decides about it at once (as after a lost lease), not in a minute.
            await asyncio.shield(_release(runtime, row, replica))
            raise
        status = await usecases.record_outcome(uow(runtime.pool), runtime.clock, row, replica,
                                               tried(result), random.random())
        current.set_attribute("kohtaamo.delivery_status", status)
        if isinstance(result, DeliveryError):
            current.set_attribute("kohtaamo.error_class", result.error_class)
            if status in ("failed", "unconfirmed"):
                tracing.mark_error(current, f"{result.error_class}: {result.detail[:200]}")
        log.info("delivery tried", extra={"delivery_id": str(row["id"]),
                                          "channel": row["channel"], "status": status})
        return status


async def _release(runtime: ServiceRuntime, row: Any, replica: str) -> None:
    try:
        released = await usecases.release_claims(uow(runtime.pool), runtime.clock,
                                                 [row["id"]], replica)
    except Exception as exc:  # the database is away: the lease runs out by itself
        log.warning("delivery claim not released; its lease will run out",
                    extra={"delivery_id": str(row["id"]), "error": repr(exc)})
        return
    if released:
        log.warning("delivery claim released at shutdown",
                    extra={"delivery_id": str(row["id"]), "channel": row["channel"]})


def http_client(settings: SenderSettings) -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=httpx.Timeout(settings.send_timeout),
                             headers={"User-Agent": "Kohtaamo notifications"})


async def run_sender(runtime: ServiceRuntime) -> None:
    """Every KOHTAAMO_NOTIFICATIONS_JOB_INTERVAL seconds (2); 0 turns it off in this replica.

    On shutdown (``runtime.stopping``) it claims nothing more and returns once the pass in
    hand has recorded its outcomes; cancelled before that (the drain time is over), each
    send still waiting for its platform releases its claim (`deliver`)."""
    settings = SenderSettings()
    if settings.interval <= 0:
        return
    async with http_client(settings) as http:
        while not runtime.stopping:
            try:
                counts = await send_due(runtime, http, settings)
            except Exception as exc:
                log_failed_pass(log, "sender pass failed", exc)
                counts = {}
            # A full batch means more is due: go again at once.
            if sum(counts.values()) < settings.batch:
                await runtime.pause(settings.interval)


#: The runtime lets it finish its pass on SIGTERM (shared.service.ServiceRuntime.stop).
run_sender.drains_on_shutdown = True  # type: ignore[attr-defined]


# --- residents' own channels: digests and the retention of their data ----------------------

async def reach_pass(runtime: ServiceRuntime) -> dict[str, int]:
    """One pass: the weekly digests that are due, registrations and subscriptions past
    KOHTAAMO_REGISTRATION_RETENTION_DAYS (30) after their activity (or unsubscribing), and
    the public forms' notes of who asked for mail, a day old."""
    links, events_url = handlers.reach_links(), handlers.public_events_url()
    days = int(os.environ.get("KOHTAAMO_REGISTRATION_RETENTION_DAYS", "30"))
    return {
        "digests": await usecases.send_digests(uow(runtime.pool), runtime.clock, links,
                                               events_url),
        "anonymised": await usecases.anonymise_registrations(uow(runtime.pool),
                                                             runtime.clock, days),
        "mail_requests_forgotten": await usecases.forget_mail_requests(uow(runtime.pool),
                                                                       runtime.clock),
    }


async def run_reach_jobs(runtime: ServiceRuntime) -> None:
    """Every KOHTAAMO_REACH_JOB_INTERVAL seconds (300); 0 turns them off in this replica."""
    await run_every(runtime, float(os.environ.get("KOHTAAMO_REACH_JOB_INTERVAL", "300")),
                    [reach_pass], log)
