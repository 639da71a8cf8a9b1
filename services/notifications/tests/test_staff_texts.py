"""What the communications staff page says, in fi/sv/en, without a browser: why a delivery
needs a person, and why an action was refused."""

from __future__ import annotations

import pytest

from services.notifications import domain
from services.notifications.staff import LABELS, refusal_text, short_reason
from shared.errors import Conflict, Invalid


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_reason_and_refusal_is_written_in_each_language(lang: str) -> None:
    for table in ("reasons", "refusals", "done_actions", "languages", "statuses"):
        assert set(LABELS[lang][table]) == set(LABELS["fi"][table]), table
        assert all(text.strip() for text in LABELS[lang][table].values())


def test_a_short_reason_names_what_staff_can_do() -> None:
    instagram = {"status": "failed", "channel": "instagram", "error_class": "permanent",
                 "last_error": "Instagram needs an image"}
    assert short_reason(instagram, "fi").startswith("Instagram ei julkaise ilman kuvaa")
    graph = {"status": "failed", "channel": "facebook", "error_class": "permanent",
             "last_error": 'facebook feed: HTTP 400: {"error": {"message": "(#100)"}}'}
    assert short_reason(graph, "sv") == "Plattformen avvisade inlägget."
    assert short_reason({**graph, "status": "unconfirmed"}, "en").startswith(
        "The platform did not answer in time")
    assert short_reason({**graph, "error_class": None}, "en") == "The post did not go out."


def test_a_skipped_post_says_what_would_send_it() -> None:
    """Not sent because the channel cannot carry it: no failure, but what staff can do."""
    skipped = {"status": "skipped", "channel": "instagram", "error_class": "cannot_carry",
               "last_error": "instagram needs an image: add one to the activity event"}
    assert short_reason(skipped, "fi") == ("Instagram ei julkaise ilman kuvaa: lisää "
                                           "tapahtumaan kuva, niin julkaisu lähtee silloin.")
    assert short_reason(skipped, "sv").endswith("så går inlägget ut då.")
    assert short_reason(skipped, "en").endswith("and the post goes out then.")
    other = {**skipped, "channel": "mastodon", "last_error": "cannot carry it"}
    assert short_reason(other, "en") == "The channel cannot carry this post."
    assert [LABELS[lang]["statuses"]["skipped"] for lang in ("fi", "sv", "en")] == [
        "ei lähetetty", "inte skickat", "not sent"]


def test_a_refusal_is_said_in_the_readers_language_by_its_code() -> None:
    with pytest.raises(Invalid) as long:
        domain.check_post_text("x" * 301, "bluesky")
    assert refusal_text(long.value, "fi") == "Tekstissä on 301 merkkiä; alusta ottaa 300."
    with pytest.raises(Conflict) as status:
        domain.check_decision({"purpose": "announcement", "channel": "facebook",
                               "recipient": None, "content": {"text": "x"},
                               "status": "published", "last_error": None}, "retry")
    assert refusal_text(status.value, "sv").startswith("Inlägget har redan ett annat läge")
    unknown = Conflict("something new went wrong")
    assert refusal_text(unknown, "en") == "That could not be done. (something new went wrong)"
