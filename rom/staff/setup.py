"""An empty organisation guides its administrator: a short checklist whose items link to where
each is done and tick themselves off from what is stored."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app, render_template, url_for
from flask_babel import lazy_gettext as _l

from rom.access import staff_view
from rom.config import Config
from rom.extensions import db
from rom.models import AuditEvent, Client, Group, Role, StaffUser
from rom.staff import bp


@dataclass(frozen=True)
class Step:
    title: str
    done: bool
    link: str | None
    how: str


def _count(model: type, *where: sa.ColumnElement[bool]) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def setup_steps() -> list[Step]:
    reviewed = _count(
        AuditEvent,
        AuditEvent.subject_type.in_(("batteries", "battery")),
        AuditEvent.actor_id.in_(sa.select(StaffUser.id).where(StaffUser.holding(Role.ADMIN))),
    )
    config = current_app.config
    named = config["ORGANISATION_NAME"] != Config.ORGANISATION_NAME
    help_lines = config["HELP_LINES"] != Config.HELP_LINES
    return [
        Step(
            str(_l("Behandelaars uitnodigen")),
            _count(StaffUser, StaffUser.holding(Role.THERAPIST)) > 0,
            url_for("staff.invite_account"),
            str(_l("Elke behandelaar krijgt een e-mail met een link om een wachtwoord te kiezen.")),
        ),
        Step(
            str(_l("Groepen aanmaken")),
            _count(Group) > 0,
            url_for("staff.new_group"),
            str(_l("Soort, vorm, aantal sessies, eerste bijeenkomst en behandelaars.")),
        ),
        Step(
            str(_l("Meetschema's nakijken")),
            reviewed > 0,
            url_for("staff.batteries"),
            str(_l("Welke vragenlijsten wanneer; de standaard per soort groep is een begin.")),
        ),
        Step(
            str(_l("Cliënten inschrijven of importeren")),
            _count(Client) > 0,
            url_for("staff.groups"),
            str(
                _l(
                    "Behandelaars schrijven in vanuit hun groep; een bundel importeert met "
                    "'flask rom import'."
                )
            ),
        ),
        Step(
            str(_l("Naam van de organisatie en hulplijnen instellen")),
            named and help_lines,
            None,
            str(
                _l(
                    "In de instellingen van de server: ROM_ORGANISATION_NAME en ROM_HELP_LINES "
                    "(zie de README)."
                )
            ),
        ),
    ]


def organisation_is_set_up() -> bool:
    return all(step.done for step in setup_steps())


@bp.get("/setup")
@staff_view(Role.ADMIN)
def setup() -> str:
    return render_template("staff/setup.html", steps=setup_steps())
