"""Points a briefing suggests raising in the group, from the group's recent course: pure data in,
texts out (Dutch and English)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from rom.numbers import LanguageFormatter

POINTS: dict[str, dict[str, str]] = {
    "welcome": {
        "nl": "Nieuwe leden verwelkomen ({count}); de groepsafspraken kort herhalen.",
        "en": "Welcome the new members ({count}); briefly repeat the group agreements.",
    },
    "farewell": {
        "nl": "Afscheid voorbereiden met wie voor het laatst komt ({count}).",
        "en": "Prepare the farewell with those coming for the last time ({count}).",
    },
    "final_session": {
        "nl": "Laatste sessie van de groep: terugblikken, afsluiten en vervolg bespreken.",
        "en": "The group's last session: look back, close and discuss what comes next.",
    },
    "conflict_rising": {
        "nl": "De spanning in de groep nam toe ({before:.1f} → {now:.1f}): benoem het en vraag "
        "wat de groep nodig heeft.",
        "en": "Tension in the group rose ({before:.1f} → {now:.1f}): name it and ask what the "
        "group needs.",
    },
    "cohesion_falling": {
        "nl": "De verbondenheid daalde ({before:.1f} → {now:.1f}): vraag hoe de leden de groep "
        "nu ervaren.",
        "en": "Cohesion fell ({before:.1f} → {now:.1f}): ask how members experience the group now.",
    },
    "engagement_falling": {
        "nl": "De betrokkenheid daalde ({before:.1f} → {now:.1f}): wat maakt meedoen lastig?",
        "en": "Engagement fell ({before:.1f} → {now:.1f}): what makes taking part hard?",
    },
    "absences": {
        "nl": "{count} leden waren de vorige keer afwezig: aanwezigheid en afmelden bespreken.",
        "en": "{count} members were absent last time: discuss attendance and sending notice.",
    },
    "low_response": {
        "nl": "Maar {answered} van {invited} vulden de vragenlijst in: leg uit waarom die ertoe "
        "doet en wat ermee gebeurt.",
        "en": "Only {answered} of {invited} filled in the questionnaire: explain why it matters "
        "and what is done with it.",
    },
    "topics": {
        "nl": "Onderwerpen die leden willen inbrengen: {count} (zie hieronder).",
        "en": "Topics members want to bring up: {count} (see below).",
    },
    "nothing_special": {
        "nl": "Geen bijzonderheden in de metingen: vraag de groep wat zij willen inbrengen.",
        "en": "Nothing stands out in the measures: ask the group what they want to bring up.",
    },
}

CHANGE = 0.3  # a change in a climate or cohesion mean (0–6 and 1–7 scales) worth raising
LOW_RESPONSE = 0.6


@dataclass(frozen=True)
class Situation:
    """What the briefing knows about the group before the session."""

    trend: pd.DataFrame  # session_no and group means: engagement, avoidance, conflict, cohesion
    joining: int
    leaving: int
    final_session: bool
    absent_last_time: int
    invited_last_time: int
    answered_last_time: int
    topics: int


def talking_points(situation: Situation, language: str) -> list[str]:
    """A few points to raise, most pressing first; always at least one."""
    found: list[tuple[str, dict[str, float]]] = []
    found += _climate_changes(situation.trend)
    if situation.absent_last_time >= 2:
        found.append(("absences", {"count": situation.absent_last_time}))
    invited, answered = situation.invited_last_time, situation.answered_last_time
    if invited >= 3 and answered / invited < LOW_RESPONSE:
        found.append(("low_response", {"answered": answered, "invited": invited}))
    if situation.joining:
        found.append(("welcome", {"count": situation.joining}))
    if situation.final_session:
        found.append(("final_session", {}))
    elif situation.leaving:
        found.append(("farewell", {"count": situation.leaving}))
    if situation.topics:
        found.append(("topics", {"count": situation.topics}))
    if not found:
        found.append(("nothing_special", {}))
    numbers = LanguageFormatter(language)  # 3,5 in Dutch
    return [numbers.format(POINTS[code][language], **values) for code, values in found]


def _climate_changes(trend: pd.DataFrame) -> list[tuple[str, dict[str, float]]]:
    """Compare the last measured session with the mean of up to three before it."""
    changes = []
    for column, code, worse in (
        ("conflict", "conflict_rising", 1),
        ("cohesion", "cohesion_falling", -1),
        ("engagement", "engagement_falling", -1),
    ):
        values = trend[column].dropna() if column in trend else pd.Series(dtype=float)
        if len(values) < 2:
            continue
        now, before = float(values.iloc[-1]), float(values.iloc[-4:-1].mean())
        if (now - before) * worse >= CHANGE:
            changes.append((code, {"before": before, "now": now}))
    return changes
