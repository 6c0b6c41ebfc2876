"""schemathesis's whole engine in process: every phase (examples, coverage, fuzzing, stateful),
positive and negative data, every default check; what it finds, with a curl to reproduce it."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import schemathesis
from flask import Flask
from schemathesis.config import CacheConfig, HealthCheck, SchemathesisConfig
from schemathesis.engine import Status, events, from_schema
from schemathesis.generation import GenerationMode

PHASES = ["examples", "coverage", "fuzzing", "stateful"]


@dataclass(frozen=True)
class Finding:
    check: str
    operation: str
    phase: str
    title: str
    message: str
    reproduce: str

    def __str__(self) -> str:
        message = self.message.strip()[:500]
        head = f"[{self.check}] {self.operation} ({self.phase}): {self.title}"
        return f"{head}\n  {message}\n  {self.reproduce}"


@dataclass
class Run:
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cases: dict[str, int] = field(default_factory=dict)  # per phase
    modes: set[str] = field(default_factory=set)
    stop_reason: str = ""
    seconds: float = 0.0

    def report(self) -> str:
        head = f"{self.stop_reason} in {self.seconds:.0f} s; cases per phase {self.cases}"
        return "\n".join([head, *self.errors, *map(str, self.findings)])


def fuzz(app: Flask, token: str, max_examples: int, seconds: float) -> Run:
    """Run every phase against the app's OpenAPI document with the token; stop after `seconds`."""
    _accept_probes_without_session()
    config = SchemathesisConfig(
        seed=20261202,
        max_time=None,
        max_failures=None,
        cache=CacheConfig(enabled=False),
        suppress_health_check=[HealthCheck.all],
    )
    project = config.projects.override
    project.update(headers={"Authorization": f"Bearer {token}"}, workers=1)
    project.phases.update(phases=PHASES)
    project.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=max_examples,
        database="none",
    )
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)
    run, started = Run(), time.monotonic()
    stream = from_schema(schema).execute()
    for event in stream:
        if time.monotonic() - started > seconds:
            stream.stop()
        _take(event, run)
    run.seconds = time.monotonic() - started
    return run


def _take(event: object, run: Run) -> None:
    if isinstance(event, events.ScenarioFinished):
        phase = event.phase.value
        run.cases[phase] = run.cases.get(phase, 0) + len(event.recorder.cases)
        for node in event.recorder.cases.values():
            if node.value.meta is not None:
                run.modes.add(str(node.value.meta.generation.mode.value))
        _failures(event.recorder, phase, run)
    elif isinstance(event, events.NonFatalError):
        notes = "\n".join(getattr(event.value, "__notes__", []))
        reproduce = notes.split("Reproduce with:", 1)[-1].strip() if notes else ""
        phase = event.phase.value if event.phase else "-"
        run.findings.append(
            Finding(
                "exception", event.label, phase, event.info.title, event.info.message, reproduce
            )
        )
    elif isinstance(event, events.FatalError):
        run.errors.append(f"fatal: {event.exception!r}")
    elif isinstance(event, events.EngineFinished):
        run.stop_reason = event.stop_reason.value
        for failure in event.failures:
            run.findings.append(
                Finding(
                    "after_run", failure.operation or "-", "-", failure.title, failure.message, ""
                )
            )


def _failures(recorder: object, phase: str, run: Run) -> None:
    seen = {(f.check, f.operation, f.title) for f in run.findings}
    for checks in recorder.checks.values():
        for check in checks:
            if check.status != Status.FAILURE or check.failure_info is None:
                continue
            failure = check.failure_info.failure
            key = (check.name, failure.operation or recorder.label, failure.title)
            if key in seen:
                continue
            seen.add(key)
            steps = check.failure_info.steps
            reproduce = (
                "\n".join(step.curl for step in steps)
                if len(steps) > 1
                else check.failure_info.code_sample
            )
            run.findings.append(Finding(*key[:2], phase, failure.title, failure.message, reproduce))


def _accept_probes_without_session() -> None:
    """schemathesis 4.32.5 sends its authorization probes without a session, and its WSGI
    transport then hands requests-only options to Werkzeug, which refuses them."""
    from schemathesis.transport.wsgi import WSGITransport

    original = WSGITransport.send
    if getattr(original, "kring_patched", False):
        return

    def send(self, case, *, session=None, **kwargs):
        if session is None:
            for name in ("max_redirects", "verify", "cert", "proxies"):
                kwargs.pop(name, None)
        return original(self, case, session=session, **kwargs)

    send.kring_patched = True  # type: ignore[attr-defined]
    WSGITransport.send = send
