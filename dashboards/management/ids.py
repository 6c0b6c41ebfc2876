"""Component ids of the management dashboard."""

URL = "management-url"
PERIOD = "management-period"
BASELINE = "management-baseline"
DIMENSION = "management-dimension"
TABLE = "management-table"
VOLUME = "management-volume"
RATES = "management-rates"
OUTCOMES = "management-outcomes"
DROPOUT = "management-dropout"
GRAPHS = (VOLUME, RATES, OUTCOMES, DROPOUT)
