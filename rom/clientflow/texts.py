"""The questionnaire pages' own words, in Dutch and English (instrument texts live in YAML);
NOTICES are pages shown in both languages before the link is read (or when it cannot be)."""

TEXTS = {
    "nl": {
        "other_language": "English",
        "other_code": "en",
        "session": "{group} · bijeenkomst {session}",
        "progress": "Vragenlijst {current} van {total}",
        "intake": "Uw aanmelding voor behandeling in een groep",
        "next": "Volgende",
        "back": "Vorige",
        "submit": "Versturen",
        "saved_note": "Uw antwoorden worden bewaard als u verder gaat. U kunt later verder.",
        "topic_label": "Wat zou u in de groep willen inbrengen? (mag leeg blijven)",
        "topic_hint": "Alleen uw groepsbehandelaars lezen dit, in hun voorbereiding op de "
        "sessie. Hooguit 280 tekens.",
        "missing_title": "Nog niet alles is beantwoord",
        "missing_intro": "Uw antwoorden zijn bewaard. Deze vragen moeten nog worden beantwoord:",
        "missing_item": "vraag {items}",
        "go_to": "Ga naar",
        "bad_title": "Er ging iets mis",
        "bad_text": "Deze antwoorden konden we niet verwerken; er is niets opgeslagen. Ga terug "
        "en probeer het opnieuw.",
        "to_questionnaire": "Naar de vragenlijst",
        "stale_title": "Deze pagina kon niet worden verstuurd",
        "stale_text": "Het formulier miste een controlecode, dus er is niets opgeslagen. Open de "
        "vragenlijst opnieuw en ga verder waar u was.",
        "thanks_title": "Dank u wel!",
        "thanks_text": "Uw antwoorden zijn verstuurd. Uw behandelaars kijken ernaar voor de "
        "volgende bijeenkomst.",
        "help_title": "Als het nu niet goed met u gaat",
        "help_now": "Heeft u nu hulp nodig?",
        "help_text": "U gaf aan dat u gedachten heeft over de dood of over uzelf iets aandoen. "
        "Uw behandelaars krijgen hierover nu bericht. Wacht niet als het nu niet "
        "gaat:",
        "chart_title": "Uw klachten per bijeenkomst",
        "chart_text": "De lijn laat uw score op de vragenlijst over somberheid (PHQ-9) zien. "
        "Lager is beter. Onder de stippellijn (10) zijn de klachten licht.",
        "chart_axis": "bijeenkomst",
        "chart_band_text": "Het blauwe vlak laat zien hoe het de helft van de mensen verging die "
        "met ongeveer dezelfde score begonnen als u: een kwart deed het beter, een kwart minder "
        "goed. Iedereen verloopt anders; bespreek vragen met uw behandelaar.",
        "chart_band_spoken": "Bij bijeenkomst {session} zat de helft van de mensen die net zo "
        "begonnen tussen {better} en {worse}.",
    },
    "en": {
        "other_language": "Nederlands",
        "other_code": "nl",
        "session": "{group} · session {session}",
        "progress": "Questionnaire {current} of {total}",
        "intake": "Your referral for treatment in a group",
        "next": "Next",
        "back": "Back",
        "submit": "Send",
        "saved_note": "Your answers are kept when you go on. You can continue later.",
        "topic_label": "What would you like to bring up in the group? (may stay empty)",
        "topic_hint": "Only your group's therapists read this, when they prepare the session. "
        "At most 280 characters.",
        "missing_title": "Not everything has been answered yet",
        "missing_intro": "Your answers are kept. These questions still need an answer:",
        "missing_item": "question {items}",
        "go_to": "Go to",
        "bad_title": "Something went wrong",
        "bad_text": "We could not process these answers; nothing was saved. Go back and try again.",
        "to_questionnaire": "To the questionnaire",
        "stale_title": "This page could not be sent",
        "stale_text": "The form was missing a check code, so nothing was saved. Open the "
        "questionnaire again and carry on where you were.",
        "thanks_title": "Thank you!",
        "thanks_text": "Your answers have been sent. Your therapists will look at them before "
        "the next session.",
        "help_title": "If you are not doing well right now",
        "help_now": "Do you need help now?",
        "help_text": "You said you have thoughts about death or about harming yourself. Your "
        "therapists are being told now. Do not wait if you are not coping:",
        "chart_title": "Your symptoms per session",
        "chart_text": "The line shows your score on the depression questionnaire (PHQ-9). "
        "Lower is better. Below the dotted line (10) symptoms are mild.",
        "chart_axis": "session",
        "chart_band_text": "The blue area shows how half of the people who started with about "
        "the same score as you were doing: a quarter did better, a quarter less well. Everyone's "
        "course is different; talk to your therapist about any questions.",
        "chart_band_spoken": "At session {session}, half of the people who started like you "
        "were between {better} and {worse}.",
    },
}

NOTICES = {
    "unknown": {
        "status": 404,
        "nl": (
            "Deze link werkt niet",
            "Controleer of u de hele link uit het bericht "
            "heeft geopend. Lukt het niet, vraag dan uw behandelaar om een nieuwe.",
        ),
        "en": (
            "This link does not work",
            "Check that you opened the whole link from "
            "the message. If it still fails, ask your therapist for a new one.",
        ),
    },
    "expired": {
        "status": 410,
        "nl": (
            "Deze vragenlijst is verlopen",
            "De tijd om deze vragenlijst in te vullen "
            "is voorbij. U krijgt een nieuwe link voor de volgende bijeenkomst.",
        ),
        "en": (
            "This questionnaire has expired",
            "The time to fill in this "
            "questionnaire has passed. You will get a new link for the next session.",
        ),
    },
    "submitted": {
        "status": 410,
        "nl": ("Al verstuurd", "Deze vragenlijst is al ingevuld en verstuurd. Dank u wel!"),
        "en": (
            "Already sent",
            "This questionnaire has already been filled in and sent. Thank you!",
        ),
    },
    "busy": {
        "status": 429,
        "nl": (
            "Even geduld",
            "Deze pagina is in korte tijd heel vaak geopend. Probeer het over een minuut "
            "opnieuw; wat al was opgeslagen blijft bewaard.",
        ),
        "en": (
            "Please wait a moment",
            "This page was opened very often in a short time. Try again in a minute; "
            "anything already saved is kept.",
        ),
    },
}
