"""Where each dashboard is mounted, and the address of a group's view."""

from __future__ import annotations

from urllib.parse import urlencode

GROUP = "/dash/group/"
CASELOAD = "/dash/caseload/"
MANAGEMENT = "/dash/management/"


def group_address(group_id: int, member: str | None = None) -> str:
    """The group dashboard showing one group (and one member, when given)."""
    query = {"group": group_id} | ({"member": member} if member else {})
    return f"{GROUP}?{urlencode(query)}"
