"""Taking attendance: one row per member, corrections in place, and refusals change nothing."""

import pytest
import sqlalchemy as sa
from flask import Flask

from rom.extensions import db
from rom.models import Attendance, AttendanceStatus, SessionStatus
from rom.services.attendance import AttendanceError, record_attendance
from tests.factories import make_group, make_member, make_session


def rows() -> dict[int, AttendanceStatus]:
    return dict(db.session.execute(sa.select(Attendance.membership_id, Attendance.status)).all())


def test_attendance_marks_the_session_held_and_a_correction_replaces_the_row(app: Flask) -> None:
    group = make_group()
    first, second = make_member(group, "M1"), make_member(group, "M2")
    session = make_session(group, 1)
    record_attendance(session, {first.id: "present", second.id: "absent"})
    db.session.commit()
    record_attendance(session, {second.id: "excused"})
    db.session.commit()
    assert rows() == {first.id: AttendanceStatus.PRESENT, second.id: AttendanceStatus.EXCUSED}
    assert session.status == SessionStatus.HELD


def test_a_member_of_another_group_or_a_later_joiner_is_refused_and_nothing_changes(
    app: Flask,
) -> None:
    group, other = make_group("GA"), make_group("GB")
    member = make_member(group, "M1")
    late = make_member(group, "M2", joined=3)
    stranger = make_member(other, "M3")
    session = make_session(group, 1)
    db.session.commit()
    for wrong in (stranger.id, late.id):
        with pytest.raises(AttendanceError):
            record_attendance(session, {member.id: "present", wrong: "present"})
    db.session.rollback()
    assert rows() == {}
    assert session.status == SessionStatus.PLANNED


def test_a_cancelled_session_takes_no_attendance(app: Flask) -> None:
    group = make_group()
    member = make_member(group)
    session = make_session(group, 1)
    session.status = SessionStatus.CANCELLED
    db.session.commit()
    with pytest.raises(AttendanceError, match="geannuleerd"):
        record_attendance(session, {member.id: "present"})
    assert rows() == {}
