"""The member × session panel: one row per member per held session they belonged to.

Every derived column uses only that member's rows up to and including the session, so a
single pass gives, for each row, what was known at that session.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rom.analytics.columns import (
    DATE,
    GROUP,
    HELD,
    INSTRUMENT,
    MEASURES,
    MEMBER,
    OWN,
    SCALE,
    SESSION,
    STATUS,
    VALUE,
)

KEY = [GROUP, MEMBER, SESSION]
MKEY = "member_key"  # an integer per (group, member) for fast grouping


def build_panel(
    sessions: pd.DataFrame,
    attendance: pd.DataFrame,
    scores: pd.DataFrame,
    critical: pd.DataFrame,
) -> pd.DataFrame:
    """Rows: every (member, held session) with an attendance record or a response."""
    texts = [key for key in (GROUP, MEMBER) if not _numbered(key, attendance, scores, critical)]
    sessions, attendance, scores, critical = _keyed(texts, sessions, attendance, scores, critical)
    held = sessions.loc[sessions[HELD], [GROUP, SESSION, DATE]]
    present = attendance[KEY].drop_duplicates()
    answered = scores[KEY].drop_duplicates()
    rows = pd.concat([present, answered]).drop_duplicates().merge(held, on=[GROUP, SESSION])
    rows = rows.merge(attendance[[*KEY, STATUS]], on=KEY, how="left")
    rows = rows.merge(_wide_scores(scores), on=KEY, how="left")
    rows["critical"] = _critical_counts(rows, critical)
    rows = rows.sort_values([GROUP, MEMBER, SESSION], ignore_index=True)
    rows[MKEY] = rows.groupby([GROUP, MEMBER], sort=False).ngroup()
    rows[OWN] = rows.groupby(MKEY).cumcount() + 1
    rows["responded"] = rows["phq9"].notna() | rows["cohesion"].notna()
    return rows.astype(dict.fromkeys(texts, str))


def _numbered(key: str, *frames: pd.DataFrame) -> bool:
    """Whether the frames' `key` ids are numbers (see rom.frames.numbered_frames), not codes."""
    return all(pd.api.types.is_integer_dtype(f[key]) for f in frames)


def _keyed(texts: list[str], *frames: pd.DataFrame) -> list[pd.DataFrame]:
    """The frames with their text ids (`texts` of group and member) as one shared set of
    categories each: the merges and groupings then work on integer codes instead of hashing
    every id again (the panel gives them back as text). Numbered ids stay as they are."""
    dtypes = {
        key: pd.CategoricalDtype(
            sorted(set().union(*(set(f[key].dropna().unique()) for f in frames if key in f)))
        )
        for key in texts
    }
    return [f.astype({key: dtypes[key] for key in texts if key in f}) for f in frames]


def _wide_scores(scores: pd.DataFrame) -> pd.DataFrame:
    """One row per member-session, one column per measure: its last score there. Rows are
    found by one integer per member-session and measure (a pivot grouped by the three keys
    and sorted them, which grew faster than the scores did)."""
    wanted = pd.DataFrame(
        [(number, *source) for number, source in enumerate(MEASURES.values())],
        columns=["measure", INSTRUMENT, SCALE],
    )
    picked = scores.dropna(subset=[VALUE]).merge(wanted, on=[INSTRUMENT, SCALE])
    row = _row_numbers(picked)
    measure = picked["measure"].to_numpy(dtype=np.int64)
    latest = np.flatnonzero(~pd.Series(row * len(MEASURES) + measure).duplicated(keep="last"))
    row, measure = row[latest], measure[latest]
    values = picked[VALUE].to_numpy(dtype=float)[latest]
    first = ~pd.Series(row).duplicated().to_numpy()
    wide = picked[list(KEY)].iloc[latest[first]].set_axis(row[first])
    for number, column in enumerate(MEASURES):
        here = measure == number
        wide[column] = pd.Series(values[here], index=row[here]).reindex(wide.index)
    return wide.reset_index(drop=True)


