"""Kuopio's areas as people name them: the codes events, venues and figures carry
(`kuopio.jynkka`) and the names shown to residents, organisers and staff, with their letters
(Jynkkä, Neulamäki, Nilsiä, Pyörö). The metrics service keeps the same names in its `areas`
table; a test checks that the two agree."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from shared.errors import Invalid

#: code → (Finnish, Swedish, English) name. Place names are the same in the three languages
#: except the city centre.
AREAS: Final[dict[str, dict[str, str]]] = {
    code: {"fi": fi, "sv": sv, "en": en} for code, fi, sv, en in (
        ("kuopio.keskusta", "Keskusta", "Centrum", "City centre"),
        ("kuopio.puijonlaakso", "Puijonlaakso", "Puijonlaakso", "Puijonlaakso"),
        ("kuopio.neulamaki", "Neulamäki", "Neulamäki", "Neulamäki"),
        ("kuopio.jynkka", "Jynkkä", "Jynkkä", "Jynkkä"),
        ("kuopio.pyoro", "Pyörö", "Pyörö", "Pyörö"),
        ("kuopio.juankoski", "Juankoski", "Juankoski", "Juankoski"),
        ("kuopio.nilsia", "Nilsiä", "Nilsiä", "Nilsiä"),
        ("kuopio.maaninka", "Maaninka", "Maaninka", "Maaninka"),
        ("kuopio.riistavesi", "Riistavesi", "Riistavesi", "Riistavesi"),
        ("kuopio.vehmersalmi", "Vehmersalmi", "Vehmersalmi", "Vehmersalmi"),
        ("kuopio.karttula", "Karttula", "Karttula", "Karttula"),
    )
}


def area_refusals(codes: Iterable[str], field: str, *, listed: bool = False) -> list[Invalid]:
    """Each code that is not one of Kuopio's areas: a venue, activity, board or channel in
    another would be in no area's board, filter or figure. Said one way by every service:
    `unknown_area` with the code (cut) and the known ones, naming `field` (`areas.2` when
    `listed`)."""
    return [Invalid(f"not one of Kuopio's areas: {code[:60]!r}",
                    field=f"{field}.{i}" if listed else field, code="unknown_area",
                    value=code[:60], known=sorted(AREAS))
            for i, code in enumerate(codes) if code not in AREAS]


def area_name(code: str | None, lang: str) -> str:
    """The area's name in `lang`; an area the city has not named yet reads as its code's
    last part, capitalised (never as the raw code)."""
    if not code:
        return ""
    known = AREAS.get(code)
    if known is not None:
        return known.get(lang) or known["fi"]
    last = code.rsplit(".", 1)[-1].replace("_", " ")
    return last[:1].upper() + last[1:]

#: Kuopio's eleven public libraries, the venues the demo loads and the guide's tests answer
#: about: (key, Finnish name, Swedish name, English name, area code).
KUOPIO_LIBRARIES: Final[list[tuple[str, str, str, str, str]]] = [
    ("kantti", "KANTTI – tiedon ja tarinoiden kortteli, Kuopion keskustan kirjasto",
     "KANTTI – kvarteret för kunskap och berättelser, Kuopio centrumbibliotek",
     "KANTTI – the block of knowledge and stories, Kuopio main library", "kuopio.keskusta"),
    ("puijonlaakso", "Puijonlaakson kirjasto", "Puijonlaakso bibliotek",
     "Puijonlaakso library", "kuopio.puijonlaakso"),
    ("neulamaki", "Neulamäen kirjasto", "Neulamäki bibliotek", "Neulamäki library",
     "kuopio.neulamaki"),
    ("jynkka", "Jynkän kirjasto", "Jynkkä bibliotek", "Jynkkä library", "kuopio.jynkka"),
    ("pyoro", "Pyörön kirjasto", "Pyörö bibliotek", "Pyörö library", "kuopio.pyoro"),
    ("nilsia", "Nilsiän kirjasto", "Nilsiä bibliotek", "Nilsiä library", "kuopio.nilsia"),
    ("riistavesi", "Riistaveden kirjasto", "Riistavesi bibliotek", "Riistavesi library",
     "kuopio.riistavesi"),
    ("maaninka", "Maaningan kirjasto", "Maaninka bibliotek", "Maaninka library",
     "kuopio.maaninka"),
    ("karttula", "Karttulan kirjasto", "Karttula bibliotek", "Karttula library",
     "kuopio.karttula"),
    ("vehmersalmi", "Vehmersalmen kirjasto", "Vehmersalmi bibliotek", "Vehmersalmi library",
     "kuopio.vehmersalmi"),
    ("juankoski", "Juankosken kirjasto", "Juankoski bibliotek", "Juankoski library",
     "kuopio.juankoski"),
]
