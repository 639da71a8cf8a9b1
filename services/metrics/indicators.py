"""The indicators, defined once: what each measures, how, and from which events. The API,
the CSV export and (later) the dashboard and the yearly report all read these."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    code: str
    name: dict[str, str]
    unit: str
    formula: str
    sources: tuple[str, ...]
    per_thousand: bool = True


_EVENTS = ("fi.kohtaamo.event.published.v1", "fi.kohtaamo.event.updated.v1",
           "fi.kohtaamo.event.postponed.v1", "fi.kohtaamo.event.rescheduled.v1",
           "fi.kohtaamo.event.cancelled.v1")
_ATTENDANCE = ("fi.kohtaamo.attendance.reported.v1",)

INDICATORS: tuple[Indicator, ...] = (
    Indicator("published_events", {"fi": "Julkaistut tapahtumat", "sv": "Publicerade evenemang",
              "en": "Published events"}, "events",
              "activity events whose latest revision is published (not postponed or cancelled)",
              _EVENTS),
    Indicator("cancelled_events", {"fi": "Perutut tapahtumat", "sv": "Inställda evenemang",
              "en": "Cancelled events"}, "events", "activity events whose latest revision is "
              "cancelled", _EVENTS),
    Indicator("held_events", {"fi": "Toteutuneet tapahtumat", "sv": "Genomförda evenemang",
              "en": "Held events"}, "events",
              "published activity events with an attendance report", _EVENTS + _ATTENDANCE),
    Indicator("planned_hours", {"fi": "Suunnitellut toimintatunnit", "sv": "Planerade timmar",
              "en": "Planned activity hours"}, "hours",
              "sum of (end − start) of published activity events", _EVENTS),
    Indicator("realised_hours", {"fi": "Toteutuneet toimintatunnit",
              "sv": "Genomförda verksamhetstimmar", "en": "Realised activity hours"}, "hours",
              "sum of (end − start) of held activity events", _EVENTS + _ATTENDANCE),
    Indicator("participants", {"fi": "Osallistujat", "sv": "Deltagare", "en": "Participants"},
              "people", "sum of the latest reported participants of held events",
              _EVENTS + _ATTENDANCE),
    Indicator("visitors", {"fi": "Kävijät", "sv": "Besökare", "en": "Visitors"}, "people",
              "sum of the latest reported visitors of held events", _EVENTS + _ATTENDANCE),
    Indicator("organisers", {"fi": "Toiminnan järjestäjät", "sv": "Arrangörer",
              "en": "Organisers"}, "organisers",
              "distinct pseudonymous organisers with a published event in the period", _EVENTS),
    Indicator("deliveries", {"fi": "Tavoittavuus (julkaisut kanavissa)",
              "sv": "Räckvidd (publiceringar i kanaler)", "en": "Reach (channel deliveries)"},
              "deliveries", "deliveries of activity events to notice boards, social media and "
              "email, counted once each, in the month of the activity",
              ("fi.kohtaamo.notification.delivered.v1",)),
    Indicator("satisfaction_mean", {"fi": "Asiakastyytyväisyys", "sv": "Kundnöjdhet",
              "en": "Customer satisfaction"}, "1–5",
              "mean of the feedback survey's satisfaction answers", ("feedback survey",),
              per_thousand=False),
    Indicator("wellbeing_share", {"fi": "Hyvinvointia lisännyt", "sv": "Ökat välbefinnande",
              "en": "Improved wellbeing"}, "share",
              "share of feedback answers saying the activity improved their wellbeing",
              ("feedback survey",), per_thousand=False),
)
BY_CODE = {i.code: i for i in INDICATORS}
