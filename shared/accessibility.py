"""Structured accessibility features of venues and spaces: one vocabulary and its fi/sv/en
names for every service. Booking keeps them (migration 008: the database refuses any other
word), carries a venue's on `venue.registered/updated`, and the guide tells residents them.

After the Service Map's (Palvelukartta) and Linked Events' accessibility data: a feature
listed is known to be there; one not listed is not known (nobody has said), never 'absent'.
"""

from __future__ import annotations

from typing import Literal, get_args

AccessibilityFeature = Literal["step_free_entrance", "lift", "accessible_toilet",
                               "induction_loop", "accessible_parking"]

#: The vocabulary in the order features are shown and kept.
ACCESSIBILITY_FEATURES: tuple[str, ...] = get_args(AccessibilityFeature)

#: The features' names as the Service Map says them.
FEATURE_NAMES: dict[str, dict[str, str]] = {
    "fi": {"step_free_entrance": "Esteetön sisäänkäynti", "lift": "Hissi",
           "accessible_toilet": "Esteetön wc", "induction_loop": "Induktiosilmukka",
           "accessible_parking": "Liikkumisesteisten pysäköintipaikka"},
    "sv": {"step_free_entrance": "Steglös ingång", "lift": "Hiss",
           "accessible_toilet": "Tillgänglig toalett", "induction_loop": "Hörslinga",
           "accessible_parking": "Parkeringsplats för rörelsehindrade"},
    "en": {"step_free_entrance": "Step-free entrance", "lift": "Lift",
           "accessible_toilet": "Accessible toilet", "induction_loop": "Induction loop",
           "accessible_parking": "Accessible parking"},
}


def known_features(features: object) -> tuple[str, ...]:
    """The words of the vocabulary among `features`, each once, in the vocabulary's order
    (anything else dropped): for a reader of stored or received lists."""
    given = set(features) if isinstance(features, (list, tuple, set, frozenset)) else set()
    return tuple(f for f in ACCESSIBILITY_FEATURES if f in given)


def feature_names(features: object, lang: str) -> list[str]:
    """The known features' names in `lang` (Finnish when the language is not one of ours)."""
    names = FEATURE_NAMES.get(lang, FEATURE_NAMES["fi"])
    return [names[f] for f in known_features(features)]
