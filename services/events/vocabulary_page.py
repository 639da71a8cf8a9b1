"""The vocabulary as a page for communications staff: each scheme's terms (kinds, topics,
audiences) with their fi/sv/en words and whether they are offered, a form to add a term,
and each term's words to edit, to retire and to restore, in fi/sv/en. Until now only the
JSON API did this (`PUT /vocabulary`, `POST /vocabulary/{scheme}/{code}/retire|restore`);
the page calls the same rules through their use cases (`add_term`, which refuses a code the
vocabulary has, `set_term_words`, which refuses one it has not, `retire_term`), so the
revisions and what the bus hears are the same.

It lives under the approval queue's sign-in (`approvals_page.SESSION`, cookie path
``/approvals``): one sign-in for the events service's staff pages, which leads back here
(`?next=`). A refused form answers 422 (409 for a code in use) with the form as typed, each
refusal by its input and focus on the one refused (`shared.form_refusals`). The term a
form is about travels in the form, not in the address, so every input a page route takes is
one the refusal pages can name."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import FormData

from services.events import domain, usecases
from services.events.approvals_page import SESSION, staff
from services.events.labels import VOCABULARY
from services.events.staff_nav import staff_nav
from shared.auth import Unauthenticated
from shared.errors import DomainError, Forbidden, Invalid, NotFound
from shared.form_refusals import by_input, focus_input, mapped, summary_links
from shared.http import code_of, status_of
from shared.l10n import number, text_html, text_in
from shared.pages import ENDONYMS, LANGS, Lang, Note, PageLang, page_route, refused_page
from shared.service import CurrentClock, Pool

PAGE = "/approvals/vocabulary"


def _home(lang: str) -> tuple[str, str]:
    return f"{PAGE}?lang={lang}", VOCABULARY[lang]["title"]


# A query the routes refuse is a page naming it, with a way back to this page.
router = APIRouter(tags=["vocabulary page"], include_in_schema=False,
                   route_class=page_route(_home))
_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   autoescape=select_autoescape(["html"]))

#: A term's words' inputs, in the order the forms show them.
LABEL_INPUTS = tuple(f"label_{lang}" for lang in LANGS)
#: The rule's field (`Invalid.field`) → the input it is about; the add form has the scheme
#: and the code too, a term's own form only its words (its term is fixed).
_ADD_INPUTS = {"scheme": "scheme", "code": "code",
               **{f"label.{lang}": f"label_{lang}" for lang in LANGS}}
_WORDS_INPUTS = {f"label.{lang}": f"label_{lang}" for lang in LANGS}
#: The add form's inputs' elements (what the summary links to), in the form's order.
_ADD_IDS = {"scheme": "add-scheme", "code": "add-code",
            **{f"label_{lang}": f"add-label-{lang}" for lang in LANGS}}


def _words_ids(scheme: str, code: str) -> dict[str, str]:
    """A term's word inputs' elements (codes are [a-z0-9_], so they make ids as they are)."""
    return {f"label_{lang}": f"t-{scheme}-{code}-{lang}" for lang in LANGS}


@dataclass(frozen=True)
class Refused:
    """A form sent back: which (`term`: None for the add form, else its scheme and code),
    what was typed, each refusal by its input (`invalid`), the summary's links (those of
    no input among them) and the input that takes focus ("": the summary)."""

    term: tuple[str, str] | None
    typed: Mapping[str, str]
    invalid: Mapping[str, str] = field(default_factory=dict)
    summary: Sequence[Mapping[str, Any]] = ()
    focus: str = ""


def _to_login(lang: str) -> RedirectResponse:
    """The sign-in, which leads back to this page in `lang` (not to the queue)."""
    query = urlencode({"lang": lang, "next": f"{PAGE}?lang={lang}"})
    return RedirectResponse(f"/approvals/login?{query}", status_code=303)


def refusal(exc: DomainError, lang: str) -> str:
    """A refusal in the reader's words, by the rule's field and message (the use cases say
    them in English for the API)."""
    t = VOCABULARY[lang]["refusals"]
    if isinstance(exc, Forbidden | Unauthenticated):
        return str(t["not_yours"])
    if isinstance(exc, NotFound):
        return str(t["gone"])
    if code_of(exc) == "term_exists":
        return str(t["code_taken"])
    where = exc.field if isinstance(exc, Invalid) else None
    message = exc.message
    if "at most" in message:  # the field's bound, from the rule that refused it
        bound = domain.CODE_MAX if where == "code" else domain.TEXT_MAX
        return str(t["too_long"]).format(n=number(bound, lang))
    if code_of(exc) == "text_chars" or "NUL" in message or "Unicode" in message:
        return str(t["bad_chars"])
    if where == "scheme":
        return str(t["scheme"])
    if where == "code":
        if "must not be empty" in message:
            return str(t["code_short"]).format(n=number(2, lang))
        return str(t["code_chars"])
    if where == "label.fi":
        return str(t["fi_needed"])
    if where in ("label.sv", "label.en"):
        return str(t["unreadable"])
    return str(t["other"])


def _typed(form: FormData, names: Sequence[str]) -> dict[str, str]:
    """The form's inputs as typed (what a refused form shows again); a missing one empty."""
    return {name: str(form.get(name) or "") for name in names}


