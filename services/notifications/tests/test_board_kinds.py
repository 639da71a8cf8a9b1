"""A notice board's languages and kinds over HTTP (tester B, 5 Dec 2026): each given once,
and each kind one of the events service's vocabulary as it told it here, in its code's
pattern; before, `["fi", "fi", "fi"]` and `["nope_kind"]` were stored as given."""

from __future__ import annotations

from typing import Any

import pytest

from services.notifications.app import spec
from services.notifications.handlers import on_vocabulary_term
from shared.contracts import LocalizedText, VocabularyTermSet
from tests.infra import bearer

pytestmark = pytest.mark.infra

STAFF = bearer("communications")


async def told(pool: Any, code: str, revision: int = 1, retired: bool = False) -> None:
    """The events service told the kind `code` (a board takes no other)."""
    event = VocabularyTermSet(scheme="kind", code=code, label=LocalizedText(fi=code),
                              revision=revision, retired=retired)
    async with pool.acquire() as conn, conn.transaction():
        await on_vocabulary_term(conn, event, event.to_envelope())


async def test_a_boards_languages_and_kinds_are_each_given_once_and_kinds_are_known(
        start_service) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    await told(pool, "open_guided")
    await told(pool, "digital")
    created = await client.post("/boards", headers=STAFF, json={
        "area": "kuopio.nilsia", "name": {"fi": "Nilsiän tori"}, "kinds": ["open_guided"]})
    assert created.status_code == 201, created.text
    settings = f"/boards/{created.json()['id']}/settings"

    for given, field in (({"languages": ["fi", "fi", "fi"]}, "languages"),
                         ({"languages": ["fi"], "kinds": ["digital", "digital"]}, "kinds"),
                         ({"languages": ["fi"], "kinds": ["kuopio.nilsia"]}, "kinds")):
        answer = await client.put(settings, headers=STAFF, json=given)
        assert answer.status_code == 422, (given, answer.text)
        assert answer.json()["detail"][0]["loc"][:2] == ["body", field], answer.text
    unknown = await client.put(settings, headers={**STAFF, "Accept-Language": "fi"},
                               json={"languages": ["fi"], "kinds": ["digital", "nope_kind"]})
    assert unknown.status_code == 422, unknown.text
    said = unknown.json()
    assert (said["code"], said["value"], said["known"]) == (
        "unknown_kind", "nope_kind", ["digital", "open_guided"])
    # Said in the reader's language, not the rule's English reason.
    assert said["message"].startswith("Laji ei ole tapahtumakalenterin toiminnan lajeja")
    assert said["detail"][0]["loc"] == ["body", "kinds", 1]
    assert (await client.post("/boards", headers=STAFF, json={
        "area": "kuopio.nilsia", "name": {"fi": "x"}, "kinds": ["nope_kind"]})).status_code == 422
    board = (await client.get(f"/boards/{created.json()['id']}")).json()
    assert (board["languages"], board["kinds"]) == (["fi", "sv", "en"], ["open_guided"])

    fine = await client.put(settings, headers=STAFF,
                            json={"languages": ["sv", "fi"], "kinds": ["digital", "open_guided"]})
    assert fine.status_code == 200, fine.text
    assert (fine.json()["languages"], fine.json()["kinds"]) == (
        ["sv", "fi"], ["digital", "open_guided"])
    # A kind retired since: the board keeps showing it, no board takes it anew.
    await told(pool, "digital", revision=2, retired=True)
    kept = await client.put(settings, headers=STAFF, json={"languages": ["fi"],
                                                           "kinds": ["digital"]})
    assert kept.status_code == 200, kept.text
    assert (await client.post("/boards", headers=STAFF, json={
        "area": "kuopio.nilsia", "name": {"fi": "x"}, "kinds": ["digital"]})).status_code == 422

    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]
    for name in ("BoardSettingsIn", "AreaBoardIn"):
        fields = schemas[name]["properties"]
        assert fields["languages"]["uniqueItems"] is True
        kinds = next(b for b in fields["kinds"]["anyOf"] if b.get("type") == "array")
        assert kinds["uniqueItems"] is True
        assert kinds["items"]["pattern"] == "^[a-z0-9_]+$"
