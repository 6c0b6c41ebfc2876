"""Dropout risk: a transparent logistic model over named factors, refitted on closed cases.

Each factor is a number per member and session computed only from that member's data up to
the session (and the group's at the same session). The factors are what the literature on
dropout from group therapy names (absences, skipped questionnaires, low or falling cohesion and
engagement, avoidance, early worsening, the first sessions; and, lowering the risk, the final
sessions of a closed group, where members finish rather than drop out; e.g. Roback & Smith 1987,
Ogrodniczuk et al. 2008). The shipped weights are fitted, by the same logistic regression, on a
generated cohort (`flask rom dropout-defaults`: rom/synthetic.py, 300 groups, seed 8101; never
the sample bundle), so the chance they show is a chance from the first day; once enough cases
have closed at the organisation they are refitted on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from rom.analytics.columns import GROUP, OWN, SESSION, SESSIONS_LEFT
from rom.analytics.panel import MKEY, last_known, prior_mean, rolling_sum, run_length

FACTORS = (
    "absent_now",
    "excused_now",
    "missed_in_a_row",
    "absent_recent",
    "unanswered_now",
    "unanswered_in_a_row",
    "cohesion_drop",
    "cohesion_below_group",
    "cohesion_low",
    "engagement_low",
    "engagement_drop",
    "avoidance_rise",
    "early_worsening",
    "first_sessions",
    "final_sessions",
)
DEFAULT_WEIGHTS = {  # flask rom dropout-defaults (see the module's docstring)
    "intercept": -4.58,
    "absent_now": 1.73,
    "excused_now": 0.71,
    "missed_in_a_row": 0.67,
    "absent_recent": 0.56,
    "unanswered_now": 1.27,
    "unanswered_in_a_row": 0.61,
    "cohesion_drop": 0.34,
    "cohesion_below_group": 0.01,
    "cohesion_low": 0.95,
    "engagement_low": -0.03,
    "engagement_drop": 0.25,
    "avoidance_rise": 0.37,
    "early_worsening": 0.14,
    "first_sessions": 1.28,
    "final_sessions": -3.21,  # a closed group about to end: members finish rather than drop out
}
HORIZON = 3  # a flag at session k is about dropping out within the next three sessions
MIN_CLOSED_CASES = 100
LOW_LEVEL = 4.0  # cohesion or engagement (0-6) below this counts as low, point by point
FLAG_PROBABILITY = 0.15  # about three times the usual chance of dropping out within 3 sessions
HIGH_PROBABILITY = 0.4


def factors(panel: pd.DataFrame) -> pd.DataFrame:
    """The named factors for every row of the panel (see FACTORS)."""
    frame = panel.assign(
        _absent=panel["status"].eq("absent"),
        _excused=panel["status"].eq("excused"),
        _missed=~panel["status"].eq("present"),
        _unanswered=~panel["responded"] & (panel[OWN] > 1),
    )
    cohesion_now = last_known(frame, "cohesion")
    group_cohesion = frame.groupby([GROUP, SESSION])["cohesion"].transform("mean")
    result = pd.DataFrame(index=panel.index)
    result["absent_now"] = frame["_absent"].astype(float)
    result["excused_now"] = frame["_excused"].astype(float)
    result["missed_in_a_row"] = (run_length(frame, "_missed") - 1).clip(lower=0).astype(float)
    result["absent_recent"] = rolling_sum(frame, "_absent", 3) - result["absent_now"]
    result["unanswered_now"] = frame["_unanswered"].astype(float)
    result["unanswered_in_a_row"] = (run_length(frame, "_unanswered") - 1).clip(lower=0)
    result["cohesion_drop"] = _drop(prior_mean(frame, "cohesion"), cohesion_now)
    result["cohesion_below_group"] = _drop(group_cohesion, frame["cohesion"]).fillna(0.0)
    result["cohesion_low"] = _drop(pd.Series(LOW_LEVEL, index=panel.index), cohesion_now)
    result["engagement_low"] = _drop(
        pd.Series(LOW_LEVEL, index=panel.index), last_known(frame, "engagement")
    )
    result["engagement_drop"] = _drop(
        prior_mean(frame, "engagement"), last_known(frame, "engagement")
    )
    result["avoidance_rise"] = _drop(last_known(frame, "avoidance"), prior_mean(frame, "avoidance"))
    worsening = panel["phq9_recent"] - panel["intake"]
    result["early_worsening"] = worsening.where(panel[OWN] <= 8, 0.0).clip(lower=0).fillna(0.0)
    result["first_sessions"] = (panel[OWN] <= 3).astype(float)
    left = panel[SESSIONS_LEFT] if SESSIONS_LEFT in panel else pd.Series(np.nan, panel.index)
    result["final_sessions"] = (left < HORIZON).astype(float)
    return result.astype(float)


def _drop(before: pd.Series, now: pd.Series) -> pd.Series:
    """How far `now` fell below `before` (0 when it did not, or when either is unknown)."""
    return (before - now).clip(lower=0).fillna(0.0)


@dataclass(frozen=True)
class DropoutModel:
    weights: dict[str, float]
    source: str
    closed_cases: int = 0
    auc: float | None = None

    def probability(self, values: pd.DataFrame) -> pd.Series:
        linear = self.weights["intercept"] + sum(
            self.weights[name] * values[name] for name in FACTORS
        )
        return 1 / (1 + np.exp(-linear))

    def contributions(self, values: pd.DataFrame) -> pd.DataFrame:
        """Each factor's push on the log-odds at each row (for the reasons shown to staff)."""
        return pd.DataFrame({name: self.weights[name] * values[name] for name in FACTORS})


