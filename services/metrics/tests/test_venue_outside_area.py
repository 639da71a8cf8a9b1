"""A dashboard asked for a venue together with an area the venue is not in showed empty
figures without a word of why. It is not refused (an activity's area may differ from its
venue's: an outreach session counts in the area it served), and the API answers as before;
the page says that the venue is not in the area and what the figures are then of."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.metrics.app import spec
from services.metrics.domain import Dashboard, Summary, SummaryQuery, VenueChoice
from services.metrics.tests.test_dashboard_filters import PARTICIPANTS, _activity, _apply, _cell
from shared.contracts import LocalizedText, VenueRegistered
from tests.axe import serious_violations

START = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
NOTE = re.compile(r'<p class="note" id="venue-note">([^<]*)</p>')
SAID = {
    "fi": "Neulamäen kirjasto ei ole alueella {area}: luvut koskevat vain sen toimintaa, "
          "jonka alue on {area} (toiminnan alue voi olla eri kuin sen toimipaikan).",
    "sv": "Neulamäki bibliotek ligger inte i området {area}: siffrorna gäller bara dess "
          "verksamhet vars område är {area} (en verksamhets område kan vara ett annat än "
          "verksamhetsställets).",
    "en": "Neulamäki library is not in the area {area}: the figures count only its activity "
          "whose area is {area} (an activity's area may differ from its venue's)."}


def _dashboard(venues: list[VenueChoice], area: str | None, venue: UUID | None) -> Dashboard:
    query = SummaryQuery(area=area, venue_id=venue, from_=date(2026, 1, 1),
                         to=date(2027, 1, 1))
    return Dashboard(query=query, summary=Summary(from_month=query.from_, to_month=query.to,
                                                  kind=None, venue_id=venue, areas=[]),
                     months=[], areas=[], venues=venues, kinds=[])


@pytest.mark.unit
def test_a_venue_is_elsewhere_only_when_the_area_asked_is_none_of_its() -> None:
    library, counted = uuid4(), uuid4()
    venues = [VenueChoice(library, "kuopio.neulamaki", {"fi": "Neulamäen kirjasto"}),
              # Never told, only counted at: in each area its activity was counted in.
              VenueChoice(counted, "kuopio.jynkka", {}),
              VenueChoice(counted, "kuopio.pyoro", {})]
    assert _dashboard(venues, "kuopio.nilsia", library).venue_elsewhere == venues[0]
    assert _dashboard(venues, "kuopio.neulamaki", library).venue_elsewhere is None
    assert _dashboard(venues, None, library).venue_elsewhere is None
    assert _dashboard(venues, "kuopio.nilsia", None).venue_elsewhere is None
    assert _dashboard(venues, "kuopio.pyoro", counted).venue_elsewhere is None
    assert _dashboard(venues, "kuopio.nilsia", counted).venue_elsewhere == venues[1]


@pytest.mark.infra
async def test_a_venue_with_an_area_it_is_not_in_is_said_on_the_page(
        start_service: Any, chromium: Any) -> None:
    client = await start_service(spec)
    pool = client.runtime.pool
    library = uuid4()
    await _apply(pool, VenueRegistered(
        venue_id=library, name=LocalizedText(fi="Neulamäen kirjasto", sv="Neulamäki bibliotek",
                                             en="Neulamäki library"),
        kind="library", area="kuopio.neulamaki", municipality="Kuopio"))
    await _activity(pool, "kuopio.neulamaki", 12, venue=library, at=START)
    # Held at the library for Jynkkä's residents: the activity's area is Jynkkä.
    await _activity(pool, "kuopio.jynkka", 4, venue=library, at=START + timedelta(days=1))
    year = {"from": "2026-01-01", "to": "2027-01-01"}

    async def shown(lang: str, area: str | None) -> tuple[str, Any]:
        params = {"lang": lang, "year": 2026, "venue_id": str(library),
                  **({"area": area} if area else {})}
        page = await client.get("/dashboard", params=params)
        assert page.status_code == 200, page.text[:300]
        api = await client.get("/indicators/summary", params={
            **year, "venue_id": str(library), **({"area": area} if area else {})})
        assert api.status_code == 200, api.text[:300]  # the API answers as before
        return page.text, api.json()

    for lang in ("fi", "sv", "en"):
        # An area with no activity at the venue: its figures empty, and why.
        page, api = await shown(lang, "kuopio.nilsia")
        note = NOTE.search(page)
        assert note and note.group(1) == SAID[lang].format(area="Nilsiä").replace(
            "'", "&#39;"), page[:200]
        [nilsia] = api["areas"]
        assert nilsia["values"]["participants"] == 0
        assert _cell(page, "Nilsiä", PARTICIPANTS) == "0"
        # An area the venue is not in but some of its activity is: the figures are kept.
        page, api = await shown(lang, "kuopio.jynkka")
        note = NOTE.search(page)
        assert note and note.group(1) == SAID[lang].format(area="Jynkkä").replace(
            "'", "&#39;")
        assert api["areas"][0]["values"]["participants"] == 4
        assert _cell(page, "Jynkkä", PARTICIPANTS) == "4"
    # The venue's own area, or no area: nothing to say.
    for area in ("kuopio.neulamaki", None):
        page, _ = await shown("fi", area)
        assert 'id="venue-note"' not in page, area
    # Read under the filter's heading, axe-clean.
    view = await chromium.new_page()
    page, _ = await shown("sv", "kuopio.nilsia")
    await view.set_content(page)
    assert await view.locator("h2#shown + p#venue-note").is_visible()
    assert await serious_violations(view) == []
    await view.close()
