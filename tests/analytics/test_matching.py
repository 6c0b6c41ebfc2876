"""Matching waiting clients to groups and the composition warnings, on small frames."""

from __future__ import annotations

from datetime import date, time

import pandas as pd

from rom.analytics.composition import composition_warnings
from rom.analytics.matching import candidates, options_per_client, slot_of

TODAY = date(2026, 11, 24)
MONDAY_MORNING = slot_of(0, time(10, 0))
TUESDAY_EVENING = slot_of(1, time(19, 0))


def _client(client_id: str, **fields: object) -> dict:
    return {
        "client_id": client_id,
        "kind": "skills",
        "language": "nl",
        "referred_on": date(2026, 10, 1),
        "readiness": 0.8,
        "decision": "suitable",
        "contraindicated": False,
        "slots": [MONDAY_MORNING],
    } | fields


def _group(group_id: str, **fields: object) -> dict:
    return {
        "group_id": group_id,
        "kind": "skills",
        "language": "nl",
        "slot": MONDAY_MORNING,
        "open_places": 2,
        "next_entry": date(2026, 11, 30),
    } | fields


def _match(clients: list[dict], groups: list[dict]) -> pd.DataFrame:
    return candidates(pd.DataFrame(clients), pd.DataFrame(groups), TODAY)


def test_a_client_who_cannot_come_on_the_groups_day_is_never_proposed() -> None:
    found = _match([_client("fits"), _client("evenings", slots=[TUESDAY_EVENING])], [_group("G")])
    assert found["client_id"].tolist() == ["fits"]


def test_a_contra_indication_or_a_decision_other_than_suitable_excludes() -> None:
    found = _match(
        [
            _client("ok"),
            _client("psychosis", contraindicated=True),
            _client("individual", decision="individual_first"),
            _client("not_judged", decision=None),
        ],
        [_group("G")],
    )
    assert found["client_id"].tolist() == ["ok"]


def test_language_kind_and_open_places_must_fit() -> None:
    found = _match(
        [
            _client("english", language="en"),
            _client("wants_psychotherapy", kind="psychotherapy"),
            _client("any_kind", kind=None),
        ],
        [_group("G"), _group("FULL", open_places=0)],
    )
    assert found[["group_id", "client_id"]].values.tolist() == [["G", "any_kind"]]
    assert {"code": "any_kind"} in found.loc[0, "reasons"]


def test_readiness_ranks_first_and_waiting_time_breaks_ties() -> None:
    found = _match(
        [
            _client("ready_recent", referred_on=date(2026, 11, 1)),
            _client("ready_long", referred_on=date(2026, 6, 1)),
            _client("hesitant_longest", referred_on=date(2026, 1, 5), readiness=0.2),
            _client("unknown", readiness=float("nan")),
        ],
        [_group("G")],
    )
    assert found["client_id"].tolist() == [
        "ready_long",
        "ready_recent",
        "hesitant_longest",
        "unknown",
    ]
    assert found["rank"].tolist() == [1, 2, 3, 4]
    assert {"code": "waiting", "days": (TODAY - date(2026, 6, 1)).days} in found.loc[0, "reasons"]


def test_each_client_sees_the_groups_they_could_join_soonest_first() -> None:
    found = _match(
        [_client("c", slots=[MONDAY_MORNING, TUESDAY_EVENING])],
        [
            _group("LATER", next_entry=date(2027, 1, 4)),
            _group("SOON", slot=TUESDAY_EVENING, next_entry=date(2026, 12, 1)),
        ],
    )
    assert options_per_client(found)["group_id"].tolist() == ["SOON", "LATER"]


def _members(rows: list[tuple[str, float, str, bool]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["client_id", "intake", "language", "proposed"])


def test_one_member_far_more_severe_than_all_others_is_named() -> None:
    members = _members(
        [
            ("a", 12, "nl", False),
            ("b", 14, "nl", False),
            ("c", 13, "nl", False),
            ("d", 22, "nl", True),
        ]
    )
    warnings = composition_warnings(members, minimum_size=4, group_language="nl")
    assert warnings == [
        {
            "code": "severity_outlier",
            "client_id": "d",
            "intake": 22.0,
            "next_highest": 14.0,
            "gap": 8.0,
        }
    ]


def test_a_spread_of_severities_is_not_an_outlier() -> None:
    members = _members(
        [
            ("a", 8, "nl", False),
            ("b", 13, "nl", False),
            ("c", 18, "nl", False),
            ("d", 22, "nl", True),
        ]
    )
    assert composition_warnings(members, minimum_size=4, group_language="nl") == []


def test_a_lone_member_on_another_language_and_a_small_group_are_named() -> None:
    members = _members([("a", 12, "nl", False), ("b", 14, "en", True), ("c", 13, "nl", False)])
    warnings = composition_warnings(members, minimum_size=5, group_language="nl")
    assert warnings == [
        {"code": "lone_language", "client_id": "b", "language": "en"},
        {"code": "below_minimum", "size": 3, "minimum": 5},
    ]
