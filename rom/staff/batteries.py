"""Batteries (measurement schedules): everyone sees them; admins change them; a group's
therapists (or an admin) choose which one their group uses."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields import SelectChoice

from rom.access import changeable_group_for, groups_for, staff_view
from rom.audit import audited_read, record
from rom.extensions import db
from rom.i18n import reader_language
from rom.instruments import in_language, library
from rom.models import Battery, Group, Role
from rom.services.batteries import (
    AFTER_THE_SESSION_HOURS,
    Asked,
    BatterySettings,
    SentTooEarlyError,
    battery_name,
    save_battery,
    schedule_text,
)
from rom.staff import bp
from rom.staff.forms import BatteryForm, GroupBatteryForm
from rom.transactions import committed


@bp.get("/batteries")
@staff_view()
def batteries() -> str:
    visible = groups_for(current_user).subquery()
    used_by = _group_names(
        db.session.execute(sa.select(visible.c.battery_id, visible.c.name)).all()
    )
    if current_user.has_role(Role.ADMIN):  # an administrator's review ticks off the set-up list
        audited_read("view", "batteries", None)
    return render_template(
        "staff/batteries.html",
        batteries=db.session.scalars(sa.select(Battery).order_by(Battery.name)).all(),
        used_by=used_by,
        titles=_titles(),
        schedule=schedule_text,
        may_edit=current_user.has_role(Role.ADMIN),
    )


def _group_names(rows: list) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    for battery_id, name in rows:
        names.setdefault(battery_id, []).append(name)
    return names


def _titles() -> dict[str, str]:
    """Each instrument's title in the reader's language."""
    language = reader_language()
    return {i.id: in_language(i.title, language) for i in library().instruments.values()}


@bp.route("/batteries/new", methods=["GET", "POST"])
@staff_view(Role.ADMIN)
def new_battery() -> str | Response:
    return _edit(
        Battery(
            send_offset_hours=AFTER_THE_SESSION_HOURS,
            reminder_after_hours=20,
            expires_after_hours=30,
        )
    )


@bp.route("/batteries/<int:battery_id>", methods=["GET", "POST"])
@staff_view(Role.ADMIN)
def edit_battery(battery_id: int) -> str | Response:
    battery = db.session.get(Battery, battery_id) or abort(404)
    return _edit(battery)


def _edit(battery: Battery) -> str | Response:
    form = BatteryForm(obj=None if battery.id is None else battery)
    if not form.is_submitted():
        _fill(form, battery)
    elif form.validate():
        with committed() as unit:
            save_battery(battery, _settings(form), library())
            record(current_user, "change", "battery", battery.id, name=battery.name)
        if not unit.refused:
            flash(_("Meetschema opgeslagen; het geldt voor uitnodigingen die nog gepland worden."))
            return redirect(url_for("staff.batteries"))
        field = form.send_offset_hours if isinstance(unit.refusal, SentTooEarlyError) else form.name
        field.errors = [*field.errors, unit.reason]
    return render_template(
        "staff/battery.html", form=form, battery=battery, titles=_titles()
    ), 200 if not form.errors else 422


def _fill(form: BatteryForm, battery: Battery) -> None:
    """One row per instrument in the library: the battery's first, in order, then the rest."""
    while form.instruments.entries:
        form.instruments.pop_entry()
    chosen = {row.instrument_id: row for row in battery.instruments}
    rest = sorted(set(library().for_sessions()) - set(chosen))
    for instrument_id in [*chosen, *rest]:
        row = chosen.get(instrument_id)
        form.instruments.append_entry(
            {
                "instrument_id": instrument_id,
                "asked": row is not None,
                "first_session": row.first_session if row else 1,
                "every": row.every if row else 1,
            }
        )


def _settings(form: BatteryForm) -> BatterySettings:
    return BatterySettings(
        name=form.name.data.strip(),
        send_offset_hours=form.send_offset_hours.data,
        reminder_after_hours=form.reminder_after_hours.data,
        expires_after_hours=form.expires_after_hours.data,
        asked=tuple(
            Asked(row.form.instrument_id.data, row.form.first_session.data, row.form.every.data)
            for row in form.instruments
            if row.form.asked.data
        ),
    )


@bp.route("/groups/<int:group_id>/battery", methods=["GET", "POST"])
@staff_view(Role.THERAPIST, Role.ADMIN)
def group_battery(group_id: int) -> str | Response:
    group: Group = changeable_group_for(current_user, group_id)
    form = GroupBatteryForm(battery_id=group.battery_id)
    form.battery_id.choices = [
        SelectChoice(b.id, battery_name(b.name))
        for b in db.session.scalars(sa.select(Battery).order_by(Battery.name))
    ]
    if form.validate_on_submit():
        group.battery_id = form.battery_id.data
        record(current_user, "change", "group", group.id, battery_id=group.battery_id)
        db.session.commit()
        flash(
            _("Meetschema van de groep gewijzigd; het geldt voor sessies die nog gepland worden.")
        )
        return redirect(url_for("staff.groups"))
    return render_template("staff/group_battery.html", form=form, group=group), (
        422 if form.errors else 200
    )
