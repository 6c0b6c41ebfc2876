"""The member's own course as a small server-rendered SVG (no script, screen-reader friendly),
drawn over the expected course of people who started at about the same score: the middle half
of them (25th to 75th percentile of improvement) as a shaded band."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from markupsafe import Markup, escape

from rom.analytics.signals import INTAKE_WITHIN
from rom.extensions import db
from rom.models import GroupSession, Response, Score, SessionStatus
from rom.services.courses import expected_course_today
from rom.services.invitations import OpenLink

WIDTH, HEIGHT, PAD = 320, 160, 28
TOP = 27.0
CUTOFF = 10.0

Point = tuple[int, float]  # (group session number, PHQ-9 total)

SESSIONS, RESPONSES, SCORES = GroupSession.__table__, Response.__table__, Score.__table__
# Read on every thank-you page, in one query built once: each of the group's sessions since the
# member joined, whether it was held, and the member's PHQ-9 total there if they gave one.
_PHQ9 = sa.and_(
    RESPONSES.c.session_id == SESSIONS.c.id,
    RESPONSES.c.membership_id == sa.bindparam("membership_id"),
    RESPONSES.c.instrument_id == "phq9",
)
COURSE = (
    sa.select(
        SESSIONS.c.number,
        (SESSIONS.c.status != SessionStatus.CANCELLED).label("held"),
        SCORES.c.value,
    )
    .outerjoin(RESPONSES, _PHQ9)
    .outerjoin(SCORES, sa.and_(SCORES.c.response_id == RESPONSES.c.id, SCORES.c.scale == "total"))
    .where(
        SESSIONS.c.group_id == sa.bindparam("group_id"),
        SESSIONS.c.number >= sa.bindparam("joined"),
    )
    .order_by(SESSIONS.c.number)
)


def _course(link: OpenLink) -> tuple[list[Point], dict[int, int]]:
    """The member's PHQ-9 totals by group session, and group session number -> the member's own
    count of held sessions since joining, up to their last total."""
    rows = (
        db.session.connection()
        .execute(
            COURSE,
            {
                "membership_id": link.membership_id,
                "group_id": link.group_id,
                "joined": link.joined_session,
            },
        )
        .all()
    )
    points = [(number, float(value)) for number, _, value in rows if value is not None]
    last = points[-1][0] if points else 0
    held = [number for number, was_held, _ in rows if was_held and number <= last]
    return points, {number: own for own, number in enumerate(held, start=1)}


def expected_band(points: Sequence[Point], own: dict[int, int]) -> list[tuple[int, float, float]]:
    """(session, better edge, worse edge) of the middle half of people who started at the
    member's intake score; empty when the first score came too late to count as intake."""
    first_session, intake = points[0]
    if own.get(first_session, INTAKE_WITHIN + 1) > INTAKE_WITHIN:
        return []
    sessions = [n for n in sorted(own) if n >= first_session]
    improvement = expected_course_today().points_for(intake, [own[n] for n in sessions])
    if improvement is None:
        return []
    return [
        (n, intake - better, intake - worse)
        for n, better, worse in zip(sessions, improvement[75], improvement[25], strict=True)
    ]


class Progress(NamedTuple):
    chart: Markup
    with_expected: bool


def progress_chart(link: OpenLink) -> Progress | None:
    """The chart for the thank-you page, from the second PHQ-9 on, in the reader's language."""
    points, own = _course(link)
    if len(points) < 2:
        return None
    band = expected_band(points, own)
    return Progress(draw_progress(points, band), bool(band))


def draw_progress(points: Sequence[Point], band: Sequence[tuple[int, float, float]]) -> Markup:
    first, last = points[0][0], points[-1][0]
    span = max(last - first, 1)

    def x(n: int) -> float:
        return PAD + (n - first) / span * (WIDTH - 2 * PAD)

    def y(v: float) -> float:
        return PAD / 2 + (1 - min(max(v, 0.0), TOP) / TOP) * (HEIGHT - 1.5 * PAD)

    line = " ".join(f"{x(n):.1f},{y(v):.1f}" for n, v in points)
    dots = "".join(f'<circle cx="{x(n):.1f}" cy="{y(v):.1f}" r="4"/>' for n, v in points)
    spoken = ", ".join(f"{n}: {v:.0f}" for n, v in points)
    axis = _("bijeenkomst")
    description = f"{axis} {spoken}."
    shaded = ""
    if band:
        edge = [f"{x(n):.1f},{y(better):.1f}" for n, better, _worse in band]
        edge += [f"{x(n):.1f},{y(worse):.1f}" for n, _better, worse in reversed(band)]
        shaded = f'<polygon class="expected" points="{" ".join(edge)}"/>'
        better, worse = band[-1][1:]
        description += " " + _(
            "Bij bijeenkomst %(session)s zat de helft van de mensen die net zo begonnen tussen "
            "%(better)s en %(worse)s.",
            session=last,
            better=round(better),
            worse=round(worse),
        )
    title = escape(_("Uw klachten per bijeenkomst"))
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-title chart-desc"><title id="chart-title">{title}</title>'
        f'<desc id="chart-desc">{escape(description)}</desc>{shaded}'
        f'<line class="cutoff" x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(CUTOFF):.1f}" '
        f'y2="{y(CUTOFF):.1f}"/><polyline points="{line}"/>{dots}'
        f'<text x="{PAD}" y="{HEIGHT - 4}">{escape(axis)} {first}</text>'
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - 4}" text-anchor="end">{last}</text></svg>'
    )
