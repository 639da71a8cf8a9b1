"""A space's confirmation is a choice (by the desk, or at once), refused as one on every way
in: the domain's rule said "must be between 0 and 0" (its numbers' bounds) where the desk
page said `choice_not_offered`; now the domain says that, naming the choices, and the desk
page says the domain's rule. The API's schema lists the choices and says them under the
input's label."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

import pytest

from services.booking import domain, usecases
from services.booking.app import spec
from services.booking.labels import error_text
from services.booking.store import BookingStore
from shared.errors import Invalid
from shared.identity import Principal
from shared.uow import PgUnitOfWork

from .test_api import venue


@pytest.mark.unit
def test_a_confirmation_not_offered_is_refused_as_a_choice_naming_them() -> None:
    with pytest.raises(Invalid) as refused:
        domain.check_space_rules(replace(domain.DEFAULT_RULES, confirmation="sometimes"))
    exc = refused.value
    assert (exc.field, exc.details) == ("confirmation", {
        "code": "choice_not_offered", "choices": ["manual", "automatic"]})
    assert exc.message == "confirmation is one of: manual, automatic"
    for lang in ("fi", "sv", "en"):
        assert "0" not in error_text(exc, lang)
    assert error_text(exc, "en") == (
        "The choice is not one of those offered: choose one from the list.")
    for offered in domain.CONFIRMATIONS:
        domain.check_space_rules(replace(domain.DEFAULT_RULES, confirmation=offered))


@pytest.mark.infra
async def test_the_api_and_its_use_case_refuse_a_confirmation_not_offered(
        start_service) -> None:
    client = await start_service(spec)
    v, desk = await venue(client)
    space = v["spaces"][0]["id"]
    for lang, said in (("fi", "Vahvistus: valitse jokin näistä: manual, automatic."),
                       ("sv", "Bekräftelse: välj något av dessa: manual, automatic."),
                       ("en", "Confirmation: choose one of these: manual, automatic.")):
        answer = await client.put(f"/spaces/{space}/rules", json={"confirmation": "sometimes"},
                                  headers={**desk, "Accept-Language": lang})
        assert answer.status_code == 422, answer.text
        body = answer.json()
        assert body["message"] == said
        assert [e["loc"] for e in body["detail"]] == [["body", "confirmation"]]
    # The API's use case, whoever calls it, says the domain's rule, and stores nothing.
    principal = Principal("desk-1", frozenset({"desk"}), frozenset({UUID(v["id"])}), "Tiski")
    uow = PgUnitOfWork(client.runtime.pool, BookingStore)
    with pytest.raises(Invalid) as refused:
        await usecases.set_space_rules(uow, client.runtime.clock, principal, UUID(space),
                                       replace(domain.DEFAULT_RULES, confirmation="sometimes"))
    assert refused.value.details["code"] == "choice_not_offered"
    assert await client.runtime.pool.fetchval(
        "SELECT confirmation FROM spaces WHERE id = $1", UUID(space)) == "manual"
    assert (await client.put(f"/spaces/{space}/rules", json={"confirmation": "automatic"},
                             headers=desk)).json()["rules"]["confirmation"] == "automatic"
