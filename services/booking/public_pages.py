"""The booking service's public pages, which anyone reads without signing in and the guide
cites, so an answer's source is a page a person can read, never the JSON API or a sign-in
form. Finnish, Swedish or English (`?lang=`, else the browser's first of ours).

- A venue's page (`/venues/{id}/page`): what a resident reads of a library or a youth centre
  before they come or book: its address and contact, this week's opening hours (dated
  exceptions applied with their reasons, self-service hours marked), how accessible it is,
  its spaces and what it lends, with the way on to booking.
- The rules of use (`/rules`): who may use the city's spaces for what and at what price, and
  the house rules every booking accepts (`shared.house_rules`, seed 001)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from services.booking import usecases
from services.booking.deps import Uow
from services.booking.domain import HELSINKI
from services.booking.labels import hours
from shared.accessibility import feature_names
from shared.areas import area_name
from shared.bounds import Day
from shared.house_rules import HEADING, HOUSE_RULES, RULES_OF_USE, RULES_SOURCE
from shared.l10n import (
    collation_key,
    day_range,
    number,
    text_and_lang,
    text_html,
    text_in,
    weekday_day,
)
from shared.pages import ENDONYMS, LANGS, PageLang, events_url, guide_widget, page_route
from shared.service import CurrentClock

_T: dict[str, dict[str, str]] = {
    "fi": {"site": "Kohtaamo – tilat ja toiminta", "address": "Osoite", "contact": "Yhteystiedot",
           "hours": "Aukioloajat", "week": "Viikko {days}", "closed": "suljettu",
           "staffed": "henkilökunta paikalla", "self_service": "omatoimiaika",
           "prev": "← Edellinen viikko", "next": "Seuraava viikko →",
           "accessibility": "Esteettömyys", "no_accessibility":
           "Esteettömyystietoja ei ole vielä kerrottu. Kysy toimipisteestä.",
           "spaces": "Varattavat tilat", "people": "{n} henkeä", "book": "Varaa tila",
           "lends": "Lainattavissa", "pieces": "{n} kpl",
           "lends_how": "Lainaamisesta sovitaan asiakaspalvelussa.",
           "calendar": "Tapahtumat tässä toimipisteessä ja alueella",
           "languages": "Kieli", "rules_link": "Tilojen käytön säännöt",
           "rules": "Tilojen käyttö asukastoiminnassa", "free": "Maksuton käyttö",
           "paid": "Maksulliset tilat", "organisers":
           "Puolueet, uskonnolliset ja kaupalliset järjestäjät",
           "house_how": "Jokainen varaaja hyväksyy nämä varatessaan tilan.",
           "source": "Lähde: {source}", "all_calendar": "Tapahtumakalenteri"},
    "sv": {"site": "Kohtaamo – lokaler och verksamhet", "address": "Adress",
           "contact": "Kontakt", "hours": "Öppettider", "week": "Vecka {days}",
           "closed": "stängt", "staffed": "bemannad tid", "self_service": "meröppet",
           "prev": "← Föregående vecka", "next": "Nästa vecka →",
           "accessibility": "Tillgänglighet", "no_accessibility":
           "Uppgifter om tillgänglighet har inte lämnats ännu. Fråga på stället.",
           "spaces": "Lokaler att boka", "people": "{n} personer", "book": "Boka en lokal",
           "lends": "Att låna", "pieces": "{n} st.",
           "lends_how": "Lånet kommer du överens om i kundtjänsten.",
           "calendar": "Evenemang på stället och i området", "languages": "Språk",
           "rules_link": "Regler för användning av lokaler",
           "rules": "Användning av lokaler för invånarverksamhet", "free": "Gratis användning",
           "paid": "Lokaler mot avgift", "organisers":
           "Partier, religiösa och kommersiella arrangörer",
           "house_how": "Var och en som bokar godkänner dem när lokalen bokas.",
           "source": "Källa: {source}", "all_calendar": "Evenemangskalender"},
    "en": {"site": "Kohtaamo – spaces and activities", "address": "Address",
           "contact": "Contact", "hours": "Opening hours", "week": "Week {days}",
           "closed": "closed", "staffed": "staffed", "self_service": "self-service",
           "prev": "← Previous week", "next": "Next week →",
           "accessibility": "Accessibility", "no_accessibility":
           "No accessibility information has been given yet. Ask the venue.",
           "spaces": "Spaces to book", "people": "{n} people", "book": "Book a space",
           "lends": "To borrow", "pieces": "{n}",
           "lends_how": "Borrowing is arranged at the customer service.",
           "calendar": "Events here and in the area", "languages": "Language",
           "rules_link": "Rules for using the spaces",
           "rules": "Use of spaces for resident activity", "free": "Free use",
           "paid": "Paid spaces", "organisers": "Parties, religious and commercial organisers",
           "house_how": "Everyone who books a space accepts them.",
           "source": "Source: {source}", "all_calendar": "Event calendar"},
}


def space_photos(photos: Sequence[Mapping[str, Any]], lang: str) -> list[dict[str, str]]:
    """A space's photos as a resident's page shows them (the venue's page, /my/spaces): the
    address and the alternative text in the reader's language, with the language that text
    is in when it fell back to another (the <img>'s `lang`, so a screen reader reads a
    Finnish-only text with a Finnish voice). Only https addresses, as the desk saves them:
    anything else in old data is left out rather than linked."""
    shown = []
    for photo in photos:
        url = str(photo.get("url") or "")
        alt, written = text_and_lang(photo.get("alt"), lang)
        if url.startswith("https://"):
            shown.append({"url": url, "alt": alt, "lang": "" if written == lang else written})
    return shown


def _public(html: str) -> HTMLResponse:
    """A public page: asked again each time (hours and rules change); the language it is in
    is said to caches with every page's (`shared.pages.PageHeaders`)."""
    return HTMLResponse(html, headers={"Cache-Control": "no-cache"})


def _home(lang: str) -> tuple[str, str]:
    """Where a refused address (an odd `?lang=` or week, no such venue) leads on: a page a
    resident reads without signing in, as they read this one; the rules of use lead on to
    booking and the calendar. (The service has no public list of venues to lead to.)"""
    return f"/rules?lang={lang}", _T[lang]["rules_link"]


router = APIRouter(tags=["venue pages"], include_in_schema=False, route_class=page_route(_home))
_templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(["html"]))
_templates.globals["guide_widget"] = guide_widget


