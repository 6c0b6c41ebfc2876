"""The anonymous group summary a therapist may show in the group: climate and cohesion over the
last sessions, no member named, a session withheld where fewer than four answered."""

from __future__ import annotations

import math

from flask import render_template
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from rom.access import led_group_for, staff_view
from rom.analytics.group_feedback import MIN_ANSWERS, SCALES
from rom.audit import audited_read
from rom.models import Role
from rom.reports.charts import trend_chart
from rom.services.group_feedback import GroupFeedback, group_feedback
from rom.staff import bp

SCALE_NAMES = {
    "engagement": _l("Betrokkenheid"),
    "conflict": _l("Spanning en onenigheid"),
    "avoidance": _l("Dingen voor je houden"),
    "cohesion": _l("Samenhang"),
}
SCALE_MEANINGS = {
    "engagement": _l("Hoe hoger, hoe meer we ons inzetten en ons met elkaar verbonden voelen."),
    "conflict": _l("Hoe hoger, hoe meer wrijving en wantrouwen er in de groep is."),
    "avoidance": _l("Hoe hoger, hoe meer we dingen voor ons houden in plaats van ze te bespreken."),
    "cohesion": _l("Hoe hoger, hoe meer we ons thuis voelen in deze groep."),
}


@bp.get("/groups/<int:group_id>/feedback")
@staff_view(Role.THERAPIST)
def group_feedback_page(group_id: int) -> str:
    group = led_group_for(current_user, group_id)
    feedback = group_feedback(group)
    shown = feedback.summary[feedback.summary["shown"]]
    audited_read(
        "view",
        "group_feedback",
        group.id,
        sessions=[int(n) for n in shown["session_no"]],
    )
    return render_template(
        "staff/group_feedback.html",
        group=group,
        feedback=feedback,
        cards=_cards(feedback),
        chart=_chart(feedback),
        minimum=MIN_ANSWERS,
        names=SCALE_NAMES,
        number=_number,
    )


def _number(value: float) -> str:
    return "–" if value is None or math.isnan(value) else format_decimal(value, format="0.0")


def _cards(feedback: GroupFeedback) -> list[dict[str, str]]:
    cards = []
    for row in feedback.change.itertuples():
        if math.isnan(row.latest):
            continue
        cards.append(
            {
                "scale": row.scale,
                "name": str(SCALE_NAMES[row.scale]),
                "latest": _number(row.latest),
                "previous": "" if math.isnan(row.previous) else _number(row.previous),
                "meaning": str(SCALE_MEANINGS[row.scale]),
            }
        )
    return cards


def _chart(feedback: GroupFeedback) -> Markup | None:
    shown = feedback.summary[feedback.summary["shown"]]
    if len(shown) < 2:
        return None
    return trend_chart(
        shown["session_no"].astype(int).tolist(),
        {str(SCALE_NAMES[s]): shown[s].tolist() for s in SCALES},
        y_max=6.0,
        width=480,
        height=170,
        language=current_user.language,
    )
