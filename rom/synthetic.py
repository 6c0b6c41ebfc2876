"""Synthetic cohorts in the bundle format, with the truth of what happened to each member.

Used by the demo, the benchmarks and the signal tests on data the flag logic has never seen.
Pure numpy/pandas, seeded, so the same call always gives the same cohort.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from questionnaires import load_library
from rom.analytics.columns import GROUP, MEMBER
from rom.analytics.dropout import DropoutModel, dropout_labels, fitted_model
from rom.analytics.inputs import frames_from_tables
from rom.analytics.replay import prepared_panel

KINDS = {
    "psychotherapy": ("Psychotherapiegroep", [("closed", 20), ("closed", 12), ("slow_open", 36)]),
    "psychoeducation": ("Psycho-educatie", [("closed", 12), ("slow_open", 36)]),
    "skills": ("Vaardighedentraining", [("closed", 16), ("slow_open", 36)]),
}
CLASSES = ("responder", "non_responder", "deteriorator")
CLASS_WEIGHTS = (0.58, 0.35, 0.07)


@dataclass(frozen=True)
class CohortSpec:
    groups: int = 10
    seed: int = 7
    first_start: date = date(2025, 1, 6)
    last_start: date = date(2026, 9, 1)
    until: date | None = None  # sessions after this day are not held yet
    dropout_rate: float = 0.2
    layout: tuple[tuple[str, str, int, date], ...] = ()  # (kind, format, sessions, start) per group


@dataclass
class Cohort:
    groups: list[dict] = field(default_factory=list)
    members: list[dict] = field(default_factory=list)
    sessions: list[dict] = field(default_factory=list)
    attendance: list[dict] = field(default_factory=list)
    responses: list[dict] = field(default_factory=list)
    truth: list[dict] = field(default_factory=list)

    def frames(self) -> dict[str, pd.DataFrame]:
        names = ("groups", "members", "sessions", "attendance", "responses", "truth")
        return {name: pd.DataFrame(getattr(self, name)) for name in names}

    def write(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for name, frame in self.frames().items():
            frame.to_csv(directory / f"{name}.csv", index=False)


def generate(spec: CohortSpec) -> Cohort:
    rng = np.random.default_rng(spec.seed)
    cohort = Cohort()
    plans = spec.layout or tuple(_random_plan(rng, spec) for _ in range(spec.groups))
    for number, plan in enumerate(plans, start=1):
        _group(rng, cohort, spec, f"G{spec.seed:03d}{number:04d}", number, plan)
    return cohort


def _random_plan(rng: np.random.Generator, spec: CohortSpec) -> tuple[str, str, int, date]:
    kind = list(KINDS)[int(rng.integers(0, len(KINDS)))]
    group_format, planned = KINDS[kind][1][int(rng.integers(0, len(KINDS[kind][1])))]
    span = max((spec.last_start - spec.first_start).days, 1)
    return (
        kind,
        group_format,
        planned,
        spec.first_start + timedelta(days=int(rng.integers(0, span))),
    )


def _group(
    rng: np.random.Generator,
    cohort: Cohort,
    spec: CohortSpec,
    group_id: str,
    number: int,
    plan: tuple[str, str, int, date],
) -> None:
    kind, group_format, planned, start = plan
    title = KINDS.get(kind, (kind.title(), []))[0]
    cohort.groups.append(
        {
            "group_id": group_id,
            "name": f"{title} {number}",
            "kind": kind,
            "format": group_format,
            "planned_sessions": planned,
            "start_date": start.isoformat(),
        }
    )
    dates = [start + timedelta(weeks=k) for k in range(planned)]
    held = [bool(rng.random() > 0.04) for _ in dates]
    held[0] = True
    for k, (day, was_held) in enumerate(zip(dates, held, strict=True), start=1):
        if spec.until is None or day <= spec.until:
            cohort.sessions.append(
                {"group_id": group_id, "session_no": k, "date": day.isoformat(), "held": was_held}
            )
    climate = {
        "engagement": rng.normal(0, 0.5),
        "avoidance": rng.normal(0, 0.5),
        "conflict": rng.normal(0, 0.5),
    }
    for join, stay in _enrolments(rng, group_format, planned):
        member = _Member(
            rng,
            cohort,
            spec,
            group_id,
            len(cohort.members) + 1,
            join,
            min(planned, join + stay - 1),
            climate,
        )
        member.live(dates, held)


def _enrolments(rng: np.random.Generator, group_format: str, planned: int) -> list[tuple[int, int]]:
    """(joined session, sessions intended) per member: closed groups all start together."""
    size = int(rng.integers(6, 10))
    if group_format == "closed":
        return [(1, planned) for _ in range(size)]
    enrolments = [(1, int(rng.integers(12, 24))) for _ in range(size - 2)]
    join = 3
    while join < planned - 6:
        enrolments.append((join, int(rng.integers(12, 24))))
        join += int(rng.integers(2, 5))
    return enrolments


class _Member:
    """One member's course: symptoms, climate, attendance, questionnaires, perhaps dropout."""

    def __init__(
        self,
        rng: np.random.Generator,
        cohort: Cohort,
        spec: CohortSpec,
        group_id: str,
        index: int,
        join: int,
        last: int,
        climate: dict,
    ) -> None:
        self.rng, self.cohort, self.spec = rng, cohort, spec
        self.group_id, self.join, self.last, self.climate = group_id, join, last, climate
        self.member_id = f"M{spec.seed:03d}{index:06d}"
        self.response_class = str(rng.choice(CLASSES, p=CLASS_WEIGHTS))
        self.intake = float(np.clip(rng.normal(14.5, 4.5), 4, 26))
        self.anxiety_ratio = float(np.clip(rng.normal(0.8, 0.15), 0.4, 1.1))
        self.cohesion = float(np.clip(rng.normal(4.1, 0.7), 1.0, 5.8))
        self.completion = float(rng.uniform(0.78, 0.98))
        self.ideation = bool(rng.random() < 0.1)
        self.rate = float(rng.uniform(2.5, 7.0))
        self.gain = (
            float(rng.uniform(0.35, 0.75))
            if self.response_class == "responder"
            else (
                float(rng.uniform(-0.08, 0.15))
                if self.response_class == "non_responder"
                else -float(rng.uniform(0.4, 0.7))
            )
        )
        self.dropout, self.warning = self._dropout_plan()

    def _dropout_plan(self) -> tuple[int | None, int]:
        risk = self.spec.dropout_rate * (1.6 if self.cohesion < 3.5 else 0.85)
        if self.rng.random() >= risk or self.last - self.join < 3:
            return None, 0
        own_length = self.last - self.join + 1
        at = self.join + int(self.rng.integers(2, max(3, int(own_length * 0.65))))
        warning = int(self.rng.choice([0, 1, 2, 3], p=[0.3, 0.25, 0.3, 0.15]))
        return min(at, self.last), min(warning, at - self.join - 1)

    def expected(self, own_session: int) -> float:
        if self.response_class == "deteriorator":
            return self.intake + abs(self.gain) * 14 * (1 - np.exp(-own_session / self.rate))
        return self.intake * (1 - self.gain * (1 - np.exp(-own_session / self.rate)))

    def live(self, dates: list[date], held: list[bool]) -> None:
        self.cohort.members.append(
            {
                "member_id": self.member_id,
                "group_id": self.group_id,
                "joined_session": self.join,
                "language": "en" if self.rng.random() < 0.1 else "nl",
            }
        )
        end = self.dropout if self.dropout is not None else self.last + 1
        seen = 0
        for session in range(self.join, end):
            day = dates[session - 1]
            if self.spec.until is not None and day > self.spec.until:
                break
            seen = session
            if held[session - 1]:
                self._session(session, day)
        self._truth(seen)

    def _warning_at(self, session: int) -> bool:
        return self.dropout is not None and self.dropout - self.warning <= session < self.dropout

    def _session(self, session: int, day: date) -> None:
        own = session - self.join
        warning = self._warning_at(session)
        if own == 0 or self.rng.random() < (0.4 if warning else self.completion):
            self._questionnaires(session, own, day, warning)
        status = self._attendance(warning)
        self.cohort.attendance.append(
            {
                "group_id": self.group_id,
                "session_no": session,
                "member_id": self.member_id,
                "status": status,
            }
        )

    def _attendance(self, warning: bool) -> str:
        draw = self.rng.random()
        if warning:
            return "absent" if draw < 0.55 else ("excused" if draw < 0.7 else "present")
        return "absent" if draw < 0.04 else ("excused" if draw < 0.09 else "present")

    def _questionnaires(self, session: int, own: int, day: date, warning: bool) -> None:
        moment = datetime.combine(day - timedelta(days=1), time(19, 0)) + timedelta(
            minutes=int(self.rng.integers(0, 240))
        )
        depression = self.expected(own) + self.rng.normal(0, 2.0) + (2.0 if warning else 0.0)
        anxiety = depression * self.anxiety_ratio * 21 / 27 + self.rng.normal(0, 1.8)
        ideation = self.ideation or (depression > 18 and self.rng.random() < 0.03)
        thoughts = int(self.rng.integers(1, 3)) if ideation else 0
        self._answers(
            session, moment, "phq9", [*_spread(self.rng, depression - thoughts, 8, 3), thoughts]
        )
        self._answers(session, moment, "gad7", _spread(self.rng, anxiety, 7, 3))
        if own >= 1:
            self._climate(session, moment, own, warning)

    def _climate(self, session: int, moment: datetime, own: int, warning: bool) -> None:
        drop = 1.6 if warning else 0.0
        cohesion = self.cohesion + min(own, 8) * 0.05 - drop + self.rng.normal(0, 0.45)
        self._answers(session, moment, "gcs", _levels(self.rng, cohesion, 7))
        engagement = cohesion - 0.3 + self.climate["engagement"] + self.rng.normal(0, 0.4)
        avoidance = (
            2.0 + self.climate["avoidance"] + (1.2 if warning else 0) + self.rng.normal(0, 0.5)
        )
        conflict = 1.4 + self.climate["conflict"] + self.rng.normal(0, 0.5)
        items = _levels(self.rng, engagement, 12)
        for item in (3, 5, 9):
            items[item - 1] = int(np.clip(round(avoidance + self.rng.normal(0, 0.6)), 0, 6))
        for item in (6, 7, 10, 12):
            items[item - 1] = int(np.clip(round(conflict + self.rng.normal(0, 0.6)), 0, 6))
        self._answers(session, moment, "gcq_s", items)

    def _answers(self, session: int, moment: datetime, instrument: str, values: list[int]) -> None:
        stamp = moment.isoformat(timespec="minutes")
        for item, value in enumerate(values, start=1):
            self.cohort.responses.append(
                {
                    "member_id": self.member_id,
                    "group_id": self.group_id,
                    "session_no": session,
                    "instrument": instrument,
                    "item": item,
                    "value": value,
                    "completed_at": stamp,
                }
            )

    def _truth(self, last_seen: int) -> None:
        own_length = self.last - self.join + 1
        end = self.expected(own_length)
        if self.dropout is not None and last_seen >= self.dropout - 1:
            outcome = "dropped_out"
        elif last_seen >= self.last:
            outcome = "completed"
        else:
            outcome = "ongoing"
        self.cohort.truth.append(
            {
                "member_id": self.member_id,
                "group_id": self.group_id,
                "outcome": outcome,
                "dropout_session": self.dropout if outcome == "dropped_out" else None,
                "warning_sessions": self.warning if outcome == "dropped_out" else None,
                "response_class": self.response_class,
                "intake_severity": round(self.intake, 1),
                "expected_end_severity": round(end, 1),
                "recovered": bool(self.intake >= 10 and end < 10 and self.intake - end >= 6),
                "persistent_ideation": self.ideation,
            }
        )


