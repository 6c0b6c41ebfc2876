"""Kring's FHIR read by software no one here wrote (tests/fhir_readers, pinned npm packages):
medplum's validator on the FHIR R4 definitions, and LHC-Forms in Chromium loading each response
into its Questionnaire and exporting it back. On what the real API serves, for a Dutch and an
English member, with complete responses (answered through the link) and incomplete ones (as
an import brings them)."""

from __future__ import annotations

import functools
import http.server
import json
import subprocess
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from flask import Flask

from rom.extensions import db
from rom.instruments import library
from rom.models import Answer, Response, ResponseSource
from rom.services.invitations import open_link
from rom.services.submissions import submit
from tests.api_tokens import bearer
from tests.conftest import require
from tests.factories import make_group, make_invitation, make_member, make_session
from tests.member_answers import save_page

READERS = Path(__file__).resolve().parents[1] / "fhir_readers"
MEMBERS = {"MNL": "nl", "MEN": "en"}
INSTRUMENTS = ("phq9", "gad7", "gcq_s", "gcs", "readiness")

ROUND_TRIP = """async ([questionnaire, response]) => {
  const form = LForms.Util.convertFHIRQuestionnaireToLForms(questionnaire, 'R4');
  const merged = LForms.Util.mergeFHIRDataIntoLForms(response, form, 'R4');
  const element = document.getElementById('form');
  await LForms.Util.addFormToPage(merged, element, {fhirVersion: 'R4'});
  const back = LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', element);
  return {
    exported: (back.item || []).map((i) => [i.linkId, i.answer[0].valueCoding]),
    invalid: (LForms.Util.checkValidity(element) || []).length,
  };
}"""


@pytest.fixture
def served(sqlite_only: Flask) -> dict[str, dict]:
    """Every Questionnaire, CodeSystem and member Bundle as the API serves them."""
    require((READERS / "node_modules" / "lforms").exists(), "npm ci --prefix tests/fhir_readers")
    group = make_group()
    session = make_session(group, 1)
    for code, language in MEMBERS.items():
        member = make_member(group, code, language=language)
        _, token = make_invitation(member, session)
        link = save_page(open_link(token), library()["phq9"], _form(9, {9: "1"}))
        link = save_page(link, library()["gad7"], _form(7))
        submit(link, library())
        gap = Response(
            membership_id=member.id,
            session_id=session.id,
            instrument_id="gcq_s",
            instrument_version=library()["gcq_s"].version,
            completed_at=datetime(2026, 3, 2, 20, 0),
            source=ResponseSource.IMPORT,
        )
        gap.answers = [Answer(item=n, value=n % 7) for n in range(1, 13) if n != 5]
        db.session.add(gap)
    db.session.commit()
    client, headers = sqlite_only.test_client(), bearer()
    resources = {}
    for instrument_id in INSTRUMENTS:
        asked = client.get(f"/api/v1/instruments/{instrument_id}", headers=headers).get_json()
        resources[f"Questionnaire/{asked['id']}"] = asked
        system = asked["item"][0]["answerOption"][0]["valueCoding"]["system"]
        if system != "http://loinc.org":  # Kring's own options, published beside it
            options = client.get(system.removeprefix("http://kring.test"), headers=headers)
            resources[f"CodeSystem/{options.get_json()['id']}"] = options.get_json()
    for code in MEMBERS:
        bundle = client.get(f"/api/v1/members/{code}/responses", headers=headers).get_json()
        assert len(bundle["entry"]) == 5  # PHQ-9, GAD-7 and their total scores; the GCQ-S
        resources[f"Bundle/{code}"] = bundle
    return resources


def _form(items: int, changes: dict[int, str] | None = None) -> dict[str, str]:
    return {f"item-{n}": "2" for n in range(1, items + 1)} | {
        f"item-{n}": v for n, v in (changes or {}).items()
    }


def _responses(served: dict[str, dict]) -> Iterator[tuple[str, dict, dict]]:
    for label, resource in served.items():
        if label.startswith("Bundle/"):
            for entry in resource["entry"]:
                response = entry["resource"]
                if response["resourceType"] != "QuestionnaireResponse":
                    continue
                canonical = response["questionnaire"].split("|")[0]
                asked = served["Questionnaire/" + canonical.split("/")[-1]]
                yield f"{label}/{response['id']}", asked, response


def test_the_validator_finds_no_error_or_warning(served: dict[str, dict], tmp_path: Path) -> None:
    every = dict(served)  # the Questionnaires, CodeSystems and Bundles, and each entry alone
    for label, bundle in served.items():
        if label.startswith("Bundle/"):
            for entry in bundle["entry"]:
                resource = entry["resource"]
                every[f"{resource['resourceType']}/{resource['id']}"] = resource
    given = tmp_path / "resources.json"
    given.write_text(json.dumps(every))
    run = subprocess.run(
        ["node", "validate.js", str(given)], cwd=READERS, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    kinds = Counter(label.split("/")[0] for label in report)
    assert kinds == {
        "Questionnaire": 5,
        "CodeSystem": 3,  # the PHQ-9 and GAD-7 answers are LOINC's
        "Bundle": 2,
        "QuestionnaireResponse": 6,
        "Observation": 4,  # the PHQ-9 and GAD-7 totals; the incomplete GCQ-S has none
    }
    assert {label: issues for label, issues in report.items() if issues} == {}


@pytest.fixture
def lhc_forms(browser) -> Iterator[object]:
    """A page with LHC-Forms, served from the pinned package; nothing else is fetched."""
    handler = functools.partial(_Quiet, directory=str(READERS))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    page = browser.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
    try:
        page.goto(f"{base}/lforms.html")
        page.wait_for_function("window.LForms && LForms.Util && LForms.FHIR && LForms.FHIR.R4")
        yield page
    finally:
        page.close()
        server.shutdown()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        """Silent: the test's output is what it asserts."""


def _answers(items: list) -> list[tuple[str, str, str, str]]:
    return [(i[0], i[1]["system"], i[1]["code"], i[1]["display"]) for i in items]


def test_lhc_forms_loads_every_answer_and_exports_it_back(
    served: dict[str, dict], lhc_forms
) -> None:
    checked = 0
    for label, asked, response in _responses(served):
        given = [[i["linkId"], i["answer"][0]["valueCoding"]] for i in response["item"]]
        back = lhc_forms.evaluate(ROUND_TRIP, [asked, response])
        assert _answers(back["exported"]) == _answers(given), label
        assert back["invalid"] == 0, label
        checked += 1
    assert checked == 6
