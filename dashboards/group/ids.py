"""Component ids of the group dashboard."""

URL = "group-url"
HEADING = "group-heading"
GROUPS = "group-choice"
COURSES = "group-courses"  # the small multiples: one panel per member
OVERVIEW = "group-overview"
CLIMATE = "group-climate"
RATES = "group-rates"
FLAGS = "group-flags"
REPORT = "group-report"
GRAPHS = (OVERVIEW, CLIMATE, RATES)
