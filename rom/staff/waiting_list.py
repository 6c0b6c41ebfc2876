"""The waiting list for therapists: refer a client, judge suitability, see the groups a client
could join and the clients a group could take (ranked, with reasons), the composition the group
would have, and place. Every view of a client's referral is audited; every refusal changes
nothing."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from rom.access import (
    known_client,
    led_group_for,
    led_groups,
    may_work_the_waiting_list,
    member_detail_group_ids_for,
    require_role,
    staff_view,
)
from rom.analytics.composition import composition_warnings
from rom.analytics.matching import candidates, options_per_client
from rom.audit import audited_read, record
from rom.clock import organisation_today
from rom.extensions import db
from rom.models import Client, Group, Referral, ReferralStatus, Role
from rom.services.intake import send_intake
from rom.services.planning import plan_invitations
from rom.services.waiting_list import (
    Judgement,
    NewReferral,
    WaitingListError,
    composition_frame,
    groups_frame,
    judge,
    open_places,
    place,
    refer,
    waiting_frame,
)
from rom.staff import bp
from rom.staff.filters import language_name
from rom.staff.forms import JudgementForm, PlainForm, ReferralForm
from rom.transactions import committed


def _therapist() -> None:
    require_role(current_user, Role.THERAPIST)
    if not may_work_the_waiting_list(current_user):
        abort(403)


def _referral(referral_id: int) -> Referral:
    return db.session.get(Referral, referral_id) or abort(404)


@bp.get("/waiting-list")
@staff_view()
def waiting_list() -> str:
    _therapist()
    referrals = db.session.scalars(
        sa.select(Referral)
        .where(Referral.status == ReferralStatus.WAITING)
        .order_by(Referral.referred_on, Referral.id)
    ).all()
    audited_read("view", "waiting_list", None, referrals=[r.id for r in referrals])
    return render_template(
        "staff/waiting_list.html", referrals=referrals, today=organisation_today()
    )


@bp.route("/waiting-list/new", methods=["GET", "POST"])
@staff_view()
def new_referral() -> str | Response:
    _therapist()
    form = ReferralForm()
    error = None
    if form.validate_on_submit():
        new = NewReferral(
            code=form.code.data or "",
            first_name=form.first_name.data or "",
            email=(form.email.data or "").strip() or None,
            phone=(form.phone.data or "").strip() or None,
            language=form.language.data or None,
            kind=form.kind.data or None,
            availability=list(form.availability.data or []),
            referrer=form.referrer.data or "",
            referred_on=form.referred_on.data,
            notes=form.notes.data,
        )
        with committed() as unit:
            referral = refer(new, known=_known_client(form))
            record(
                current_user,
                "create",
                "referral",
                referral.id,
                known_client=referral.client_id if form.known_client.data else None,
            )
        if unit.refused:
            error = unit.reason
        else:
            flash(_("%(code)s staat op de wachtlijst.", code=referral.client.code))
            return redirect(url_for("staff.referral", referral_id=referral.id))
    elif form.is_submitted():
        error = _("Niet opgeslagen: verbeter de gemarkeerde velden.")
    return render_template("staff/referral_form.html", form=form, error=error), (
        422 if error else 200
    )


def _known_client(form: ReferralForm) -> Client | None:
    """The known client the form names, from the user's own groups only (refused and audited
    otherwise); None for a new client."""
    if not form.known_client.data:
        return None
    client = known_client((form.code.data or "").strip(), member_detail_group_ids_for(current_user))
    if client is None:
        record(current_user, "refused", "referral", None, reason="unknown_client")
        db.session.commit()
        raise WaitingListError(_l("In uw groepen is geen cliënt met deze code."))
    return client


@bp.route("/referrals/<int:referral_id>", methods=["GET", "POST"])
@staff_view()
def referral(referral_id: int) -> str | Response:
    _therapist()
    found = _referral(referral_id)
    form = JudgementForm(obj=None)
    error = None
    if form.validate_on_submit():
        judgement = Judgement(
            factors={
                name: getattr(form, name).data
                for name in ("motivation", "reflection", "social_functioning")
            }
            | {"language_and_cognition": form.language_and_cognition.data},
            decision=form.decision.data or "",
            reason=form.reason.data or "",
            contra_indications=list(form.contra_indications.data or []),
        )
        with committed() as unit:
            judge(found, judgement, current_user)
            record(current_user, "change", "suitability", found.id, decision=judgement.decision)
        if unit.refused:
            error = unit.reason
        else:
            flash(_("Het besluit over geschiktheid is vastgelegd."))
            return redirect(url_for("staff.referral", referral_id=found.id))
    elif not form.is_submitted() and found.assessment is not None:
        _fill_judgement(form, found)
    audited_read("view", "referral", found.id)
    return render_template(
        "staff/referral.html",
        referral=found,
        form=form,
        error=error,
        options=_options_for(found),
        place_form=PlainForm(),
        today=organisation_today(),
        mine={g.id for g in _my_groups()},
    ), (422 if error else 200)


def _my_groups() -> list[Group]:
    return list(db.session.scalars(led_groups(current_user)))


def _fill_judgement(form: JudgementForm, found: Referral) -> None:
    assessment = found.assessment
    for name, rating in assessment.factors.items():
        if hasattr(form, name):
            getattr(form, name).data = rating
    form.contra_indications.data = list(assessment.contra_indications)
    form.decision.data = assessment.decision.value
    form.reason.data = assessment.reason


def _options_for(found: Referral) -> list[dict]:
    matches = candidates(waiting_frame(), groups_frame(), organisation_today())
    mine = options_per_client(matches[matches["client_id"] == found.id])
    groups = {g.id: g for g in db.session.scalars(sa.select(Group))}
    return [
        {"group": groups[row.group_id], "rank": row.rank, "next_entry": row.next_entry}
        for row in mine.itertuples()
    ]


@bp.post("/referrals/<int:referral_id>/place")
@staff_view()
def place_referral(referral_id: int) -> Response:
    _therapist()
    found = _referral(referral_id)
    group = led_group_for(current_user, request.form.get("group_id", type=int) or 0)
    form = PlainForm()
    if not form.validate_on_submit():
        abort(400)
    with committed() as unit:
        membership = place(found, group)
        record(
            current_user, "create", "membership", membership.id, referral=found.id, group=group.id
        )
        plan_invitations()  # a session within the planning horizon gets its questionnaire now
    if unit.refused:
        flash(unit.reason, "error")
        return redirect(url_for("staff.referral", referral_id=found.id))
    flash(
        _(
            "%(code)s is geplaatst in %(group)s vanaf sessie %(number)s; de vragenlijsten "
            "worden gepland.",
            code=found.client.code,
            group=group.name,
            number=membership.joined_session,
        )
    )
    return redirect(url_for("staff.group", group_id=group.id))


@bp.post("/referrals/<int:referral_id>/intake")
@staff_view()
def send_intake_link(referral_id: int) -> Response:
    _therapist()
    found = _referral(referral_id)
    if not PlainForm().validate_on_submit():
        abort(400)
    with committed() as unit:
        send_intake(found)
        record(current_user, "create", "intake_link", found.id)
    if unit.refused:
        flash(unit.reason, "error")
    else:
        flash(_("De intakevragenlijst is verstuurd."))
    return redirect(url_for("staff.referral", referral_id=found.id))


@bp.get("/groups/<int:group_id>/candidates")
@staff_view()
def group_candidates(group_id: int) -> str:
    _therapist()
    group = led_group_for(current_user, group_id)
    matches = candidates(waiting_frame(), groups_frame(), organisation_today())
    mine = matches[matches["group_id"] == group.id]
    referrals = {r.id: r for r in db.session.scalars(sa.select(Referral))}
    proposed = referrals.get(request.args.get("propose", type=int) or 0)
    if proposed is not None and proposed.id not in set(mine["client_id"]):
        proposed = None
    composition = composition_frame(group, proposed)
    warnings = composition_warnings(composition, group.minimum_size, group.language.value)
    audited_read(
        "view",
        "group_candidates",
        group.id,
        referrals=[int(r) for r in mine["client_id"]],
    )
    return render_template(
        "staff/group_candidates.html",
        group=group,
        places=open_places(group),
        rows=[(referrals[row.client_id], row) for row in mine.itertuples()],
        proposed=proposed,
        composition=composition,
        warnings=warnings,
        place_form=PlainForm(),
        said=said,
    )


REASONS = {  # why a client and a group fit, and what the composition warns about
    "kind_wished": _l("de gewenste soort groep"),
    "any_kind": _l("elke soort groep is goed"),
    "language": _l("taal past"),
    "day_and_time": _l("dag en tijd passen"),
    "waiting": _l("wacht %(days)s dagen"),
    "readiness_high": _l("bereidheid hoog"),
    "readiness_medium": _l("bereidheid gemiddeld"),
    "readiness_low": _l("bereidheid laag"),
    "severity_outlier": _l(
        "%(client_id)s begon veel ernstiger (PHQ-9 %(intake).0f) dan alle anderen (daarna het "
        "hoogst: %(next_highest).0f)."
    ),
    "lone_language": _l("%(client_id)s is de enige met als taal %(language)s."),
    "below_minimum": _l(
        "De groep zou %(size)s leden hebben, minder dan het minimum van %(minimum)s."
    ),
}


def said(item: dict) -> str:
    """A reason or warning code with its numbers, and a language by its name, in the reader's
    language."""
    return str(REASONS[item["code"]]) % {**item, "language": language_name(item.get("language"))}
