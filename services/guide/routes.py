"""JSON API of the guide, for the widget and other city channels: ask a question, hold a
conversation, hand it to a person; the staff inbox's answers. Parsing, auth and status codes
only: each route calls one use case."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request

from services.guide import usecases
from services.guide.domain import LANGS, Lang
from services.guide.schemas import (
    AnswerOut,
    AskOut,
    CloseIn,
    ConversationIn,
    ConversationOut,
    HandoverIn,
    MessageIn,
    QuestionIn,
    ReplyIn,
)
from services.guide.settings import settings
from shared.auth import CurrentPrincipal, SignedIn
from shared.http import reader_language
from shared.service import CurrentClock, Pool

router = APIRouter(tags=["guide"])
uow = usecases.unit_of_work


@router.post("/ask")
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


@router.post("/conversations", status_code=201)
async def start(body: ConversationIn, pool: Pool, clock: CurrentClock,
                principal: CurrentPrincipal) -> ConversationOut:
    conversation = await usecases.start_conversation(uow(pool), clock, principal,
                                                     body.language, body.channel)
    return ConversationOut.of(conversation, settings().staff_hours.staffed_at(clock.now()))


@router.get("/conversations/{conversation_id}")
async def get(conversation_id: UUID, pool: Pool, clock: CurrentClock) -> ConversationOut:
    """The conversation's messages (the widget polls this for a person's answer). Its id is
    random and known only to whoever started it."""
    conversation = await usecases.get_conversation(uow(pool), conversation_id)
    return ConversationOut.of(conversation, settings().staff_hours.staffed_at(clock.now()))


@router.post("/conversations/{conversation_id}/messages")
async def post_message(conversation_id: UUID, body: MessageIn, pool: Pool,
                       clock: CurrentClock) -> dict[str, Any]:
    conversation, answer = await usecases.ask(uow(pool), clock, settings().links,
                                              conversation_id, body.text)
    return {"answer": AnswerOut.model_validate(usecases.answer_json(answer)),
            "conversation": ConversationOut.of(
                conversation, settings().staff_hours.staffed_at(clock.now()))}


@router.post("/conversations/{conversation_id}/handover")
async def handover(conversation_id: UUID, body: HandoverIn, pool: Pool,
                   clock: CurrentClock) -> ConversationOut:
    conversation, staffed = await usecases.hand_over(
        uow(pool), clock, settings().staff_hours, conversation_id, body.queue,
        body.contact_email, body.consent)
    return ConversationOut.of(conversation, staffed)


Queue = Literal["desk", "coordinator:city", "coordinator:north", "coordinator:south"]


@router.get("/inbox", tags=["staff"])
async def inbox(pool: Pool, principal: SignedIn,
                queue: Annotated[list[Queue] | None, Query()] = None) -> list[ConversationOut]:
    """Conversations waiting for a person (desk or communications staff)."""
    return [ConversationOut.of(c) for c in await usecases.inbox(uow(pool), principal,
                                                                 list(queue) if queue else None)]


@router.post("/conversations/{conversation_id}/replies", tags=["staff"])
async def staff_reply(conversation_id: UUID, body: ReplyIn, pool: Pool, clock: CurrentClock,
                      principal: SignedIn) -> ConversationOut:
    return ConversationOut.of(await usecases.reply(uow(pool), clock, principal,
                                                   conversation_id, body.text))


@router.post("/conversations/{conversation_id}/close", tags=["staff"])
async def close(conversation_id: UUID, pool: Pool, clock: CurrentClock,
                principal: SignedIn, body: CloseIn | None = None) -> ConversationOut:
    """End the conversation. One whose resident waits for an answer by email needs a
    `reason` (emailed to them as the staff's answer), else 409 `answer_promised`."""
    return ConversationOut.of(await usecases.close(uow(pool), clock, principal,
                                                   conversation_id,
                                                   body.reason if body else ""))
