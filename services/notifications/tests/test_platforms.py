"""The platform clients against the fake platforms over real HTTP and SMTP, and the pure
classification of failures. No Kafka or PostgreSQL needed."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any, get_args
from uuid import uuid4

import httpx
import pytest

from deploy.fake_platforms import FakePlatforms, running_fake_platforms
from services.notifications.domain import DEFAULT_MAIL_SENDER_NAME
from services.notifications.platforms import (
    TID_ALPHABET,
    Account,
    DeliveryError,
    Platform,
    Post,
    Sent,
    classify,
    forget_sessions,
    publish,
    tid,
)

PLATFORMS: tuple[Platform, ...] = get_args(Platform)
# A platform that posted but answered too late: the client gives up long before the fake answers.
CLIENT_TIMEOUT = 3.0  # generous: a loaded 2-core CI machine must not turn a refusal into a timeout
LATE_ANSWER = 8.0
TEXT = "Kirjaston satutunti – ääni ja kuva lapsille. Lue lisää: https://kohtaamo.example/t/7 🙂"
LINK = "https://kohtaamo.example/t/7"
REFS = {"facebook": "104123456789", "instagram": "17841400000000001", "mastodon": "",
        "bluesky": "kirjasto.kohtaamo.test", "email": "kirjasto@kuopio.example"}


@pytest.fixture(scope="module")
async def running() -> AsyncIterator[FakePlatforms]:
    async with running_fake_platforms() as started:
        yield started


@pytest.fixture
def fake(running: FakePlatforms, monkeypatch: pytest.MonkeyPatch) -> FakePlatforms:
    """The module's fake, emptied, and no Bluesky session cached from an earlier test. Its
    image is on a loopback address: allowed here, as in a local run (images.py)."""
    monkeypatch.setenv("KOHTAAMO_IMAGE_ALLOW_LOOPBACK", "1")
    running.reset()
    forget_sessions()
    return running


@pytest.fixture(scope="module")
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=CLIENT_TIMEOUT) as client:
        yield client


def account(fake: FakePlatforms, platform: Platform, secret: str | None = None) -> Account:
    valid = {"facebook": fake.tokens.facebook, "instagram": fake.tokens.instagram,
             "mastodon": fake.tokens.mastodon, "bluesky": fake.tokens.bluesky,
             "email": fake.tokens.smtp}
    return Account(uuid4(), platform, fake.base_url(platform), REFS[platform],
                   valid[platform] if secret is None else secret)


def post(fake: FakePlatforms, platform: Platform, **changes: Any) -> Post:
    fields: dict[str, Any] = {
        "text": TEXT, "language": "fi", "idempotency_key": f"delivery-{uuid4()}",
        "created_at": datetime.now(UTC), "attempt": 1, "link": LINK}
    if platform == "instagram":
        fields |= {"image_url": fake.image_url, "image_alt": "Lapsia kuuntelemassa satua"}
    if platform == "email":
        fields |= {"subject": "Satutunti Kirjastossa", "recipient": "asukas@example.org"}
    return Post(**(fields | changes))


async def failure(account_: Account, post_: Post, http: httpx.AsyncClient) -> DeliveryError:
    with pytest.raises(DeliveryError) as caught:
        await publish(account_, post_, http)
    if account_.secret:
        assert account_.secret not in str(caught.value)
        assert account_.secret not in caught.value.detail
    return caught.value


def endpoints(fake: FakePlatforms, platform: str) -> list[str]:
    return [r["endpoint"] for r in fake.requests(platform)]


# --- Successful posts ------------------------------------------------------------------------


async def test_facebook_feed_post_with_link(fake: FakePlatforms, http: httpx.AsyncClient) -> None:
    page, sent_post = account(fake, "facebook"), post(fake, "facebook")
    sent = await publish(page, sent_post, http)
    [recorded] = fake.posts("facebook")
    assert recorded["endpoint"] == "feed"
    assert (recorded["account"], recorded["text"], recorded["link"]) == (
        page.account_ref, sent_post.text, sent_post.link)
    assert sent == Sent(recorded["remote_id"], f"https://www.facebook.com/{recorded['remote_id']}")


async def test_facebook_photo_post(fake: FakePlatforms, http: httpx.AsyncClient) -> None:
    photo = post(fake, "facebook", image_url=fake.image_url, image_alt="Satutunnin lukunurkka")
    sent = await publish(account(fake, "facebook"), photo, http)
    [recorded] = fake.posts("facebook")
    assert recorded["endpoint"] == "photos"
    assert (recorded["text"], recorded["image_url"], recorded["image_alt"]) == (
        photo.text, photo.image_url, photo.image_alt)
    assert sent.remote_id == recorded["remote_id"] != recorded["photo_id"]


async def test_instagram_creates_a_container_then_publishes_it(
        fake: FakePlatforms, http: httpx.AsyncClient) -> None:
    user, sent_post = account(fake, "instagram"), post(fake, "instagram")
    sent = await publish(user, sent_post, http)
    assert endpoints(fake, "instagram") == ["media", "media_publish"]
    [recorded] = fake.posts("instagram")
    assert (recorded["account"], recorded["text"], recorded["image_url"],
            recorded["image_alt"]) == (user.account_ref, sent_post.text, sent_post.image_url,
                                       sent_post.image_alt)
    assert recorded["container_id"] != recorded["remote_id"] == sent.remote_id


async def test_mastodon_uploads_the_image_with_alt_text_and_sends_the_key(
        fake: FakePlatforms, http: httpx.AsyncClient) -> None:
    toot = post(fake, "mastodon", language="sv", image_url=fake.image_url,
                image_alt="Barn som lyssnar på en saga")
    sent = await publish(account(fake, "mastodon"), toot, http)
    image = (await http.get(fake.image_url)).content
    assert endpoints(fake, "mastodon") == ["media", "statuses"]
    [recorded] = fake.posts("mastodon")
    assert (recorded["text"], recorded["language"], recorded["visibility"]) == (
        toot.text, toot.language, "public")
    assert recorded["headers"]["Idempotency-Key"] == toot.idempotency_key
    [media] = recorded["media"]
    assert (media["description"], media["content_type"], media["size"]) == (
        toot.image_alt, "image/png", len(image))
    assert (sent.remote_id, sent.remote_url) == (recorded["remote_id"], recorded["remote_url"])


async def test_mastodon_posts_without_the_image_when_it_cannot_be_fetched(
        fake: FakePlatforms, http: httpx.AsyncClient) -> None:
    toot = post(fake, "mastodon", image_url=f"{fake.http_url}/_fake/missing.png", image_alt="x")
    await publish(account(fake, "mastodon"), toot, http)
    [recorded] = fake.posts("mastodon")
    assert recorded["media"] == [] and recorded["text"] == toot.text
    assert "media" not in endpoints(fake, "mastodon")


async def test_an_image_too_big_to_fetch_is_left_out_not_read_whole(
        fake: FakePlatforms, http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from services.notifications import platforms

    monkeypatch.setattr(platforms, "MAX_IMAGE_BYTES", 16)  # the fake's PNG is larger
    toot = post(fake, "mastodon", image_url=fake.image_url, image_alt="kuva")
    await publish(account(fake, "mastodon"), toot, http)
    [recorded] = fake.posts("mastodon")
    assert recorded["media"] == [] and recorded["text"] == toot.text


def tid_micros(key: str) -> int:
    value = 0
    for char in key:
        value = value * 32 + TID_ALPHABET.index(char)
    return value >> 10


async def test_bluesky_reuses_its_session_and_marks_the_link_by_utf8_bytes(
        fake: FakePlatforms, http: httpx.AsyncClient) -> None:
    handle = account(fake, "bluesky")
    first, second = post(fake, "bluesky"), post(fake, "bluesky", language="en",
                                                text=f"Story hour: {LINK}")
    sent = [await publish(handle, first, http), await publish(handle, second, http)]
    assert endpoints(fake, "bluesky").count("createSession") == 1
    recorded = fake.posts("bluesky")
    assert [r["text"] for r in recorded] == [first.text, second.text]
    for one, record, result in zip((first, second), recorded, sent, strict=True):
        [facet] = record["record"]["facets"]
        index = facet["index"]
        assert one.text.encode()[index["byteStart"]:index["byteEnd"]] == LINK.encode()
        assert facet["features"] == [{"$type": "app.bsky.richtext.facet#link", "uri": LINK}]
        assert record["record"]["langs"] == [one.language]
        assert record["record"]["embed"]["external"]["uri"] == LINK
        assert record["rkey"] == tid(one.created_at, one.idempotency_key)
        created = (one.created_at - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(
            microseconds=1)
        assert 0 <= tid_micros(record["rkey"]) - created < 1_050_000
        assert result.remote_id == record["remote_id"]
        assert result.remote_url == (
            f"https://bsky.app/profile/{handle.account_ref}/post/{record['rkey']}")
    # Non-ASCII before the link: byte offsets differ from character offsets.
    assert recorded[0]["record"]["facets"][0]["index"]["byteStart"] > first.text.index(LINK)


async def test_bluesky_links_every_address_in_the_text_the_sign_up_page_too(
        fake: FakePlatforms, http: httpx.AsyncClient) -> None:
    sign_up = "https://kohtaamo.kuopio.example/registrations/07b56748?lang=fi"
    text = (f"Perhekävely Väinölänniemessä (ilmoittaudu).\n{LINK}\n"
            f"Ilmoittaudu: {sign_up}.")
    await publish(account(fake, "bluesky"), post(fake, "bluesky", text=text), http)
    [record] = fake.posts("bluesky")
    facets = record["record"]["facets"]
    linked = [text.encode()[f["index"]["byteStart"]:f["index"]["byteEnd"]].decode()
              for f in facets]
    assert linked == [LINK, sign_up]  # the sentence's full stop is not the address's
    assert [f["features"][0]["uri"] for f in facets] == [LINK, sign_up]


async def test_bluesky_uploads_the_image_as_a_blob_with_alt_text(
        fake: FakePlatforms, http: httpx.AsyncClient) -> None:
    photo = post(fake, "bluesky", image_url=fake.image_url, image_alt="Satutunnin lukunurkka")
    await publish(account(fake, "bluesky"), photo, http)
    assert endpoints(fake, "bluesky") == ["createSession", "uploadBlob", "createRecord"]
    [recorded] = fake.posts("bluesky")
    embed = recorded["record"]["embed"]
    assert embed["$type"] == "app.bsky.embed.images"
    assert embed["images"][0]["alt"] == photo.image_alt == recorded["image_alt"]
    assert embed["images"][0]["image"]["size"] == len((await http.get(fake.image_url)).content)


async def test_bluesky_refreshes_an_expired_session(
        fake: FakePlatforms, http: httpx.AsyncClient) -> None:
    handle = account(fake, "bluesky")
    await publish(handle, post(fake, "bluesky"), http)
    fake.fault("bluesky", "token_error")  # the next token check: createRecord's access token
    await publish(handle, post(fake, "bluesky"), http)
    assert endpoints(fake, "bluesky") == [
        "createSession", "createRecord", "createRecord", "refreshSession", "createRecord"]
    assert len(fake.posts("bluesky")) == 2


async def test_email_with_an_ics_invitation(fake: FakePlatforms, http: httpx.AsyncClient) -> None:
    ics = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Kohtaamo//FI\r\nMETHOD:PUBLISH\r\n"
           "BEGIN:VEVENT\r\nUID:satutunti-7@kohtaamo.local\r\nDTSTAMP:20250301T100000Z\r\n"
           "DTSTART:20250305T150000Z\r\nSUMMARY:Satutunti – ääni\r\nEND:VEVENT\r\n"
           "END:VCALENDAR\r\n")
    sender, letter = account(fake, "email"), post(fake, "email", ics=ics)
    sent = await publish(sender, letter, http)
    [recorded] = fake.posts("email")
    assert (recorded["from"], recorded["to"], recorded["subject"], recorded["language"]) == (
        f"{DEFAULT_MAIL_SENDER_NAME} <{sender.account_ref}>", letter.recipient,
        letter.subject, letter.language)
    assert recorded["envelope_to"] == [letter.recipient] and recorded["authenticated"]
    assert recorded["text"].strip() == letter.text
    assert recorded["has_ics"] and recorded["ics_filename"] == "invite.ics"
    assert recorded["ics_method"] == "PUBLISH"
    assert recorded["ics"].replace("\r\n", "\n") == ics.replace("\r\n", "\n")
    assert sent.remote_id == recorded["message_id"] == f"<{letter.idempotency_key}@kohtaamo.local>"


async def test_email_goes_to_an_internationalised_domain_by_its_idna_form(
        fake: FakePlatforms, http: httpx.AsyncClient) -> None:
    letter = post(fake, "email", recipient="aino@ääkkönen.fi")
    await publish(account(fake, "email"), letter, http)
    [recorded] = fake.posts("email")
    assert recorded["envelope_to"] == ["aino@xn--kknen-fraa0m.fi"]
    assert recorded["to"] == "aino@xn--kknen-fraa0m.fi"


async def test_an_address_no_mail_reaches_without_smtputf8_fails_never_maybe_sent(
        fake: FakePlatforms, http: httpx.AsyncClient) -> None:
    """Kept before every service read addresses by one rule: failed at once (staff see it
    failed), never "maybe sent" as an unexpected error was."""
    error = await failure(account(fake, "email"),
                          post(fake, "email", recipient="pekka.mäkinen@example.fi"), http)
    assert error.error_class == "permanent" and not error.maybe_sent
    assert fake.posts("email") == []


# --- Error classes ---------------------------------------------------------------------------


@pytest.mark.parametrize("platform", ["mastodon", "bluesky"])
async def test_429_with_retry_after_is_rate_limited(
        fake: FakePlatforms, http: httpx.AsyncClient, platform: Platform) -> None:
    fake.fault(platform, "rate_limit", retry_after=42)
    error = await failure(account(fake, platform), post(fake, platform), http)
    assert (error.error_class, error.retry_after) == ("rate_limited", 42)
    assert fake.posts(platform) == []


async def test_mastodon_rate_limit_without_retry_after_uses_its_reset_time(
        fake: FakePlatforms, http: httpx.AsyncClient) -> None:
    fake.fault("mastodon", "rate_limit", retry_after=None)
    error = await failure(account(fake, "mastodon"), post(fake, "mastodon"), http)
    assert error.error_class == "rate_limited"
    assert error.retry_after is not None and 290 < error.retry_after <= 300  # fake's 5 min


@pytest.mark.parametrize("platform", ["facebook", "instagram"])
@pytest.mark.parametrize("code", [4, 17, 32, 613])
async def test_graph_rate_limit_codes_are_rate_limited(
        fake: FakePlatforms, http: httpx.AsyncClient, platform: Platform, code: int) -> None:
    fake.fault(platform, "rate_limit", code=code, retry_after=120)
    error = await failure(account(fake, platform), post(fake, platform), http)
    assert error.error_class == "rate_limited"
    assert error.retry_after == 120  # from estimated_time_to_regain_access, in minutes
    assert f'"code": {code}' in error.detail


async def test_graph_rate_limit_without_usage_header_has_no_wait(
        fake: FakePlatforms, http: httpx.AsyncClient) -> None:
    fake.fault("facebook", "rate_limit")
    error = await failure(account(fake, "facebook"), post(fake, "facebook"), http)
    assert (error.error_class, error.retry_after) == ("rate_limited", None)


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_server_error_is_retry(fake: FakePlatforms, http: httpx.AsyncClient,
                                     platform: Platform) -> None:
    fake.fault(platform, "server_error")
    error = await failure(account(fake, platform), post(fake, platform), http)
    assert error.error_class == "retry"
    assert fake.posts(platform) == []


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_token_error_is_reauth(fake: FakePlatforms, http: httpx.AsyncClient,
                                     platform: Platform) -> None:
    fake.fault(platform, "token_error")
    error = await failure(account(fake, platform), post(fake, platform), http)
    assert error.error_class == "reauth"
    assert fake.posts(platform) == []


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_a_wrong_token_is_reauth(fake: FakePlatforms, http: httpx.AsyncClient,
                                       platform: Platform) -> None:
    wrong = "someone:guessed-wrong" if platform == "email" else "guessed-wrong-token"
    error = await failure(account(fake, platform, secret=wrong), post(fake, platform), http)
    assert error.error_class == "reauth"
    assert fake.posts(platform) == []


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_validation_error_is_permanent(fake: FakePlatforms, http: httpx.AsyncClient,
                                             platform: Platform) -> None:
    fake.fault(platform, "validation")
    error = await failure(account(fake, platform), post(fake, platform), http)
    assert (error.error_class, error.retry_after) == ("permanent", None)
    assert fake.posts(platform) == []


async def test_a_real_validation_error_is_permanent(
        fake: FakePlatforms, http: httpx.AsyncClient) -> None:
    error = await failure(account(fake, "mastodon"), post(fake, "mastodon", text="", link=None),
                          http)
    assert error.error_class == "permanent" and "422" in error.detail


async def test_smtp_busy_is_retry(fake: FakePlatforms, http: httpx.AsyncClient) -> None:
    fake.fault("email", "rate_limit")  # 421 to MAIL FROM
    error = await failure(account(fake, "email"), post(fake, "email"), http)
    assert error.error_class == "retry" and "421" in error.detail


@pytest.mark.parametrize("platform", ["facebook", "instagram", "email"])
async def test_a_lost_answer_is_unconfirmed_where_a_resend_could_post_twice(
        fake: FakePlatforms, http: httpx.AsyncClient, platform: Platform) -> None:
    fake.fault(platform, "timeout", delay=LATE_ANSWER)
    error = await failure(account(fake, platform), post(fake, platform), http)
    assert error.error_class == "unconfirmed"
    assert len(fake.posts(platform)) == 1  # it did reach the platform


async def test_mastodon_resend_after_a_lost_answer_gives_one_status(
        fake: FakePlatforms, http: httpx.AsyncClient) -> None:
    user, toot = account(fake, "mastodon"), post(fake, "mastodon")
    fake.fault("mastodon", "timeout", delay=LATE_ANSWER)
    assert (await failure(user, toot, http)).error_class == "retry"
    sent = await publish(user, Post(**{**toot.__dict__, "attempt": 2}), http)
    [recorded] = fake.posts("mastodon")
    assert sent.remote_id == recorded["remote_id"]
    assert endpoints(fake, "mastodon") == ["statuses", "statuses"]


async def test_bluesky_second_attempt_finds_the_record_of_a_lost_answer(
        fake: FakePlatforms, http: httpx.AsyncClient) -> None:
    handle, skeet = account(fake, "bluesky"), post(fake, "bluesky")
    fake.fault("bluesky", "timeout", delay=LATE_ANSWER)
    assert (await failure(handle, skeet, http)).error_class == "retry"
    sent = await publish(handle, Post(**{**skeet.__dict__, "attempt": 2}), http)
    [recorded] = fake.posts("bluesky")
    assert sent.remote_id == recorded["remote_id"]
    assert endpoints(fake, "bluesky") == ["createSession", "createRecord", "getRecord"]


async def test_bluesky_second_attempt_posts_when_nothing_arrived(
        fake: FakePlatforms, http: httpx.AsyncClient) -> None:
    handle, skeet = account(fake, "bluesky"), post(fake, "bluesky", attempt=2)
    sent = await publish(handle, skeet, http)
    [recorded] = fake.posts("bluesky")
    assert sent.remote_id == recorded["remote_id"]
    assert endpoints(fake, "bluesky") == ["createSession", "getRecord", "createRecord"]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_connection_refused_is_retry(fake: FakePlatforms, http: httpx.AsyncClient,
                                           platform: Platform) -> None:
    port = closed_port()
    base = {"facebook": f"http://127.0.0.1:{port}/v21.0",
            "instagram": f"http://127.0.0.1:{port}/v21.0", "email": f"smtp://127.0.0.1:{port}"}
    nowhere = Account(uuid4(), platform, base.get(platform, f"http://127.0.0.1:{port}"),
                      REFS[platform], "any-secret")
    error = await failure(nowhere, post(fake, platform), http)
    assert error.error_class == "retry"


async def test_instagram_without_an_image_is_permanent(
        fake: FakePlatforms, http: httpx.AsyncClient) -> None:
    error = await failure(account(fake, "instagram"),
                          post(fake, "instagram", image_url=None, image_alt=None), http)
    assert error.error_class == "permanent"
    assert fake.requests("instagram") == [] and fake.posts("instagram") == []


async def test_the_control_api_and_the_page(fake: FakePlatforms,
                                            http: httpx.AsyncClient) -> None:
    answer = await http.post(f"{fake.http_url}/_fake/faults",
                             json={"platform": "mastodon", "mode": "server_error", "times": 2})
    assert answer.status_code == 201
    assert (await http.get(f"{fake.http_url}/_fake/faults")).json()[0]["times"] == 2
    assert (await http.post(f"{fake.http_url}/_fake/faults",
                            json={"platform": "myspace", "mode": "timeout"})).status_code == 422
    await http.delete(f"{fake.http_url}/_fake/faults")
    toot = post(fake, "mastodon", text="Lukupiiri <b>tänään</b>")
    await publish(account(fake, "mastodon"), toot, http)
    listed = (await http.get(f"{fake.http_url}/_fake/posts",
                             params={"platform": "mastodon"})).json()
    assert [p["text"] for p in listed] == [toot.text]
    assert (await http.get(f"{fake.http_url}/_fake/posts",
                           params={"platform": "bluesky"})).json() == []
    page = (await http.get(f"{fake.http_url}/")).text
    assert "Lukupiiri &lt;b&gt;tänään&lt;/b&gt;" in page and "refresh" in page
    assert (await http.post(f"{fake.http_url}/_fake/reset")).status_code == 204
    assert fake.posts() == []


# --- classify() ------------------------------------------------------------------------------

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def test_retry_after_in_seconds() -> None:
    assert classify("mastodon", 429, {"Retry-After": "30"}, {}, NOW) == ("rate_limited", 30.0)


def test_retry_after_as_an_http_date() -> None:
    later = NOW + timedelta(seconds=90)
    headers = {"retry-after": format_datetime(later, usegmt=True)}
    assert classify("bluesky", 429, headers, {}, NOW) == ("rate_limited", 90.0)


def test_retry_after_wins_over_the_other_headers() -> None:
    headers = {"Retry-After": "5", "ratelimit-reset": str(int(NOW.timestamp()) + 600)}
    assert classify("bluesky", 429, headers, {}, NOW) == ("rate_limited", 5.0)


def test_mastodon_x_ratelimit_reset() -> None:
    reset = (NOW + timedelta(seconds=120)).isoformat(timespec="milliseconds")
    headers = {"X-RateLimit-Reset": reset.replace("+00:00", "Z")}
    assert classify("mastodon", 429, headers, {"error": "Too many requests"}, NOW) == (
        "rate_limited", 120.0)


def test_bluesky_ratelimit_reset_epoch_seconds() -> None:
    headers = {"RateLimit-Reset": str(int(NOW.timestamp()) + 75)}
    assert classify("bluesky", 429, headers, {"error": "RateLimitExceeded"}, NOW) == (
        "rate_limited", 75.0)


def test_a_reset_in_the_past_means_no_wait() -> None:
    headers = {"ratelimit-reset": str(int(NOW.timestamp()) - 10)}
    assert classify("bluesky", 429, headers, {}, NOW) == ("rate_limited", 0.0)


@pytest.mark.parametrize("code", [4, 17, 32, 613])
@pytest.mark.parametrize("status", [400, 403])
def test_facebook_rate_limit_codes(code: int, status: int) -> None:
    body = {"error": {"code": code, "message": "limit"}}
    assert classify("facebook", status, {}, body, NOW) == ("rate_limited", None)
    usage = '{"104123456789":[{"type":"pages","estimated_time_to_regain_access":7}]}'
    assert classify("instagram", status, {"X-Business-Use-Case-Usage": usage}, body, NOW) == (
        "rate_limited", 7 * 60.0)
    app_usage = '{"call_count":100,"estimated_time_to_regain_access":3}'
    assert classify("facebook", status, {"x-app-usage": app_usage}, body, NOW) == (
        "rate_limited", 3 * 60.0)


@pytest.mark.parametrize(("code", "expected"), [
    (190, "reauth"), (1, "retry"), (2, "retry"), (100, "permanent"), (200, "permanent")])
def test_facebook_error_codes(code: int, expected: str) -> None:
    assert classify("facebook", 400, {}, {"error": {"code": code}}, NOW)[0] == expected


@pytest.mark.parametrize(("platform", "status", "body", "expected"), [
    ("mastodon", 401, {"error": "The access token is invalid"}, "reauth"),
    ("bluesky", 401, {"error": "AuthenticationRequired"}, "reauth"),
    ("bluesky", 400, {"error": "ExpiredToken"}, "reauth"),
    ("bluesky", 400, {"error": "InvalidRequest"}, "permanent"),
    ("mastodon", 422, {"error": "Validation failed"}, "permanent"),
    ("mastodon", 404, "Not Found", "permanent"),
    ("bluesky", 503, "Service Unavailable", "retry"),
    ("facebook", 500, "", "retry"),
    ("email", 535, None, "reauth"),
    ("email", 550, None, "permanent"),
    ("email", 451, None, "retry"),
    ("email", 421, None, "retry"),
])
def test_status_classes(platform: Platform, status: int, body: Any, expected: str) -> None:
    assert classify(platform, status, {}, body, NOW)[0] == expected


def test_tid_is_a_sortable_13_character_key_of_the_creation_time() -> None:
    earlier = tid(NOW, "delivery-a")
    assert len(earlier) == 13 and set(earlier) <= set(TID_ALPHABET)
    assert earlier[0] in TID_ALPHABET[:16]  # top bit zero
    assert tid(NOW, "delivery-a") == earlier  # deterministic: the same key on every attempt
    assert tid(NOW + timedelta(microseconds=1), "delivery-a") > earlier
    since_epoch = (NOW - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
    assert 0 <= tid_micros(earlier) - since_epoch < 1_050_000  # moved by at most ~a second


def test_deliveries_planned_together_get_record_keys_of_their_own() -> None:
    """An announcement and its reminder are planned in one transaction (one created_at)."""
    keys = {tid(NOW, f"delivery-{i}") for i in range(20_000)}
    assert len(keys) == 20_000
