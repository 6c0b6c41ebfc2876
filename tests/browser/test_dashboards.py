"""Every dashboard of the demo, opened in headless Chromium as the role it is for, in Dutch and in
English: every state (a member chosen, the tables opened, each breakdown) passes axe-core with no
serious or critical finding and speaks one language, Plotly's own texts included; the charts can
be read without sight or a mouse; the management table scrolls and is reached by keyboard; the
group view shows who is off course without choosing anyone. Screenshots at 1366, 1024 and 390
pixels wide are saved in test-artifacts/."""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po
from flask import Flask

from rom.clock import organisation_today
from rom.demo import DEMO_PASSWORD, create_demo
from rom.extensions import db, limiter
from rom.models import (
    Client,
    Flag,
    FlagKind,
    FlagStatus,
    Membership,
    StaffUser,
    group_therapists,
)
from tests.browser.conftest import ARTIFACTS, serious_violations, serving
from tests.conftest import _empty_tables
from tests.contrast import contrast
from tests.one_language import problems, typed_names

WIDTHS = {1366: 900, 1024: 800, 390: 844}
LOCALES = {"nl": "nl-NL", "en": "en-GB"}
TABLET = {"width": 1180, "height": 820}
DASHBOARDS = (("anna", "/dash/group/"), ("anna", "/dash/caseload/"), ("mila", "/dash/management/"))


@pytest.fixture(scope="module")
def demo_server(sqlite_app: Flask) -> Iterator[str]:
    """The demo organisation, built once for this module, served on a free port."""
    with sqlite_app.app_context():
        _empty_tables()
        create_demo(organisation_today())
        db.session.commit()
        with serving(sqlite_app) as url:
            yield url
        db.session.remove()


@pytest.fixture(autouse=True)
def fresh_allowances(demo_server: str) -> None:
    limiter.reset()  # every test logs in afresh


def signed_in(browser, base: str, who: str, language: str, width: int = 1366):
    """A page of a new browser context, logged in as `who`, in `language`."""
    context = browser.new_context(
        viewport={"width": width, "height": WIDTHS.get(width, 900)},
        bypass_csp=True,  # to inject axe-core; the CSP itself is asserted in tests/web
        locale=LOCALES[language],
    )
    page = context.new_page()
    page.goto(f"{base}/staff/login")
    page.fill("input[name=email]", f"{who}@demo.kring.nl")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.goto(f"{base}/staff/groups")
    if page.get_attribute("html", "lang") != language:
        page.click(f"button[name=language][value={language}]")
        page.wait_for_load_state()
    return page


def open_dashboard(page, base: str, path: str) -> None:
    page.goto(f"{base}{path}")
    wait_until_drawn(page)


def wait_until_drawn(page, seconds: float = 30) -> None:
    """Until Dash has filled every chart and no callback is pending."""
    deadline = time.monotonic() + seconds
    while True:
        captions = page.locator("figcaption")
        done = (
            captions.count() > 0
            and all(text.strip() for text in captions.all_inner_texts())
            and page.locator("[data-dash-is-loading]").count() == 0
            and page.locator(".js-plotly-plot .main-svg").count() > 0
        )
        if done:
            break
        assert time.monotonic() < deadline, "the dashboard did not draw"
        page.wait_for_timeout(100)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)


def open_tables(page) -> None:
    for summary in page.locator("details > summary").all():
        if not summary.evaluate("s => s.parentElement.open"):
            summary.click()


def screenshots(page, name: str) -> list[Path]:
    """The page at the three widths, whole."""
    folder = ARTIFACTS / "dashboards"
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for width, height in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(400)  # the charts follow the window
        path = folder / f"{name}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        saved.append(path)
    page.set_viewport_size({"width": 1366, "height": 900})
    return saved


