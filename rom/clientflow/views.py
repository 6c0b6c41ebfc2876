"""Routes of the member's questionnaire: open, answer a page, submit."""

from __future__ import annotations

import re

from flask import abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import force_locale
from markupsafe import Markup, escape
from werkzeug.wrappers import Response as WerkzeugResponse

from rom.clientflow import bp
from rom.clientflow.pages import page_of
from rom.clientflow.progress import progress_chart
from rom.clientflow.protection import (
    FORM_KEY_FIELD,
    form_key,
    form_key_matches,
    seconds_until_allowed,
)
from rom.clientflow.texts import NOTICES, PROBLEMS
from rom.extensions import csrf, db, limiter, login_manager
from rom.i18n import COOKIE, LANGUAGES, remember_language
from rom.instruments import library
from rom.services.invitations import LinkGoneError, LinkUnknownError, OpenLink, open_link
from rom.services.submissions import (
    BadAnswerError,
    MissingAnswersError,
    alert_on_saved_critical,
    answers_of,
    missing_items,
    save_draft,
    save_topic,
    submit,
    with_page,
)

csrf.exempt(bp)  # the forms carry a key bound to the link instead (protection.form_key)


@limiter.request_filter
def _limited_by_the_blueprint() -> bool:
    """The member's pages count against their own windows (_within_rate_limits); Flask-Limiter's
    per-request pass finds no limit of its own for them and is skipped."""
    return request.blueprint == bp.name


@bp.before_request
def _no_staff_login() -> None:
    """A member's link is never a staff session: no account is looked up, and the staff login's
    session protection does not rewrite the member's cookie on every page."""
    g._login_user = login_manager.anonymous_user()


@bp.before_request
def _within_rate_limits() -> tuple[str, int, dict[str, str]] | None:
    wait = seconds_until_allowed((request.view_args or {}).get("token", ""))
    if not wait:
        return None
    html, status = member_notice("busy")
    return html, status, {"Retry-After": str(wait)}


@bp.after_request
def _remember_language(response: WerkzeugResponse) -> WerkzeugResponse:
    """A language the member picked is kept for the next pages and visits (the staff pages
    read the same cookie before login)."""
    chosen = g.pop("kring_chosen_language", None)
    if chosen:
        remember_language(response, chosen)
    return response


@bp.teardown_request
def _forget_no_login(_: BaseException | None) -> None:
    g.pop("_login_user", None)
    g.pop("kring_chosen_language", None)


PHONE_NUMBER = re.compile(r"(?<![\w-])(\d{3,4}(?:-\d{3,4})?)(?![\w-])")


@bp.app_template_filter("tel_links")
def tel_links(line: str) -> Markup:
    """A help line with its phone numbers (113, 0800-0113, 112) as links a phone can call."""
    escaped = str(escape(line))
    return Markup(
        PHONE_NUMBER.sub(lambda m: f'<a href="tel:{m[1].replace("-", "")}">{m[1]}</a>', escaped)
    )


@bp.app_context_processor
def _help_lines() -> dict[str, object]:
    def help_lines_in(language: str) -> list[str]:
        lines = current_app.config["HELP_LINES"]
        return lines.get(language, lines["nl"])

    return {"help_lines_in": help_lines_in}


@bp.errorhandler(LinkUnknownError)
def _unknown(_: LinkUnknownError) -> tuple[str, int]:
    return member_notice("unknown")


@bp.errorhandler(LinkGoneError)
def _link_gone(error: LinkGoneError) -> tuple[str, int]:
    return member_notice(error.reason, error.language)


def member_notice(reason: str, link_language: str | None = None) -> tuple[str, int]:
    """A page that says nothing about anyone, in one language (the one picked here, else the
    link's, else the browser's) with a switch to the other, ending like every page of the
    member's with where to get help now: a member who reloads the thank-you page after a
    critical answer, or whose link is unknown or expired, must not lose the numbers."""
    status, notice = NOTICES[reason]
    language = _notice_language(link_language)
    with force_locale(language):
        html = render_template(
            "clientflow/gone.html",
            notice=notice,
            lang=language,
            switch_to=("en" if language == "nl" else "nl") if request.method == "GET" else None,
        )
    return html, status


def _notice_language(link_language: str | None) -> str:
    """The member's choice, else the link's language, else the browser's preference; Dutch
    when nothing says."""
    chosen = _chosen_language()
    if chosen:
        return chosen
    if link_language in LANGUAGES:
        return link_language
    return request.accept_languages.best_match(LANGUAGES) or "nl"


