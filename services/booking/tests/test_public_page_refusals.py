"""A refused public page (an odd `?lang=` or week, no such venue) leads a resident on to a
page they can read without signing in, in-process (the app with the use cases' in-memory
store). It used to lead to `/my/spaces`, the organisers' sign-in form."""

from __future__ import annotations

import pytest

from services.booking.tests.test_desk_forms import Desk, desk
from services.booking.tests.test_usecases import VENUE

__all__ = ["desk"]  # the fixture, used by name

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("path", "status"), [
    (f"/venues/{VENUE}/page?lang=xx", 422),
    (f"/venues/{VENUE}/page?week=2026-13-45", 422),
    ("/venues/not-a-venue/page", 422),
    ("/venues/00000000-0000-0000-0000-000000000001/page", 404),
    ("/rules?lang=xx", 422),
])
async def test_a_refused_public_page_leads_on_to_a_public_page_not_a_sign_in(
        desk: Desk, path: str, status: int) -> None:
    for lang, link in (("fi", '<a href="/rules?lang=fi">Tilojen käytön säännöt</a>'),
                       ("sv", '<a href="/rules?lang=sv">Regler för användning av lokaler</a>')):
        refused = await desk.http.get(path, headers={"Accept": "text/html",
                                                     "Accept-Language": lang})
        assert refused.status_code == status, refused.text
        assert link in refused.text, refused.text
        assert "/my/" not in refused.text  # no sign-in form on the way
        shown = await desk.http.get(f"/rules?lang={lang}")
        assert shown.status_code == 200  # where it leads is a page anyone reads