def shown_text(page) -> str:
    """Everything a reader sees or hears: the text, the charts' own texts (Plotly draws them in
    SVG), and the names given in attributes."""
    return page.evaluate("""() => [document.body.innerText,
        ...[...document.querySelectorAll('svg text')].map(t => t.textContent),
        ...[...document.querySelectorAll('[aria-label],[title],[placeholder],[alt]')].flatMap(
            e => ['aria-label', 'title', 'placeholder', 'alt'].map(a => e.getAttribute(a) || ''))
        ].join(' ')""")


CATALOGUE = Path(__file__).resolve().parents[2] / "rom/translations/en/LC_MESSAGES/messages.po"


@functools.cache
def phrases_of(language: str) -> set[str]:
    """Whole phrases (three words or more) of the catalogue that only one language says."""
    with CATALOGUE.open("rb") as file:
        catalogue = read_po(file, locale="en")
    pairs = [
        (m.id, m.string)
        for m in catalogue
        if isinstance(m.id, str) and m.id and m.string and m.id != m.string and "%" not in m.id
    ]
    chosen = {dutch if language == "nl" else english for dutch, english in pairs}
    return {p for p in chosen if len(p.split()) >= 3}


def other_language(text: str, language: str) -> set[str]:
    """Phrases of the other language found in the text."""
    flat = re.sub(r"\s+", " ", text)
    return {phrase for phrase in phrases_of("en" if language == "nl" else "nl") if phrase in flat}


def off_course_group() -> tuple[int, set[str]]:
    """Anna's group with a member off course (an open not-on-track or deterioration flag), and
    who they are."""
    anna = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == "anna@demo.kring.nl"))
    flags = db.session.scalars(
        sa.select(Flag)
        .join(group_therapists, group_therapists.c.group_id == Flag.group_id)
        .where(
            group_therapists.c.staff_id == anna.id,
            Flag.status == FlagStatus.OPEN,
            Flag.kind.in_((FlagKind.NOT_ON_TRACK, FlagKind.DETERIORATION)),
        )
        .order_by(Flag.group_id)
    ).all()
    assert flags, "the demo has a member off course in one of anna's groups"
    group_id = flags[0].group_id
    members = {
        f.membership_id for f in flags if f.group_id == group_id and f.membership_id is not None
    }
    codes = set(
        db.session.scalars(
            sa.select(Client.code).join(Membership).where(Membership.id.in_(members))
        )
    )
    return group_id, codes


def states(group_id: int) -> list[tuple[str, str, str]]:
    """(who, name, path) of every dashboard state."""
    return [
        ("anna", "group", f"/dash/group/?group={group_id}"),
        ("anna", "caseload", "/dash/caseload/"),
        ("mila", "management", "/dash/management/"),
        ("mila", "management-therapists", "/dash/management/?baseline=2024&by=therapist"),
    ]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_dashboard_state_passes_axe_and_speaks_one_language(
    demo_server: str, browser, language: str
) -> None:
    group_id, off = off_course_group()
    names = typed_names()
    found: dict[str, list[str]] = {}
    wrong: dict[str, set[str]] = {}
    problems_seen: list[str] = []
    pages = {}

    def check(page, label: str) -> None:
        """Screenshots as the page opens, then with every table opened: axe and the words."""
        screenshots(page, label)
        open_tables(page)
        found[label] = serious_violations(page)
        text = shown_text(page)
        wrong[label] = problems(text, language, names) | other_language(text, language)

    for who, name, path in states(group_id):
        page = pages.get(who) or signed_in(browser, demo_server, who, language)
        pages[who] = page
        page.on("pageerror", lambda error: problems_seen.append(str(error)))
        open_dashboard(page, demo_server, path)
        check(page, f"{name}-{language}")
        if name == "group":  # and with a member chosen, by keyboard
            page.get_by_role("link", name=sorted(off)[0], exact=True).focus()
            page.keyboard.press("Enter")
            page.locator(".panel.selected").wait_for()
            wait_until_drawn(page)
            check(page, f"group-member-{language}")
    for page in pages.values():
        page.context.close()
    assert {state: v for state, v in found.items() if v} == {}
    assert {state: w for state, w in wrong.items() if w} == {}
    assert problems_seen == []


