"""The vocabulary of kinds, topics and audiences, which communications staff extend, retire
and restore."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, status

from services.events import usecases
from services.events.schemas import CODE_PATTERN, TermOut, VocabularyIn, VocabularyTermOut
from shared.auth import SignedIn
from shared.service import CurrentClock, Pool

router = APIRouter(tags=["activity events"])

Scheme = Annotated[Literal["kind", "topic", "audience"], Path()]
Code = Annotated[str, Path(pattern=CODE_PATTERN, min_length=1, max_length=50)]


@router.get("/vocabulary", response_model_exclude_none=True)
async def get_vocabulary(
    pool: Pool,
    retired: Annotated[bool, Query(description="retired terms too, each marked "
                                               "`retired: true`")] = False,
) -> dict[str, dict[str, TermOut]]:
    """Kinds, topics and audiences with their fi/sv/en labels: the ones offered for new
    activities and filters, or with `retired=true` the retired ones too."""
    found: dict[str, dict[str, Any]] = await usecases.vocabulary(usecases.unit_of_work(pool),
                                                                 retired=retired)
    return {scheme: {code: TermOut.model_validate(label) for code, label in codes.items()}
            for scheme, codes in found.items()}


@router.put("/vocabulary", status_code=status.HTTP_200_OK)
async def extend_vocabulary(body: VocabularyIn, pool: Pool, clock: CurrentClock,
                            principal: SignedIn) -> VocabularyIn:
    """The city adds a kind, topic or audience, or gives one it has these words: an upsert,
    so the words given are the term's whole label (a language left out is no longer said;
    send the ones it has to keep them). Codes are never removed, so past events keep their
    meaning (a term no longer wanted is retired). The staff page's forms are stricter: its
    add form refuses a code in use, and a term's row changes only that term's words."""
    await usecases.extend_vocabulary(
        usecases.unit_of_work(pool), clock, principal,
        usecases.VocabularyEntry(body.scheme, body.code,
                                 body.label.model_dump(exclude_none=True)))
    return body


@router.post("/vocabulary/{scheme}/{code}/retire")
async def retire_term(scheme: Scheme, code: Code, pool: Pool, clock: CurrentClock,
                      principal: SignedIn) -> VocabularyTermOut:
    """Communications staff retire a term: no new activity, filter or follow page offers it,
    while the activities that have it keep its words and old filter links keep working.
    Never deleted; retiring a retired term changes nothing."""
    return VocabularyTermOut.model_validate(await usecases.retire_term(
        usecases.unit_of_work(pool), clock, principal, scheme, code, retired=True))


@router.post("/vocabulary/{scheme}/{code}/restore")
async def restore_term(scheme: Scheme, code: Code, pool: Pool, clock: CurrentClock,
                       principal: SignedIn) -> VocabularyTermOut:
    """Communications staff offer a retired term again."""
    return VocabularyTermOut.model_validate(await usecases.retire_term(
        usecases.unit_of_work(pool), clock, principal, scheme, code, retired=False))
