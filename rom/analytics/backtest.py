"""How early and how precisely flags fire, measured against what really happened (truth)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from rom.analytics.columns import GROUP, MEMBER, OWN, SESSION

NON_RESPONSE_KINDS = ("not_on_track", "deterioration")
WINDOW = (3, 8)  # own sessions in which non-response must be flagged


@dataclass(frozen=True)
class Measure:
    name: str
    recall: float
    precision: float | None = None
    false_alarm: float | None = None
    detail: str = ""


def backtest(flags: pd.DataFrame, panel: pd.DataFrame, truth: pd.DataFrame) -> list[Measure]:
    truth = truth.astype({MEMBER: str, GROUP: str})
    return [
        _critical(flags, panel),
        _dropout(flags, panel, truth),
        _non_response(flags, panel, truth),
        _recovered(flags, truth),
    ]


def _member_flags(flags: pd.DataFrame, kinds: tuple[str, ...]) -> pd.DataFrame:
    return flags[flags["kind"].isin(kinds) & flags[MEMBER].notna()]


def _critical(flags: pd.DataFrame, panel: pd.DataFrame) -> Measure:
    actual = set(map(tuple, panel.loc[panel["critical"] > 0, [MEMBER, SESSION]].to_numpy()))
    raised = set(map(tuple, _member_flags(flags, ("critical_item",))[[MEMBER, SESSION]].to_numpy()))
    hit = len(actual & raised)
    return Measure(
        "critical item",
        _ratio(hit, len(actual)),
        _ratio(hit, len(raised)),
        detail=f"{len(actual)} critical answers, {len(raised)} flags",
    )


def _dropout(flags: pd.DataFrame, panel: pd.DataFrame, truth: pd.DataFrame) -> Measure:
    dropped = truth[truth["outcome"] == "dropped_out"].set_index(MEMBER)["dropout_session"]
    raised = _member_flags(flags, ("dropout_risk",))[[MEMBER, SESSION]]
    ahead = raised[MEMBER].map(dropped) - raised[SESSION]
    in_time = (ahead > 0) & (ahead <= 3)
    caught = set(raised.loc[in_time, MEMBER])
    silent = truth[(truth["outcome"] == "dropped_out") & (truth["warning_sessions"] == 0)]
    silent_caught = len(set(silent[MEMBER]) & caught)
    return Measure(
        "dropout risk",
        _ratio(len(caught), len(dropped)),
        _ratio(int(in_time.sum()), len(raised)),
        detail=f"{len(dropped)} dropouts, {len(raised)} flag-sessions; dropouts "
        f"without warning signs caught: {silent_caught} of {len(silent)}",
    )


def _non_response(flags: pd.DataFrame, panel: pd.DataFrame, truth: pd.DataFrame) -> Measure:
    own = panel.set_index([MEMBER, SESSION])[OWN]
    raised = _member_flags(flags, NON_RESPONSE_KINDS)
    raised_own = own.reindex(pd.MultiIndex.from_frame(raised[[MEMBER, SESSION]])).to_numpy()
    in_window = raised[(raised_own >= WINDOW[0]) & (raised_own <= WINDOW[1])]
    flagged = set(in_window[MEMBER])
    reached = set(panel.loc[panel[OWN] >= WINDOW[0], MEMBER])
    classes = truth[truth[MEMBER].isin(reached)].set_index(MEMBER)["response_class"]
    slow = classes[classes.isin(["non_responder", "deteriorator"])].index
    responders = classes[classes == "responder"].index
    return Measure(
        "non-response",
        _ratio(len(flagged & set(slow)), len(slow)),
        false_alarm=_ratio(len(flagged & set(responders)), len(responders)),
        detail=f"{len(slow)} non-responders/deteriorators, {len(responders)} "
        f"responders reached session {WINDOW[0]}",
    )


def _recovered(flags: pd.DataFrame, truth: pd.DataFrame) -> Measure:
    flagged = set(_member_flags(flags, ("recovered",))[MEMBER])
    actual = set(truth.loc[truth["recovered"].astype(str).str.lower() == "true", MEMBER])
    hit = len(flagged & actual)
    return Measure(
        "recovered",
        _ratio(hit, len(actual)),
        _ratio(hit, len(flagged)),
        detail=f"{len(actual)} recovered, {len(flagged)} flagged",
    )


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else float("nan")


def render(measures: list[Measure]) -> str:
    lines = []
    for m in measures:
        figures = [f"recall {m.recall:.2f}"]
        if m.precision is not None:
            figures.append(f"precision {m.precision:.2f}")
        if m.false_alarm is not None:
            figures.append(f"false alarms {m.false_alarm:.2f}")
        lines.append(f"{m.name:<14} {', '.join(figures):<40} ({m.detail})")
    return "\n".join(lines)
