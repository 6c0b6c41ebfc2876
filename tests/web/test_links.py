"""Links in messages and documents point at the organisation's own address, also when Kring
runs under a path or the request came in through another host name."""

from flask import Flask

from rom.links import link_to


def test_a_link_is_built_at_the_base_url_with_its_path(sqlite_only: Flask) -> None:
    sqlite_only.config["BASE_URL"] = "https://rom.ggz-voorbeeld.nl/kring"
    try:
        assert link_to("staff.caseload") == "https://rom.ggz-voorbeeld.nl/kring/staff/flags"
        assert link_to("clientflow.questionnaire", token="abc") == (
            "https://rom.ggz-voorbeeld.nl/kring/q/abc"
        )
        with sqlite_only.test_request_context("/", base_url="http://10.0.0.5:8000"):
            assert link_to("staff.referral", referral_id=7) == (
                "https://rom.ggz-voorbeeld.nl/kring/staff/referrals/7"
            )
    finally:
        sqlite_only.config["BASE_URL"] = "http://kring.test"
