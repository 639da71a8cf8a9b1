"""The city's house rules for its spaces, in the words an organiser accepts on the booking
page and reads again in the confirmation email: one text, so the two never say different
things (the booking service shows it, the notifications service mails it)."""

from __future__ import annotations

#: What every booking's organiser accepts (Kuopio's resident activity model: lawful,
#: substance-free, and the library may stop an event that breaks the rules).
HOUSE_RULES: dict[str, str] = {
    "fi": "Tilaisuus on laillinen ja päihteetön, ja kirjastolla on tarvittaessa oikeus "
          "keskeyttää se.",
    "sv": "Evenemanget är lagligt och drogfritt, och biblioteket har vid behov rätt att "
          "avbryta det.",
    "en": "The event is lawful and substance-free, and the library may stop it if needed.",
}

#: The heading they go under.
HEADING: dict[str, str] = {"fi": "Talon säännöt", "sv": "Husets regler", "en": "House rules"}


def house_rules(lang: str) -> str:
    """The rules under their heading ("Talon säännöt: Tilaisuus on …"), Finnish for a
    language the city does not write."""
    lang = lang if lang in HOUSE_RULES else "fi"
    return f"{HEADING[lang]}: {HOUSE_RULES[lang]}"
