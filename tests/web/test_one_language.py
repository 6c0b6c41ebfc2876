"""One language at a time: every staff page and PDF of the demo organisation, rendered for a
therapist, a manager and an administrator in Dutch and in English, holds no word of the other
language and no raw internal code. Names the organisation typed (people, groups, clients) are
data and taken out first; what the product says is judged."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from rom.demo import DEMO_PASSWORD, create_demo
from rom.extensions import db
from rom.models import (
    Battery,
    Client,
    Flag,
    GroupSession,
    Membership,
    Referral,
    Response,
    SessionStatus,
    StaffUser,
    group_therapists,
)
from rom.services.report_requests import prepare_requested_reports
from tests.conftest import require
from tests.one_language import problems, typed_names
from tests.prepared_reports import ask_for_report, prepared_links
from tests.staff_session import log_in
from tests.web.pdfs import pdf_text
from tests.web.role_matrix import MATRIX
from tests.web.staff_language import switch

TODAY = date(2026, 11, 24)


class VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes and labels, leaving out scripts, styles and
    parts marked as another language (the language switch names the other language)."""

    SILENT = frozenset({"script", "style", "template"})
    VOID = frozenset({"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area"})

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        other = attributes.get("lang") not in (None, self.language)
        technical = "detail" in (attributes.get("class") or "").split()  # the audit's record
        hidden = tag in self.SILENT or other or technical or self.muted
        if not hidden:
            for name in ("aria-label", "title", "placeholder", "alt"):
                if attributes.get(name):
                    self.parts.append(attributes[name] or "")
        if tag not in self.VOID:
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.muted:
            self.parts.append(data)

    @property
    def muted(self) -> bool:
        return any(hidden for _tag, hidden in self.stack)


def visible_text(page: str, language: str) -> str:
    parser = VisibleText(language)
    parser.feed(page)
    return " ".join(parser.parts)


def demo_paths() -> dict[str, str]:
    """A value for every placeholder of the role matrix, taken from anna's richest group."""
    anna = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == "anna@demo.kring.nl"))
    group_id = db.session.scalar(
        sa.select(Membership.group_id)
        .join(group_therapists, group_therapists.c.group_id == Membership.group_id)
        .join(Flag, Flag.membership_id == Membership.id)
        .where(group_therapists.c.staff_id == anna.id)
        .group_by(Membership.group_id)
        .order_by(sa.func.count(Flag.id).desc())
        .limit(1)
    )
    membership = db.session.scalar(
        sa.select(Membership.id)
        .join(Flag, Flag.membership_id == Membership.id)
        .join(Response, Response.membership_id == Membership.id)
        .where(Membership.group_id == group_id)
        .limit(1)
    )
    session = db.session.scalar(
        sa.select(GroupSession.id)
        .where(GroupSession.group_id == group_id, GroupSession.status == SessionStatus.HELD)
        .order_by(GroupSession.number.desc())
        .limit(1)
    )
    return {
        "<group_id>": str(group_id),
        "<session_id>": str(session),
        "<membership_id>": str(membership),
        "<referral_id>": str(db.session.scalar(sa.select(Referral.id).limit(1))),
        "<battery_id>": str(db.session.scalar(sa.select(Battery.id).limit(1))),
        "<staff_id>": str(anna.id),
        "<code>": db.session.scalar(
            sa.select(Client.code).join(Membership).where(Membership.id == membership)
        ),
    }


def staff_pages(values: dict[str, str]) -> list[str]:
    """Every staff page and PDF of the role matrix (not the API, the dashboards or the
    member's pages, which have their own tests), with the demo's values filled in."""
    paths = []
    for template in MATRIX:
        if not template.startswith("/staff/") or template.endswith(".json"):
            continue
        path = template
        for placeholder, value in values.items():
            path = path.replace(placeholder, value)
        if "<" in path:
            continue
        paths.append(path)
    return [*paths, f"/staff/members/{values['<membership_id>']}/contact"]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_staff_page_and_pdf_speaks_one_language(sqlite_only: Flask, language: str) -> None:
    require(Path("/usr/bin/pdftotext").exists(), "poppler-utils (pdftotext) is not installed")
    app = sqlite_only
    create_demo(TODAY)
    names = typed_names()
    values = demo_paths()
    found: dict[str, set[str]] = {}
    for person in ("anna", "mila", "ad"):
        client = app.test_client()
        log_in(client, f"{person}@demo.kring.nl", DEMO_PASSWORD)
        switch(client, language)
        paths = staff_pages(values)
        if person != "anna":
            with app.app_context():
                period = {"from": "2026-01-01", "to": "2026-11-24"}
                assert ask_for_report(client, "organisation", period).status_code == 302
                assert ask_for_report(client, "growth_path", {"year": "2026"}).status_code == 302
                prepare_requested_reports()
                paths = [*paths, *prepared_links(client)]
        for path in paths:
            with app.app_context():
                reply = client.get(path)
            if reply.status_code != 200:
                continue
            if reply.mimetype == "application/pdf":
                text = pdf_text(reply.data)
            elif reply.mimetype == "text/html":
                text = visible_text(reply.get_data(as_text=True), language)
            else:
                continue
            wrong = problems(text, language, names)
            if wrong:
                found[f"{person} {path}"] = wrong
    assert not found, "\n".join(f"{page}: {sorted(wrong)}" for page, wrong in found.items())


def layout_text(node: object) -> list[str]:
    """The words a Dash layout shows: children, labels, titles and placeholders."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [text for item in node for text in layout_text(item)]
    if not isinstance(node, dict):
        return []
    props = node.get("props", node)
    shown = [props.get(key) for key in ("children", "label", "title", "placeholder", "options")]
    return [text for value in shown if value is not None for text in layout_text(value)]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_dashboard_layout_speaks_one_language(sqlite_only: Flask, language: str) -> None:
    app = sqlite_only
    create_demo(TODAY)
    found: dict[str, set[str]] = {}
    for person, dashboards in (("anna", ("group", "caseload")), ("mila", ("management",))):
        client = app.test_client()
        log_in(client, f"{person}@demo.kring.nl", DEMO_PASSWORD)
        switch(client, language)
        for dashboard in dashboards:
            with app.app_context():
                layout = client.get(f"/dash/{dashboard}/_dash-layout").get_json()
            text = " ".join(layout_text(layout))
            wrong = problems(text, language, [])
            if " / " in text:
                wrong.add("two languages side by side: " + text)
            if wrong:
                found[f"{person} {dashboard}"] = wrong
    assert not found, "\n".join(f"{page}: {sorted(wrong)}" for page, wrong in found.items())
