"""The instrument library: definitions as data, scoring, reliable change and FHIR. Pure Python."""

from questionnaires.change import classify_change, is_reliable, reliable_change_index
from questionnaires.loading import (
    InstrumentFileError,
    Library,
    check_folder,
    load_definition,
    load_file,
    load_library,
)
from questionnaires.model import Instrument, Scale
from questionnaires.scoring import (
    AnswerError,
    ScoreResult,
    critical_answers,
    critical_frame,
    score,
    score_frame,
)

__all__ = [
    "AnswerError",
    "Instrument",
    "InstrumentFileError",
    "Library",
    "Scale",
    "ScoreResult",
    "check_folder",
    "classify_change",
    "critical_answers",
    "critical_frame",
    "is_reliable",
    "load_definition",
    "load_file",
    "load_library",
    "reliable_change_index",
    "score",
    "score_frame",
]
