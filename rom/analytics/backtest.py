"""How early and how precisely flags fire, measured against what really happened (truth)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from rom.analytics.columns import GROUP, MEMBER, OWN, SESSION

NON_RESPONSE_KINDS = ("not_on_track", "deterioration")
WINDOW = (3, 8)  # own sessions in which non-response must be flagged
HORIZON = 3  # a dropout flag is in time when the member drops out within this many sessions
EARLY_OWN_SESSION = 4  # non-responders flagged by their 4th own session count as early


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
    dropped = _dropout_sessions(truth)
    raised = _member_flags(flags, ("dropout_risk",))[[MEMBER, SESSION]]
    ahead = raised[MEMBER].map(dropped) - raised[SESSION]
    in_time = (ahead > 0) & (ahead <= HORIZON)
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
    classes = _reached_window(panel, truth)
    slow = classes[classes.isin(["non_responder", "deteriorator"])].index
    responders = classes[classes == "responder"].index
    return Measure(
        "non-response",
        _ratio(len(flagged & set(slow)), len(slow)),
        false_alarm=_ratio(len(flagged & set(responders)), len(responders)),
        detail=f"{len(slow)} non-responders/deteriorators, {len(responders)} "
        f"responders reached session {WINDOW[0]}",
    )


def _dropout_sessions(truth: pd.DataFrame) -> pd.Series:
    """Per member who dropped out: the session they dropped out at."""
    return truth[truth["outcome"] == "dropped_out"].set_index(MEMBER)["dropout_session"]


def _reached_window(panel: pd.DataFrame, truth: pd.DataFrame) -> pd.Series:
    """The true response class of every member who reached the first own session of the
    non-response window."""
    reached = set(panel.loc[panel[OWN] >= WINDOW[0], MEMBER])
    return truth[truth[MEMBER].isin(reached)].set_index(MEMBER)["response_class"]


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


@dataclass(frozen=True)
class RiskBin:
    """Member-sessions whose shown dropout risk fell in [low, high): how many, the mean risk
    shown and the share that dropped out within three sessions."""

    low: float
    high: float
    count: int
    shown: float
    observed: float


@dataclass(frozen=True)
class Calibration:
    bins: list[RiskBin]
    brier: float
    base_rate_brier: float  # the Brier score of showing every member the overall dropout rate


def calibration(risk: pd.Series, panel: pd.DataFrame, truth: pd.DataFrame) -> Calibration:
    """Does a shown dropout risk of 30% mean that 30% drop out within three sessions? Per
    tenth of shown risk, with the Brier score against the base rate's."""
    dropped = _dropout_sessions(truth)
    ahead = panel[MEMBER].map(dropped) - panel[SESSION]
    happened = ((ahead > 0) & (ahead <= HORIZON)).astype(float)
    shown = risk.reindex(panel.index)
    known = shown.notna()
    shown, happened = shown[known], happened[known]
    tenth = (shown * 10).clip(upper=9.999).astype(int)
    bins = [
        RiskBin(
            t / 10, (t + 1) / 10, len(rows), float(shown[rows.index].mean()), float(rows.mean())
        )
        for t, rows in happened.groupby(tenth)
    ]
    rate = happened.mean() if len(happened) else float("nan")
    return Calibration(
        bins,
        float(((shown - happened) ** 2).mean()),
        float(((rate - happened) ** 2).mean()),
    )


@dataclass(frozen=True)
class LeadTimes:
    dropout_sessions_ahead: float  # median, first dropout flag to the dropout
    dropouts_flagged_ahead: int
    non_responders_by_fourth: float  # share flagged at their 4th own session or earlier
    non_responders: int


def lead_times(flags: pd.DataFrame, panel: pd.DataFrame, truth: pd.DataFrame) -> LeadTimes:
    """How early the signals come: sessions between the first dropout flag and the dropout,
    and the share of non-responders flagged by their 4th own session."""
    dropped = _dropout_sessions(truth)
    raised = _member_flags(flags, ("dropout_risk",))
    first = raised[raised[MEMBER].isin(dropped.index)].groupby(MEMBER)[SESSION].min()
    ahead = dropped.reindex(first.index) - first
    ahead = ahead[ahead > 0]
    classes = _reached_window(panel, truth)
    slow = classes[classes.isin(["non_responder", "deteriorator"])].index
    own = panel.set_index([MEMBER, SESSION])[OWN]
    signalled = _member_flags(flags, NON_RESPONSE_KINDS)
    signalled_own = own.reindex(pd.MultiIndex.from_frame(signalled[[MEMBER, SESSION]])).to_numpy()
    early = set(signalled.loc[signalled_own <= EARLY_OWN_SESSION, MEMBER])
    return LeadTimes(
        float(ahead.median()) if len(ahead) else float("nan"),
        len(ahead),
        _ratio(len(early & set(slow)), len(slow)),
        len(slow),
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


def render_calibration(calibrated: Calibration) -> str:
    """The reliability table: per tenth of shown dropout risk, the share that dropped out."""
    lines = ["dropout risk shown  member-sessions  mean shown  dropped out within 3 sessions"]
    for b in calibrated.bins:
        band = f"{b.low:.0%}-{b.high:.0%}"
        lines.append(f"{band:<19} {b.count:>15}  {b.shown:>10.2f}  {b.observed:>6.2f}")
    lines.append(
        f"Brier score {calibrated.brier:.4f} (showing everyone the base rate: "
        f"{calibrated.base_rate_brier:.4f})"
    )
    return "\n".join(lines)


def render_lead_times(times: LeadTimes) -> str:
    return (
        f"lead time      first dropout flag {times.dropout_sessions_ahead:.0f} session(s) before "
        f"the dropout (median of {times.dropouts_flagged_ahead} flagged in advance); "
        f"non-responders flagged by their {EARLY_OWN_SESSION}th own session: "
        f"{times.non_responders_by_fourth:.2f} of {times.non_responders}"
    )
