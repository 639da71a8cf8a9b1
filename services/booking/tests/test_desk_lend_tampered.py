"""The desk's lending form POSTed as no page of the desk sends it (a venue with nothing to
lend, a thing to lend of another venue, an id that is none), in-process: the desk's
loans page again with a refusal saying what to do, in the reader's language (fi, sv, en),
and nothing lent; never a bare 422 without a word."""

from __future__ import annotations

from uuid import UUID, uuid4

import httpx
import pytest

from services.booking.domain import Resource
from services.booking.labels import ERRORS
from services.booking.tests.test_desk_forms import DESK, VENUE, Desk, Page, desk
from shared.auth import mint_token

__all__ = ["desk"]  # the fixture, used by name

OTHER_VENUE = UUID("00000000-0000-4000-8000-00000000beef")


def _form(resource_id: str) -> dict[str, str]:
    return {"csrf": "x", "resource_id": resource_id, "quantity": "1",
            "starts_at": "2031-03-05T10:00", "ends_at": "2031-03-05T12:00",
            "borrower_name": "Kalle Kirjastolainen", "borrower_phone": "040 123 4567"}


async def _lend(desk: Desk, lang: str, resource_id: str,
                headers: dict[str, str] = DESK) -> httpx.Response:
    return await desk.http.post(f"/desk/loans/{VENUE}/lend",
                                params={"venue_id": str(VENUE), "lang": lang},
                                headers=headers, data=_form(resource_id))


def _said(r: httpx.Response) -> str:
    return " ".join(Page(r.text).text.get("status", "").split())


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("resource_id", [str(uuid4()), "", "not-an-id"])
async def test_a_venue_with_nothing_to_lend_says_so_and_lends_nothing(
        desk: Desk, lang: str, resource_id: str) -> None:
    r = await _lend(desk, lang, resource_id)
    assert r.status_code == 422 and "location" not in r.headers
    assert r.headers["content-type"].startswith("text/html")
    assert _said(r) == ERRORS["loan_nothing_to_lend"][lang]
    assert Page(r.text).autofocus == ["status"]
    assert desk.store.state.loans == {}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_another_venues_thing_to_lend_is_refused_by_the_list(desk: Desk,
                                                                   lang: str) -> None:
    ours = Resource(uuid4(), VENUE, {"fi": "Projektori"}, 2)
    theirs = Resource(uuid4(), OTHER_VENUE, {"fi": "Kannettava"}, 5)
    for resource in (ours, theirs):
        desk.store.state.resources[resource.id] = resource
    # A desk of both venues: the other's laptop would have been lent from this page.
    both = {"Authorization": "Bearer " + mint_token("desk-2", ["desk"], [VENUE, OTHER_VENUE],
                                                    "Tiski")}
    for headers in (DESK, both):
        for resource_id in (str(theirs.id), str(uuid4()), "not-an-id"):
            r = await _lend(desk, lang, resource_id, headers)
            assert r.status_code == 422 and "location" not in r.headers, resource_id
            page = Page(r.text)
            assert page.by_id["lend-resource"]["aria-invalid"] == "true"
            assert page.text["lend-resource-error"] == ERRORS["loan_resource_elsewhere"][lang]
            assert page.autofocus == ["lend-resource"]
            assert page.value("lend-borrower") == "Kalle Kirjastolainen"  # as typed
    assert desk.store.state.loans == {}
