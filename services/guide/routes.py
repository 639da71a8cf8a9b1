"""JSON API of the guide, for the widget and other city channels: ask a question, hold a
conversation, hand it to a person; the staff inbox's answers. Parsing, auth and status codes
only: each route calls one use case."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from services.guide import usecases
from services.guide.domain import LANGS, Lang
from services.guide.schemas import (
    AnswerOut,
    AskOut,
    ClosedOut,
    CloseIn,
    CloseOut,
    ConversationIn,
    ConversationOut,
    HandoverIn,
    MessageIn,
    QuestionIn,
    ReplyIn,
    ReplyOut,
    ReplySentOut,
)
from services.guide.settings import settings
from shared.auth import CurrentPrincipal, SignedIn
from shared.db import DatabaseOutage
from shared.errors import DomainError
from shared.http import (
    Refused,
    domain_refusal,
    input_refusal,
    invalid_fields,
    language_tag,
    media_type_refused,
    printable,
    reader_language,
    refused_input,
    wants_html,
    weighted,
)
from shared.service import CurrentClock, Pool

uow = usecases.unit_of_work


class InConversationLanguage(APIRoute):
    """A route of the resident's side: a refusal (4xx, as JSON) to a reader who names no
    language (no `?lang=`, cookie or Accept-Language of ours) is said in the conversation's
    language, else in the `language` the body gives (a question to `/ask`, a conversation
    started), where it was said in Finnish (a client sending no Accept-Language heard a
    Swedish conversation, and a Swedish question, refused in Finnish). A reader's own choice
    still comes first, as for every refusal (`reader_language`); with neither it is Finnish.
    A browser's page and an outage's 503 are left to the shared handlers."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except (RequestValidationError, DomainError) as exc:
                if isinstance(exc, DatabaseOutage) or wants_html(request):
                    raise
                lang = None if _names_a_language(request) else (
                    await _conversation_language(request) or await _body_language(request))
                # The shared handlers' own answer, read in the conversation's language: a
                # copy of the request that names it (`?lang=`), read for that alone.
                said_in = request if lang is None else Request(
                    {**request.scope, "query_string": f"lang={lang}".encode()},
                    request.receive)
                if isinstance(exc, RequestValidationError):
                    return _input_refused(said_in, exc)
                if lang is None or lang == "fi":
                    raise
                return domain_refusal(said_in, exc)

        return answer


def _input_refused(request: Request, exc: RequestValidationError) -> Response:
    """The shared 422 of inputs a schema refused (`input_refusal`), but a conversation's
    `text` named as what it is, the question ("Fråga: högst 1 000 tecken"): as the widget's
    label and the refusal of an empty question name it, not "Text:" for a character that
    cannot be shown or one too many and "Fråga:" for none."""
    if media_type_refused(request, exc):
        return input_refusal(request, exc)
    errors = printable(jsonable_encoder(
        exc.errors(), custom_encoder={bytes: lambda b: b.decode("utf-8", "replace")}))
    fields = [Refused("question", getattr(f, "kind", ""), getattr(f, "ctx", None),
                      getattr(f, "bounds", None)) if f == "text" else f
              for f in invalid_fields(exc, request)]
    return refused_input(errors, fields, reader_language(request))


def _names_a_language(request: Request) -> bool:
    """Whether the reader chose a language of ours, where `reader_language` looks for one
    (the address, the cookie, Accept-Language), rather than being given Finnish for none."""
    return any(language_tag(named) is not None for named in (
        request.query_params.get("lang"), request.cookies.get("kohtaamo_lang"),
        *(tag for tag, _ in weighted(request.headers.get("accept-language", "")))))


async def _conversation_language(request: Request) -> Lang | None:
    """The language of the conversation the request's address names, or None (no such
    conversation, or an id that is none; the database not answering)."""
    try:
        conversation_id = UUID(str(request.path_params.get("conversation_id")))
    except ValueError:
        return None
    pool = getattr(request.state, "refusal_pool", None)
    if pool is None:  # refused before the route had its pool
        return None
    try:
        return await usecases.conversation_language(uow(pool), conversation_id)
    except DatabaseOutage:
        return None


async def _body_language(request: Request) -> Lang | None:
    """The `language` a JSON body names (fi, sv or en), or None: no body, no JSON object, no
    such field. The route has read the body by then; a body not read is none."""
    try:
        body = json.loads(await request.body())
    except (ValueError, RuntimeError):  # not JSON (nor UTF-8); a stream read elsewhere
        return None
    named = body.get("language") if isinstance(body, dict) else None
    return next((lang for lang in LANGS if lang == named), None)


async def _keep_pool(request: Request, pool: Pool) -> None:
    """The route's pool (its dependency, as every route's), kept to read the conversation's
    language should the route refuse."""
    request.state.refusal_pool = pool


router = APIRouter(tags=["guide"])
#: The resident's side of a conversation (the staff's refusals are in their own language).
resident = APIRouter(tags=["guide"], route_class=InConversationLanguage,
                     dependencies=[Depends(_keep_pool)])


