"""Acknowledging a flag: what was done about it, by whom, when."""

from __future__ import annotations

from rom.audit import record
from rom.models import Flag, FlagAction, StaffUser, utcnow


def acknowledge_flag(flag: Flag, user: StaffUser, action: str, note: str | None) -> None:
    flag.action = FlagAction(action)
    flag.note = (note or "").strip() or None
    flag.acknowledged_by_id = user.id
    flag.acknowledged_at = utcnow()
    record(user, "acknowledge_flag", "flag", flag.id, chosen_action=action)
