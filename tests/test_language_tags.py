"""A language as an address, a cookie or a header names it (`shared.http.language_tag`): fi,
sv or en in any case, a region or other subtags dropped, "_" as well as "-" between them
(POSIX locale names, "en_GB", are what many programs write); anything else names none of
ours. The pages' `?lang=` reads it so (`shared.pages.LangParam`) and still documents the
three values. The pages themselves: tests/test_page_language.py."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from starlette.requests import Request

from shared.http import language_tag, reader_language

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("given", "named"), [
    ("fi", "fi"), ("SV", "sv"), ("En", "en"), ("sv-FI", "sv"), ("sv-SE", "sv"),
    ("en_GB", "en"), ("EN-gb", "en"), ("fi-FI-x-kuopio", "fi"), ("sv-Latn-FI", "sv"),
    # None of ours, or no tag at all: never read as Finnish.
    ("de", None), ("xx", None), ("de-FI", None), ("sv-", None), ("svx", None), ("s", None),
    (" sv", None), ("sv\n", None), ("sv FI", None), ("sv--FI", None), ("fin", None),
    ("ſv", None),  # LATIN SMALL LETTER LONG S folds to "s", but is no ASCII letter
    ("sv-" + "a" * 9, None), ("sv" + "-fi" * 12, None),  # a subtag over 8, a tag over 35
    ("", None), (None, None),
])
def test_a_language_tag_names_one_of_ours_or_none(given: str | None, named: str | None) -> None:
    assert language_tag(given) == named


def _request(query: str = "", **headers: str) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/", "query_string":
                    query.encode(), "headers": [(k.replace("_", "-").lower().encode(),
                                                 v.encode()) for k, v in headers.items()]})


def test_the_readers_language_passes_over_a_name_that_is_none_of_ours() -> None:
    assert reader_language(_request("lang=SV", accept_language="en")) == "sv"
    assert reader_language(_request(cookie="kohtaamo_lang=en-GB", accept_language="sv")) == "en"
    # A refused address is answered in the cookie's language, else the browser's.
    assert reader_language(_request("lang=xx", cookie="kohtaamo_lang=sv",
                                    accept_language="en")) == "sv"
    assert reader_language(_request("lang=xx", cookie="kohtaamo_lang=de",
                                    accept_language="en_GB")) == "en"
    assert reader_language(_request("lang=de", accept_language="de-DE, se")) == "fi"


def test_the_address_language_keeps_its_three_values_in_the_api_document() -> None:
    """Tags are read before `Lang`'s own check, so the OpenAPI still lists fi, sv, en, for
    the pages' `lang` (`PageLang`) and the boards' feeds' (`LangParam`) alike."""
    from shared.service import create_app

    for service in ("events", "notifications"):
        spec = importlib.import_module(f"services.{service}.app").spec
        document: dict[str, Any] = create_app(spec).openapi()
        shown = [p["schema"] for path in document["paths"].values() for op in path.values()
                 for p in op.get("parameters", []) if p["name"] == "lang" and p["in"] == "query"]
        assert shown, f"no documented route of {service} takes ?lang="
        for schema in shown:
            enums = [s.get("enum") for s in schema.get("anyOf", [schema]) if "enum" in s]
            assert enums == [["fi", "sv", "en"]], (service, schema)