@resident.post("/ask")
async def ask(body: QuestionIn, request: Request, pool: Pool, clock: CurrentClock) -> AskOut:
    """One question without a conversation: for other city channels. The answer is in the
    question's language; when its words do not tell ("hello"), in `language`, else in the
    reader's (`?lang=`, the `kohtaamo_lang` cookie, Accept-Language), else in Finnish."""
    # As the guide's `Lang` (reader_language names only fi, sv or en).
    chosen = reader_language(request)
    reader: Lang = next((lang for lang in LANGS if lang == chosen), "fi")
    question, answer = await usecases.answer(uow(pool), clock, settings().links,
                                             body.question, body.language, reader)
    understood: dict[str, Any] = {
        "language": question.language, "intent": question.intent,
        "areas": list(question.areas), "audience": question.audience,
        "topics": list(question.topics), "free": question.free,
        "organiser_type": question.organiser_type,
        "period": ({"first": question.period.first.isoformat(),
                    "last": question.period.last.isoformat()} if question.period else None)}
    return AskOut(question=body.question, understood=understood,
                  answer=AnswerOut.model_validate(usecases.answer_json(answer)))


@router.get("/staff-hours")
async def staff_hours(clock: CurrentClock) -> dict[str, Any]:
    hours = settings().staff_hours
    opens, closes = hours.span_text()
    return {"staffed_now": hours.staffed_at(clock.now()),
            "weekdays": sorted(hours.weekdays), "opens": opens, "closes": closes,
            "time_zone": "Europe/Helsinki"}


@resident.post("/conversations", status_code=201)
async def start(body: ConversationIn, pool: Pool, clock: CurrentClock,
                principal: CurrentPrincipal) -> ConversationOut:
    conversation = await usecases.start_conversation(uow(pool), clock, principal,
                                                     body.language, body.channel)
    return ConversationOut.of(conversation, settings().staff_hours.staffed_at(clock.now()))


@resident.get("/conversations/{conversation_id}")
async def get(conversation_id: UUID, pool: Pool, clock: CurrentClock) -> ConversationOut:
    """The conversation's messages (the widget polls this for a person's answer). Its id is
    random and known only to whoever started it."""
    conversation = await usecases.get_conversation(uow(pool), conversation_id)
    return ConversationOut.of(conversation, settings().staff_hours.staffed_at(clock.now()))


@resident.post("/conversations/{conversation_id}/messages")
async def post_message(conversation_id: UUID, body: MessageIn, pool: Pool,
                       clock: CurrentClock) -> dict[str, Any]:
    conversation, answer = await usecases.ask(uow(pool), clock, settings().links,
                                              conversation_id, body.text)
    return {"answer": AnswerOut.model_validate(usecases.answer_json(answer)),
            "conversation": ConversationOut.of(
                conversation, settings().staff_hours.staffed_at(clock.now()))}


@resident.post("/conversations/{conversation_id}/handover")
async def handover(conversation_id: UUID, body: HandoverIn, pool: Pool,
                   clock: CurrentClock) -> ConversationOut:
    conversation, staffed = await usecases.hand_over(
        uow(pool), clock, settings().staff_hours, conversation_id, body.queue,
        body.contact_email, body.consent)
    return ConversationOut.of(conversation, staffed)


router.include_router(resident)
Queue = Literal["desk", "coordinator:city", "coordinator:north", "coordinator:south"]


@router.get("/inbox", tags=["staff"])
async def inbox(pool: Pool, principal: SignedIn,
                queue: Annotated[list[Queue] | None, Query()] = None) -> list[ConversationOut]:
    """Conversations waiting for a person (desk or communications staff)."""
    return [ConversationOut.of(c) for c in await usecases.inbox(uow(pool), principal,
                                                                 list(queue) if queue else None)]


@router.post("/conversations/{conversation_id}/replies", tags=["staff"])
async def staff_reply(conversation_id: UUID, body: ReplyIn, pool: Pool, clock: CurrentClock,
                      principal: SignedIn) -> ReplyOut:
    """Answer the resident: by email too if they left an address (then erased), else in
    the chat only; `reply` says which. The same answer sent again is not sent twice
    (`reply.repeated`)."""
    sent = await usecases.reply(uow(pool), clock, principal, conversation_id, body.text,
                                body.expected)
    return ReplyOut(**dict(ConversationOut.of(sent.conversation)), reply=ReplySentOut(
        message_id=sent.message.message_id, emailed=sent.emailed, repeated=sent.repeated,
        chat_only_after_email=sent.chat_only_after_email))


@router.post("/conversations/{conversation_id}/close", tags=["staff"])
async def close(conversation_id: UUID, pool: Pool, clock: CurrentClock,
                principal: SignedIn, body: CloseIn | None = None) -> CloseOut:
    """End the conversation. One whose resident waits for an answer by email needs a
    `reason` (emailed to them as the staff's answer), else 409 `answer_promised`; to one
    without an address the reason goes to the chat. One already ended stays as it ended
    (`close.already_closed`): its own reason again is `close.repeated`, another reason 409
    `conversation_closed`, not kept. `close.reason` says where the reason went."""
    closed = await usecases.close(uow(pool), clock, principal, conversation_id,
                                  body.reason if body else "")
    return CloseOut(**dict(ConversationOut.of(closed.conversation)), close=ClosedOut(
        reason=closed.reason, already_closed=closed.already_closed,
        repeated=closed.repeated, chat_only_after_email=closed.chat_only_after_email))
