"""The member's own course as a small server-rendered SVG (no script, screen-reader friendly)."""

from __future__ import annotations

import sqlalchemy as sa
from markupsafe import Markup, escape

from rom.extensions import db
from rom.models import GroupSession, Invitation, Response, Score

WIDTH, HEIGHT, PAD = 320, 160, 28
TOP = 27.0
CUTOFF = 10.0


def _points(invitation: Invitation) -> list[tuple[int, float]]:
    rows = db.session.execute(
        sa.select(GroupSession.number, Score.value)
        .join(Response, Score.response_id == Response.id)
        .join(GroupSession, Response.session_id == GroupSession.id)
        .where(
            Response.membership_id == invitation.membership_id,
            Response.instrument_id == "phq9",
            Score.scale == "total",
            Score.value.is_not(None),
        )
        .order_by(GroupSession.number)
    ).all()
    return [(number, float(value)) for number, value in rows]


def progress_chart(invitation: Invitation, texts: dict[str, str]) -> Markup | None:
    points = _points(invitation)
    if len(points) < 2:
        return None
    first, last = points[0][0], points[-1][0]
    span = max(last - first, 1)

    def x(n: int) -> float:
        return PAD + (n - first) / span * (WIDTH - 2 * PAD)

    def y(v: float) -> float:
        return PAD / 2 + (1 - v / TOP) * (HEIGHT - 1.5 * PAD)

    line = " ".join(f"{x(n):.1f},{y(v):.1f}" for n, v in points)
    dots = "".join(f'<circle cx="{x(n):.1f}" cy="{y(v):.1f}" r="4"/>' for n, v in points)
    spoken = ", ".join(f"{n}: {v:.0f}" for n, v in points)
    title = escape(texts["chart_title"])
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-title chart-desc"><title id="chart-title">{title}</title>'
        f'<desc id="chart-desc">{escape(texts["chart_axis"])} {escape(spoken)}</desc>'
        f'<line class="cutoff" x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(CUTOFF):.1f}" '
        f'y2="{y(CUTOFF):.1f}"/><polyline points="{line}"/>{dots}'
        f'<text x="{PAD}" y="{HEIGHT - 4}">{escape(texts["chart_axis"])} {first}</text>'
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - 4}" text-anchor="end">{last}</text></svg>'
    )
