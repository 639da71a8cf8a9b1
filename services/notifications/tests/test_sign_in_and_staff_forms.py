"""The service's sign-in pages (the participants' and settings' `/registrations/login`, the
staff's `/staff/login`) had no fi/sv/en switch where every other page has one, and a
10,000-character paste answered "Ange inloggningstoken." (give the token) as if none were
given. The staff page read its forms by FastAPI, so one past Starlette's bounds (1,001
fields, a field over 1 MB) was a bare 400: now the page's own 413 in its language."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit
from uuid import uuid4

import pytest

from services.notifications.tests import test_delivery
from services.notifications.tests.test_delivery import Setup
from services.notifications.tests.test_signup_refusals import served
from tests.axe import passes_at_every_width
from tests.infra import bearer, launch_chromium

pytestmark = pytest.mark.infra

fake = test_delivery.fake
setup = test_delivery.setup

LANGS = ("fi", "sv", "en")
ORIGIN = "http://ilmoittaudu.kuopio.test"
FORM = {"content-type": "application/x-www-form-urlencoded"}
MANY_FIELDS = "&".join(f"x{i}=1" for i in range(1001))
HUGE_FIELD = "x=" + "y" * (1024 * 1024 + 1)
STAFF = bearer("communications", subject="viestinta", name="Viestintä")
TOO_LONG = {"fi": "Tämä ei ole kirjautumistunniste: se on liian pitkä",
            "sv": "Det här är ingen inloggningstoken: den är för lång",
            "en": "This is not a sign-in token: it is too long"}
ASKED = {"fi": "Anna kirjautumistunniste.", "sv": "Ange inloggningstoken.",
         "en": "Give the sign-in token."}
FORM_LARGE = {"fi": "Lomake oli liian suuri luettavaksi: jokin kenttä on liian pitkä tai "
                    "kenttiä on liikaa. Mitään ei tallennettu eikä lähetetty.",
              "sv": "Formuläret var för stort för att läsas: något fält är för långt eller "
                    "fälten är för många. Inget sparades eller skickades.",
              "en": "The form was too large to read: a field is too long or there are too "
                    "many fields. Nothing was saved or sent."}


def _switch(page: str) -> list[tuple[str, str, bool]]:
    """The language switch's links: (href, lang, is the current one)."""
    nav = re.search(r"<nav aria-label='[^']+'>(.*?)</nav>", page)
    assert nav, page
    return [(html.unescape(href), code, bool(current)) for href, code, current in re.findall(
        r"<a href='([^']+)' lang='(fi|sv|en)'( aria-current='page')?>", nav.group(1))]


@pytest.mark.parametrize("lang", LANGS)
async def test_each_sign_in_has_the_language_switch(setup: Setup, lang: str) -> None:
    settings = f"/registrations/{uuid4()}/settings?lang={lang}"
    for path, query in (("/registrations/login", {"next": settings}), ("/staff/login", {})):
        asked = await setup.client.get(path, params={"lang": lang, **query})
        assert asked.status_code == 200 and f"<html lang='{lang}'>" in asked.text
        links = _switch(asked.text)
        assert [code for _, code, _ in links] == list(LANGS)
        assert [code for _, code, current in links if current] == [lang]
        for href, code, _ in links:
            # Each leads to the sign-in in its language, on to the same page in that language.
            where = urlsplit(href)
            assert where.path == path
            assert parse_qs(where.query) == {"lang": [code], **{
                k: [v.replace(f"lang={lang}", f"lang={code}")] for k, v in query.items()}}
            followed = await setup.client.get(href)
            assert f"<html lang='{code}'>" in followed.text


@pytest.mark.parametrize("lang", LANGS)
async def test_a_pasted_text_too_long_to_be_a_token_is_said_so(setup: Setup,
                                                               lang: str) -> None:
    for path in ("/registrations/login", "/staff/login"):
        refused = await setup.client.post(f"{path}?lang={lang}", data={"token": "x" * 10_000})
        assert refused.status_code == 422, refused.text[:300]
        said = html.unescape(refused.text)
        assert TOO_LONG[lang] in said and ASKED[lang] not in said
        assert _switch(refused.text)  # the switch there too


@pytest.mark.parametrize("lang", LANGS)
async def test_a_staff_form_too_large_to_read_is_the_pages_413(setup: Setup,
                                                               lang: str) -> None:
    for path in (f"/staff/notices/{uuid4()}", f"/staff/notices/{uuid4()}/withdraw",
                 f"/staff/deliveries/{uuid4()}/retry"):
        for body in (MANY_FIELDS, HUGE_FIELD):
            refused = await setup.client.post(f"{path}?lang={lang}", content=body.encode(),
                                              headers={**FORM, **STAFF})
            assert refused.status_code == 413, (path, refused.status_code, refused.text[:300])
            assert refused.headers["content-type"].startswith("text/html")
            assert f'<html lang="{lang}"' in refused.text
            assert FORM_LARGE[lang] in html.unescape(refused.text)
    # Signed out: to the sign-in, as the page itself does.
    signed_out = await setup.client.post(f"/staff/notices/{uuid4()}?lang={lang}",
                                         content=MANY_FIELDS.encode(), headers=FORM)
    assert signed_out.status_code == 303
    assert signed_out.headers["location"] == f"/staff/login?lang={lang}"


async def test_the_sign_in_with_its_switch_reads_well_in_chromium(
        setup: Setup, chromium_path: str) -> None:
    pages = {}  # the sign-ins as served, each in a page of its own
    for lang in LANGS:
        pages[f"registrations-{lang}"] = await setup.client.get(
            f"/registrations/login?lang={lang}")
        pages[f"staff-{lang}"] = await setup.client.get(f"/staff/login?lang={lang}")
    async with launch_chromium(chromium_path) as browser:
        for key, answer in pages.items():
            page = await browser.new_page()
            await page.route(f"{ORIGIN}/**", served(answer.text))
            await page.goto(f"{ORIGIN}/login")
            await passes_at_every_width(page, key)
            await page.close()
