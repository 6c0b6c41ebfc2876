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
QUALITY = "management-quality"  # the year-on-year quality, adjusted for the intakes
QUALITY_SECTION = "management-quality-section"  # a filter link brings the reader back here
QUALITY_HEADING = "management-quality-heading"
QUALITY_FILTERS = "management-quality-filters"
QUALITY_WORDS = "management-quality-words"
QUALITY_TABLE = "management-quality-years"
GRAPHS = (VOLUME, RATES, OUTCOMES, DROPOUT, QUALITY)
