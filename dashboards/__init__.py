"""Dash apps mounted in the Flask application under /dash/, behind the staff login.

None is mounted yet: the dashboards arrive with their issue (group, caseload, management);
STYLE.md section 3 describes the verified way to mount and guard them.
"""