def _label(typed: Mapping[str, str]) -> dict[str, Any]:
    """The words as the use case takes them: an input left empty is a language not given
    (the Finnish one is refused by the rule, as the API refuses it)."""
    words = {lang: typed[f"label_{lang}"].strip() for lang in LANGS}
    return {"fi": words["fi"], **{lang: words[lang] or None for lang in ("sv", "en")}}


def _refused(exc: DomainError, lang: str, term: tuple[str, str] | None,
             typed: Mapping[str, str]) -> Refused:
    """A refused form as the page shows it: `shared.form_refusals`' one way."""
    inputs, ids = (_ADD_INPUTS, _ADD_IDS) if term is None else (_WORDS_INPUTS,
                                                                _words_ids(*term))
    invalid, unplaced = by_input([exc], lambda each: refusal(each, lang), mapped(inputs),
                                 tuple(ids))
    return Refused(term, typed, invalid,
                   summary_links(invalid, unplaced, ids, _input_names(lang, term)),
                   focus_input(invalid, unplaced))


def _input_names(lang: str, term: tuple[str, str] | None) -> dict[str, str]:
    """The inputs as the page names them, for the summary to say which each refusal is
    about (two words unreadable alike, in Swedish and in English): the add form's by their
    labels, a term's row by its column's and its code, as its inputs are labelled."""
    t = VOCABULARY[lang]
    if term is None:
        return {name: str(t[name]) for name in ("scheme", "code", *LABEL_INPUTS)}
    return {name: f"{t[name]} {term[1]}" for name in LABEL_INPUTS}


@router.get(PAGE, response_class=HTMLResponse)
async def vocabulary_page(request: Request, pool: Pool, lang: PageLang,
                          note: Note = Depends(SESSION.note)) -> Response:
    if SESSION.principal(request).is_public:
        return _to_login(lang)
    return await _page(request, pool, lang, note.text, note.error)


async def _page(request: Request, pool: Pool, lang: Lang, msg: str | None, error: bool,
                refused: Refused | None = None, status_code: int = 200) -> Response:
    """The page: every term, retired ones too; a refused form (`refused`) as typed."""
    found = await usecases.vocabulary(usecases.unit_of_work(pool), retired=True)
    schemes = []
    for scheme in domain.SCHEMES:
        terms = []
        for code, label in sorted(found.get(scheme, {}).items()):
            mine = refused is not None and refused.term == (scheme, code)
            words = {f"label_{lang}": label.get(lang) or "" for lang in LANGS}
            terms.append({"code": code, "name": text_html(label, lang),
                          "retired": bool(label.get("retired")),
                          "typed": refused.typed if mine and refused else words,
                          "ids": _words_ids(scheme, code),
                          "invalid": refused.invalid if mine and refused else {},
                          "focus": refused.focus if mine and refused else ""})
        schemes.append({"code": scheme, "terms": terms})
    adding = refused is not None and refused.term is None
    html = _env.get_template("vocabulary.html").render(
        lang=lang, t=VOCABULARY[lang], csrf=SESSION.csrf_token(request), page=PAGE,
        nav=staff_nav(lang, "vocabulary"), langs=LANGS, endonyms=ENDONYMS,
        msg=msg, error=error, schemes=schemes, refused=refused,
        add={"typed": refused.typed if adding and refused else
             {"scheme": "", "code": "", **dict.fromkeys(LABEL_INPUTS, "")},
             "invalid": refused.invalid if adding and refused else {},
             "focus": refused.focus if adding and refused else "", "ids": _ADD_IDS})
    return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})


def _back(request: Request, lang: str, message: str, error: bool = False) -> RedirectResponse:
    return SESSION.noted(request, PAGE, message, error=error, params=[("lang", lang)])


