"""The vocabulary of kinds, topics and audiences, which communications staff extend."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from services.events import usecases
from services.events.schemas import TextOut, VocabularyIn
from shared.auth import SignedIn
from shared.service import CurrentClock, Pool

router = APIRouter(tags=["activity events"])


@router.get("/vocabulary")
async def get_vocabulary(pool: Pool) -> dict[str, dict[str, TextOut]]:
    """Kinds, topics and audiences with their fi/sv/en labels."""
    found: dict[str, dict[str, Any]] = await usecases.vocabulary(usecases.unit_of_work(pool))
    return {scheme: {code: TextOut.model_validate(label) for code, label in codes.items()}
            for scheme, codes in found.items()}


@router.put("/vocabulary", status_code=status.HTTP_200_OK)
async def extend_vocabulary(body: VocabularyIn, pool: Pool, clock: CurrentClock,
                            principal: SignedIn) -> VocabularyIn:
    """The city adds (or relabels) a kind, topic or audience; codes are never removed, so
    past events keep their meaning."""
    await usecases.extend_vocabulary(
        usecases.unit_of_work(pool), clock, principal,
        usecases.VocabularyEntry(body.scheme, body.code,
                                 body.label.model_dump(exclude_none=True)))
    return body
