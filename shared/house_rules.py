"""The city's rules for its spaces, one text wherever a person reads them, so no two places
say different things: the house rules an organiser accepts on the booking page and reads
again in the confirmation email (the booking service shows them, the notifications service
mails them), and the rules of use of seed 001 (Kuopio's resident activity model, section 3)
that the booking service's public page `/rules` lists and the guide's answers quote."""

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


#: Who may use which space for what, and at what price (seed 001, section 3), curated: the
#: guide quotes the ones an organiser's question touches, `/rules` shows them all.
RULES_OF_USE: dict[str, dict[str, str]] = {
    "free_cooperation": {
        "fi": "Tilan maksuton käyttö on mahdollista vain kirjaston kanssa yhteistyössä "
              "järjestetyissä, kaikille avoimissa tilaisuuksissa: kirjasto on kumppanina ja "
              "toiminnalla on yhdyshenkilö kirjastosta.",
        "sv": "Gratis användning av lokalen är möjlig endast för evenemang som ordnas i "
              "samarbete med biblioteket och är öppna för alla: biblioteket är partner och "
              "verksamheten har en kontaktperson på biblioteket.",
        "en": "Free use of a space is possible only for events run in cooperation with the "
              "library and open to all: the library is a partner and the activity has a "
              "contact person at the library."},
    "kantti_stage": {
        "fi": "Pääkirjasto KANTTIn lava on maksutta käytettävissä, kun toiminta järjestetään "
              "yhteistyössä kirjaston kanssa.",
        "sv": "Huvudbiblioteket KANTTIs scen är gratis när verksamheten ordnas i samarbete "
              "med biblioteket.",
        "en": "The stage at the KANTTI main library is free of charge when the activity is "
              "run in cooperation with the library."},
    "paid_main": {
        "fi": "Maksullisia vuokratiloja on vain pääkirjasto KANTTIssa (esim. aikuistenosaston "
              "lava, kokoussali, rauhallisen ryhmätyön tila); niissä voi olla myös "
              "yksityistilaisuuksia. Hinta näkyy tilan varaustiedoissa.",
        "sv": "Lokaler att hyra mot avgift finns endast på huvudbiblioteket KANTTI (t.ex. "
              "vuxenavdelningens scen, mötessalen, det tysta grupprummet); där kan även "
              "privata tillställningar hållas. Priset syns i lokalens bokningsuppgifter.",
        "en": "Paid rental spaces exist only at the KANTTI main library (e.g. the adults' "
              "section stage, the meeting hall, the quiet group room); private events can be "
              "held there too. The price is shown in the space's booking details."},
    "branch_no_paid": {
        "fi": "Lähikirjastoissa ei ole maksullisia vuokrattavia tiloja.",
        "sv": "Närbiblioteken har inga lokaler att hyra mot avgift.",
        "en": "Branch libraries have no paid rental spaces."},
    "party_main": {
        "fi": "Poliittinen puolue tai vastaava yhteisö voi varata omaan tilaisuuteensa "
              "maksullisen tilan pääkirjastosta; silloin kirjasto ei ole järjestäjänä. "
              "Tilaisuus ei saa olla ristiriidassa lain kanssa, sen on oltava päihteetön, ja "
              "kirjasto voi tarvittaessa evätä pääsyn tai keskeyttää tilaisuuden.",
        "sv": "Ett politiskt parti eller liknande samfund kan boka en avgiftsbelagd lokal på "
              "huvudbiblioteket för sitt eget evenemang; biblioteket är då inte arrangör. "
              "Evenemanget får inte strida mot lagen, ska vara drogfritt, och biblioteket kan "
              "vid behov neka tillträde eller avbryta det.",
        "en": "A political party or similar body may book a paid space at the main library "
              "for its own event; the library is then not an organiser. The event must be "
              "lawful and free of alcohol and drugs, and the library may refuse access or "
              "stop it if needed."},
    "shared_branch": {
        "fi": "Puolueet, uskonnolliset ja kaupalliset toimijat voivat järjestää toimintaa "
              "lähikirjastoissa vain yhteistä tavoitetta tukevana yhteistoimintana, jossa "
              "tarjotaan tasapuolinen mahdollisuus (esim. kaikille puolueille).",
        "sv": "Partier, religiösa och kommersiella aktörer kan ordna verksamhet i "
              "närbiblioteken endast som gemensam verksamhet som stöder gemensamma mål och "
              "ger alla lika möjligheter (t.ex. alla partier).",
        "en": "Parties, religious and commercial organisers can run activity in branch "
              "libraries only as shared activity supporting common goals, with equal "
              "opportunity (e.g. for all parties)."},
    "non_commercial": {
        "fi": "Asukastoiminta on lähtökohtaisesti ei-kaupallista, poliittisesti sitoutumatonta "
              "ja vakaumuksetonta, mutta järjestäjänä voi olla myös kaupallinen, poliittinen "
              "tai uskonnollinen yhteisö.",
        "sv": "Invånarverksamheten är i grunden icke-kommersiell, partipolitiskt och "
              "religiöst obunden, men arrangören kan också vara ett kommersiellt, politiskt "
              "eller religiöst samfund.",
        "en": "Resident activity is in principle non-commercial, politically and religiously "
              "unaligned, but a commercial, political or religious body can be the organiser."},
}

#: Where they come from, as a page cites its source.
RULES_SOURCE: dict[str, str] = {
    "fi": "Kuopion asukastoiminnan malli, luku 3 (tilojen käyttö)",
    "sv": "Kuopios modell för invånarverksamhet, kapitel 3 (lokaler)",
    "en": "Kuopio's resident activity model, section 3 (use of spaces)"}


def house_rules(lang: str) -> str:
    """The rules under their heading ("Talon säännöt: Tilaisuus on …"), Finnish for a
    language the city does not write."""
    lang = lang if lang in HOUSE_RULES else "fi"
    return f"{HEADING[lang]}: {HOUSE_RULES[lang]}"
