"""Every operation of the guide, whoever triggers it: a consumed venue or activity event, a
resident's question in the widget or the JSON API, the phone service's staff, the staff
inbox, the retention job. Each runs in one unit of work (`async with uow:` once); "now" comes
from the clock. Routes, handlers and jobs only call these."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Literal
from uuid import UUID, uuid4

from services.guide import domain
from services.guide.domain import (
    LANGS,
    Activity,
    Answer,
    Conversation,
    Lang,
    Links,
    Message,
    Question,
    StaffHours,
    Venue,
)
from services.guide.store import GuideStore
from shared.bounds import plain_text, readable
from shared.clock import HELSINKI, Clock
from shared.contracts import (
    ActivityEventCancelled,
    ActivityEventChange,
    ActivityEventPostponed,
    GuideReplyRequested,
    VenueRegistered,
    VenueUpdated,
)
from shared.email_address import email_address
from shared.errors import Conflict, Invalid, NotFound
from shared.identity import Principal, require
from shared.uow import PgUnitOfWork, UnitOfWork

if TYPE_CHECKING:
    import asyncpg

Uow = UnitOfWork[GuideStore]

#: The longest reason for ending a conversation unanswered (it is the resident's email).
REASON_MAX = 1000
#: The longest answer staff write (it is emailed as it is).
REPLY_MAX = 4000

#: Who works the inbox and may ask on the phone channel.
STAFF = ("desk", "communications")


class AnswerPromised(Conflict):
    """Ending a conversation whose resident was promised an answer by email, without one:
    the staff answer first, or end it saying why (the reason is what the resident is sent)."""


def unit_of_work(pool: asyncpg.Pool) -> PgUnitOfWork[GuideStore]:
    return PgUnitOfWork(pool, GuideStore)


def require_staff(principal: Principal) -> None:
    require(principal, *STAFF)


# --- consumed events ------------------------------------------------------------------------


async def record_venue(uow: Uow, clock: Clock, event: VenueRegistered | VenueUpdated) -> None:
    def hours(items: list[Any]) -> list[dict[str, Any]]:
        return [h.model_dump(mode="json") for h in items]

    async with uow:
        await uow.store.save_venue({
            "venue_id": event.venue_id, "revision": event.revision,
            "name": event.name.model_dump(exclude_none=True), "kind": event.kind,
            "area": event.area, "municipality": event.municipality, "address": event.address,
            "spaces": [{"space_id": str(s.space_id),
                        "name": s.name.model_dump(exclude_none=True),
                        "price_per_hour": (str(s.price_per_hour)
                                           if s.price_per_hour is not None else None),
                        "paid": s.paid, "capacity": s.capacity,
                        "self_service": s.self_service}
                       for s in event.spaces],
            "opening_hours": hours(event.opening_hours), "exceptions": hours(event.exceptions),
            "contact_email": event.contact_email, "contact_phone": event.contact_phone,
            "accessibility": (event.accessibility.model_dump(exclude_none=True)
                              if event.accessibility else None),
            "has_paid_space": event.has_paid_space,
            "accessibility_features": list(event.accessibility_features),
            "lendables": [{"name": item.name.model_dump(exclude_none=True),
                           "quantity": item.quantity} for item in event.lendables]})


async def record_activity(uow: Uow, clock: Clock, event: ActivityEventChange) -> None:
    status = ("cancelled" if isinstance(event, ActivityEventCancelled) else
              "postponed" if isinstance(event, ActivityEventPostponed) else "published")
    async with uow:
        await uow.store.save_activity({
            "event_id": event.event_id, "revision": event.revision, "status": status,
            "name": event.name.model_dump(exclude_none=True),
            "short_description": (event.short_description.model_dump(exclude_none=True)
                                  if event.short_description else None),
            "starts_at": event.starts_at, "ends_at": event.ends_at, "kind": event.kind,
            "venue_id": event.venue_id, "area": event.area, "free": event.free,
            "topics": list(event.topics), "audiences": list(event.audiences),
            "languages": list(event.languages),
            "place_name": (event.place_name.model_dump(exclude_none=True)
                           if event.place_name else None),
            "registration_required": event.registration_required,
            "all_day": event.all_day})


# --- answering ------------------------------------------------------------------------------


async def _resolve_venue(store: GuideStore, question: Question,
                         venues: list[Venue]) -> tuple[Venue | None, bool]:
    venue, ambiguous = domain.pick_venue(question, venues)
    if venue is None and not question.areas and not ambiguous:
        # A place name the rules do not know, or misspelt: trigram similarity of the name.
        for word in question.keywords:
            if len(word) >= 5:
                similar = await store.venues_like(word, limit=2)
                if len(similar) == 1:
                    return similar[0], False
    return venue, ambiguous


async def _answers_clarification(store: GuideStore, reply: Question) -> bool:
    """Whether the reply answers the guide's "which library or area?": a place named by the
    rules (`domain.answers_clarification`), a venue named by its place and kind ("Pitkälahti
    bibliotek", `domain.venues_named`, as `pick_venue` finds it) or a venue's name only
    trigram similarity knows (a misspelt one), as `_resolve_venue` finds it."""
    if domain.answers_clarification(reply):
        return True
    if reply.intent != "unknown":
        return False
    if domain.venues_named(reply.text, await store.venues()):
        return True
    for word in reply.keywords:
        if len(word) >= 5 and len(await store.venues_like(word, limit=2)) == 1:
            return True
    return False


async def _compose(store: GuideStore, question: Question, clock: Clock,
                   links: Links) -> Answer:
    now = clock.now()
    today = now.astimezone(HELSINKI).date()
    lang = question.language
    venues = await store.venues()
    area = question.areas[0] if len(question.areas) == 1 else None
    intent = question.intent
    if intent == "person":
        return domain.person_handover(question, area)
    if intent == "courtesy":
        return domain.answer_courtesy(question)
    if intent == "lending":
        venue, _ = domain.pick_venue(question, venues)
        return domain.answer_lending(question, venue, venues, area, links)
    if intent == "facility":
        # A toilet, parking, wifi asked after: the named library's, or which one is meant
        # (its answer then completes this question, `in_context`).
        venue, ambiguous = await _resolve_venue(store, question, venues)
        if venue is not None:
            return domain.answer_facility(question, venue, links)
        if question.areas and not ambiguous:
            return domain.handover(question, area, domain.reason("no_venue", lang))
        return domain.clarify_place(question, [v for v in venues if v.kind == "library"])
    if intent == "unknown" and not question.keywords:
        return domain.handover(question, area, domain.reason("unknown", lang))
    if intent in ("events", "unknown", "hours"):
        # Dates that are no days, or beyond what the guide holds: said so, never searched
        # (the end of year 9999 has no next day) nor answered as another period.
        problem = domain.date_problem(question, today)
        if problem is not None:
            return domain.answer_date_problem(question, problem, today)
    if intent in ("events", "unknown"):
        period = domain.events_period(question, today)
        # An evening asked of a day ("tänään illalla", "i morgon kväll"): that day's
        # activities from the late afternoon on.
        start = datetime.combine(period.first, domain.EVENING_FROM if question.evening and (
            period.first == period.last) else time(0), HELSINKI)
        end = datetime.combine(period.last + timedelta(days=1), time(0), HELSINKI)
        structured = bool(question.audience or question.topics)
        window: dict[str, Any] = dict(
            language=lang, starts=max(start, now) if period.first == today else start,
            ends=end, areas=list(question.areas) or None, audience=question.audience,
            free=question.free, spoken=question.spoken)
        async def search(**within: Any) -> list[Activity]:
            found = await store.find_activities(
                **within, topics=list(question.topics) or None,
                keywords=None if structured else list(question.keywords) or None)
            if structured and question.keywords:
                # The words are an event's name too ("Lukupiiri" filed under culture, not
                # stories): searched by name as well, whatever topic the word suggests.
                named = await store.find_activities(**within, topics=None,
                                                    keywords=list(question.keywords))
                found = sorted({a.event_id: a for a in [*found, *named]}.values(),
                               key=lambda a: (a.starts_at, str(a.event_id)))
            return found

        found = await search(**window)
        if not found and intent == "events" and question.period is None:
            # No date asked and nothing in the coming two weeks: the same search further
            # on, so that a topic's next event (on day 15) is named, not handed over; the
            # two weeks are said.
            two_weeks, period = period, domain.look_ahead(today)
            found = await search(**{**window, "ends": datetime.combine(
                period.last + timedelta(days=1), time(0), HELSINKI)})
            if found:
                return domain.answer_events_later(
                    question, found, {v.venue_id: v for v in venues}, two_weeks, links,
                    today=today)
        if found and intent == "unknown":
            # Words the rules did not understand ("Saako tiloissa pitää kokousta myöhään
            # illalla?"): an answer only with events one of those words names, never one
            # the search found by a loose likeness ("illalla" a board-game "ilta").
            found = [a for a in found if domain.names_event(question, a)]
        if not found and question.asks_activity:
            # Asked whether or where there is one: the calendar has none, said so.
            return domain.answer_not_in_calendar(question, period, links, today=today)
        if not found and (intent == "unknown" or (
                question.period is None and not question.asks_events)):
            # Words the rules do not know, or only a topic or audience ("lapsille"): an
            # answer only if the calendar has them, never "no events" to a question that
            # did not ask what is on. A topic asked about is about events: said so, with
            # the period searched.
            if intent == "events" and question.topics:
                return domain.handover(question, area,
                                       domain.no_events_reason(period, lang, today))
            return domain.handover(question, area, domain.reason("unknown", lang))
        return domain.answer_events(question, found, {v.venue_id: v for v in venues},
                                    period, links, today=today)
    if intent == "hours" and question.all_venues and not question.areas:
        # "Are the libraries open…": each library's hours that day, or which one is meant.
        libraries = [v for v in venues if v.kind == "library"]
        return domain.answer_hours_all(question, libraries, now, links) or (
            domain.clarify_place(question, libraries))
    venue, ambiguous = await _resolve_venue(store, question, venues)
    if intent == "rules":
        if venue is None and ambiguous:
            return domain.clarify_place(question, venues)
        return domain.answer_rules(question, venue, links, domain.main_library(venues))
    if intent == "booking" and question.late is not None:
        # Using a space late: the hours its spaces can be booked in, when the data says.
        if venue is None and (ambiguous or question.areas):
            return domain.clarify_place(question, [v for v in venues if v.kind == "library"])
        return domain.answer_late_use(question, venue, venues, links) or domain.handover(
            question, venue.area if venue else area, domain.reason("no_booking_hours", lang))
    if intent == "booking":
        return domain.answer_booking(question, venue, links)
    if intent == "contact":
        return domain.answer_contact(question, venue, area, links)
    if venue is None:
        if question.areas and not ambiguous:
            return domain.handover(question, area, domain.reason("no_venue", lang))
        return domain.clarify_place(question, [v for v in venues if v.kind == "library"])
    if intent == "hours":
        if not any(h.opens for h in venue.hours) and not venue.exceptions:
            return domain.handover(question, venue.area, domain.reason("no_hours", lang))
        return domain.answer_hours(question, venue, now, links)
    if intent == "location":
        return domain.answer_location(question, venue, links) or domain.handover(
            question, venue.area, domain.reason("no_address", lang))
    return domain.answer_accessibility(question, venue, links) or domain.handover(
        question, venue.area, domain.reason("no_access", lang))


def answer_json(answer: Answer) -> dict[str, Any]:
    return {"kind": answer.kind, "text": answer.text, "language": answer.language,
            # Each title with its runs too: a venue named in another language only is
            # marked in the title that names it, as the answer's own words are.
            "citations": [{"title": c.title, "url": c.url, "lang": c.lang,
                           "parts": [asdict(p) for p in domain.citation_parts(
                               c, answer.language)]} for c in answer.citations],
            "confident": answer.confident, "offer_person": answer.offer_person,
            "queue": answer.queue, "event_ids": [str(e) for e in answer.event_ids],
            "venue_ids": [str(v) for v in answer.venue_ids],
            "parts": [asdict(p) for p in domain.parts(answer)]}


def _lines(text: str) -> str:
    """A text's line ends as one: a form's CR LF (a textarea's lines, as browsers send them)
    and a lone CR are a line feed."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _check_plain(text: str, field: str) -> None:
    """A text a person reads (the resident's question in the staff's inbox and their chat,
    the staff's answer in the chat and the resident's email) shows as typed: no control
    character but line breaks and tabs, no text-direction one (an escape sequence, a
    U+202E that turns the rest around), as every service refuses (`shared.bounds`)."""
    if not plain_text(text):
        raise Invalid("the text has a control or text-direction character", field=field,
                      code="text_chars")


def nothing_to_read(field: str) -> Invalid:
    """The refusal of a question with nothing to read, by its input (`question` on `/ask`,
    `text` in a conversation): said as the question's in every way (`pages.refusal`), and
    by the widget before it asks (the same words)."""
    return Invalid("the question has nothing to read", field=field, code="string_too_short",
                   min_length=1)


def _question_text(text: str, field: str) -> str:
    """The question as kept, or its refusal. It has something to read: empty, or spaces or a
    zero-width space only (they were answered "I cannot answer this"), one refusal for all,
    whatever way it came (the schemas leave it here: an empty one was FastAPI's `invalid`,
    a blank one this); and it shows as typed (`_check_plain`)."""
    if not readable(text):
        raise nothing_to_read(field)
    text = _lines(text)
    _check_plain(text, field)
    return text


async def answer(uow: Uow, clock: Clock, links: Links, text: str,
                 hint: Lang | None = None,
                 reader: Lang | None = None) -> tuple[Question, Answer]:
    """One question, no conversation kept (the JSON API for other city channels). The
    question's language by its words, else `hint` (the language asked for), else `reader`
    (the reader's chosen language), else Finnish."""
    text = _question_text(text, "question")
    question = domain.understand(text, clock.now().astimezone(HELSINKI).date(), hint,
                                 reader)
    async with uow:
        return question, await _compose(uow.store, question, clock, links)


# --- conversations --------------------------------------------------------------------------


async def start_conversation(uow: Uow, clock: Clock, principal: Principal, language: Lang,
                             channel: str) -> Conversation:
    if channel == "phone":
        require_staff(principal)  # the phone service's staff use the guide as their search
    now = clock.now()
    conversation = Conversation(conversation_id=uuid4(), created_at=now, updated_at=now,
                                language=language, channel=channel, status="open")
    async with uow:
        await uow.store.add_conversation(conversation)
    return conversation


async def _get(store: GuideStore, conversation_id: UUID, lock: bool = False) -> Conversation:
    conversation = await store.conversation(conversation_id, lock=lock)
    if conversation is None:
        raise NotFound("no such conversation (conversations are kept for a limited time)",
                       code="no_conversation")
    return conversation


async def get_conversation(uow: Uow, conversation_id: UUID) -> Conversation:
    async with uow:
        return await _get(uow.store, conversation_id)


async def conversation_language(uow: Uow, conversation_id: UUID) -> Lang | None:
    """The language a refusal in the conversation is said in: the conversation's own (as
    its latest question set it), or None when there is no such conversation."""
    async with uow:
        found = await uow.store.conversation_language(conversation_id)
    return next((lang for lang in LANGS if lang == found), None)


async def ask(uow: Uow, clock: Clock, links: Links, conversation_id: UUID,
              text: str) -> tuple[Conversation, Answer]:
    """A resident's (or phone staff's) question in a conversation, and the guide's answer.
    While a person has the conversation, the question waits for them instead."""
    text = _question_text(text, "text")
    now = clock.now()
    async with uow:
        conversation = await _get(uow.store, conversation_id, lock=True)
        if conversation.status == "closed":
            raise Conflict("the conversation is closed; start a new one",
                           code="conversation_closed")
        today = now.astimezone(HELSINKI).date()
        question = domain.understand(text, today, conversation.language)
        asked = domain.clarified(conversation.messages)
        if asked is not None and await _answers_clarification(uow.store, question):
            # The answer to the guide's own "which library or area?": the question it
            # completes, not a question of its own (which has none to answer).
            question = domain.in_context(asked, text, today, conversation.language)
        await uow.store.add_message(conversation_id, Message(uuid4(), now, "resident", text))
        result = await _compose(uow.store, question, clock, links)
        if conversation.status not in ("waiting", "awaiting_reply"):
            # While a person has it, it stays in their inbox; the guide still answers.
            conversation.status = "open"
        conversation.language = question.language
        if question.areas and len(question.areas) == 1:
            conversation.area = question.areas[0]
        if conversation.status == "open" and (question.region or len(question.areas) == 1):
            # A coordinator asked for by area group ("södra området") has no place to keep:
            # its queue is kept for the hand-over instead, until a place is named.
            conversation.queue = result.queue if question.region else None
        conversation.updated_at = now
        # A clarifying question keeps the question it asks about, as read, for the reply.
        kept = {"asked": question.text} if result.kind == "clarify" else {}
        await uow.store.add_message(conversation_id, Message(
            uuid4(), now, "guide", result.text,
            answer={**answer_json(result), **kept}))
        await uow.store.update_conversation(conversation)
        conversation.messages = (await _get(uow.store, conversation_id)).messages
    return conversation, result


async def hand_over(uow: Uow, clock: Clock, staff_hours: StaffHours, conversation_id: UUID,
                    queue: str | None, contact_email: str | None,
                    consent: bool) -> tuple[Conversation, bool]:
    """Pass the conversation to a person. During the staff's hours it waits in their inbox
    and the answer comes to the chat; outside them the resident leaves an email address
    (with consent: the one personal datum kept, erased when answered). Returns whether a
    person is on duty now."""
    now = clock.now()
    staffed = staff_hours.staffed_at(now)
    async with uow:
        # The conversation first: no address is asked for one that is gone or ended.
        conversation = await _get(uow.store, conversation_id, lock=True)
        if conversation.status == "closed":
            raise Conflict("the conversation is closed; start a new one",
                           code="conversation_closed")
        if not any(m.author == "resident" for m in conversation.messages):
            raise Invalid("ask your question first", field="conversation_id",
                          code="question_first")
        if contact_email is not None:
            if not consent:
                raise Invalid("the address is kept only with your consent", field="consent",
                              code="consent_needed")
            if email_address(contact_email) is None:
                raise Invalid("not an email address", field="contact_email",
                              code="email_invalid")
        elif not staffed:
            raise Invalid("outside the staff's hours the answer comes by email: leave an "
                          "address", field="contact_email", code="email_needed")
        conversation.queue = queue or (
            conversation.queue if conversation.status == "open" and conversation.queue
            else domain.queue_for(conversation.area))
        conversation.contact_email = contact_email
        conversation.status = "awaiting_reply" if contact_email else "waiting"
        conversation.updated_at = now
        await uow.store.update_conversation(conversation)
    return conversation, staffed


async def inbox(uow: Uow, principal: Principal, queues: list[str] | None) -> list[Conversation]:
    require_staff(principal)
    async with uow:
        return await uow.store.inbox(queues)


class AddressErased(Conflict):
    """An answer its sender was told goes by email (the inbox's form said so when it was
    drawn), to a conversation whose address is gone: erased when the first answer was
    emailed. Not sent silently to the chat alone: the sender is told it would reach the
    resident only there, if they come back to it, and sends it again knowing that."""


@dataclass(frozen=True)
class Replied:
    """A staff answer as it went: the conversation after it, the answer's message, whether
    it was emailed, whether it was the same answer sent again (then not stored twice: its
    first sending's message), and whether it reached the chat only because the address an
    earlier answer was emailed to is erased (the resident sees it only if they come back)."""

    conversation: Conversation
    message: Message
    emailed: bool
    repeated: bool = False
    chat_only_after_email: bool = False


def emailed_before(conversation: Conversation) -> bool:
    """Whether an earlier answer went to the resident's email, its address erased since: a
    later answer reaches them only in the chat, if they come back to it."""
    return conversation.contact_email is None and any(
        m.author == "staff" and m.emailed for m in conversation.messages)


async def reply(uow: Uow, clock: Clock, principal: Principal, conversation_id: UUID,
                text: str, expected: str | None = None) -> Replied:
    """Staff answer. In the chat it shows at once; when the resident left an email, the
    answer goes by email (notifications sends `guide.reply_requested`) and the address is
    erased here. The same answer sent again (a double click, a form sent again from the
    browser's history) while it is still the conversation's last word is not stored or
    emailed twice: `repeated`, with the first sending. `expected="email"`: the sender was
    told it goes by email; with the address erased meanwhile it is refused
    (`AddressErased`), not sent to the chat alone unawares. Any other `expected` (a form
    tampered with) is refused, nothing sent: the sender was told nothing of ours."""
    require_staff(principal)
    if expected not in (None, "email", "chat"):
        raise Invalid("expected is email or chat: where the sender was told the answer goes",
                      field="expected", code="expected_unknown")
    text = _lines(text).strip()
    # Spaces or a zero-width space only would be an empty answer, emailed as such.
    if not readable(text):
        raise Invalid("an answer needs something to read", field="text", code="reply_empty")
    if len(text) > REPLY_MAX:
        # Its length said too: one pasted far over the limit is told how much to cut.
        raise Invalid(f"{len(text)} characters, at most {REPLY_MAX}", field="text",
                      code="reply_too_long", max_length=REPLY_MAX, length=len(text))
    _check_plain(text, "text")
    now = clock.now()
    async with uow:
        conversation = await _get(uow.store, conversation_id, lock=True)
        if conversation.status == "closed":
            raise Conflict("the conversation is closed", code="conversation_closed")
        last = conversation.messages[-1] if conversation.messages else None
        if last is not None and last.author == "staff" and last.text == text:
            # The conversation is locked: a second sending of one form waits for the
            # first and finds its answer here.
            return Replied(conversation, last, last.emailed, repeated=True)
        if expected == "email" and conversation.contact_email is None:
            raise AddressErased("the resident's address was erased when an earlier answer "
                                "was emailed: this answer would reach them only in the "
                                "chat, if they come back to it; to send it there, send it "
                                "again with expected chat (or none)",
                                field="text", code="address_erased")
        after_email = emailed_before(conversation)
        message = await _answer(uow, principal, conversation, text, now)
        conversation.status = "answered"
        conversation.updated_at = now
        await uow.store.update_conversation(conversation)
        conversation.messages = (await _get(uow.store, conversation_id)).messages
    return Replied(conversation, message, message.emailed,
                   chat_only_after_email=after_email and not message.emailed)


async def _answer(uow: Uow, principal: Principal, conversation: Conversation, text: str,
                  now: datetime) -> Message:
    """The staff's message in the conversation; to a resident who left an address, also by
    email (`guide.reply_requested`), and the address is erased."""
    name = principal.name or "Kohtaamo"
    message = Message(uuid4(), now, "staff", text, staff_name=name,
                      emailed=conversation.contact_email is not None)
    await uow.store.add_message(conversation.conversation_id, message)
    if conversation.contact_email:
        question = next((m.text for m in reversed(conversation.messages)
                         if m.author == "resident"), "")
        await uow.publish(GuideReplyRequested(
            conversation_id=conversation.conversation_id, message_id=message.message_id,
            contact_email=conversation.contact_email,
            contact_language=conversation.language, question=question[:2000],
            answer=text[:4000], answered_by=name[:200]))
        conversation.contact_email = None
    return message


class ReasonNotKept(Conflict):
    """A reason to end a conversation that had already ended with another (or none): its
    ending stands as it was, and the later reason is neither sent nor kept."""


@dataclass(frozen=True)
class Closed:
    """A conversation as its ending left it, and what became of the reason: `reason` says
    where it went (`emailed` to the resident promised an answer; `chat`, the conversation
    only, which they see if they come back to it), None when none was given or none sent
    now. `already_closed`: it had ended before, nothing changed; `repeated` with it: the
    reason given was the one it ended with (a form sent twice), not sent again."""

    conversation: Conversation
    reason: Literal["emailed", "chat"] | None = None
    already_closed: bool = False
    repeated: bool = False
    chat_only_after_email: bool = False


async def close(uow: Uow, clock: Clock, principal: Principal, conversation_id: UUID,
                reason: str = "") -> Closed:
    """Staff end a conversation. One whose resident was promised an answer by email (the
    address still kept: not answered yet) is not ended unasked, as the promise would go
    silently: without a reason it is refused (`AnswerPromised`); with one, the reason is
    sent to the resident as the staff's answer, by email as a reply is, and the address
    erased. A reason to one without an address (answered meanwhile, or a chat) is the
    staff's last word in the chat, not dropped. One already ended stays as it ended: the
    reason it ended with sent again is `repeated`, another is refused (`ReasonNotKept`),
    nothing stored."""
    require_staff(principal)
    # Nothing to read counts as no reason (then refused when an answer was promised).
    reason = _lines(reason).strip() if readable(reason) else ""
    if len(reason) > REASON_MAX:
        raise Invalid(f"{len(reason)} characters, at most {REASON_MAX}", field="reason",
                      code="reason_too_long", max_length=REASON_MAX, length=len(reason))
    _check_plain(reason, "reason")  # emailed to the resident as the staff's answer
    now = clock.now()
    async with uow:
        conversation = await _get(uow.store, conversation_id, lock=True)
        if conversation.status == "closed":
            last = conversation.messages[-1] if conversation.messages else None
            if not reason:
                return Closed(conversation, already_closed=True)
            if last is not None and last.author == "staff" and last.text == reason:
                # The conversation is locked: a second sending of one form finds the first.
                return Closed(conversation, "emailed" if last.emailed else "chat",
                              already_closed=True, repeated=True)
            raise ReasonNotKept("the conversation had already ended: this reason was not "
                                "sent or kept, and the conversation stays as it ended",
                                field="reason", code="conversation_closed")
        if conversation.contact_email and not reason:
            raise AnswerPromised("the resident was promised an answer by email: answer "
                                 "first, or close it saying why", field="reason",
                                 code="answer_promised")
        after_email = emailed_before(conversation)
        message = await _answer(uow, principal, conversation, reason, now) if reason else None
        conversation.status = "closed"
        conversation.contact_email = None
        conversation.updated_at = now
        await uow.store.update_conversation(conversation)
        if message is not None:
            conversation.messages = (await _get(uow.store, conversation_id)).messages
    if message is None:
        return Closed(conversation)
    return Closed(conversation, "emailed" if message.emailed else "chat",
                  chat_only_after_email=after_email and not message.emailed)


async def purge_expired(uow: Uow, clock: Clock, retention_days: int) -> int:
    """Conversations are kept only for the retention period. (An email reply's outbox row,
    which holds the address, is deleted by the relay as soon as Kafka has it.)"""
    async with uow:
        return await uow.store.delete_older_than(
            domain.expired_before(clock.now(), retention_days))
