"""Component ids of the caseload dashboard."""

URL = "caseload-url"
GROUPS = "caseload-groups"
CHART = "caseload-chart"
TODO = "caseload-todo"
GRAPHS = (CHART,)
