"""What the reports say, computed from frames (pure pandas: no Flask, no SQL).

Definitions used throughout (the organisation report prints them):
- volume: attended member-sessions (a member present at a held session);
- attendance: present / every attendance record of held sessions;
- response rate: member-sessions with a questionnaire / member-sessions;
- outcome: PHQ-9 at a member's first measurement against their last measurement up to the end
  of the period (at least two), Jacobson-Truax: recovered (reliable improvement from the
  clinical into the non-clinical range), improved, unchanged, deteriorated; counted for members
  whose last measurement falls in the period;
- dropout: a membership that ended in the period with reason 'dropped out';
- feedback used: of the flags raised in the period whose group has met again since, the share
  acted on (acknowledged with an action) at the latest on the day of that next session, which
  includes its wrap-up; the median days from flag to action; and of the sessions held in the
  period, the share whose briefing a therapist opened at the latest on the day of the session.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from questionnaires import Scale
from questionnaires.change import classify_change, reliable_change_index
from rom.analytics.columns import DATE, GROUP, HELD, LEAVE_REASON, LEFT, MEMBER, OWN, SESSION

OUTCOMES = ("recovered", "improved", "unchanged", "deteriorated")
TARGETS = ((2027, 0.06), (2030, 0.15))  # national aim for group treatment volume over 2025

TOTAL = "total"  # the label of the row over everything (pages and PDFs put it in words)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, days: pd.Series) -> pd.Series:
        return (days >= pd.Timestamp(self.start)) & (days <= pd.Timestamp(self.end))


@dataclass(frozen=True)
class Figures:
    """One line of the organisation report (a kind of group, a therapist, or everything)."""

    label: str
    groups: int
    members: int
    sessions_held: int
    volume: int
    attendance: float | None
    response_rate: float | None
    outcomes: dict[str, int]
    dropouts: int
    flags_raised: int
    median_days_to_acknowledge: float | None
    acted_by_next_session: float | None = None
    flags_due: int = 0  # flags whose group has met again since: the denominator above
    briefings_opened: float | None = None


@dataclass(frozen=True)
class Growth:
    baseline_year: int
    baseline_volume: int
    period_volume: int
    annualised_volume: float
    change: float | None  # annualised period volume against the baseline year
    targets: tuple[tuple[int, float], ...] = TARGETS


@dataclass(frozen=True)
class OrganisationSummary:
    period: Period
    total: Figures
    by_kind: list[Figures]
    by_therapist: list[Figures]
    growth: Growth


@dataclass(frozen=True)
class ReportInputs:
    """The frames every report reads. groups: group_id, name, kind, format; therapists: group_id,
    therapist; roster: group_id, member_id, joined/left session, leave_reason; sessions:
    group_id, session_no, date, held; panel: the analytics panel; flags: group_id, member_id,
    kind, severity, status, raised_session, raised_at, acknowledged_at, acknowledged_day (local
    date), action; briefings: group_id, session_no, opened_day (local date of the first time a
    therapist opened the session's briefing); endings: per membership, when it ended and at which
    session it dropped out (rom.analytics.closed_cases.endings)."""

    groups: pd.DataFrame
    therapists: pd.DataFrame
    roster: pd.DataFrame
    sessions: pd.DataFrame
    panel: pd.DataFrame
    flags: pd.DataFrame
    briefings: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=[GROUP, SESSION, "opened_day"])
    )
    endings: pd.DataFrame = field(default_factory=lambda: ReportInputs.no_endings())

    @staticmethod
    def no_endings() -> pd.DataFrame:
        return pd.DataFrame(columns=[GROUP, MEMBER, "ended_on", "dropout_session", "outcome_known"])


def summary_as_record(summary: OrganisationSummary) -> dict[str, Any]:
    """The summary as JSON-ready data (dates as ISO text), for figures prepared ahead."""
    record = asdict(summary)
    record["period"] = {
        "start": summary.period.start.isoformat(),
        "end": summary.period.end.isoformat(),
    }
    return record


def summary_from_record(record: dict[str, Any]) -> OrganisationSummary:
    """The summary as `summary_as_record` wrote it."""
    growth = dict(record["growth"])
    growth["targets"] = tuple(tuple(target) for target in growth["targets"])
    return OrganisationSummary(
        Period(
            date.fromisoformat(record["period"]["start"]),
            date.fromisoformat(record["period"]["end"]),
        ),
        Figures(**record["total"]),
        [Figures(**row) for row in record["by_kind"]],
        [Figures(**row) for row in record["by_therapist"]],
        Growth(**growth),
    )


def outcome_per_member(panel: pd.DataFrame, until: date, scale: Scale) -> pd.DataFrame:
    """Per member with two PHQ-9 scores up to `until`: first, last, date of last, RCI, class."""
    rows = panel[panel["phq9"].notna() & (panel[DATE] <= pd.Timestamp(until))]
    grouped = rows.sort_values([GROUP, MEMBER, SESSION]).groupby([GROUP, MEMBER])
    table = grouped.agg(
        first=("phq9", "first"),
        last=("phq9", "last"),
        last_date=(DATE, "last"),
        measured=("phq9", "size"),
    )
    table = table[table["measured"] >= 2].copy()
    table["rci"] = reliable_change_index(table["first"], table["last"], scale)
    table["outcome"] = classify_change(table["first"], table["last"], scale)
    return table.reset_index()


def organisation_summary(
    inputs: ReportInputs, period: Period, scale: Scale, baseline_year: int = 2025
) -> OrganisationSummary:
    outcomes = outcome_per_member(inputs.panel, period.end, scale)
    outcomes = outcomes[period.contains(outcomes["last_date"])]
    ends = _dropouts(inputs.roster, inputs.sessions)
    ends = ends[period.contains(ends[DATE])]
    flags = inputs.flags[period.contains(inputs.flags["raised_at"].dt.normalize())]
    flags = flags.assign(next_day=next_session_day(flags, inputs.sessions))
    panel = inputs.panel[period.contains(inputs.panel[DATE])]
    sessions = inputs.sessions[inputs.sessions[HELD] & period.contains(inputs.sessions[DATE])]
    sessions = sessions.assign(briefed=briefing_opened_in_time(sessions, inputs.briefings))

    def figures(label: str, group_ids: set[str]) -> Figures:
        return _figures(
            label,
            panel[panel[GROUP].isin(group_ids)],
            sessions[sessions[GROUP].isin(group_ids)],
            outcomes[outcomes[GROUP].isin(group_ids)],
            ends[ends[GROUP].isin(group_ids)],
            flags[flags[GROUP].isin(group_ids)],
        )

    groups = inputs.groups
    by_kind = [
        figures(kind, set(groups.loc[groups["kind"] == kind, GROUP]))
        for kind in sorted(groups["kind"].unique())
    ]
    therapists = inputs.therapists
    by_therapist = [
        figures(name, set(therapists.loc[therapists["therapist"] == name, GROUP]))
        for name in sorted(therapists["therapist"].unique())
    ]
    total = figures(TOTAL, set(groups[GROUP]))
    return OrganisationSummary(
        period, total, by_kind, by_therapist, _growth(inputs.panel, period, baseline_year)
    )


def _figures(
    label: str,
    panel: pd.DataFrame,
    sessions: pd.DataFrame,
    outcomes: pd.DataFrame,
    ends: pd.DataFrame,
    flags: pd.DataFrame,
) -> Figures:
    recorded = panel["status"].notna()
    present = panel["status"] == "present"
    acknowledged = flags.dropna(subset=["acknowledged_at"])
    waits = (acknowledged["acknowledged_at"] - acknowledged["raised_at"]).dt.total_seconds()
    due = flags.dropna(subset=["next_day"])
    in_time = pd.to_datetime(due["acknowledged_day"]) <= due["next_day"]
    counts = outcomes["outcome"].value_counts()
    return Figures(
        label=label,
        groups=int(sessions[GROUP].nunique()),
        members=int(panel[[GROUP, MEMBER]].drop_duplicates().shape[0]),
        sessions_held=int(sessions[[GROUP, SESSION]].drop_duplicates().shape[0]),
        volume=int(present.sum()),
        attendance=_share(int(present.sum()), int(recorded.sum())),
        response_rate=_share(int(panel["responded"].sum()), len(panel)),
        outcomes={name: int(counts.get(name, 0)) for name in OUTCOMES},
        dropouts=len(ends),
        flags_raised=len(flags),
        median_days_to_acknowledge=None if waits.empty else float(waits.median() / 86400),
        acted_by_next_session=_share(int(in_time.sum()), len(due)),
        flags_due=len(due),
        briefings_opened=_share(int(sessions["briefed"].sum()), len(sessions)),
    )


def next_session_day(flags: pd.DataFrame, sessions: pd.DataFrame) -> pd.Series:
    """Per flag: the date of its group's first held session after the one it was raised at
    (NaT while the group has not met again)."""
    held = sessions.loc[sessions[HELD], [GROUP, SESSION, DATE]]
    pairs = flags[[GROUP, "raised_session"]].reset_index().merge(held, on=GROUP)
    later = pairs[pairs[SESSION] > pairs["raised_session"]]
    first = later.groupby("index")[DATE].min()
    return first.reindex(flags.index)


def briefing_opened_in_time(sessions: pd.DataFrame, briefings: pd.DataFrame) -> pd.Series:
    """Per session: whether its briefing was opened at the latest on the session's day."""
    opened = sessions[[GROUP, SESSION]].merge(
        briefings[[GROUP, SESSION, "opened_day"]], on=[GROUP, SESSION], how="left"
    )
    in_time = pd.to_datetime(opened["opened_day"]) <= pd.to_datetime(sessions[DATE].to_numpy())
    return pd.Series(in_time.to_numpy(), index=sessions.index)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _dropouts(roster: pd.DataFrame, sessions: pd.DataFrame) -> pd.DataFrame:
    """Memberships that ended by dropping out, dated by the session they left at."""
    dropped = roster[roster[LEAVE_REASON] == "dropped_out"].dropna(subset=[LEFT])
    dropped = dropped.assign(**{SESSION: dropped[LEFT].astype(int)})
    return dropped.merge(sessions[[GROUP, SESSION, DATE]], on=[GROUP, SESSION], how="inner")


def _growth(panel: pd.DataFrame, period: Period, baseline_year: int) -> Growth:
    present = panel[panel["status"] == "present"]
    baseline = Period(date(baseline_year, 1, 1), date(baseline_year, 12, 31))
    baseline_volume = int(baseline.contains(present[DATE]).sum())
    period_volume = int(period.contains(present[DATE]).sum())
    annualised = period_volume * 365 / period.days
    change = annualised / baseline_volume - 1 if baseline_volume else None
    return Growth(baseline_year, baseline_volume, period_volume, annualised, change)


def group_course(panel: pd.DataFrame) -> pd.DataFrame:
    """Per held session of a group: how many measured, median PHQ-9 with quartiles, mean
    climate and cohesion, and how many were present."""
    by_session = panel.groupby(SESSION)
    return pd.DataFrame(
        {
            "measured": by_session["phq9"].count(),
            "p25": by_session["phq9"].quantile(0.25),
            "median": by_session["phq9"].median(),
            "p75": by_session["phq9"].quantile(0.75),
            "engagement": by_session["engagement"].mean(),
            "conflict": by_session["conflict"].mean(),
            "avoidance": by_session["avoidance"].mean(),
            "cohesion": by_session["cohesion"].mean(),
            "present": by_session["status"].apply(lambda s: int((s == "present").sum())),
        }
    ).reset_index()


def member_rows(panel: pd.DataFrame) -> pd.DataFrame:
    """Per member of one group: sessions attended of those held since joining, questionnaires
    answered, first and last PHQ-9."""
    grouped = panel.sort_values(OWN).groupby(MEMBER)
    return grouped.agg(
        held=(OWN, "max"),
        attended=("status", lambda s: int((s == "present").sum())),
        answered=("responded", "sum"),
        first=("phq9", "first"),
        last=("phq9", "last"),
    ).reset_index()
