"""Kuopio's areas as people name them: the codes events, venues and figures carry
(`kuopio.jynkka`) and the names shown to residents, organisers and staff, with their letters
(Jynkkä, Neulamäki, Nilsiä, Pyörö). The metrics service keeps the same names in its `areas`
table; a test checks that the two agree."""

from __future__ import annotations

from typing import Final

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
