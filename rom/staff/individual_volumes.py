"""The organisation's individual treatment volume per year, for managers and administrators:
the years entered, one year set by hand, or a CSV of years imported. A refusal changes nothing
and says why beside the field."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from rom.access import staff_view
from rom.models import Role, VolumeSource
from rom.services.individual_volumes import (
    import_individual_volumes,
    record_individual_volume,
    recorded_volumes,
)
from rom.staff import bp
from rom.staff.forms import IndividualVolumeFileForm, IndividualVolumeForm
from rom.transactions import committed

PAGE = "staff.individual_volume"


@bp.get("/reports/individual-volume")
@staff_view(Role.MANAGER, Role.ADMIN)
def individual_volume() -> str:
    return _page(IndividualVolumeForm(formdata=None), IndividualVolumeFileForm(formdata=None))


@bp.post("/reports/individual-volume")
@staff_view(Role.MANAGER, Role.ADMIN)
def set_individual_volume() -> Response | tuple[str, int]:
    form = IndividualVolumeForm()
    if form.validate_on_submit():
        with committed() as unit:
            record_individual_volume(
                form.year.data, form.sessions.data, current_user, VolumeSource.FORM
            )
        if not unit.refused:
            flash(_("%(year)s is vastgelegd.", year=form.year.data))
            return redirect(url_for(PAGE))
        form.sessions.errors.append(unit.reason)
    return _page(form, IndividualVolumeFileForm(formdata=None), refused=True), 422


@bp.post("/reports/individual-volume/import")
@staff_view(Role.MANAGER, Role.ADMIN)
def import_individual_volume() -> Response | tuple[str, int]:
    form = IndividualVolumeFileForm()
    if form.validate_on_submit():
        text = _text(form.file.data.read())
        if text is None:
            form.file.errors.append(_("Dit is geen CSV-bestand in UTF-8."))
        else:
            with committed() as unit:
                stored = import_individual_volumes(text, current_user)
            if not unit.refused:
                flash(_("Ingelezen jaren: %(count)s.", count=stored))
                return redirect(url_for(PAGE))
            form.file.errors.append(unit.reason)
    return _page(IndividualVolumeForm(formdata=None), form, refused=True), 422


def _text(content: bytes) -> str | None:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _page(
    form: IndividualVolumeForm, file_form: IndividualVolumeFileForm, refused: bool = False
) -> str:
    return render_template(
        "staff/individual_volume.html",
        volumes=recorded_volumes(),
        form=form,
        file_form=file_form,
        error=_("Niet opgeslagen: verbeter de gemarkeerde velden.") if refused else None,
    )
