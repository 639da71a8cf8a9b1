"""Request and response bodies of the guide's API, bounded (shared.bounds)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from services.guide.domain import Conversation
from services.guide.usecases import REASON_MAX, REPLY_MAX
from shared.bounds import Str

LangCode = Literal["fi", "sv", "en"]


#: A question or answer with nothing to read, empty or blank (spaces, a zero-width space), is
#: refused by the use case, one rule with one code for both (`string_too_short`, or the
#: staff's `reply_empty`): the schema's own `min_length` refused an empty one as `invalid`
#: and a blank one got the use case's code. The document still says at least a character.
AT_LEAST_ONE: dict[str, Any] = {"minLength": 1}


class QuestionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: Str = Field(max_length=1000, json_schema_extra=AT_LEAST_ONE)
    #: The page's language, used when the question's words do not tell.
    language: LangCode | None = None


class PartOut(BaseModel):
    text: str
    #: The run's language: the answer's own, another (fi/sv/en) or "" when not known.
    lang: str


class CitationOut(BaseModel):
    title: str
    url: str
    #: The title's language when it is not the answer's (an event named in Finnish only, in
    #: a Swedish answer), to be marked with it; null: the answer's own.
    lang: LangCode | None = None
    #: The title as runs, each with its language (joined, `title`): a venue named in one
    #: language only is marked with it ("Uppgifter om platsen: " in Swedish, "Jynkän
    #: kirjasto" in Finnish). Empty in an answer kept from before: then all of `title` is in
    #: `lang`, or the answer's language.
    parts: list[PartOut] = []


class AnswerOut(BaseModel):
    #: hours, events, booking, rules, location, accessibility, contact, lending, courtesy (a
    #: greeting or thanks answered in kind), clarify or handover
    kind: str
    text: str
    language: LangCode
    citations: list[CitationOut]
    #: False: a clarifying question or a hand-over offer, never a guess.
    confident: bool
    offer_person: bool
    queue: str
    event_ids: list[UUID] = []
    venue_ids: list[UUID] = []
    #: The text as runs, each with its language (joined, `text`): words in another language
    #: than the answer's (a desk's reason written in Finnish only) are to be marked with
    #: theirs. Empty in an answer kept from before: then all of `text` is in `language`.
    parts: list[PartOut] = []


class AskOut(BaseModel):
    question: str
    understood: dict[str, Any]
    answer: AnswerOut


class ConversationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: LangCode = "fi"
    #: web (the widget), api (another channel), phone (the phone service's staff: signed in)
    channel: Literal["web", "api", "phone"] = "web"


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Str = Field(max_length=1000, json_schema_extra=AT_LEAST_ONE)


class HandoverIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: Outside the staff's hours: where the answer goes (kept only until answered).
    contact_email: Str | None = Field(None, max_length=254)
    #: The resident agrees that the address is kept for the reply.
    consent: bool = False
    #: desk or coordinator:city|north|south; by default the area's coordinator.
    queue: Literal["desk", "coordinator:city", "coordinator:north",
                   "coordinator:south"] | None = None


class ReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: Its length is the use case's rule too (`reply_too_long`, as the inbox says it), not
    #: the schema's `invalid`; the document says the bound.
    text: Str = Field(json_schema_extra={**AT_LEAST_ONE, "maxLength": REPLY_MAX})
    #: How the client told its user the answer goes. `email`: if the resident's address is
    #: gone meanwhile (erased when an earlier answer was emailed), 409 `address_erased`,
    #: nothing sent; the same reply sent again with `chat` (or without `expected`) goes to
    #: the chat alone. Null: sent either way, and `reply.emailed` says which.
    expected: Literal["email", "chat"] | None = None


class CloseIn(BaseModel):
    """Why the staff end a conversation without answering. Needed for one whose resident was
    promised an answer by email (else 409 `answer_promised`): it is emailed to them as the
    staff's answer. To one without an address (a chat, or answered by email since) it is the
    staff's last word in the chat. To one already ended: the reason it ended with again is
    `close.repeated`; another is 409 `conversation_closed`, nothing kept."""

    model_config = ConfigDict(extra="forbid")

    reason: Str = Field("", json_schema_extra={"maxLength": REASON_MAX})  # `reason_too_long`


class MessageOut(BaseModel):
    message_id: UUID
    at: datetime
    author: str
    text: str
    answer: AnswerOut | None = None
    staff_name: str | None = None
    #: A staff answer also sent to the email address the resident left (since erased).
    emailed: bool = False


class ConversationOut(BaseModel):
    conversation_id: UUID
    created_at: datetime
    updated_at: datetime
    language: LangCode
    channel: str
    #: open, waiting (for a person in the chat), awaiting_reply (by email), answered, closed
    status: str
    queue: str | None
    area: str | None
    #: Whether the resident left an address (the address itself is shown to staff only).
    has_contact: bool
    messages: list[MessageOut]
    staffed_now: bool | None = None

    @classmethod
    def of(cls, c: Conversation, staffed_now: bool | None = None) -> ConversationOut:
        return cls(
            conversation_id=c.conversation_id, created_at=c.created_at,
            updated_at=c.updated_at, language=c.language, channel=c.channel,
            status=c.status, queue=c.queue, area=c.area,
            has_contact=c.contact_email is not None, staffed_now=staffed_now,
            messages=[MessageOut(message_id=m.message_id, at=m.at, author=m.author,
                                 text=m.text, staff_name=m.staff_name, emailed=m.emailed,
                                 answer=AnswerOut.model_validate(m.answer) if m.answer
                                 else None) for m in c.messages])


class ReplySentOut(BaseModel):
    """How a staff answer went."""

    message_id: UUID
    #: Sent to the resident's email too; false: in the chat only, which they see if they
    #: come back to it.
    emailed: bool
    #: The same answer was already the conversation's last word (sent twice, a double
    #: click): not stored or emailed again; `message_id` and `emailed` are the first's.
    repeated: bool
    #: In the chat only because an earlier answer was emailed and the address erased then.
    chat_only_after_email: bool


class ReplyOut(ConversationOut):
    """The conversation after a staff answer, and how the answer went."""

    reply: ReplySentOut


class ClosedOut(BaseModel):
    """How a conversation's ending went."""

    #: Where the reason went: `emailed` (to the resident promised an answer, the address
    #: erased), `chat` (in the conversation only, which they see if they come back to it);
    #: null: no reason given. With `repeated`, where it went the first time.
    reason: Literal["emailed", "chat"] | None
    #: It had ended before: nothing changed.
    already_closed: bool
    #: The reason given was the one it had ended with (sent twice): not sent again.
    repeated: bool
    #: The reason in the chat only because an earlier answer was emailed and the address
    #: erased then.
    chat_only_after_email: bool


class CloseOut(ConversationOut):
    """The conversation after its ending, and how the ending went."""

    close: ClosedOut