@router.get("/venues/{venue_id}/page", response_class=HTMLResponse)
async def venue_page(venue_id: UUID, uow: Uow, clock: CurrentClock,
                     lang: PageLang, week: Day | None = None) -> Response:
    t = _T[lang]
    shown = await usecases.venue_week(uow, clock, venue_id, week)
    today, monday, view = shown.today, shown.monday, shown.view
    days = []
    for offset in range(7):
        d = monday + timedelta(days=offset)
        spans = [f"{hours(i.start, i.end, lang)} ({t.get(i.kind, i.kind)})"
                 for i in shown.intervals if i.start.astimezone(HELSINKI).date() == d]
        # The day's exception says why (a holiday, a renovation), as the desk wrote it:
        # "suljettu (Remontti)", "Inventaario: 10.00–14.00 (henkilökunta paikalla)"; in
        # a language other than the page's, marked as such (<span lang="en">).
        reason = text_html(shown.reasons.get(d), lang)
        said = escape(", ".join(spans) if spans else t["closed"])
        if reason:
            said = Markup("{}: {}" if spans else "{1} ({0})").format(reason, said)
        days.append({"label": weekday_day(d, lang), "hours": said, "today": d == today})
    v = view.venue
    contact = v.contact or {}

    def week_link(start: date) -> str:
        return f"/venues/{venue_id}/page?lang={lang}&week={start.isoformat()}"

    html = _templates.get_template("venue_page.html").render(
        lang=lang, t=t, name=text_in(v.name, lang), area=area_name(v.area, lang),
        municipality=v.municipality, address=v.address or "",
        # What the venue says of itself, in Finnish only on a Swedish page: marked too.
        description=text_html(v.description, lang),
        phone=contact.get("phone") or "", email=contact.get("email") or "",
        week=t["week"].format(days=day_range(monday, monday + timedelta(days=6), lang)),
        days=days, prev=week_link(monday - timedelta(days=7)) if monday > today else None,
        next=week_link(monday + timedelta(days=7)),
        features=feature_names(v.accessibility_features, lang),
        accessibility=text_html(v.accessibility, lang),
        spaces=[{"name": text_in(s.name, lang), "capacity": t["people"].format(
                    n=number(s.capacity, lang)) if s.capacity else "",
                  "photos": space_photos(s.photos, lang)}
                for s in view.spaces if s.parent_id is None],
        lends=[f"{text_in(r.name, lang)} ({t['pieces'].format(n=number(r.quantity, lang))})"
               for r in sorted(view.resources,
                               key=lambda r: collation_key(text_in(r.name, lang), lang))
               if r.quantity > 0],
        book=f"/my/spaces?venue_id={venue_id}&lang={lang}", rules=f"/rules?lang={lang}",
        calendar=f"{events_url()}/calendar?area={v.area}&lang={lang}",
        langs=[{"code": code, "name": ENDONYMS[code], "href":
                f"/venues/{venue_id}/page?lang={code}"
                + (f"&week={monday.isoformat()}" if week else "")} for code in LANGS])
    return _public(html)


#: The rules of use under their headings, in the order an organiser asks: what is free,
#: what costs, who else may organise.
_SECTIONS = (("free", ("free_cooperation", "kantti_stage")),
             ("paid", ("paid_main", "branch_no_paid")),
             ("organisers", ("non_commercial", "party_main", "shared_branch")))


@router.get("/rules", response_class=HTMLResponse)
async def rules_page(lang: PageLang) -> Response:
    t = _T[lang]
    html = _templates.get_template("rules_page.html").render(
        lang=lang, t=t,
        sections=[{"key": key, "title": t[key], "rules": [RULES_OF_USE[r][lang] for r in rules]}
                  for key, rules in _SECTIONS],
        house_heading=HEADING[lang], house=HOUSE_RULES[lang],
        source=t["source"].format(source=RULES_SOURCE[lang]),
        book=f"/my/spaces?lang={lang}", calendar=f"{events_url()}/calendar?lang={lang}",
        langs=[{"code": code, "name": ENDONYMS[code], "href": f"/rules?lang={code}"}
               for code in LANGS])
    return _public(html)
