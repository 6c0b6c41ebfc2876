"""Organisation-wide reports are asked for on the reports page and prepared by the scheduler's
job: the asker sees the request waiting, then a download link; only the asker downloads it,
audited; the same request is not stored twice; a day later it is gone."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
import time_machine
from flask.testing import FlaskClient

from rom.extensions import db
from rom.models import AuditEvent, PreparedReport, ReportStatus
from rom.services.report_requests import PENDING_PER_PERSON, prepare_requested_reports
from tests.personas import cast
from tests.prepared_reports import ask_for_report, prepared_links
from tests.staff_session import log_in

NOW = datetime(2026, 12, 1, 11, 0)
PERIOD = {"from": "2026-01-01", "to": "2026-06-30"}


def _exports() -> list[AuditEvent]:
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export")).all()


def _stored() -> list[PreparedReport]:
    return db.session.scalars(sa.select(PreparedReport)).all()


def test_the_page_shows_the_request_waiting_then_offers_the_pdf(client: FlaskClient) -> None:
    cast()
    with time_machine.travel(NOW, tick=False):
        log_in(client, "mila@kring.test")
        asked = ask_for_report(client, "organisation", PERIOD)
        assert asked.status_code == 302
        waiting = client.get(asked.headers["Location"]).get_data(as_text=True)
        assert "De rapportage wordt voorbereid" in waiting
        assert "Organisatie, 01-01-2026 t/m 30-06-2026" in waiting
        assert "Wordt voorbereid…" in waiting
        assert 'http-equiv="refresh"' in waiting  # the page looks again by itself
        assert prepared_links(client) == []
        assert prepare_requested_reports() == 1
        ready = client.get("/staff/reports").get_data(as_text=True)
        assert 'http-equiv="refresh"' not in ready
        [link] = prepared_links(client)
        assert _exports() == []  # asking reads nothing; the download is the export
        pdf = client.get(link)
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"] == (
        'attachment; filename="kring-organisatie-2026-01-01-2026-06-30.pdf"'
    )
    [export] = _exports()
    assert (export.subject_type, export.detail) == (
        "organisation_report",
        {"start": "2026-01-01", "end": "2026-06-30"},
    )


def test_only_the_asker_downloads_it(client: FlaskClient) -> None:
    cast()
    with time_machine.travel(NOW, tick=False):
        log_in(client, "mila@kring.test")
        ask_for_report(client, "growth_path", {"year": "2026"})
        prepare_requested_reports()
        [link] = prepared_links(client)
        other = client.application.test_client()
        log_in(other, "ad@kring.test")
        assert prepared_links(other) == []
        assert other.get(link).status_code == 404
    assert _exports() == []


def test_the_same_request_is_stored_once_and_a_few_wait_at_most(client: FlaskClient) -> None:
    cast()
    with time_machine.travel(NOW, tick=False):
        log_in(client, "mila@kring.test")
        for _ in range(2):
            assert ask_for_report(client, "organisation", PERIOD).status_code == 302
        assert len(_stored()) == 1
        for year in range(2, PENDING_PER_PERSON + 1):
            ask_for_report(client, "organisation", {"from": f"2026-0{year}-01", "to": "2026-09-30"})
        assert len(_stored()) == PENDING_PER_PERSON
        refused = ask_for_report(client, "growth_path", {"year": "2026"})
        assert refused.status_code == 409
        assert "in voorbereiding" in refused.get_data(as_text=True)
        assert len(_stored()) == PENDING_PER_PERSON
        assert prepare_requested_reports() == PENDING_PER_PERSON
        assert ask_for_report(client, "growth_path", {"year": "2026"}).status_code == 302


def test_a_prepared_report_is_gone_a_day_later(client: FlaskClient) -> None:
    cast()
    with time_machine.travel(NOW, tick=False):
        log_in(client, "mila@kring.test")
        ask_for_report(client, "organisation", PERIOD)
        prepare_requested_reports()
        [link] = prepared_links(client)
    with time_machine.travel(NOW + timedelta(hours=25), tick=False):
        log_in(client, "mila@kring.test")
        assert client.get(link).status_code == 404  # not offered, even before the job runs
        assert prepare_requested_reports() == 0
        assert _stored() == []
        assert "geen rapportages aangevraagd" in client.get("/staff/reports").get_data(as_text=True)


def test_a_report_left_preparing_by_a_stopped_scheduler_is_prepared_later(
    client: FlaskClient,
) -> None:
    cast()
    with time_machine.travel(NOW, tick=False):
        log_in(client, "mila@kring.test")
        ask_for_report(client, "organisation", PERIOD)
        [report] = _stored()
        report.status, report.started_at = ReportStatus.PREPARING, NOW - timedelta(minutes=5)
        db.session.commit()
        assert prepare_requested_reports() == 0  # another run may still be at it
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        assert prepare_requested_reports() == 1
        log_in(client, "mila@kring.test")
        [link] = prepared_links(client)
        assert client.get(link).data.startswith(b"%PDF")


def test_a_report_that_cannot_be_rendered_fails_and_the_next_is_still_prepared(
    client: FlaskClient,
) -> None:
    cast()
    with time_machine.travel(NOW, tick=False):
        log_in(client, "mila@kring.test")
        ask_for_report(client, "organisation", PERIOD)
        ask_for_report(client, "growth_path", {"year": "2026"})
        broken = min(_stored(), key=lambda r: r.id)
        broken.language = "xx"  # no such language: rendering it raises
        db.session.commit()
        assert client.get(f"/staff/reports/prepared/{broken.id}.pdf").status_code == 404
        assert prepare_requested_reports() == 1
        page = client.get("/staff/reports").get_data(as_text=True)
        [link] = prepared_links(client)
    assert "Mislukt; vraag haar opnieuw aan." in page
    assert link != f"/staff/reports/prepared/{broken.id}.pdf"


def test_a_report_whose_preparing_stopped_the_scheduler_twice_is_given_up(
    client: FlaskClient,
) -> None:
    cast()
    with time_machine.travel(NOW, tick=False):
        log_in(client, "mila@kring.test")
        ask_for_report(client, "organisation", PERIOD)
        [report] = _stored()
        report.status, report.attempts = ReportStatus.PREPARING, 2
        report.started_at = NOW - timedelta(hours=2)
        db.session.commit()
        assert prepare_requested_reports() == 0
        db.session.refresh(report)
        assert report.status == ReportStatus.FAILED


def test_a_deactivated_askers_request_is_not_prepared(client: FlaskClient) -> None:
    team = cast()
    with time_machine.travel(NOW, tick=False):
        log_in(client, "mila@kring.test")
        ask_for_report(client, "organisation", PERIOD)
        team.mila.active = False
        db.session.commit()
        assert prepare_requested_reports() == 0
        [report] = _stored()
        assert report.content is None


def test_the_page_stops_refreshing_itself_after_ten_minutes(client: FlaskClient) -> None:
    cast()
    with time_machine.travel(NOW, tick=False):
        log_in(client, "mila@kring.test")
        ask_for_report(client, "organisation", PERIOD)
    with time_machine.travel(NOW + timedelta(minutes=11), tick=False):
        page = client.get("/staff/reports").get_data(as_text=True)
    assert "Wordt voorbereid…" in page  # the scheduler has not run
    assert 'http-equiv="refresh"' not in page  # an unattended page lets its session expire
