"""Component ids of the group dashboard."""

URL = "group-url"
GROUP = "group-select"
MEMBER = "member-select"
TRAJECTORIES = "group-trajectories"
OVERVIEW = "group-overview"
CLIMATE = "group-climate"
RATES = "group-rates"
FLAGS = "group-flags"
REPORT = "group-report"
GRAPHS = (TRAJECTORIES, OVERVIEW, CLIMATE, RATES)
