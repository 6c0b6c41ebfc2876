"""The member's PHQ-9 course on the member page: each score beside the course expected for
someone who started where they did, as a chart with a text alternative and as table columns."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup

from rom.i18n import reader_language
from rom.instruments import phq9_total
from rom.numbers import decimal
from rom.reports import charts
from rom.services.courses import expected_course_today


@dataclass(frozen=True)
class ExpectedBand:
    """Where the middle half of comparable members stood at a session (lower is better)."""

    low: float
    high: float

    def holds(self, score: float) -> bool:
        return self.low <= score <= self.high

    def judge(self, score: float) -> str:
        """Whether the score lies better than, within or worse than the band, in words."""
        if score < self.low:
            return _("beter dan verwacht")
        if score > self.high:
            return _("slechter dan verwacht")
        return _("zoals verwacht")


@dataclass(frozen=True)
class MemberCourse:
    bands: dict[int, ExpectedBand]  # by group session number
    chart: Markup


def member_course(joined_session: int, phq9: list[tuple[int, float | None]]) -> MemberCourse | None:
    """The course of the PHQ-9 totals per group session number; None before the first score
    or where the expected course has no cell for these sessions."""
    measured = [(number, score) for number, score in phq9 if score is not None]
    if not measured:
        return None
    numbers = [number for number, _score in phq9]
    intake = float(measured[0][1])
    points = expected_course_today().points_for(
        intake, [number - joined_session + 1 for number in numbers]
    )
    if points is None:
        return None
    bands = {
        number: ExpectedBand(low=intake - better, high=intake - worse)
        for number, better, worse in zip(numbers, points[75], points[25], strict=True)
    }
    return MemberCourse(bands=bands, chart=_chart(phq9, bands))


def _chart(phq9: list[tuple[int, float | None]], bands: dict[int, ExpectedBand]) -> Markup:
    numbers = [number for number, _score in phq9]
    return charts.line_chart(
        numbers,
        {"PHQ-9": [score for _number, score in phq9]},
        band=([bands[n].low for n in numbers], [bands[n].high for n in numbers]),
        band_label=_("verwacht (25-75%)"),
        y_range=(0, 27),
        cutoff=phq9_total().norms.cutoff,
        x_label=_("sessie"),
        y_label="PHQ-9",
        size=(6.3, 2.4),
        description=_spoken(phq9, bands),
    )


def _spoken(phq9: list[tuple[int, float | None]], bands: dict[int, ExpectedBand]) -> str:
    """The chart in words: every score against its expected band."""
    language = reader_language()
    per_session = "; ".join(
        _(
            "sessie %(number)s: %(score)s, verwacht %(low)s tot %(high)s (%(judged)s)",
            number=number,
            score=decimal(score, 0, language),
            low=decimal(bands[number].low, 0, language),
            high=decimal(bands[number].high, 0, language),
            judged=bands[number].judge(score),
        )
        for number, score in phq9
        if score is not None
    )
    return _("PHQ-9 per sessie tegen het verwachte verloop: %(sessions)s.", sessions=per_session)
