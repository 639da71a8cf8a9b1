"""The words residents read for the codes activities carry (kinds, topics, audiences), in
Finnish, Swedish and English, for the follow page's choices. The vocabulary is the events
service's (its `vocabulary` table, seeded by its migration 002; staff may add codes there);
no event carries the labels, so the seed's are kept here too, and a test checks that the two
agree. A code the city added later reads as its words until it is added here."""

from __future__ import annotations

from typing import Final

from shared.areas import area_name

#: scheme → code → {fi, sv, en}.
LABELS: Final[dict[str, dict[str, dict[str, str]]]] = {
    "kinds": {
        "open_unguided": {"fi": "Avoin ohjaamaton toiminta",
                          "sv": "Öppen verksamhet utan handledning",
                          "en": "Open unguided activity"},
        "open_guided": {"fi": "Avoin ohjattu toiminta", "sv": "Öppen handledd verksamhet",
                        "en": "Open guided activity"},
        "equipment_lending": {"fi": "Välineiden lainaus", "sv": "Utlåning av utrustning",
                              "en": "Equipment lending"},
        "association_meeting": {"fi": "Yhdistyksen kokoontuminen", "sv": "Föreningsmöte",
                                "en": "Association meeting"},
        "digital": {"fi": "Digitaalinen toiminta", "sv": "Digital verksamhet",
                    "en": "Digital activity"},
        "resident_evening": {"fi": "Asukasilta", "sv": "Invånarkväll",
                             "en": "Resident evening"},
        "thematic_panel": {"fi": "Teemaraati", "sv": "Temapanel", "en": "Thematic panel"},
        "town_hall_meeting": {"fi": "Town Hall -tilaisuus", "sv": "Town Hall-möte",
                              "en": "Town hall meeting"},
        "pop_up": {"fi": "Pop up", "sv": "Pop up", "en": "Pop-up"},
        "participatory_budgeting": {"fi": "Osallistuva budjetointi",
                                    "sv": "Deltagande budgetering",
                                    "en": "Participatory budgeting"},
        "other": {"fi": "Muu", "sv": "Annat", "en": "Other"},
    },
    "topics": {
        "exercise": {"fi": "Liikunta", "sv": "Motion", "en": "Exercise"},
        "music": {"fi": "Musiikki", "sv": "Musik", "en": "Music"},
        "culture": {"fi": "Kulttuuri", "sv": "Kultur", "en": "Culture"},
        "education": {"fi": "Sivistys", "sv": "Bildning", "en": "Education"},
        "nature": {"fi": "Luonto", "sv": "Natur", "en": "Nature"},
        "gardening": {"fi": "Puutarha", "sv": "Trädgård", "en": "Gardening"},
        "crafts": {"fi": "Askartelu ja käsityöt", "sv": "Pyssel och hantverk",
                   "en": "Crafts"},
        "food": {"fi": "Ruoka", "sv": "Mat", "en": "Food"},
        "discussion": {"fi": "Keskustelu", "sv": "Diskussion", "en": "Discussion"},
        "skills": {"fi": "Taidot ja tiedot", "sv": "Färdigheter", "en": "Skills"},
        "stories": {"fi": "Tarinat", "sv": "Berättelser", "en": "Stories"},
        "games": {"fi": "Pelit", "sv": "Spel", "en": "Games"},
        "digital_skills": {"fi": "Digitaidot", "sv": "Digitala färdigheter",
                           "en": "Digital skills"},
    },
    "audiences": {
        "everyone": {"fi": "Kaikki", "sv": "Alla", "en": "Everyone"},
        "children": {"fi": "Lapset", "sv": "Barn", "en": "Children"},
        "families": {"fi": "Lapsiperheet", "sv": "Barnfamiljer", "en": "Families"},
        "youth": {"fi": "Nuoret", "sv": "Unga", "en": "Young people"},
        "seniors": {"fi": "Seniorit", "sv": "Seniorer", "en": "Seniors"},
        "foreign_language": {"fi": "Vieraskieliset", "sv": "Främmandespråkiga",
                             "en": "Foreign-language residents"},
        "disabilities": {"fi": "Vammaiset henkilöt",
                         "sv": "Personer med funktionsnedsättning",
                         "en": "People with disabilities"},
    },
}


def _words(code: str) -> str:
    """A code not in the vocabulary here, as words: `digital_help` → `Digital help`."""
    words = code.rsplit(".", 1)[-1].replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else code


def label(scheme: str, code: str, lang: str) -> str:
    """What residents read for a code of `scheme` (areas, kinds, topics, audiences) in
    `lang`: an area's name (shared.areas), else the vocabulary's label, Finnish where the
    language has none."""
    if scheme == "areas":
        return area_name(code, lang)
    known = LABELS.get(scheme, {}).get(code)
    if known is None:
        return _words(code)
    return known.get(lang) or known["fi"]
