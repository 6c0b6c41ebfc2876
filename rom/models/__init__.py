"""The domain models, one module per concept; re-exported here without logic."""

from rom.models.account_links import AccountLink, LinkPurpose
from rom.models.api_tokens import ORGANISATION_SCOPES, SCOPES, ApiToken, IdempotentReply
from rom.models.attendance import Attendance, AttendanceStatus
from rom.models.audit import AuditEvent
from rom.models.base import Base, utcnow
from rom.models.batteries import Battery, BatteryInstrument
from rom.models.clients import CODE_PATTERN, Client, Language, is_member_code
from rom.models.courses import CourseFit
from rom.models.flags import Flag, FlagAction, FlagKind, FlagStatus, Severity
from rom.models.groups import Group, GroupFormat, GroupKind, group_therapists
from rom.models.invitations import TOPIC_LENGTH, Invitation
from rom.models.memberships import LeaveReason, Membership, in_group_at
from rom.models.outbox import Channel, OutboxMessage, OutboxStatus
from rom.models.prepared_figures import PreparedFigures, PreparedQuality
from rom.models.prepared_reports import PreparedReport, ReportKind, ReportStatus
from rom.models.referrals import (
    CONTRA_INDICATIONS,
    RATINGS,
    SUITABILITY_FACTORS,
    Decision,
    Referral,
    ReferralStatus,
    Suitability,
)
from rom.models.responses import Answer, Response, ResponseSource, Score
from rom.models.scheduler import SchedulerLease, apscheduler_jobs
from rom.models.sessions import GroupSession, SessionStatus
from rom.models.staff import Role, StaffRole, StaffUser
from rom.models.staff_sessions import StaffSession
from rom.models.treatment_volumes import IndividualVolume, VolumeSource

__all__ = [
    "CODE_PATTERN",
    "CONTRA_INDICATIONS",
    "ORGANISATION_SCOPES",
    "RATINGS",
    "SCOPES",
    "SUITABILITY_FACTORS",
    "TOPIC_LENGTH",
    "AccountLink",
    "Answer",
    "ApiToken",
    "Attendance",
    "AttendanceStatus",
    "AuditEvent",
    "Base",
    "Battery",
    "BatteryInstrument",
    "Channel",
    "Client",
    "CourseFit",
    "Decision",
    "Flag",
    "FlagAction",
    "FlagKind",
    "FlagStatus",
    "Group",
    "GroupFormat",
    "GroupKind",
    "GroupSession",
    "IdempotentReply",
    "IndividualVolume",
    "Invitation",
    "Language",
    "LeaveReason",
    "LinkPurpose",
    "Membership",
    "OutboxMessage",
    "OutboxStatus",
    "PreparedFigures",
    "PreparedQuality",
    "PreparedReport",
    "Referral",
    "ReferralStatus",
    "ReportKind",
    "ReportStatus",
    "Response",
    "ResponseSource",
    "Role",
    "SchedulerLease",
    "Score",
    "SessionStatus",
    "Severity",
    "StaffRole",
    "StaffSession",
    "StaffUser",
    "Suitability",
    "VolumeSource",
    "apscheduler_jobs",
    "group_therapists",
    "in_group_at",
    "is_member_code",
    "utcnow",
]