def test_charts_have_a_name_a_table_and_no_toolbar(demo_server: str, browser) -> None:
    """No Plotly toolbar (English, in the tab order, one button shares to a cloud service); each
    drawing is an image named by its caption, with its figures as a table beside it."""
    group_id, _off = off_course_group()
    checked = {}
    for who, name, path in states(group_id)[:3]:
        page = signed_in(browser, demo_server, who, "nl")
        open_dashboard(page, demo_server, path)
        checked[name] = page.evaluate("""() => {
            const plots = [...document.querySelectorAll('.js-plotly-plot')];
            const named = plots.filter(p => {
                const img = p.closest('[role=img]');
                if (!img) return false;
                const by = img.getAttribute('aria-labelledby');
                const name = by ? document.getElementById(by)?.innerText
                                : img.getAttribute('aria-label');
                return (name || '').trim().length > 10;
            });
            const figures = [...document.querySelectorAll('figure.chart')];
            return {
                plots: plots.length,
                named: named.length,
                toolbars: document.querySelectorAll('.modebar, .modebar-btn').length,
                focusable: plots.flatMap(
                    p => [...p.querySelectorAll('a[href], button, input, [tabindex]')]).length,
                figures: figures.length,
                tables: figures.filter(f => f.querySelector('details table, details p')).length,
            };
        }""")
        page.context.close()
    for name, seen in checked.items():
        assert seen["plots"] >= 1, name
        assert seen["named"] == seen["plots"], name
        assert seen["toolbars"] == 0, name
        assert seen["focusable"] == 0, name
        assert seen["tables"] == seen["figures"] >= 1, name