def _language(link: OpenLink) -> str:
    return _chosen_language() or link.language


def _chosen_language() -> str | None:
    """A language picked now (?lang=, or the form's on a POST; remembered for the next pages)
    or remembered from before; None when the member chose none."""
    chosen = request.args.get("lang")
    if chosen is None and request.method == "POST":
        chosen = request.form.get("lang")
    if chosen in LANGUAGES:
        g.kring_chosen_language = chosen
        return chosen
    remembered = request.cookies.get(COOKIE)
    return remembered if remembered in LANGUAGES else None


def _page_number(link: OpenLink, raw: str | None) -> int:
    pages = len(link.instrument_ids)
    if raw is not None:
        try:
            return min(max(int(raw), 1), pages)
        except ValueError:
            abort(400)
    missing = missing_items(link, library())
    for number, instrument_id in enumerate(link.instrument_ids, start=1):
        if instrument_id in missing:
            return number
    return pages


@bp.get("/<token>")
def questionnaire(token: str) -> tuple[str, int]:
    with db.engine.connect() as connection:  # one read, no session transaction to keep
        link = open_link(token, connection=connection)
    language = _language(link)
    number = _page_number(link, request.args.get("page"))
    return _render_page(link, token, number, language)


def _render_page(
    link: OpenLink,
    token: str,
    number: int,
    language: str,
    missing: dict[str, list[int]] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    instrument = library()[link.instrument_ids[number - 1]]
    missing_titles = {i: library()[i].title[language] for i in missing or {}}
    with force_locale(language):
        page = render_template(
            "clientflow/page.html",
            link=link,
            here=url_for("clientflow.questionnaire", token=token),  # the page's path, once
            form_key=form_key(token),
            number=number,
            total=len(link.instrument_ids),
            page=page_of(instrument, language),
            lang=language,
            given=answers_of(link, instrument.id),
            missing=missing or {},
            missing_titles=missing_titles,
        )
    return page, status


@bp.post("/<token>")
def answer(token: str) -> WerkzeugResponse | tuple[str, int]:
    link = open_link(token)
    language = _language(link)
    number = _page_number(link, request.form.get("page", "1"))
    if not form_key_matches(token, request.form.get(FORM_KEY_FIELD)):
        return _problem(language, token, number, "stale")
    instrument = library()[link.instrument_ids[number - 1]]
    try:
        link = with_page(link, instrument, request.form)
        if number == len(link.instrument_ids) and link.ask_topic:
            save_topic(link, request.form.get("topic"))
    except BadAnswerError:
        db.session.rollback()
        return _problem(language, token, number, "bad")
    action = request.form.get("action", "next")
    if action == "submit":
        return _submit(link, instrument.id, token, language)
    link = save_draft(link, instrument.id)
    alert_on_saved_critical(link, library())
    db.session.commit()
    switch_to = request.form.get("switch_to")
    if switch_to in LANGUAGES:  # the language switch saves this page's answers, then stays
        return redirect(
            url_for("clientflow.questionnaire", token=token, page=number, lang=switch_to)
        )
    target = number - 1 if action == "back" else number + 1
    return redirect(
        url_for(
            "clientflow.questionnaire",
            token=token,
            page=min(max(target, 1), len(link.instrument_ids)),
        )
    )


def _problem(language: str, token: str, number: int, kind: str) -> tuple[str, int]:
    """A form that could not be taken (bad answers, a missing form key): nothing was saved."""
    with force_locale(language):
        page = render_template(
            "clientflow/bad.html",
            lang=language,
            token=token,
            number=number,
            title=PROBLEMS[kind].title,
            text=PROBLEMS[kind].text,
        )
    return page, 400


def _submit(link: OpenLink, page: str, token: str, language: str) -> tuple[str, int]:
    try:
        outcome = submit(link, library(), page=page)
    except MissingAnswersError as gaps:
        link = save_draft(gaps.link, page)
        alert_on_saved_critical(link, library())
        db.session.commit()
        first = link.instrument_ids.index(next(iter(gaps.missing))) + 1
        return _render_page(link, token, first, language, gaps.missing, status=422)
    help_lines = current_app.config["HELP_LINES"][language] if outcome.critical else None
    with force_locale(language):
        progress = progress_chart(link) if link.member_feedback else None
        page = render_template(
            "clientflow/thanks.html", lang=language, progress=progress, help_lines=help_lines
        )
    return page, 200