def _spread(rng: np.random.Generator, total: float, items: int, top: int) -> list[int]:
    """Whole item answers (0..top) that add up to about `total`."""
    target = int(np.clip(round(total), 0, items * top))
    values = [0] * items
    order = rng.permutation(items)
    for step in range(target):
        values[order[step % items]] = min(top, values[order[step % items]] + 1)
    return values


def _levels(rng: np.random.Generator, mean: float, items: int) -> list[int]:
    return [int(np.clip(round(mean + rng.normal(0, 0.7)), 0, 6)) for _ in range(items)]


DROPOUT_DEFAULTS_COHORT = CohortSpec(groups=300, seed=8101)
"""The cohort the shipped dropout weights were fitted on (never the sample bundle)."""


def dropout_model_on(spec: CohortSpec) -> DropoutModel:
    """The dropout model fitted on every member-session of a generated cohort, labelled with its
    truth (who dropped out within three sessions): how Kring's shipped weights were made."""
    tables = generate(spec).frames()
    truth = tables["truth"].astype({MEMBER: str, GROUP: str})
    panel, values = prepared_panel(frames_from_tables(tables, load_library()))
    dropped = truth[truth["outcome"] == "dropped_out"].set_index(MEMBER)["dropout_session"]
    labels = dropout_labels(panel, panel[MEMBER].map(dropped))
    return fitted_model(values, labels, panel["member_key"])
