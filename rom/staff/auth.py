"""Login: password (argon2), then a one-time code when a second factor is set or required."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from rom.access import staff_view
from rom.audit import record
from rom.extensions import db
from rom.i18n import LANGUAGES, remember_language
from rom.models import StaffUser, utcnow
from rom.security import SESSION_KEY
from rom.services import second_factor, staff_sessions
from rom.services.accounts import account_by_email, password_matches
from rom.staff import bp, throttles
from rom.staff.forms import CodeForm, LoginForm, PlainForm
from rom.staff.throttles import PENDING

ENROLLING = "kring_totp_secret"


@bp.route("/login", methods=["GET", "POST"])
@throttles.failures(throttles.address_rate)
@throttles.failures(throttles.account_address_rate, throttles.per_account_and_address)
@throttles.failures(throttles.account_rate, throttles.per_account)
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("staff.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = account_by_email(form.email.data)
        if password_matches(user, form.password.data) and user is not None and user.active:
            return after_password(user)
        record(user, "login_failed", "staff", user.id if user else None)
        db.session.commit()
        flash(_("E-mailadres of wachtwoord klopt niet."))
    from rom.staff import single_sign_on

    return render_template(
        "staff/login.html",
        form=form,
        second_factor_off=not current_app.config["REQUIRE_SECOND_FACTOR"],
        sso_label=single_sign_on.label() if single_sign_on.enabled() else None,
    )


def after_password(
    user: StaffUser, second_factor_done: bool = False, how: str = "password"
) -> Response:
    """The first factor passed (a password, or a sign-in at the organisation's identity provider):
    ask Kring's second factor where one is set or required, unless the identity provider already
    asserted multi-factor authentication."""
    session.clear()  # a new session at login (no fixation); its CSRF token must go too
    g.pop("csrf_token", None)
    needed = user.totp_secret or current_app.config["REQUIRE_SECOND_FACTOR"]
    if needed and not second_factor_done:
        session[PENDING] = user.id
        return redirect(url_for("staff.code" if user.totp_secret else "staff.enrol"))
    return _complete(user, how)


def _complete(user: StaffUser, how: str = "password") -> Response:
    session.pop(PENDING, None)
    session.permanent = True
    login_user(user)
    session[SESSION_KEY] = staff_sessions.start(user)
    user.last_login_at = utcnow()
    record(user, "login", "staff", user.id, how=how)
    db.session.commit()
    return redirect(url_for("staff.home"))


def _pending_user() -> StaffUser | None:
    user_id = session.get(PENDING)
    return db.session.get(StaffUser, user_id) if user_id else None


@bp.route("/login/code", methods=["GET", "POST"])
@throttles.failures(throttles.address_rate)
@throttles.failures(throttles.second_factor_rate, throttles.per_pending_account)
def code() -> str | Response:
    user = _pending_user()
    if user is None or not user.totp_secret:
        return redirect(url_for("staff.login"))
    form = CodeForm()
    if form.validate_on_submit():
        entered = form.code.data
        if second_factor.accept_code(user, entered) or second_factor.use_recovery_code(
            user, entered
        ):
            return _complete(user)
        db.session.rollback()
        record(user, "second_factor_failed", "staff", user.id)
        db.session.commit()
        flash(_("Deze code klopt niet."))
    return render_template("staff/code.html", form=form)


@bp.route("/login/enrol", methods=["GET", "POST"])
def enrol() -> str | Response:
    """First login where a second factor is required: scan the QR code, confirm one code."""
    user = _pending_user()
    if user is None:
        return redirect(url_for("staff.login"))
    secret = session.setdefault(ENROLLING, second_factor.new_secret())
    form = CodeForm()
    step = (
        second_factor.matching_step(secret, form.code.data) if form.validate_on_submit() else None
    )
    if step is not None:
        codes = second_factor.enrol(user, secret, step)
        session.pop(ENROLLING, None)
        response = _complete(user)
        return render_template("staff/recovery_codes.html", codes=codes, next=response.location)
    qr = second_factor.provisioning_qr(user, secret, current_app.config["ORGANISATION_NAME"])
    return render_template("staff/enrol.html", form=form, qr=qr, secret=secret)


@bp.post("/logout")
@staff_view()
def logout() -> Response:
    record(current_user, "logout", "staff", current_user.id)
    staff_sessions.end(session.get(SESSION_KEY, ""))
    db.session.commit()
    logout_user()
    session.clear()
    g.pop("csrf_token", None)
    return redirect(url_for("staff.login"))


@bp.post("/language")
def language() -> Response:
    """Switch the language: kept on the account (and in a cookie for the login page)."""
    form = PlainForm()
    chosen = request.form.get("language", "")
    if not form.validate_on_submit() or chosen not in LANGUAGES:
        abort(400)
    if current_user.is_authenticated:
        current_user.language = chosen
        db.session.commit()
    back = request.form.get("next", "")
    target = (
        back if back.startswith("/staff") or back.startswith("/dash") else url_for("staff.home")
    )
    response = redirect(target)
    remember_language(response, chosen)
    return response
