"""PDF downloads: the organisation report for managers and admins; group and member reports for
the group's own therapists. Every download is audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from rom.access import led_group_for, led_groups, membership_for, staff_view
from rom.audit import audited_read
from rom.clock import organisation_today
from rom.extensions import db
from rom.models import PreparedReport, Role
from rom.reports.group import group_report
from rom.reports.member import member_report
from rom.reports.periods import Preset, presets
from rom.services.report_requests import (
    ready_report_of,
    request_growth_path_report,
    request_organisation_report,
    requests_of,
    still_looking,
)
from rom.staff import bp
from rom.transactions import committed


def _pdf(content: bytes, name: str) -> Response:
    response = make_response(content)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/reports")
@staff_view()
def reports() -> str:
    today = organisation_today()
    may_organisation = current_user.has_role(Role.MANAGER, Role.ADMIN)
    prepared = requests_of(current_user) if may_organisation else []
    return render_template(
        "staff/reports.html",
        groups=db.session.scalars(led_groups(current_user)).all(),
        may_organisation=may_organisation,
        may_group=current_user.has_role(Role.THERAPIST),
        default_from=date(today.year, 1, 1).isoformat(),
        default_to=today.isoformat(),
        presets=[(_preset_name(p), p) for p in presets(today)],
        baseline_year=current_app.config["BASELINE_YEAR"],
        growth_years=range(today.year, current_app.config["BASELINE_YEAR"], -1),
        prepared=prepared,
        refresh=still_looking(prepared),
    )


def _preset_name(preset: Preset) -> str:
    """'4e kwartaal 2026 (tot vandaag)', '2025'."""
    if preset.kind == "quarter":
        name = _("%(quarter)se kwartaal %(year)s", quarter=preset.quarter, year=preset.year)
    else:
        name = str(preset.year)
    return _("%(name)s (tot vandaag)", name=name) if preset.running else name


@bp.post("/reports/organisation")
@staff_view(Role.MANAGER, Role.ADMIN)
def request_organisation() -> Response | tuple[str, int]:
    try:
        start = date.fromisoformat(request.form.get("from", ""))
        end = date.fromisoformat(request.form.get("to", ""))
    except ValueError:
        return _refused(_("Kies een begin- en einddatum (JJJJ-MM-DD)."))
    if end < start:
        return _refused(_("De einddatum ligt vóór de begindatum."))
    if (end - start).days > 3 * 366:
        return _refused(_("Kies een periode van hooguit drie jaar."))
    return _asked(lambda: request_organisation_report(current_user, start, end))


@bp.post("/reports/growth-path")
@staff_view(Role.MANAGER, Role.ADMIN)
def request_growth_path() -> Response | tuple[str, int]:
    baseline_year = current_app.config["BASELINE_YEAR"]
    this_year = organisation_today().year
    year = request.form.get("year", type=int)
    if year is None or not baseline_year < year <= this_year:
        return _refused(
            _(
                "Kies een jaar na het basisjaar %(baseline)s, tot en met %(year)s.",
                baseline=baseline_year,
                year=this_year,
            )
        )
    return _asked(lambda: request_growth_path_report(current_user, year))


def _asked(ask: Callable[[], PreparedReport]) -> Response | tuple[str, int]:
    """The request stored, and the asker back on the reports page where it shows."""
    with committed() as unit:
        ask()
    if unit.refused:
        return render_template("staff/refused.html", message=unit.reason), 409
    flash(_("De rapportage wordt voorbereid; zodra ze klaar is, kunt u haar hier downloaden."))
    return redirect(url_for("staff.reports", _anchor="prepared"))


@bp.get("/reports/prepared/<int:report_id>.pdf")
@staff_view(Role.MANAGER, Role.ADMIN)
def prepared_pdf(report_id: int) -> Response:
    report = ready_report_of(current_user, report_id)
    if report is None or report.content is None:
        abort(404)
    content, name = report.content, report.filename
    subject, period = report.audited_as
    audited_read("export", subject, None, **period)
    return _pdf(content, name)


def _refused(message: str) -> tuple[str, int]:
    return render_template("staff/refused.html", message=message), 422


@bp.get("/groups/<int:group_id>/report.pdf")
@staff_view(Role.THERAPIST)
def group_pdf(group_id: int) -> Response:
    group = led_group_for(current_user, group_id)
    content = group_report(group)
    audited_read("export", "group_report", group.id)
    return _pdf(content, f"kring-groep-{group.code}.pdf")


@bp.get("/members/<int:membership_id>/report.pdf")
@staff_view(Role.THERAPIST)
def member_pdf(membership_id: int) -> Response:
    membership = membership_for(current_user, membership_id)
    content = member_report(membership)
    audited_read("export", "member_report", membership.id)
    return _pdf(content, f"kring-voortgang-{membership.client.code}.pdf")
