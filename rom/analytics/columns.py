"""Column names shared by the loaders (rom/frames.py) and the analytics functions."""

GROUP = "group_id"
MEMBER = "member_id"
SESSION = "session_no"
DATE = "date"
HELD = "held"
STATUS = "status"
JOINED = "joined_session"
LEFT = "left_session"
LEAVE_REASON = "leave_reason"
PLANNED = "planned_sessions"
FORMAT = "format"
INSTRUMENT = "instrument"
SCALE = "scale"
VALUE = "value"
ITEM = "item"
SESSIONS_LEFT = "sessions_left"  # a closed group's planned sessions after this one (else NaN)
OWN = "own_session"  # the member's 1-based count of held sessions since joining

SYMPTOMS = "phq9"  # the primary symptom measure that expected courses and change follow
MEASURES = {  # panel column: (instrument, scale)
    "phq9": ("phq9", "total"),
    "gad7": ("gad7", "total"),
    "cohesion": ("gcs", "cohesion"),
    "engagement": ("gcq_s", "engagement"),
    "avoidance": ("gcq_s", "avoidance"),
    "conflict": ("gcq_s", "conflict"),
}
