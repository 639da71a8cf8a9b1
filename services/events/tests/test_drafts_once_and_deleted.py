"""A tester went back and sent "New activity" again: a second draft, and drafts could not be
deleted. The form carries a one-time token: sent again, it leads to the draft its first
sending made. A draft never published is deleted, after a confirmation, through
`delete_draft` (the page and `DELETE /events/{id}`), and nothing is told on the bus; a
published activity is cancelled instead, a booking's draft goes with its booking."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.events import domain, usecases
from services.events.app import spec
from services.events.tests.test_usecases import COMMS, ORGANISER, World, fields
from services.events.tests.test_usecases import world as world  # the fixture
from shared.clock import HELSINKI, FixedClock
from shared.errors import Conflict, Invalid, NotFound
from tests.infra import bearer

SUBJECT = "kavelyryhma"
WALKERS = bearer("organiser", subject=SUBJECT)
OTHER = bearer("organiser", subject="joku-muu")
START = (datetime.now(UTC) + timedelta(days=6)).replace(second=0, microsecond=0)


def _token(world: World, days_ago: float = 0) -> UUID:
    """A form's key as the page hands it out, `days_ago` before the world's now."""
    return domain.new_form_token(world.clock.now() - timedelta(days=days_ago))


def _local(moment: datetime) -> str:
    return moment.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M")


FORM = {"name.fi": "Syyskävely", "name.sv": "", "name.en": "",
        "starts_at": _local(START), "ends_at": _local(START + timedelta(hours=2)),
        "kind": "open_guided", "place_kind": "outdoors", "place_name.fi": "Väinölänniemi",
        "area": "kuopio.keskusta", "online_url": ""}


@pytest.mark.unit
async def test_the_same_form_sent_twice_is_one_draft(world: World) -> None:
    token = _token(world)
    first = await usecases.create_event_once(world.uow(), world.clock, ORGANISER, fields(),
                                             token, as_published=True)
    again = await usecases.create_event_once(world.uow(), world.clock, ORGANISER,
                                             fields(name={"fi": "Toinen"}), token,
                                             as_published=True)
    assert again["id"] == first["id"] and again["name"]["fi"] == first["name"]["fi"]
    assert len(world.store.events) == 1
    # Another form (a new token), or another organiser's same token: another draft.
    other = await usecases.create_event_once(world.uow(), world.clock, ORGANISER, fields(),
                                             _token(world))
    theirs = await usecases.create_event_once(world.uow(), world.clock, COMMS, fields(),
                                              token)
    assert len({first["id"], other["id"], theirs["id"]}) == 3


@pytest.mark.unit
async def test_a_form_is_known_as_sent_by_what_it_made(world: World) -> None:
    """A form fetched anew (Back in a browser without its cache) asks `form_sent` of its
    key: nothing before it is sent, its activity after, as it is now; another organiser's
    same key made nothing of theirs."""
    token = _token(world)
    assert await usecases.form_sent(world.uow(), world.clock, ORGANISER, token) is None
    with pytest.raises(Invalid):  # refused: not sent, it may be sent again once fixed
        await usecases.create_event_once(world.uow(), world.clock, ORGANISER,
                                         fields(kind="no-such-kind"), token,
                                         as_published=True)
    assert await usecases.form_sent(world.uow(), world.clock, ORGANISER, token) is None
    made = await usecases.create_event_once(world.uow(), world.clock, ORGANISER, fields(),
                                            token, as_published=True)
    found = await usecases.form_sent(world.uow(), world.clock, ORGANISER, token)
    assert found is not None and found.activity is not None
    assert found.activity["id"] == made["id"]
    assert await usecases.form_sent(world.uow(), world.clock, COMMS, token) is None
    await world.publish(made["id"])
    found = await usecases.form_sent(world.uow(), world.clock, ORGANISER, token)
    assert found is not None and found.activity is not None
    assert found.activity["status"] == "published"
    # Sent again after all that: the same activity, nothing new.
    again = await usecases.create_event_once(world.uow(), world.clock, ORGANISER, fields(),
                                             token, as_published=True)
    assert again["id"] == made["id"] and len(world.store.events) == 1


@pytest.mark.unit
async def test_a_form_whose_draft_was_deleted_is_not_made_again(world: World) -> None:
    token = _token(world)
    made = await usecases.create_event_once(world.uow(), world.clock, ORGANISER, fields(),
                                            token, as_published=True)
    await usecases.delete_draft(world.uow(), world.clock, ORGANISER, made["id"])
    assert await usecases.form_sent(world.uow(), world.clock, ORGANISER, token) == \
        usecases.SentForm(None)
    with pytest.raises(Conflict) as refused:
        await usecases.create_event_once(world.uow(), world.clock, ORGANISER, fields(), token,
                                         as_published=True)
    assert refused.value.details["code"] == "form_sent"
    assert world.store.events == {}
    # A new form (a new key) is a new draft.
    await usecases.create_event_once(world.uow(), world.clock, ORGANISER, fields(), _token(world),
                                     as_published=True)
    assert len(world.store.events) == 1


@pytest.mark.unit
def test_a_forms_key_carries_when_it_was_handed_out() -> None:
    handed_out = datetime(2026, 12, 1, 12, 0, 0, 123000, tzinfo=UTC)
    keys = {domain.new_form_token(handed_out) for _ in range(50)}
    assert len(keys) == 50  # random past its time: one key a form
    assert {(key.version, domain.form_handed_out(key)) for key in keys} == {(7, handed_out)}
    assert domain.form_handed_out(uuid4()) is None
    kept = domain.SENT_FORM_KEPT
    assert not domain.form_too_old(next(iter(keys)), handed_out + kept)
    assert domain.form_too_old(next(iter(keys)), handed_out + kept + timedelta(seconds=1))
    assert domain.form_too_old(uuid4(), handed_out)  # no time: from before keys had one


@pytest.mark.unit
async def test_a_form_too_old_is_refused_not_made(world: World) -> None:
    """Once its sending may be forgotten (`forget_sent_forms`, 30 days after), a form is
    refused as too old rather than made anew: a month-old Back is not a new activity."""
    days = domain.SENT_FORM_KEPT.days
    old = _token(world, days_ago=days + 1)
    assert await usecases.form_sent(world.uow(), world.clock, ORGANISER, old) == \
        usecases.SentForm(None, too_old=True)
    with pytest.raises(Conflict) as refused:
        await usecases.create_event_once(world.uow(), world.clock, ORGANISER, fields(), old,
                                         as_published=True)
    assert refused.value.details["code"] == "form_too_old"
    assert world.store.events == {} and world.store.forms == {}
    # A key without its time (handed out before keys had one) is as old.
    with pytest.raises(Conflict, match="too old"):
        await usecases.create_event_once(world.uow(), world.clock, ORGANISER, fields(),
                                         uuid4(), as_published=True)
    # Within the month it is made, and sent again after it, it still opens its draft.
    recent = _token(world, days_ago=days - 1)
    made = await usecases.create_event_once(world.uow(), world.clock, ORGANISER, fields(),
                                            recent, as_published=True)
    world.clock = FixedClock(world.clock.now() + timedelta(days=2))
    again = await usecases.create_event_once(world.uow(), world.clock, ORGANISER, fields(),
                                             recent, as_published=True)
    assert again["id"] == made["id"] and len(world.store.events) == 1
    # Its draft deleted and its sending forgotten: too old, not made again.
    await usecases.delete_draft(world.uow(), world.clock, ORGANISER, made["id"])
    world.clock = FixedClock(world.clock.now() + domain.SENT_FORM_KEPT)
    assert await usecases.forget_sent_forms(world.uow(), world.clock) == 1
    assert world.store.forms == {}
    with pytest.raises(Conflict) as refused:
        await usecases.create_event_once(world.uow(), world.clock, ORGANISER, fields(),
                                         recent, as_published=True)
    assert refused.value.details["code"] == "form_too_old" and world.store.events == {}


@pytest.mark.infra
async def test_the_forms_key_is_in_its_address_and_a_sent_one_says_so(
        start_service: Any) -> None:
    client = await start_service(spec)
    said = {"fi": ("Lomake on jo lähetetty", "Avaa tapahtuma: Syyskävely"),
            "sv": ("Formuläret är redan skickat", "Öppna evenemanget: Syyskävely"),
            "en": ("The form was already sent", "Open the activity: Syyskävely")}
    for lang in ("fi", "sv", "en"):
        sent_on = await client.get(f"/my/activities/new?lang={lang}", headers=WALKERS)
        assert sent_on.status_code == 303
        address = sent_on.headers["location"]
        key = address.removeprefix(f"/my/activities/new?lang={lang}&form=")
        form = await client.get(address, headers=WALKERS)
        assert (form.status_code, form.headers["cache-control"]) == (200, "private, no-cache")
        assert f'name="once" value="{key}"' in form.text
        # The language links keep the key: the same form in another language.
        assert f'href="/my/activities/new?form={key}&amp;lang=sv"' in form.text
        refused = await client.post(f"/my/activities/new?lang={lang}&send=draft",
                                    headers=WALKERS, data={**FORM, "once": key, "kind": ""})
        assert refused.status_code == 422 and f'name="once" value="{key}"' in refused.text
        made = await client.post(f"/my/activities/new?lang={lang}&send=draft",
                                 headers=WALKERS, data={**FORM, "once": key})
        assert made.status_code == 303
        draft = made.headers["location"].split("?")[0]

        again = await client.get(address, headers=WALKERS)  # Back, fetched anew
        assert again.status_code == 200 and 'name="once"' not in again.text
        title, link = said[lang]
        assert f"<h1>{title}</h1>" in again.text
        assert f'<a href="{draft}?lang={lang}">{link}</a>' in again.text
        assert f'<a href="/my/activities/new?lang={lang}">' in again.text  # a new form
        # Someone else's address with that key is their own new form.
        theirs = await client.get(address, headers=OTHER)
        assert f'name="once" value="{key}"' in theirs.text

        # Its draft deleted, the form is still sent: said so, and not made anew.
        assert (await client.post(f"{draft}/delete?lang={lang}", headers=WALKERS)
                ).status_code == 303
        gone = {"fi": "siitä tehty luonnos on sittemmin poistettu",
                "sv": "utkastet som skapades av det har raderats sedan dess",
                "en": "the draft it made has since been deleted"}[lang]
        back = await client.get(address, headers=WALKERS)
        assert back.status_code == 200 and gone in back.text and draft not in back.text
        resent = await client.post(f"/my/activities/new?lang={lang}&send=draft",
                                   headers=WALKERS, data={**FORM, "once": key})
        assert resent.status_code == 409 and gone in resent.text
        assert f"<h1>{title}</h1>" in resent.text
    # A key that is none (a link edited) is sent on to a new one, never refused.
    for odd in ("x", "%00", "1" * 50, ""):
        answer = await client.get(f"/my/activities/new?lang=fi&form={odd}", headers=WALKERS)
        assert answer.status_code == 303, odd
        assert str(UUID(answer.headers["location"].split("form=")[1]))
    assert await client.runtime.pool.fetchval(
        "SELECT count(*) FROM activity_events WHERE owner_subject = $1", SUBJECT) == 0
    assert await client.runtime.pool.fetchval("SELECT count(*) FROM new_activity_forms") == 3


@pytest.mark.unit
async def test_only_a_draft_never_out_is_deleted_and_nothing_is_told(world: World) -> None:
    draft = await world.create()
    await usecases.delete_draft(world.uow(), world.clock, ORGANISER, draft["id"])
    assert draft["id"] not in world.store.events
    assert not [h for h in world.store.history if h[0] == draft["id"]]
    assert world.published == []
    with pytest.raises(NotFound):
        await usecases.delete_draft(world.uow(), world.clock, ORGANISER, draft["id"])

    out = await world.create()
    await world.publish(out["id"])
    told = len(world.published)
    with pytest.raises(Conflict, match="cancel it"):
        await usecases.delete_draft(world.uow(), world.clock, ORGANISER, out["id"])
    assert out["id"] in world.store.events and len(world.published) == told
    # Someone else's draft is not found, as reading it is.
    mine = await world.create()
    with pytest.raises(NotFound):
        await usecases.delete_draft(world.uow(), world.clock, COMMS.__class__(
            subject="joku-muu", roles=frozenset({"organiser"})), mine["id"])
    assert mine["id"] in world.store.events


@pytest.mark.infra
async def test_the_form_sent_again_opens_the_first_draft_and_the_draft_is_deleted(
        start_service: Any) -> None:
    client = await start_service(spec)
    for lang in ("fi", "sv", "en"):
        form = await client.get(f"/my/activities/new?lang={lang}", headers=WALKERS,
                                follow_redirects=True)
        found = re.search(r'<input type="hidden" name="once" value="([0-9a-f-]{36})">',
                          form.text)
        assert found, form.text
        sent = {**FORM, "once": found.group(1)}
        first = await client.post(f"/my/activities/new?lang={lang}", headers=WALKERS,
                                  data=sent)
        again = await client.post(f"/my/activities/new?lang={lang}", headers=WALKERS,
                                  data=sent)
        assert first.status_code == again.status_code == 303
        assert first.headers["location"] == again.headers["location"]
        page = first.headers["location"].split("?")[0]
        event_id = page.removeprefix("/my/activities/")
        assert [str(i) for i in await client.runtime.pool.fetch(
            "SELECT id FROM activity_events WHERE owner_subject = $1", SUBJECT)] == [
            f"<Record id=UUID('{event_id}')>"]  # one draft, not two

        # The draft's page offers to delete it, after a confirmation page.
        shown = await client.get(f"{page}?lang={lang}", headers=WALKERS)
        assert f'href="{page}/delete?lang={lang}"' in shown.text
        asked = await client.get(f"{page}/delete?lang={lang}", headers=WALKERS)
        assert asked.status_code == 200
        assert {"fi": "Poistetaanko luonnos?", "sv": "Radera utkastet?",
                "en": "Delete the draft?"}[lang] in asked.text
        assert "Syyskävely" in asked.text
        assert f'href="{page}?lang={lang}"' in asked.text  # the way back, not deleting
        assert (await client.post(f"{page}/delete?lang={lang}", headers=OTHER)
                ).status_code == 404  # someone else's: not found
        deleted = await client.post(f"{page}/delete?lang={lang}", headers=WALKERS)
        assert deleted.status_code == 303
        assert deleted.headers["location"] == f"/my/activities?lang={lang}&done=deleted"
        listed = await client.get(deleted.headers["location"], headers=WALKERS)
        assert {"fi": "Luonnos poistettiin.", "sv": "Utkastet raderades.",
                "en": "The draft was deleted."}[lang] in listed.text
        assert (await client.get(f"/events/{event_id}", headers=WALKERS)).status_code == 404

    # The API: a draft is deleted (204), a published one is cancelled instead (409).
    made = await client.post("/events", headers=WALKERS, json={
        "name": {"fi": "Lukupiiri"}, "kind": "open_guided", "place_kind": "online",
        "online_url": "https://meet.example/lukupiiri", "starts_at": START.isoformat(),
        "ends_at": (START + timedelta(hours=1)).isoformat()})
    event_id = made.json()["id"]
    comms = bearer("communications", subject="viestinta")
    assert (await client.post(f"/events/{event_id}/publish", headers=comms)).json()[
        "status"] == "published"
    refused = await client.delete(f"/events/{event_id}", headers=WALKERS)
    assert refused.status_code == 409 and refused.json()["code"] == "not_deleted"
    draft = await client.post("/events", headers=WALKERS, json={
        "name": {"fi": "Luonnos"}, "kind": "open_guided", "place_kind": "other_place",
        "starts_at": START.isoformat(), "ends_at": (START + timedelta(hours=1)).isoformat()})
    gone = await client.delete(f"/events/{draft.json()['id']}", headers=WALKERS)
    assert gone.status_code == 204
    pool = client.runtime.pool
    assert await pool.fetchval("SELECT count(*) FROM activity_events WHERE id = $1",
                               UUID(draft.json()["id"])) == 0
    assert await pool.fetchval(
        "SELECT count(*) FROM outbox WHERE key = $1", draft.json()["id"]) == 0


@pytest.mark.infra
async def test_a_form_too_old_says_so_and_makes_nothing(start_service: Any) -> None:
    """A form handed out over a month ago (Back far in a tab's history), fetched again or
    sent, says it is too old and leads to a new form and to the organiser's activities;
    nothing is made or remembered."""
    client = await start_service(spec)
    old = domain.new_form_token(datetime.now(UTC) - domain.SENT_FORM_KEPT - timedelta(hours=1))
    said = {"fi": ("Lomake on liian vanha", "avattiin yli 30 päivää sitten"),
            "sv": ("Formuläret är för gammalt", "öppnades för mer än 30 dagar sedan"),
            "en": ("The form is too old", "opened more than 30 days ago")}
    for lang, (title, words) in said.items():
        fetched = await client.get(f"/my/activities/new?lang={lang}&form={old}",
                                   headers=WALKERS)
        sent = await client.post(f"/my/activities/new?lang={lang}&send=draft",
                                 headers=WALKERS, data={**FORM, "once": str(old)})
        for page, status in ((fetched, 200), (sent, 409)):
            assert page.status_code == status and f"<h1>{title}</h1>" in page.text
            assert words in page.text and 'name="once"' not in page.text
            assert f'href="/my/activities/new?lang={lang}"' in page.text
            assert f'href="/my/activities?lang={lang}"' in page.text
    pool = client.runtime.pool
    assert await pool.fetchval("SELECT count(*) FROM activity_events") == 0
    assert await pool.fetchval("SELECT count(*) FROM new_activity_forms") == 0
    # A form handed out now is made as ever.
    fresh = domain.new_form_token(datetime.now(UTC))
    made = await client.post("/my/activities/new?lang=fi&send=draft", headers=WALKERS,
                             data={**FORM, "once": str(fresh)})
    assert made.status_code == 303 and made.headers["location"].startswith("/my/activities/")