def _term_of(typed: Mapping[str, str]) -> tuple[str, str]:
    """The term a term's form names: as the API's address takes one (a scheme of the three,
    a code by its pattern, whole: `CODE.match` takes "games\\n", which the table's check
    refuses), else none in the vocabulary."""
    scheme, code = typed["scheme"], typed["code"]
    if scheme not in domain.SCHEMES or not 0 < len(code) <= domain.CODE_MAX \
            or not domain.CODE.fullmatch(code):
        raise NotFound("no such term in the vocabulary")
    return scheme, code


async def _save(request: Request, pool: Pool, clock: CurrentClock, lang: Lang,
                term: tuple[str, str] | None, typed: dict[str, str]) -> Response:
    """A term's words: from the add form (`term` None: its scheme and code typed) a new term
    (`add_term`), from a term's own form that term's (`set_term_words`). Refused, the page
    again (422 for a rule of an input, the refusal's own status otherwise: 409 for a code in
    use) with the form as typed; a term's form naming no term, said as a bad term is."""
    t = VOCABULARY[lang]
    scheme, code = term if term is not None else (typed["scheme"], typed["code"].strip())
    save = usecases.add_term if term is None else usecases.set_term_words
    try:
        entry = await save(usecases.unit_of_work(pool), clock, staff(request),
                           usecases.VocabularyEntry(scheme, code, _label(typed)))
    except Unauthenticated:
        return _to_login(lang)
    except NotFound as exc:  # no row to say it by (the term is not there)
        return _back(request, lang, refusal(exc, lang), error=True)
    except DomainError as exc:
        return await _page(request, pool, lang, None, True, _refused(exc, lang, term, typed),
                           status_code=status_of(exc))
    name = text_in(entry.label, lang)
    return _back(request, lang, t["added"].format(name=name, code=code) if term is None
                 else t["saved"].format(name=name))


@router.post(f"{PAGE}/add")
async def add_term(request: Request, pool: Pool, clock: CurrentClock,
                   lang: PageLang) -> Response:
    """A new term (a scheme, a code and its words); a code in use is refused by its input,
    not relabelled (`PUT /vocabulary` is the API's upsert)."""
    if not await SESSION.check_form(request):
        return refused_page(request, PAGE)
    typed = _typed(await request.form(), ("scheme", "code", *LABEL_INPUTS))
    return await _save(request, pool, clock, lang, None, typed)


@router.post(f"{PAGE}/words")
async def set_words(request: Request, pool: Pool, clock: CurrentClock,
                    lang: PageLang) -> Response:
    """A term's new fi/sv/en words (its code stays; a retired term stays retired); a code
    the vocabulary has not is refused, never added."""
    if not await SESSION.check_form(request):
        return refused_page(request, PAGE)
    form = await request.form()
    try:
        term = _term_of(_typed(form, ("scheme", "code")))
    except NotFound as exc:
        return _back(request, lang, refusal(exc, lang), error=True)
    return await _save(request, pool, clock, lang, term, _typed(form, LABEL_INPUTS))


async def _retire(request: Request, pool: Pool, clock: CurrentClock, lang: Lang,
                  retired: bool) -> Response:
    """Retire or restore the form's term: the use case of
    `POST /vocabulary/{scheme}/{code}/retire|restore`; what was done or why not is said on
    the page it leads back to."""
    if not await SESSION.check_form(request):
        return refused_page(request, PAGE)
    t = VOCABULARY[lang]
    try:
        scheme, code = _term_of(_typed(await request.form(), ("scheme", "code")))
        term = await usecases.retire_term(usecases.unit_of_work(pool), clock, staff(request),
                                          scheme, code, retired=retired)
    except Unauthenticated:
        return _to_login(lang)
    except DomainError as exc:
        return _back(request, lang, refusal(exc, lang), error=True)
    name = text_in(term["label"], lang)
    return _back(request, lang, (t["retired_done"] if retired else t["restored_done"])
                 .format(name=name))


@router.post(f"{PAGE}/retire")
async def retire(request: Request, pool: Pool, clock: CurrentClock,
                 lang: PageLang) -> Response:
    """No new activity, filter or follow page offers the term; what has it keeps its words."""
    return await _retire(request, pool, clock, lang, retired=True)


@router.post(f"{PAGE}/restore")
async def restore(request: Request, pool: Pool, clock: CurrentClock,
                  lang: PageLang) -> Response:
    """The retired term is offered again."""
    return await _retire(request, pool, clock, lang, retired=False)
