"""Data rights for administrators: find a client by pseudonymous code, export all their data
(JSON, or their responses as FHIR), or erase them (contact details only, or entirely). Each
action is audited; erasing asks for the code to be typed again."""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from rom.access import staff_view
from rom.api.fhir_format import FHIR_R4_JSON
from rom.audit import audited_read, record
from rom.extensions import db
from rom.models import Client, Membership, Role
from rom.services.erasure import (
    erase_contact_details,
    erase_entirely,
    member_export,
    member_fhir_bundle,
)
from rom.staff import bp
from rom.staff.forms import PlainForm


def _client(code: str) -> Client:
    return db.session.scalar(sa.select(Client).where(Client.code == code)) or abort(404)


@bp.get("/data-rights")
@staff_view(Role.ADMIN)
def data_rights() -> str:
    code = request.args.get("code", "").strip()
    client = db.session.scalar(sa.select(Client).where(Client.code == code)) if code else None
    memberships = (
        db.session.scalars(sa.select(Membership).where(Membership.client_id == client.id)).all()
        if client
        else []
    )
    if client is not None:
        audited_read("view", "data_rights", client.code)
    return render_template(
        "staff/data_rights.html",
        code=code,
        client=client,
        memberships=memberships,
        form=PlainForm(),
    )


def _json(data: dict, name: str, media_type: str = "application/json; charset=utf-8") -> Response:
    response = make_response(json.dumps(data, ensure_ascii=False, indent=2))
    response.headers["Content-Type"] = media_type
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/data-rights/<code>/export.json")
@staff_view(Role.ADMIN)
def data_export(code: str) -> Response:
    client = _client(code)
    data = member_export(client)
    audited_read("export", "member_data", client.code, format="json")
    return _json(data, f"kring-{client.code}.json")


@bp.get("/data-rights/<code>/fhir.json")
@staff_view(Role.ADMIN)
def data_fhir(code: str) -> Response:
    client = _client(code)
    bundle = member_fhir_bundle(client)
    audited_read("export", "member_data", client.code, format="fhir")
    return _json(bundle, f"kring-{client.code}-fhir.json", FHIR_R4_JSON)


@bp.post("/data-rights/<code>/erase")
@staff_view(Role.ADMIN)
def data_erase(code: str) -> Response | tuple[str, int]:
    client = _client(code)
    if not PlainForm().validate_on_submit():
        abort(400)
    if request.form.get("confirm", "").strip() != client.code:
        return render_template(
            "staff/refused.html",
            message=_("Typ de code van de cliënt ter bevestiging; er is niets gewist."),
        ), 400
    how = request.form.get("how")
    if how == "contact":
        erase_contact_details(client)
        done = _("Gegevens van %(code)s gewist (contactgegevens).", code=code)
    elif how == "everything":
        erase_entirely(client)
        done = _("Gegevens van %(code)s gewist (alles).", code=code)
    else:
        abort(400)
    record(current_user, "erase", "member_data", code, how=how)
    db.session.commit()
    flash(done)
    return redirect(url_for("staff.data_rights"))