def model_as_record(model: DropoutModel) -> dict[str, object]:
    """The model as JSON-safe values, to store."""
    return {
        "weights": model.weights,
        "source": model.source,
        "closed_cases": model.closed_cases,
        "auc": model.auc,
    }


def model_from_record(record: dict) -> DropoutModel:
    return DropoutModel(
        {name: float(weight) for name, weight in record["weights"].items()},
        str(record["source"]),
        int(record["closed_cases"]),
        None if record["auc"] is None else float(record["auc"]),
    )


def default_model() -> DropoutModel:
    return DropoutModel(dict(DEFAULT_WEIGHTS), "Kring default weights")


def dropout_labels(rows: pd.DataFrame, dropout_session: pd.Series) -> pd.Series:
    """1 where the member dropped out within HORIZON sessions after the row's session."""
    ahead = dropout_session - rows[SESSION]
    return ((ahead > 0) & (ahead <= HORIZON)).astype(float)


def fitted_model(values: pd.DataFrame, labels: pd.Series, members: pd.Series) -> DropoutModel:
    """Logistic regression (L2, Newton-Raphson) on closed cases; defaults when too few."""
    cases = int(members.nunique())
    if cases < MIN_CLOSED_CASES or labels.sum() < 10:
        return default_model()
    x = np.column_stack([np.ones(len(values)), values[list(FACTORS)].to_numpy()])
    y = labels.to_numpy()
    beta = _newton(x, y, penalty=1.0)
    weights = {"intercept": float(beta[0])} | {
        name: float(b) for name, b in zip(FACTORS, beta[1:], strict=True)
    }
    auc = area_under_curve(x @ beta, y)
    return DropoutModel(weights, f"refitted on {cases} closed cases", cases, auc)


def _newton(x: np.ndarray, y: np.ndarray, penalty: float, steps: int = 50) -> np.ndarray:
    """Penalised Newton-Raphson with step halving, so separable data cannot make it diverge."""
    beta = np.zeros(x.shape[1])
    beta[0] = np.log((y.mean() + 1e-6) / (1 - y.mean() + 1e-6))
    ridge = penalty * np.eye(x.shape[1])
    ridge[0, 0] = 0.0
    current = _penalised_loss(x, y, beta, ridge)
    for _ in range(steps):
        p = _sigmoid(x @ beta)
        gradient = x.T @ (y - p) - ridge @ beta
        weighted = x * np.sqrt(p * (1 - p))[:, None]  # W^T W: numpy runs one symmetric product
        hessian = weighted.T @ weighted + ridge + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hessian, gradient)
        for _ in range(30):
            candidate = _penalised_loss(x, y, beta + step, ridge)
            if candidate <= current:
                break
            step /= 2
        beta, current = beta + step, candidate
        if np.abs(step).max() < 1e-7:
            break
    return beta


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(z, -30, 30)))


def _penalised_loss(x: np.ndarray, y: np.ndarray, beta: np.ndarray, ridge: np.ndarray) -> float:
    z = np.clip(x @ beta, -30, 30)
    return float(np.sum(np.logaddexp(0, z) - y * z) + 0.5 * beta @ ridge @ beta)


def area_under_curve(scores: np.ndarray, labels: np.ndarray) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    ranks = pd.Series(scores).rank().to_numpy()
    positives = labels == 1
    n_pos, n_neg = positives.sum(), (~positives).sum()
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


__all__ = [
    "FACTORS",
    "MKEY",
    "DropoutModel",
    "default_model",
    "factors",
    "fitted_model",
    "model_as_record",
    "model_from_record",
]
