"""Quality over time in words, one language at a time: the sentence a manager reads to the
insurer ("2026: 38% hersteld tegen 36% verwacht bij deze instroom ...: kwaliteit behouden")."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from rom.numbers import decimal
from rom.reports.quality import BETTER, FALLEN, KEPT, MIN_EPISODES, TOO_FEW, Quality
from rom.reports.summary import Period

VERDICT_LABELS = {
    KEPT: _l("kwaliteit behouden"),
    BETTER: _l("beter dan verwacht bij deze instroom"),
    FALLEN: _l("kwaliteit gedaald"),
    TOO_FEW: _l("niet beoordeeld"),
}

VERDICT_SHORT = {  # in a table's last column, under "Kwaliteit"
    KEPT: _l("behouden"),
    BETTER: _l("beter"),
    FALLEN: _l("gedaald"),
    TOO_FEW: _l("geen oordeel"),
}


def year_label(period: Period) -> str:
    """The year, and up to which day while it runs ("2026 (tot 7 december)")."""
    if period.end < date(period.start.year, 12, 31):
        day = format_date(period.end, "d MMMM")
        return _("%(year)s (tot %(day)s)", year=period.start.year, day=day)
    return str(period.start.year)


def percent(value: float | None, language: str, signed: bool = False) -> str:
    """A share as a whole percentage in the language's notation; a dash where there is none."""
    if value is None or value != value:
        return "–"
    return decimal(value * 100, 0, language, signed) + "%"


def quality_sentence(label: str, quality: Quality, language: str) -> str:
    """The period's recovery against what its intakes were expected to reach, and the verdict."""
    if quality.verdict == TOO_FEW:
        return _(
            "%(period)s: minder dan %(minimum)s afgesloten behandelingen met twee metingen: "
            "niet beoordeeld.",
            period=label,
            minimum=MIN_EPISODES,
        )
    recovered = quality.outcomes["recovered"]
    figures = {
        "period": label,
        "observed": percent(recovered.observed, language),
        "expected": percent(recovered.expected, language),
        "difference": percent(recovered.difference, language, signed=True),
        "low": percent(recovered.low, language, signed=True),
        "high": percent(recovered.high, language, signed=True),
        "verdict": VERDICT_LABELS[quality.verdict],
    }
    if quality.verdict in (BETTER, FALLEN) and not (recovered.above or recovered.below):
        size = quality.effect_size
        return _(
            "%(period)s: %(observed)s hersteld tegen %(expected)s verwacht bij deze instroom "
            "(verschil %(difference)s, 95%%-interval %(low)s tot %(high)s), effectgrootte "
            "tegen verwacht %(size)s (95%%-interval %(size_low)s tot %(size_high)s): "
            "%(verdict)s.",
            size=decimal(size.difference, 2, language, signed=True),
            size_low=decimal(size.low, 2, language, signed=True),
            size_high=decimal(size.high, 2, language, signed=True),
            **figures,
        )
    return _(
        "%(period)s: %(observed)s hersteld tegen %(expected)s verwacht bij deze instroom "
        "(verschil %(difference)s, 95%%-interval %(low)s tot %(high)s): %(verdict)s.",
        **figures,
    )


def unadjusted_sentence(label: str, baseline: str, quality: Quality, language: str) -> str:
    """The raw share recovered against the baseline year, for contrast with the adjusted one."""
    raw = quality.unadjusted_recovered
    if quality.verdict == TOO_FEW or raw.expected is None:
        return ""
    return _(
        "Zonder correctie voor de instroom: %(observed)s hersteld in %(period)s tegen "
        "%(then)s in %(baseline)s (verschil %(difference)s, 95%%-interval %(low)s tot %(high)s).",
        period=label,
        baseline=baseline,
        observed=percent(raw.observed, language),
        then=percent(raw.expected, language),
        difference=percent(raw.difference, language, signed=True),
        low=percent(raw.low, language, signed=True),
        high=percent(raw.high, language, signed=True),
    )