def _row_numbers(frame: pd.DataFrame) -> np.ndarray:
    """One integer per (group, member, session) of the frame: keyed by categories or numbers."""
    parts = [_integers(frame[key]) for key in KEY]
    sizes = [int(part.max()) + 1 if len(part) else 1 for part in parts]
    return (parts[0] * sizes[1] + parts[1]) * sizes[2] + parts[2]


def _integers(column: pd.Series) -> np.ndarray:
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(dtype=np.int64)
    return column.to_numpy(dtype=np.int64)


def _critical_counts(rows: pd.DataFrame, critical: pd.DataFrame) -> pd.Series:
    if critical.empty:
        return pd.Series(0, index=rows.index)
    counts = critical.groupby(KEY).size().rename("n").reset_index()
    merged = rows[KEY].merge(counts, on=KEY, how="left")
    return merged["n"].fillna(0).astype(int).set_axis(rows.index)


def rolling_sum(panel: pd.DataFrame, column: str, window: int) -> pd.Series:
    """Per member, the sum of `column` over the last `window` rows including this one."""
    values = panel[column].astype(float).fillna(0.0)
    running = values.groupby(panel[MKEY]).cumsum()
    earlier = running.groupby(panel[MKEY]).shift(window).fillna(0.0)
    return running - earlier


def run_length(panel: pd.DataFrame, column: str) -> pd.Series:
    """Per member, how many rows in a row up to this one have `column` true."""
    flag = panel[column].astype(bool)
    breaks = (~flag).groupby(panel[MKEY]).cumsum()
    runs = flag.astype(int).groupby([panel[MKEY], breaks]).cumsum()
    return runs.where(flag, 0).astype(int)


def last_known(panel: pd.DataFrame, column: str) -> pd.Series:
    """Per member, the latest non-missing value of `column` up to this row."""
    return panel[column].groupby(panel[MKEY]).ffill()


def prior_mean(panel: pd.DataFrame, column: str) -> pd.Series:
    """Per member, the mean of `column` over the rows before this one."""
    values = panel[column].astype(float)
    known = values.notna().astype(float)
    total = values.fillna(0.0).groupby(panel[MKEY]).cumsum() - values.fillna(0.0)
    count = known.groupby(panel[MKEY]).cumsum() - known
    return total / count.replace(0.0, np.nan)


def recent_mean(panel: pd.DataFrame, column: str, window: int) -> pd.Series:
    """Per member, the mean of the non-missing `column` values in the last `window` rows."""
    values = panel[column].astype(float)
    known = panel[column].notna().astype(float)
    frame = panel.assign(_v=values.fillna(0.0), _k=known)
    total = rolling_sum(frame, "_v", window)
    count = rolling_sum(frame, "_k", window)
    return total / count.replace(0.0, np.nan)


def rolling_count(panel: pd.DataFrame, column: str, window: int) -> pd.Series:
    """Per member, how many of the last `window` rows have a value in `column`."""
    return rolling_sum(panel.assign(_known=panel[column].notna()), "_known", window)


def first_value(panel: pd.DataFrame, column: str, within: int) -> pd.Series:
    """Per member, the first non-missing `column` value among their first `within` rows,
    known from the row it appears in onwards (never earlier)."""
    early = panel[column].where(panel[OWN] <= within)
    seen = early.notna().astype(int).groupby(panel[MKEY]).cumsum()
    first = early.where(early.notna() & (seen == 1))
    return first.groupby(panel[MKEY]).ffill()


def empty_panel() -> pd.DataFrame:
    """A panel without rows, with the columns and types reports and dashboards read."""
    columns = [GROUP, MEMBER, "session_no", "date", "status", "own_session", "responded"]
    columns += ["phq9", "gad7", "engagement", "conflict", "avoidance", "cohesion"]
    frame = pd.DataFrame(columns=columns)
    numbers = ["own_session", "phq9", "gad7", "engagement", "conflict", "avoidance", "cohesion"]
    return frame.astype(
        dict.fromkeys(numbers, float) | {"responded": bool, "date": "datetime64[ns]"}
    )
