"""An in-memory NotificationStore for use-case tests: the same methods, no database. Rows are
dictionaries with the columns of the tables, kept simply enough to be obviously right, so a
use case's rules can be tested without I/O. "Now" in the store's own bookkeeping
(created_at, updated_at) comes from the clock it is given; rules get `now` from the use case.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from services.notifications import domain
from services.notifications.store import (
    ACCOUNT_FIELDS,
    Advanced,
    NotificationStore,
    Row,
)
from shared.ceilings import Counted
from shared.clock import Clock, FixedClock
from shared.contracts import DomainEvent

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


class FakeNotificationStore(NotificationStore):
    def __init__(self, clock: Clock | None = None) -> None:  # no connection
        self.clock = clock or FixedClock(NOW)
        self.boards: dict[UUID, Row] = {}
        self.items: dict[tuple[UUID, UUID], Row] = {}
        self.events: dict[UUID, Row] = {}
        self.accounts: dict[UUID, Row] = {}
        self.deliveries: dict[UUID, Row] = {}
        self.account_changes_made: list[Row] = []
        self.reg_settings: dict[UUID, Row] = {}
        self.registrations: dict[UUID, Row] = {}
        self.mail_requests: list[tuple[str, datetime]] = []
        self.count_sequences: dict[UUID, int] = {}
        self.subscriptions: dict[UUID, Row] = {}
        #: Staff's notices on boards, and which boards show each (notice id, board id).
        self.notices: dict[UUID, Row] = {}
        self.notice_boards: dict[tuple[UUID, UUID], Row] = {}
        #: What show_on_boards wrote to the outbox in its one statement.
        self.outbox: list[DomainEvent] = []
        #: The events service's vocabulary as told: (scheme, code) → label and revision.
        self.vocabulary_terms: dict[tuple[str, str], Row] = {}
        self._order = itertools.count()

    def _now(self) -> datetime:
        return self.clock.now()

    # --- notice boards ----------------------------------------------------------------------

    async def ensure_board(self, board_id: UUID, venue_id: UUID, area: str | None,
                           name: dict[str, Any], venue_revision: int,
                           spaces: dict[str, Any] | None = None) -> None:
        board = next((b for b in self.boards.values() if b["venue_id"] == venue_id), None)
        if board is None:
            self.boards[board_id] = {
                "id": board_id, "venue_id": venue_id, "area": area, "name": name,
                "languages": ["fi", "sv", "en"], "venue_revision": venue_revision,
                "spaces": spaces or {}, "kinds": None, "created_at": self._now()}
            return
        if board["venue_revision"] < venue_revision:
            board.update(area=area or board["area"], name=name,
                         venue_revision=venue_revision)
            if spaces is not None:
                board["spaces"] = spaces
        elif board["area"] is None and area is not None:
            board["area"] = area

    async def create_area_board(self, board_id: UUID, area: str, name: dict[str, Any],
                                languages: list[str], kinds: list[str] | None) -> bool:
        assert board_id not in self.boards, "duplicate key"
        if await self.area_board_named(area, name["fi"]) is not None:
            return False
        self.boards[board_id] = {
            "id": board_id, "venue_id": None, "area": area, "name": name,
            "languages": languages, "venue_revision": 0, "spaces": {}, "kinds": kinds,
            "created_at": self._now()}
        return True

    async def area_board_named(self, area: str, name_fi: str) -> Row | None:
        key = domain.board_name_key(name_fi)
        return next((dict(b) for b in self.boards.values()
                     if b["venue_id"] is None and b["area"] == area
                     and domain.board_name_key(b["name"]["fi"]) == key), None)

    async def configure_board(self, board_id: UUID, languages: list[str],
                              kinds: list[str] | None) -> Row | None:
        if board_id not in self.boards:
            return None
        self.boards[board_id].update(languages=languages, kinds=kinds)
        return dict(self.boards[board_id])

    async def list_boards(self, venue_id: UUID | None, area: str | None) -> list[Row]:
        return [dict(b) for b in self.boards.values()
                if (venue_id is None or b["venue_id"] == venue_id)
                and (area is None or b["area"] == area)]

    async def get_board(self, board_id: UUID) -> Row | None:
        board = self.boards.get(board_id)
        return dict(board) if board is not None else None

    async def board_items(self, board_id: UUID, since: datetime | None) -> list[Row]:
        return sorted((dict(i) for (b, _), i in self.items.items()
                       if b == board_id and i["status"] != "withdrawn"
                       and (since is None or i["ends_at"] >= since)),
                      key=lambda i: (i["starts_at"], i["activity_event_id"]))

    async def boards_for(self, venue_board: UUID | None, area: str | None,
                         kind: str) -> list[Row]:
        found = [b for b in self.boards.values() if b["id"] == venue_board
                 or (area is not None and b["venue_id"] is None and b["area"] == area
                     and (b["kinds"] is None or kind in b["kinds"]))]
        found.sort(key=lambda b: (b["id"] != venue_board, str(b["id"])))
        return [dict(b) for b in found]

    # --- staff's own notices on boards ------------------------------------------------------

    async def known_boards(self, board_ids: list[UUID]) -> set[UUID]:
        return {b for b in board_ids if b in self.boards}

    async def add_board_notice(self, notice_id: UUID, texts: dict[str, str],
                               shown_from: datetime, shown_until: datetime,
                               who: str) -> bool:
        if notice_id in self.notices:
            return False
        assert shown_until > shown_from and "fi" in texts, "check constraint"
        self.notices[notice_id] = {"id": notice_id, "text": dict(texts),
                                   "shown_from": shown_from, "shown_until": shown_until,
                                   "created_by": who, "created_at": self._now()}
        return True

    async def show_notice_on_board(self, notice_id: UUID, board_id: UUID, delivery_id: UUID,
                                   key: str, content: dict[str, Any]) -> None:
        assert notice_id in self.notices and board_id in self.boards, "foreign key"
        if (notice_id, board_id) in self.notice_boards:
            return
        self.notice_boards[(notice_id, board_id)] = {
            "withdrawn_at": None, "withdrawn_by": None, "updated_at": self._now()}
        if not any(d["idempotency_key"] == key for d in self.deliveries.values()):
            self._insert(id=delivery_id, channel="notice_board", target=str(board_id),
                         revision=0, idempotency_key=key, status="published",
                         purpose="notice", published_at=self._now(), content=content,
                         language="fi")

    async def board_notices(self, board_id: UUID, now: datetime) -> list[Row]:
        shown = [{**self.notices[n], "updated_at": t["updated_at"]}
                 for (n, b), t in self.notice_boards.items()
                 if b == board_id and t["withdrawn_at"] is None
                 and self.notices[n]["shown_from"] <= now < self.notices[n]["shown_until"]]
        shown.sort(key=lambda n: (n["shown_from"], n["created_at"]), reverse=True)
        return [{k: n[k] for k in ("id", "text", "shown_from", "shown_until", "created_at",
                                   "updated_at")} for n in shown]

    async def current_board_notices(self, now: datetime) -> list[Row]:
        found = []
        for notice in sorted(self.notices.values(), key=lambda n: (n["shown_until"],
                                                                   str(n["id"]))):
            boards = [{"id": b, "name": self.boards[b]["name"]}
                      for (n, b), t in self.notice_boards.items()
                      if n == notice["id"] and t["withdrawn_at"] is None]
            if boards and notice["shown_until"] > now:
                found.append({**{k: notice[k] for k in ("id", "text", "shown_from",
                                                        "shown_until", "created_by")},
                              "boards": boards})
        return found

    async def withdraw_board_notice(self, notice_id: UUID, board_id: UUID | None, who: str,
                                    now: datetime) -> int:
        taken = [b for (n, b), t in self.notice_boards.items()
                 if n == notice_id and (board_id is None or b == board_id)
                 and t["withdrawn_at"] is None]
        for b in taken:
            self.notice_boards[(notice_id, b)].update(withdrawn_at=now, withdrawn_by=who,
                                                      updated_at=self._now())
            for d in self.deliveries.values():
                if (d["channel"], d["purpose"], d["target"], d["status"]) == (
                        "notice_board", "notice", str(b), "published") and \
                        (d["content"] or {}).get("notice_id") == str(notice_id):
                    d.update(status="cancelled", decided_by=who, updated_at=self._now())
        return len(taken)

    # --- activity events on boards ----------------------------------------------------------

    def _advance(self, event_id: UUID, revision: int, status: str | None, venue_id: UUID | None,
                 area: str | None, facts: dict[str, Any]) -> str | None:
        kept = self.events.get(event_id)
        if not domain.is_newer_revision(kept["revision"] if kept else None, revision):
            return None
        self.events[event_id] = {"id": event_id, "revision": revision,
                                 "status": status or (kept["status"] if kept else "published"),
                                 "venue_id": venue_id, "area": area, "facts": facts,
                                 "updated_at": self._now()}
        return "new" if kept is None else "newer"

    async def advance_event_for_planning(self, event_id: UUID, revision: int,
                                         status: str | None, venue_id: UUID | None,
                                         area: str | None, facts: dict[str, Any],
                                         venue_board: UUID | None, kind: str,
                                         followers: bool = False) -> Advanced | None:
        previous = self.events.get(event_id)
        previous_status = previous["status"] if previous else None
        previous_facts = previous["facts"] if previous else None
        seen = self._advance(event_id, revision, status, venue_id, area, facts)
        if seen is None:
            return None
        accounts = [{k: a[k] for k in ("id", "platform", "languages", "areas", "venue_ids",
                                       "kinds", "reminder_hours", "enabled")}
                    for a in sorted(self.accounts.values(), key=lambda a: str(a["id"]))
                    if a["enabled"] and a["platform"] != "email"]
        matching = [dict(r) for r in sorted(self.subscriptions.values(), key=lambda r: r["id"])
                    if followers and r["status"] == "active" and r["each_new"]
                    and domain.subscription_matches(r, facts)]
        return Advanced(seen, await self.boards_for(venue_board, area, kind), accounts,
                        matching, self.events[event_id]["status"], previous_status,
                        previous_facts)

    async def withdraw_elsewhere(self, event_id: UUID, keep: list[UUID], revision: int) -> int:
        n = 0
        for (board_id, item_event), item in self.items.items():
            if item_event == event_id and board_id not in keep and item["revision"] < revision:
                item.update(status="withdrawn", revision=revision)
                n += 1
        return n

    async def show_on_boards(self, item: dict[str, Any],
                             shown: list[domain.BoardShowing]) -> int:
        written = 0
        for showing in shown:
            key = (showing.board_id, item["activity_event_id"])
            kept = self.items.get(key)
            if kept is not None and kept["revision"] >= item["revision"]:
                continue
            self.items[key] = {
                "board_id": showing.board_id, "registration_required": False,
                "space_id": None, "place": None, **item, "created_at": self._now(),
                "updated_at": self._now()}
            if any(d["idempotency_key"] == showing.key for d in self.deliveries.values()):
                continue
            self._insert(id=showing.delivery_id, activity_event_id=item["activity_event_id"],
                         channel="notice_board", target=str(showing.board_id),
                         revision=item["revision"], idempotency_key=showing.key,
                         status="published", purpose="board", published_at=self._now(),
                         due_at=self._now())
            self.outbox.extend(showing.events)
            written += 1
        return written

    # --- channel accounts -------------------------------------------------------------------

    async def upsert_account(self, account_id: UUID, data: dict[str, Any]) -> None:
        kept = self.accounts.get(account_id)
        values = {k: data[k] for k in ACCOUNT_FIELDS}
        if kept is None:
            self.accounts[account_id] = {
                "id": account_id, **values, "state": "active", "state_detail": None,
                "paused_until": None, "created_at": self._now(), "updated_at": self._now(),
                "order": next(self._order)}
        else:
            kept.update(values, updated_at=self._now())

    async def list_accounts(self, platform: str | None = None) -> list[Row]:
        return [dict(a) for a in sorted(self.accounts.values(),
                                        key=lambda a: (a["platform"], a["name"]))
                if platform is None or a["platform"] == platform]

    async def get_account(self, account_id: UUID, for_update: bool = False) -> Row | None:
        account = self.accounts.get(account_id)
        return dict(account) if account is not None else None

    async def email_account(self) -> Row | None:
        senders = sorted((a for a in self.accounts.values()
                          if a["enabled"] and a["platform"] == "email"),
                         key=lambda a: a["order"])
        return dict(senders[0]) if senders else None

    async def set_account_state(self, account_id: UUID, state: str,
                                detail: str | None) -> None:
        if account_id in self.accounts:
            self.accounts[account_id].update(state=state, state_detail=detail)

    async def pause_account(self, account_id: UUID, until: datetime) -> None:
        account = self.accounts[account_id]
        paused = account["paused_until"]
        account["paused_until"] = until if paused is None else max(paused, until)

    async def add_account_change(self, change: dict[str, Any]) -> None:
        assert change["account_id"] in self.accounts, "foreign key"
        self.account_changes_made.append(dict(change))

    async def account_changes(self, account_id: UUID) -> list[Row]:
        return [dict(c) for c in self.account_changes_made if c["account_id"] == account_id]

    async def count_reauth_needed(self) -> int:
        return sum(a["state"] == "reauth_needed" for a in self.accounts.values())

    # --- deliveries -------------------------------------------------------------------------

    def _insert(self, **values: Any) -> Row:
        row: Row = {
            "id": uuid4(), "activity_event_id": None, "booking_id": None, "account_id": None,
            "purpose": "board", "attempts": 0, "last_error": None, "error_class": None,
            "due_at": self._now(), "created_at": self._now(), "updated_at": self._now(),
            "published_at": None, "claimed_by": None, "lease_until": None, "content": None,
            "language": None, "recipient": None, "remote_id": None, "remote_url": None,
            "decided_by": None, "traceparent": None, "maybe_sent_at": None,
            "registration_id": None, "subscription_id": None,
            "order": next(self._order), **values}
        self.deliveries[row["id"]] = row
        return row

    def _with_account(self, row: Row) -> Row:
        account = self.accounts.get(row["account_id"]) if row["account_id"] else None
        event = self.events.get(row["activity_event_id"]) if row["activity_event_id"] else None
        return {**row,
                "platform": account["platform"] if account else None,
                "base_url": account["base_url"] if account else None,
                "account_ref": account["account_ref"] if account else None,
                "secret_ref": account["secret_ref"] if account else None,
                "account_name": account["name"] if account else None,
                "area": event["area"] if event else None,
                "venue_id": event["venue_id"] if event else None,
                "starts_at": event["facts"].get("starts_at") if event else None}

    async def announced_accounts(self, event_id: UUID) -> set[UUID]:
        return {d["account_id"] for d in self.deliveries.values()
                if d["activity_event_id"] == event_id and d["purpose"] == "announcement"
                and d["status"] in ("published", "sending", "unconfirmed")}

    async def cancel_waiting(self, *, activity_event_id: UUID | None = None,
                             booking_id: UUID | None = None,
                             except_key: str | None = None) -> list[UUID]:
        cancelled = []
        for d in self.deliveries.values():
            if d["status"] == "pending" and d["purpose"] != "board" \
                    and d["idempotency_key"] != except_key and (
                    (activity_event_id is not None
                     and d["activity_event_id"] == activity_event_id)
                    or (booking_id is not None and d["booking_id"] == booking_id)):
                d.update(status="cancelled", recipient=None,
                         last_error="superseded by a newer change")
                cancelled.append(d["id"])
        return cancelled

    async def add_delivery(self, *, key: str, channel: str, target: str, revision: int,
                           purpose: str, status: str, due_at: datetime,
                           content: dict[str, Any] | None, language: str | None,
                           account_id: UUID | None = None,
                           activity_event_id: UUID | None = None,
                           booking_id: UUID | None = None, recipient: str | None = None,
                           error_class: str | None = None,
                           last_error: str | None = None) -> UUID | None:
        if any(d["idempotency_key"] == key for d in self.deliveries.values()):
            return None
        row = self._insert(
            idempotency_key=key, channel=channel, target=target, revision=revision,
            purpose=purpose, status=status, due_at=due_at, content=content, language=language,
            account_id=account_id, activity_event_id=activity_event_id, booking_id=booking_id,
            recipient=recipient, error_class=error_class, last_error=last_error)
        return UUID(str(row["id"]))

    async def out_of_date(self, now: datetime, limit: int = 200) -> list[Row]:
        found = []
        for d in self.deliveries.values():
            event = self.events.get(d["activity_event_id"]) if d["activity_event_id"] else None
            if event is None or d["status"] != "pending" or d["purpose"] == "board":
                continue
            starts = event["facts"].get("starts_at")
            started = starts is not None and datetime.fromisoformat(starts) <= now
            if d["revision"] < event["revision"] or (started and d["purpose"] != "cancellation"):
                found.append({"id": d["id"], "purpose": d["purpose"],
                              "account_id": d["account_id"],
                              "activity_event_id": d["activity_event_id"],
                              "revision": d["revision"], "event_revision": event["revision"],
                              "event_status": event["status"], "facts": event["facts"],
                              "started": started})
        return found[:limit]

    async def cancel_delivery(self, delivery_id: UUID, reason: str) -> None:
        d = self.deliveries[delivery_id]
        if d["status"] == "pending":
            d.update(status="cancelled", recipient=None, last_error=reason)

    async def cancel_notices(self, event_id: UUID, account_id: UUID) -> None:
        for d in self.deliveries.values():
            if (d["activity_event_id"] == event_id and d["account_id"] == account_id
                    and d["status"] == "pending" and d["purpose"] in ("change", "cancellation")):
                d.update(status="cancelled",
                         last_error="the announcement it refers to was never posted")

    async def claim_due(self, replica: str, lease_seconds: float, limit: int,
                        now: datetime) -> list[Row]:
        def ready(d: Row) -> bool:
            account = self.accounts.get(d["account_id"]) if d["account_id"] else None
            return (d["status"] == "pending" and d["due_at"] <= now and account is not None
                    and account["enabled"] and account["state"] == "active"
                    and (account["paused_until"] is None or account["paused_until"] <= now))

        due = sorted((d for d in self.deliveries.values() if ready(d)),
                     key=lambda d: (d["due_at"], d["order"]))[:limit]
        for d in due:
            d.update(status="sending", claimed_by=replica,
                     lease_until=now + timedelta(seconds=lease_seconds),
                     attempts=d["attempts"] + 1)
        return [self._with_account(d) for d in due]

    async def release_claims(self, ids: list[UUID], replica: str, now: datetime) -> int:
        held = [self.deliveries[i] for i in ids if i in self.deliveries
                and self.deliveries[i]["claimed_by"] == replica
                and self.deliveries[i]["status"] == "sending"]
        for d in held:
            d["lease_until"] = now
        return len(held)

    async def lost_leases(self, now: datetime, limit: int = 100) -> list[Row]:
        return [self._with_account(d) for d in self.deliveries.values()
                if d["status"] == "sending" and d["lease_until"] < now][:limit]

    async def get_delivery(self, delivery_id: UUID, for_update: bool = False) -> Row | None:
        d = self.deliveries.get(delivery_id)
        return self._with_account(d) if d is not None else None

    async def mark_published(self, delivery_id: UUID, replica: str, remote_id: str,
                             remote_url: str | None, now: datetime) -> bool:
        d = self.deliveries[delivery_id]
        if d["claimed_by"] != replica or d["status"] not in ("sending", "unconfirmed",
                                                             "pending"):
            return False
        d.update(status="published", published_at=now, remote_id=remote_id,
                 remote_url=remote_url, recipient=None, lease_until=None, last_error=None,
                 error_class=None)
        return True

    async def mark_outcome(self, delivery_id: UUID, replica: str | None, *, status: str,
                           due_at: datetime | None, error_class: str | None,
                           error: str | None, now: datetime, undo_attempt: bool = False,
                           maybe_sent: bool = False) -> bool:
        d = self.deliveries[delivery_id]
        if d["status"] != "sending" or (replica is not None and d["claimed_by"] != replica):
            return False
        d.update(status=status, due_at=due_at or d["due_at"], error_class=error_class,
                 last_error=error, lease_until=None,
                 attempts=d["attempts"] - (1 if undo_attempt else 0))
        if status == "failed":
            d["recipient"] = None
        if maybe_sent and d["maybe_sent_at"] is None:
            d["maybe_sent_at"] = now
        return True

    async def past_resend_window(self, channel: str, seconds: float,
                                 now: datetime) -> list[Row]:
        late = [d for d in self.deliveries.values()
                if d["status"] == "pending" and d["channel"] == channel
                and d["maybe_sent_at"] is not None
                and d["maybe_sent_at"] < now - timedelta(seconds=seconds)]
        for d in late:
            d.update(status="unconfirmed", error_class="unconfirmed",
                     last_error="an earlier try may have posted, and the platform no longer "
                                "recognises a re-send of it")
        return [dict(d) for d in late]

    async def count_deliveries(self) -> list[tuple[str, str, int]]:
        counts: dict[tuple[str, str], int] = {}
        for d in self.deliveries.values():
            counts[(d["channel"], d["status"])] = counts.get((d["channel"], d["status"]), 0) + 1
        return [(c, s, n) for (c, s), n in sorted(counts.items())]

    async def list_deliveries(self, activity_event_id: UUID | None, channel: str | None,
                              status: str | None) -> list[Row]:
        return [dict(d) for d in sorted(self.deliveries.values(), key=lambda d: -d["order"])
                if (activity_event_id is None or d["activity_event_id"] == activity_event_id)
                and (channel is None or d["channel"] == channel)
                and (status is None or d["status"] == status)][:500]

    async def needs_attention(self) -> list[Row]:
        found = []
        for d in self.deliveries.values():
            if d["status"] not in ("failed", "unconfirmed"):
                continue
            if d["activity_event_id"] and any(
                    n["activity_event_id"] == d["activity_event_id"]
                    and n["account_id"] == d["account_id"] and n["purpose"] == d["purpose"]
                    and n["revision"] > d["revision"] for n in self.deliveries.values()):
                continue  # a newer revision's post planned in its place
            row = self._with_account(d)
            event = self.events.get(d["activity_event_id"]) if d["activity_event_id"] else None
            if event is not None and event["status"] == "cancelled" \
                    and d["purpose"] != "cancellation":
                continue  # nothing to decide of a cancelled activity's post
            board = next((b for b in self.boards.values()
                          if event and b["venue_id"] == event["venue_id"]), None)
            found.append({**row, "activity_name": event["facts"].get("name") if event else None,
                          "venue_name": board["name"] if board else None})
        return found

    async def skipped_posts(self, now: datetime) -> list[Row]:
        newest: dict[tuple[Any, Any], Row] = {}
        for d in sorted(self.deliveries.values(),
                        key=lambda d: (-d["revision"], d["purpose"] != "announcement",
                                       d["order"])):
            event = self.events.get(d["activity_event_id"]) if d["activity_event_id"] else None
            if d["status"] != "skipped" or event is None or event["status"] == "cancelled" \
                    or datetime.fromisoformat(event["facts"]["starts_at"]) <= now:
                continue
            if any(n["activity_event_id"] == d["activity_event_id"]
                   and n["account_id"] == d["account_id"] and n["purpose"] == d["purpose"]
                   and n["revision"] > d["revision"] for n in self.deliveries.values()):
                continue  # a newer revision's post planned in its place
            board = next((b for b in self.boards.values()
                          if b["venue_id"] == event["venue_id"]), None)
            newest.setdefault((d["activity_event_id"], d["account_id"]), {
                **self._with_account(d), "activity_name": event["facts"].get("name"),
                "all_day": bool(event["facts"].get("all_day")),
                "venue_name": board["name"] if board else None})
        return sorted(newest.values(), key=lambda r: (r["starts_at"], r["platform"]))

    async def planned_between(self, start: datetime, end: datetime) -> list[Row]:
        found = []
        for d in sorted(self.deliveries.values(), key=lambda d: d["due_at"]):
            if (d["status"] == "pending" and d["purpose"] != "board"
                    and d["channel"] != "email" and d["due_at"] < end):
                event = (self.events.get(d["activity_event_id"])
                         if d["activity_event_id"] else None)
                found.append({**self._with_account(d), "activity_name":
                              event["facts"].get("name") if event else None})
        return found

    async def pending_series_mail(self, series_id: UUID, group: str) -> Row | None:
        waiting = sorted((d for d in self.deliveries.values()
                          if d["status"] == "pending" and d["purpose"] == "booking_cancelled"
                          and (d["content"] or {}).get("series", {}).get("id") == str(series_id)
                          and d["content"]["series"].get("group") == group),
                         key=lambda d: (d["created_at"], str(d["id"])))
        return ({k: waiting[0][k] for k in ("id", "booking_id", "content")}
                if waiting else None)

    async def set_content(self, delivery_id: UUID, content: dict[str, Any],
                          language: str | None) -> None:
        d = self.deliveries[delivery_id]
        if d["status"] == "pending":
            d.update(content=content, language=language)

    async def set_content_text(self, delivery_id: UUID, text: str) -> None:
        d = self.deliveries[delivery_id]
        if d["content"] is not None:
            d["content"] = {**d["content"], "text": text}

    async def decide(self, delivery_id: UUID, *, to: str, allowed_from: tuple[str, ...],
                     who: str, now: datetime, remote_url: str | None = None) -> bool:
        d = self.deliveries[delivery_id]
        if d["status"] not in allowed_from:
            return False
        d.update(status=to, decided_by=who, remote_url=remote_url or d["remote_url"])
        if to == "pending":
            d.update(due_at=now, attempts=0)
        if to == "published":
            d["published_at"] = now
        if to in ("cancelled", "published"):
            d["recipient"] = None
        return True

    # --- registration -----------------------------------------------------------------------

    def _activity(self, event_id: UUID) -> Row | None:
        row = self.events.get(event_id)
        return {k: row[k] for k in ("id", "revision", "status", "facts")} if row else None

    async def lock_activity(self, event_id: UUID) -> Row | None:
        return self._activity(event_id)

    async def get_activity(self, event_id: UUID) -> Row | None:
        return self._activity(event_id)

    async def activities_of_booking(self, booking_id: UUID) -> list[Row]:
        return [{**row, "attendance_reported_at":
                 self.events[row["id"]].get("attendance_reported_at")}
                for row in (self._activity(i) for i in sorted(self.events, key=str))
                if row and (row["facts"] or {}).get("booking_id") == str(booking_id)]

    async def note_attendance_reported(self, event_id: UUID, at: datetime) -> None:
        if event_id in self.events:
            self.events[event_id].setdefault("attendance_reported_at", at)

    async def registration_settings(self, event_id: UUID) -> Row | None:
        row = self.reg_settings.get(event_id)
        return dict(row) if row else None

    async def save_registration_settings(self, event_id: UUID, data: dict[str, Any],
                                         now: datetime) -> None:
        self.reg_settings[event_id] = {"activity_event_id": event_id, **data,
                                       "updated_at": now}

    async def seat_counts(self, event_id: UUID) -> Row:
        rows = [r for r in self.registrations.values() if r["activity_event_id"] == event_id]
        return {"confirmed_seats": sum(r["seats"] for r in rows if r["status"] == "confirmed"),
                "waiting_seats": sum(r["seats"] for r in rows if r["status"] == "waiting"),
                "waiting": sum(r["status"] == "waiting" for r in rows),
                "attended_seats": sum(r["seats"] for r in rows
                                      if r["status"] == "confirmed" and r["attended"])}

    async def address_registered(self, event_id: UUID, email: str) -> bool:
        return any(r["activity_event_id"] == event_id and r["status"] != "cancelled"
                   and (r["email"] or "").lower() == email.lower()
                   for r in self.registrations.values())

    async def live_registration(self, event_id: UUID, email: str) -> Row | None:
        return next(({k: v for k, v in r.items() if k != "order"}
                     for r in self.registrations.values()
                     if r["activity_event_id"] == event_id and r["status"] != "cancelled"
                     and r["anonymised_at"] is None
                     and (r["email"] or "").lower() == email.lower()), None)

    async def note_confirmation_resent(self, registration_id: UUID, at: datetime) -> None:
        self.registrations[registration_id]["confirmation_resent_at"] = at

    async def registrations_since(self, email: str, since: datetime, limit: int) -> Counted:
        return Counted.of((r["created_at"] for r in self.registrations.values()
                           if (r["email"] or "").lower() == email.lower()
                           and r["created_at"] >= since), limit)

    async def note_mail_request(self, sender: str, at: datetime, since: datetime,
                                limit: int) -> Counted:
        before = [t for s, t in self.mail_requests if s == sender and t >= since]
        self.mail_requests.append((sender, at))
        return Counted.of(before, limit)

    async def forget_mail_requests(self, before: datetime) -> int:
        kept = [(s, t) for s, t in self.mail_requests if t >= before]
        gone, self.mail_requests = len(self.mail_requests) - len(kept), kept
        return gone

    async def insert_registration(self, row: dict[str, Any]) -> None:
        self.registrations[row["id"]] = {
            **row, "attended": None, "updated_at": row["created_at"], "cancelled_at": None,
            "anonymised_at": None, "confirmation_resent_at": None,
            "order": next(self._order)}

    async def get_registration(self, registration_id: UUID,
                               for_update: bool = False) -> Row | None:
        row = self.registrations.get(registration_id)
        return {k: v for k, v in row.items() if k != "order"} if row else None

    async def set_registration_status(self, registration_id: UUID, status: str,
                                      now: datetime) -> None:
        row = self.registrations[registration_id]
        row.update(status=status, updated_at=now)
        if status == "cancelled":
            row["cancelled_at"] = now

    async def waiting_list(self, event_id: UUID) -> list[tuple[UUID, int]]:
        rows = sorted((r for r in self.registrations.values()
                       if r["activity_event_id"] == event_id and r["status"] == "waiting"),
                      key=lambda r: (r["created_at"], r["order"]))
        return [(r["id"], r["seats"]) for r in rows]

    async def registrations_of(self, event_id: UUID,
                               statuses: tuple[str, ...] = ("confirmed", "waiting")
                               ) -> list[Row]:
        rows = sorted((r for r in self.registrations.values()
                       if r["activity_event_id"] == event_id and r["status"] in statuses),
                      key=lambda r: (r["status"], r["created_at"], r["order"]))
        return [{k: v for k, v in r.items() if k != "order"} for r in rows]

    async def mark_attended(self, event_id: UUID, marks: dict[UUID, bool],
                            now: datetime) -> int:
        done = 0
        for registration_id, attended in marks.items():
            row = self.registrations.get(registration_id)
            if row and row["activity_event_id"] == event_id and row["status"] == "confirmed":
                row.update(attended=attended, updated_at=now)
                done += 1
        return done

    async def next_counts_sequence(self, event_id: UUID) -> int:
        self.count_sequences[event_id] = self.count_sequences.get(event_id, 0) + 1
        return self.count_sequences[event_id]

    async def anonymise_registrations(self, cutoff: datetime, now: datetime,
                                      limit: int = 1000) -> int:
        done = 0
        for row in self.registrations.values():
            event = self.events.get(row["activity_event_id"])
            if (row["anonymised_at"] is None and event is not None
                    and datetime.fromisoformat(event["facts"]["ends_at"]) <= cutoff):
                row.update(name=None, email=None, answers={}, anonymised_at=now)
                done += 1
        return done

    async def add_reach_delivery(self, *, key: str, purpose: str, account_id: UUID,
                                 due_at: datetime, content: dict[str, Any], language: str,
                                 recipient: str, revision: int = 0,
                                 registration_id: UUID | None = None,
                                 subscription_id: UUID | None = None) -> UUID | None:
        if any(d["idempotency_key"] == key for d in self.deliveries.values()):
            return None
        row = self._insert(
            idempotency_key=key, channel="email", target=f"{account_id}:{purpose}",
            revision=revision, purpose=purpose, status="pending", due_at=due_at,
            content=content, language=language, account_id=account_id, recipient=recipient,
            registration_id=registration_id, subscription_id=subscription_id)
        return UUID(str(row["id"]))

    async def existing_delivery_keys(self, keys: list[str]) -> set[str]:
        return {d["idempotency_key"] for d in self.deliveries.values()} & set(keys)

    # --- following --------------------------------------------------------------------------

    async def insert_subscription(self, row: dict[str, Any]) -> None:
        self.subscriptions[row["id"]] = {**row, "status": "pending", "confirmed_at": None,
                                         "unsubscribed_at": None, "last_digest_at": None}

    async def subscriptions_since(self, email: str, since: datetime, limit: int) -> Counted:
        return Counted.of((r["created_at"] for r in self.subscriptions.values()
                           if r["email"].lower() == email.lower()
                           and r["created_at"] >= since), limit)

    async def confirmations_since(self, email: str, since: datetime, limit: int) -> Counted:
        return Counted.of((d["due_at"] for d in self.deliveries.values()
                           if d["purpose"] in ("subscription_confirm", "subscription_known")
                           and d["subscription_id"] in self.subscriptions
                           and self.subscriptions[d["subscription_id"]]["email"].lower()
                           == email.lower()
                           and d["due_at"] >= since), limit)

    async def lock_address(self, email: str) -> None:
        return None  # one task at a time in the fake

    async def live_subscriptions_of(self, email: str) -> list[Row]:
        return [dict(r) for r in sorted(self.subscriptions.values(),
                                        key=lambda r: (r["created_at"], str(r["id"])))
                if r["email"].lower() == email.lower() and r["status"] != "unsubscribed"]

    async def get_subscription(self, subscription_id: UUID,
                               for_update: bool = False) -> Row | None:
        row = self.subscriptions.get(subscription_id)
        return dict(row) if row else None

    async def update_subscription(self, subscription_id: UUID, data: dict[str, Any]) -> None:
        self.subscriptions[subscription_id].update(data)

    async def set_subscription_status(self, subscription_id: UUID, status: str,
                                      now: datetime) -> None:
        row = self.subscriptions[subscription_id]
        row["status"] = status
        if status == "active":
            row["confirmed_at"] = row["confirmed_at"] or now
        row["unsubscribed_at"] = now if status == "unsubscribed" else None

    async def active_subscriptions(self, limit: int = 500) -> list[Row]:
        rows = [dict(r) for r in self.subscriptions.values() if r["status"] == "active"]
        return rows[:limit]

    async def mark_digest(self, subscription_id: UUID, now: datetime) -> None:
        self.subscriptions[subscription_id]["last_digest_at"] = now

    async def upcoming_activities(self, since: datetime, until: datetime,
                                  limit: int = 2000) -> list[Row]:
        rows = [e for e in self.events.values()
                if e["status"] in ("published", "postponed") and e["facts"]
                and since <= datetime.fromisoformat(e["facts"]["starts_at"]) < until]
        rows.sort(key=lambda e: e["facts"]["starts_at"])
        return [{k: e[k] for k in ("id", "revision", "status", "facts", "updated_at")}
                for e in rows[:limit]]

    async def forget_old_subscriptions(self, cutoff: datetime) -> int:
        gone = [k for k, r in self.subscriptions.items()
                if (r["status"] == "unsubscribed" and r["unsubscribed_at"] <= cutoff)
                or (r["status"] == "pending" and r["created_at"] <= cutoff)]
        for k in gone:
            del self.subscriptions[k]
        return len(gone)

    async def save_vocabulary_term(self, scheme: str, code: str, label: dict[str, Any],
                                   revision: int, retired: bool = False) -> bool:
        kept = self.vocabulary_terms.get((scheme, code))
        if kept is not None and kept["revision"] >= revision:
            return False
        self.vocabulary_terms[(scheme, code)] = {"label": dict(label), "revision": revision,
                                                 "retired": retired}
        return True

    async def known_venues(self, venue_ids: Sequence[UUID]) -> set[UUID]:
        return {b["venue_id"] for b in self.boards.values()} & set(venue_ids)

    async def retired_terms(self) -> set[tuple[str, str]]:
        return {key for key, term in self.vocabulary_terms.items() if term.get("retired")}

    async def vocabulary_labels(self) -> dict[str, dict[str, dict[str, Any]]]:
        found: dict[str, dict[str, dict[str, Any]]] = {}
        for (scheme, code), term in self.vocabulary_terms.items():
            found.setdefault(scheme, {})[code] = dict(term["label"])
        return found

    async def vocabulary_seen(self) -> dict[str, list[str]]:
        live = [e for e in self.events.values() if e["status"] != "cancelled"]
        return {"areas": sorted({e["area"] for e in live if e["area"]}),
                "topics": sorted({t for e in live for t in e["facts"].get("topics", [])}),
                "audiences": sorted({a for e in live
                                     for a in e["facts"].get("audiences", [])}),
                "kinds": sorted({e["facts"]["kind"] for e in live})}
