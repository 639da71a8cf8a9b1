"""A form's text as its page counted it (`shared.forms`): a browser sends each line break as
CR LF, and bytes that are no UTF-8 are refused by the field's name before any route reads
them, in every service (the middleware is part of `shared.service.create_app`)."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI, Form, Request
from starlette.responses import HTMLResponse, Response

from shared.forms import FormText, one_line_break, undecodable_fields

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def test_each_line_break_is_sent_as_one_lf() -> None:
    assert one_line_break(b"a=1%0D%0A2%0d%0a3%0D4&b=x%0A") == b"a=1%0A2%0A3%0A4&b=x%0A"
    assert one_line_break(b"a=%0D%0D%0A") == b"a=%0A%0A"
    assert one_line_break(b"a=%250D%250A") == b"a=%250D%250A"  # the text "%0D%0A" is no break
    assert one_line_break(b"") == b""


def test_fields_that_are_no_utf8_are_named_once_each() -> None:
    assert undecodable_fields(b"name=%C3%A4&comment=%FF%FE&comment=%FF&ok=a+b") == ["comment"]
    assert undecodable_fields(b"%FF=1&x=%ED%B2%80") == ["\ufffd", "x"]  # a lone surrogate's
    assert undecodable_fields(b"name=J%C3%BCrgen+%F0%9F%98%80&csrf=&&=") == []


def _app(seen: list[dict[str, Any]]) -> Any:
    app = FastAPI()

    @app.post("/form")
    async def form(text: str = Form("")) -> dict[str, Any]:
        seen.append({"text": text})
        return {"text": text}

    @app.post("/body")
    async def body(request: Request) -> dict[str, Any]:
        got = await request.body()
        return {"length": request.headers.get("content-length"), "got": len(got)}

    @app.post("/json")
    async def json_body(request: Request) -> Response:
        return Response(await request.body(), media_type="application/json")

    def page(request: Request, status: int, fields: list[str] | None,
             headers: dict[str, str] | None) -> Response:
        return HTMLResponse(f"<h1>{status}</h1><code>{','.join(fields or [])}</code>",
                            status_code=status)

    return FormText(app, page=page)


async def test_a_route_reads_the_text_the_page_counted() -> None:
    seen: list[dict[str, Any]] = []
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_app(seen)),
                                 base_url="http://test") as client:
        typed = "\n".join(["Jynkän kirjasto"] * 3)
        sent = await client.post("/form", data={"text": typed.replace("\n", "\r\n")})
        assert sent.status_code == 200 and sent.json() == {"text": typed}
        length = (await client.post("/body", data={"text": "a\r\nb"})).json()
        assert length == {"length": "10", "got": 10}  # "text=a%0Ab", not "text=a%0D%0Ab"
        # Not a form: the body as it came.
        raw = b'{"text": "a\\r\\nb"}'
        assert (await client.post("/json", content=raw,
                                  headers={"Content-Type": "application/json"})).content == raw


async def test_undecodable_text_is_refused_by_name_and_no_route_sees_it() -> None:
    seen: list[dict[str, Any]] = []
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_app(seen)),
                                 base_url="http://test") as client:
        body = b"text=%FF%FEhei&other=ok"
        as_json = await client.post("/form", content=body, headers=FORM)
        assert as_json.status_code == 422
        assert as_json.headers["vary"] == "Accept, Accept-Language, Cookie"
        assert as_json.json()["detail"][0]["loc"] == ["body", "text"]
        as_page = await client.post("/form", content=body,
                                    headers={**FORM, "Accept": "text/html"})
        assert as_page.status_code == 422 and "<code>text</code>" in as_page.text
        assert seen == []


async def test_a_page_routes_form_is_refused_as_a_page_whoever_posts_it() -> None:
    """A route of pages (`shared.pages.page_route`) documents only pages: a program that
    posts its form without `Accept: text/html` got the edge's refusals as JSON."""
    from fastapi import APIRouter

    from shared.pages import page_route

    seen: list[str] = []
    app = FastAPI()
    pages = APIRouter(route_class=page_route(lambda lang: ("/", "Etusivu")))

    @pages.post("/feedback", response_class=HTMLResponse)
    async def feedback(comment: str = Form("")) -> str:
        seen.append(comment)
        return "<p>Kiitos</p>"

    @app.post("/api")
    async def api(comment: str = Form("")) -> dict[str, str]:
        seen.append(comment)
        return {"comment": comment}

    app.include_router(pages)

    def page(request: Request, status: int, fields: list[str] | None,
             headers: dict[str, str] | None) -> Response:
        return HTMLResponse(f"<h1>{status}</h1><code>{','.join(fields or [])}</code>",
                            status_code=status, headers=headers)

    app.add_middleware(FormText, page=page, max_body=100, page_routes=pages.routes)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://test") as client:
        for body, status in ((b"comment=%FF", 422), (b"comment=" + b"a" * 200, 413)):
            refused = await client.post("/feedback", content=body, headers=FORM)
            assert refused.status_code == status, refused.text
            assert refused.headers["content-type"].startswith("text/html"), refused.text
            # A route that answers JSON still answers a program in JSON.
            api_refused = await client.post("/api", content=body, headers=FORM)
            assert api_refused.status_code == status
            assert api_refused.headers["content-type"].startswith("application/json")
        assert seen == []
        kept = await client.post("/feedback", content=b"comment=ok", headers=FORM)
        assert kept.status_code == 200 and seen == ["ok"]
