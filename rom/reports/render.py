"""HTML templates to PDF with WeasyPrint: the only module that imports it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext, ngettext
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from weasyprint import CSS, HTML

from rom.clock import organisation_today
from rom.i18n import reader_language
from rom.numbers import decimal_or_dash

TEMPLATES = Path(__file__).parent / "templates"
_environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    extensions=["jinja2.ext.i18n"],
)
_environment.install_gettext_callables(gettext, ngettext, newstyle=True)  # the reader's language
_environment.filters["percent"] = lambda v: "–" if v is None else f"{v * 100:.0f}%"


@pass_context
def _number(context: Context, value: float | None, digits: int = 1, signed: bool = False) -> str:
    """A number in the report's language (`lang`, Dutch unless the report says otherwise)."""
    return decimal_or_dash(value, digits, context.get("lang", "nl"), signed)


_environment.filters["number"] = _number


def page_header(period_text: str) -> dict[str, str]:
    """What every report's page header says: the organisation, the period and the day made."""
    return {
        "organisation": current_app.config["ORGANISATION_NAME"],
        "period_text": period_text,
        "made_on": organisation_today().strftime("%d-%m-%Y"),
    }


def render_html(template: str, **context: Any) -> str:
    """The report in the language Babel has chosen (the reader's; `force_locale` elsewhere)."""
    context.setdefault("lang", reader_language())
    return _environment.get_template(f"reports/{template}").render(**context)


def render_pdf(template: str, **context: Any) -> bytes:
    """The report as PDF bytes: A4, the organisation and period in every page's header, page
    numbers in the footer (reports/report.css)."""
    html = HTML(string=render_html(template, **context), base_url=str(TEMPLATES))
    return html.write_pdf(stylesheets=[CSS(filename=str(TEMPLATES / "reports" / "report.css"))])
