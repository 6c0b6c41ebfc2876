"""The development outbox for administrators: messages waiting while no SMTP is configured."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from flask_login import current_user, login_required

from rom.access import require_role
from rom.audit import record
from rom.extensions import db
from rom.models import OutboxMessage, Role
from rom.staff import bp


@bp.get("/outbox")
@login_required
def outbox() -> str:
    require_role(current_user, Role.ADMIN)
    messages = db.session.scalars(
        sa.select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(200)
    ).all()
    record(current_user, "view", "outbox", None, messages=len(messages))
    db.session.commit()
    return render_template("staff/outbox.html", messages=messages)