def test_every_chart_text_is_readable_and_no_two_member_names_overlap(
    demo_server: str, browser
) -> None:
    """Chart texts at 4.5:1 or more against white (the heatmap's numbers are dark on a light
    scale, checked in tests/web); the member codes of the group view never print over each
    other."""
    group_id, _off = off_course_group()
    faint: list[str] = []
    overlaps = 0
    for who, name, path in states(group_id)[:3]:
        page = signed_in(browser, demo_server, who, "nl")
        open_dashboard(page, demo_server, path)
        texts = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot svg text')]
            .filter(t => t.textContent.trim() && !t.closest('.hoverlayer'))
            .map(t => ({text: t.textContent, fill: getComputedStyle(t).fill,
                        opacity: getComputedStyle(t).fillOpacity,
                        heatmap: !!t.closest('.heatmaplayer')}))""")
        for text in texts:
            rgb = tuple(float(v) for v in re.findall(r"[\d.]+", text["fill"])[:3])
            if float(text["opacity"]) < 1 or contrast(rgb) < 4.5:
                faint.append(f"{name}: {text['text']!r} {text['fill']}")
        if name == "group":
            boxes = [b for b in (h.bounding_box() for h in page.locator(".panel h3").all()) if b]
            overlaps = sum(
                1
                for i, a in enumerate(boxes)
                for b in boxes[i + 1 :]
                if a["x"] < b["x"] + b["width"]
                and b["x"] < a["x"] + a["width"]
                and a["y"] < b["y"] + b["height"]
                and b["y"] < a["y"] + a["height"]
            )
            assert len(boxes) >= 5
        page.context.close()
    assert faint == []
    assert overlaps == 0


def test_the_member_off_course_stands_out_without_choosing_anyone(
    demo_server: str, browser
) -> None:
    group_id, off = off_course_group()
    page = signed_in(browser, demo_server, "anna", "nl")
    open_dashboard(page, demo_server, f"/dash/group/?group={group_id}")
    panels = page.locator(".panel")
    codes = [p.locator("h3").inner_text().strip() for p in panels.all()]
    marked = [p.locator("h3").inner_text().strip() for p in page.locator(".panel.off-course").all()]
    with_band = page.locator(".panel:has(.js-plotly-plot path.js-fill)").count()
    chosen = page.locator(".panel [aria-current]").count()
    frame = {
        kind: page.locator(f".panel{kind}").first.evaluate(
            "p => getComputedStyle(p).borderTopColor + ' ' + getComputedStyle(p).borderTopWidth"
        )
        for kind in (".off-course", ":not(.off-course)")
    }
    message = page.locator(".courses .message").inner_text()
    page.context.close()
    assert len(codes) >= 5  # a panel of its own for every measured member
    assert set(marked) == off  # those off course, and no one else, marked
    assert codes[: len(off)] == sorted(off)  # and first
    assert with_band == len(codes)  # everyone's expected band, no one chosen
    assert chosen == 0
    assert frame[".off-course"] != frame[":not(.off-course)"]
    assert all(code in message for code in off)  # named in words above the panels


def test_choosing_a_member_highlights_them_everywhere(demo_server: str, browser) -> None:
    group_id, off = off_course_group()
    member = sorted(off)[0]
    page = signed_in(browser, demo_server, "anna", "nl", width=TABLET["width"])
    open_dashboard(page, demo_server, f"/dash/group/?group={group_id}")
    page.get_by_role("link", name=member, exact=True).click()
    page.locator(".panel.selected").wait_for()
    wait_until_drawn(page)
    selected = page.locator(".panel.selected h3").inner_text().strip()
    outlined = page.locator("#group-overview .shapelayer path").count()
    flagged = page.locator(".flags li.selected").count()
    report = page.locator("#group-report").get_attribute("href")
    page.screenshot(path=str(ARTIFACTS / "dashboards" / "group-selected.png"), full_page=True)
    page.context.close()
    assert selected == member
    assert outlined >= 1  # their row in the overview is outlined
    assert flagged >= 1  # and their flags in the list
    assert report == f"/staff/groups/{group_id}/report.pdf"


def key_figures(page) -> dict[str, list[str]]:
    """The management table by column: header -> cells, the total last."""
    return page.evaluate("""() => {
        const table = document.querySelector('#management-table table');
        const heads = [...table.querySelectorAll('thead th')].map(th => th.innerText.trim());
        const rows = [...table.querySelectorAll('tbody tr')].map(
            tr => [...tr.children].map(c => c.innerText.trim()));
        return Object.fromEntries(heads.map((h, i) => [h, rows.map(r => r[i])]));
    }""")


@pytest.mark.parametrize("width", [1366, 1024])
def test_the_management_table_scrolls_and_is_reached_by_keyboard(
    demo_server: str, browser, width: int
) -> None:
    page = signed_in(browser, demo_server, "mila", "nl", width=width)
    open_dashboard(page, demo_server, "/dash/management/")
    region = page.locator("#management-table [role=region]").first
    last = page.locator("#management-table thead th").last
    reached = False
    for _press in range(40):
        page.keyboard.press("Tab")
        if region.evaluate("r => r === document.activeElement"):
            reached = True
            break
    for _press in range(30):
        page.keyboard.press("ArrowRight")
    inside = _eventually(  # the browser animates keyboard scrolling
        lambda: region.evaluate(
            """(r) => { const box = r.getBoundingClientRect();
                const th = r.querySelector('thead th:last-child').getBoundingClientRect();
                return th.right <= box.right + 1 && th.left >= box.left - 1; }"""
        )
    )
    page_width = page.evaluate("() => document.documentElement.scrollWidth")
    heading = last.inner_text()
    page.context.close()
    assert reached  # the keyboard reaches the table
    assert inside, heading  # and brings its last column into view
    assert page_width <= width  # the page itself does not scroll sideways


def test_feedback_use_and_days_to_action_read_well_with_the_demo(demo_server: str, browser) -> None:
    """The demo's therapists open briefings and act on flags, so those figures are filled; the
    days to action axis counts whole days."""
    page = signed_in(browser, demo_server, "mila", "nl")
    open_dashboard(page, demo_server, "/dash/management/")
    columns = key_figures(page)
    ticks = page.locator("#management-dropout .y2tick text").all_text_contents()
    page.context.close()
    for column in ("Opgepakt op tijd", "Briefing geopend"):
        total = columns[column][-1]
        assert re.fullmatch(r"\d+%", total), (column, total)
        assert int(total[:-1]) > 0, (column, total)
    assert columns["Dagen tot actie (mediaan)"][-1] != "–"
    assert ticks
    assert all(re.fullmatch(r"\d+", tick) for tick in ticks), ticks


def test_the_therapist_breakdown_says_co_therapists_count_twice(demo_server: str, browser) -> None:
    page = signed_in(browser, demo_server, "mila", "nl")
    open_dashboard(page, demo_server, "/dash/management/?by=therapist")
    columns = key_figures(page)
    note = page.locator("#co-therapists").inner_text()
    page.goto(f"{demo_server}/dash/management/?by=kind")
    wait_until_drawn(page)
    by_kind_note = page.locator("#co-therapists").count()
    page.context.close()
    dropouts = [int(n) for n in columns["Uitgevallen"]]
    assert sum(dropouts[:-1]) > dropouts[-1]  # the rows add up to more than the total ...
    assert "twee behandelaars" in note  # ... and the page says why
    assert f"{sum(dropouts[:-1])} uitvallers in de rijen, {dropouts[-1]} in het totaal" in note
    assert by_kind_note == 0


def test_each_dashboard_is_in_the_users_language_from_the_first_byte(
    demo_server: str, browser
) -> None:
    """The page Dash serves has lang and a translated title; one main with one h1, a skip link
    to it; the period's date fields are named by their labels, not "Start Date"."""
    seen = {}
    for language in ("nl", "en"):
        for who, path in DASHBOARDS:
            page = signed_in(browser, demo_server, who, language)
            open_dashboard(page, demo_server, path)
            seen[(language, path)] = (
                page.get_attribute("html", "lang"),
                page.title(),
                page.locator("main").count(),
                page.locator("main h1").count(),
                page.locator("a.skip").get_attribute("href"),
            )
            if path == "/dash/management/":
                start = "Van" if language == "nl" else "From"
                seen[(language, "date")] = page.get_by_label(start, exact=True).get_attribute(
                    "type"
                )
                seen[(language, "Start Date")] = page.locator("[aria-label*=Date]").count()
            page.context.close()
    assert seen[("nl", "/dash/caseload/")] == ("nl", "Mijn groepen · Kring", 1, 1, "#main")
    assert seen[("en", "/dash/caseload/")] == ("en", "My groups · Kring", 1, 1, "#main")
    assert seen[("nl", "/dash/group/")] == ("nl", "Groepsdashboard · Kring", 1, 1, "#main")
    assert seen[("en", "/dash/group/")] == ("en", "Group dashboard · Kring", 1, 1, "#main")
    assert seen[("en", "/dash/management/")][:2] == ("en", "Management dashboard · Kring")
    assert seen[("nl", "date")] == seen[("en", "date")] == "date"
    assert seen[("nl", "Start Date")] == seen[("en", "Start Date")] == 0


def test_group_tables_name_every_session_as_the_chart_does(demo_server: str, browser) -> None:
    """The overview's table has the same members and sessions as its chart."""
    group_id, _off = off_course_group()
    page = signed_in(browser, demo_server, "anna", "en")
    open_dashboard(page, demo_server, f"/dash/group/?group={group_id}")
    open_tables(page)
    heads = page.locator("#group-overview-table thead th").all_inner_texts()
    rows = page.locator("#group-overview-table tbody th").all_inner_texts()
    ticks = page.locator("#group-overview .ytick text").all_text_contents()
    page.context.close()
    assert heads[1] == "Session 1"
    assert sorted(rows) == sorted(ticks)


def _eventually(check: Callable[[], bool], tries: int = 50) -> bool:
    """True once the check holds, polling for up to five seconds."""
    for _try in range(tries):
        if check():
            return True
        time.sleep(0.1)
    return False
