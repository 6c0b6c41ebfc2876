"""Component ids of the management dashboard."""

URL = "management-url"
START = "management-start"
END = "management-end"
BASELINE = "management-baseline"
DIMENSION = "management-dimension"
TABLE = "management-table"
VOLUME = "management-volume"
RATES = "management-rates"
OUTCOMES = "management-outcomes"
DROPOUT = "management-dropout"
GRAPHS = (VOLUME, RATES, OUTCOMES, DROPOUT)
