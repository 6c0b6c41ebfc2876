"""`flask rom ...`: each command a few lines around a service."""

from __future__ import annotations

import getpass
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from flask_migrate import upgrade

from questionnaires import check_folder
from rom import create_app
from rom import demo as demo_service
from rom.audit import record
from rom.clock import organisation_today
from rom.extensions import db
from rom.flag_reasons import reasons_text
from rom.instruments import library
from rom.messaging.delivery import deliver_due
from rom.messaging.senders import configured_senders
from rom.models import ApiToken, Client, Group, LinkPurpose, Membership, Role, StaffUser, utcnow
from rom.reports.group import group_report as group_pdf
from rom.reports.growth_path import growth_path_report as growth_path_pdf
from rom.reports.member import member_report as member_pdf
from rom.reports.organisation import organisation_report as organisation_pdf
from rom.scheduling import run_scheduler
from rom.services import accounts, api_tokens, bundles, flagging
from rom.services.api_tokens import revoke
from rom.services.backtesting import backtest_lines
from rom.services.planning import plan_invitations
from rom.synthetic import DROPOUT_DEFAULTS_COHORT, dropout_model_on
from rom.transactions import committed

if TYPE_CHECKING:
    import pandas as pd

rom = AppGroup("rom", help="Kring commands.")


def audit_command(action: str, subject_type: str, **detail: object) -> None:
    """A command that reads or writes member data is audited like a staff view, with the OS
    account that ran it (NEN 7513: who, what, when)."""
    record(
        None,
        action,
        subject_type,
        None,
        actor_kind="command",
        command=click.get_current_context().command_path,
        os_user=getpass.getuser(),
        **detail,
    )
    db.session.commit()


def refusal(refused: Exception) -> click.ClickException:
    """A service's refusal in the commands' own language, English."""
    with force_locale("en"):
        return click.ClickException(str(refused))


@rom.command("import")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
def import_bundle(directory: Path) -> None:
    """Load a bundle folder, all or nothing."""
    started = time.perf_counter()
    try:
        summary = bundles.import_bundle(directory)
    except bundles.BundleError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        shown = (
            f" (the first {len(error.problems)} shown)" if error.total > len(error.problems) else ""
        )
        click.echo(
            f"Import refused: {error.count} problem(s){shown}; nothing was written.", err=True
        )
        sys.exit(1)
    audit_command("import", "bundle", summary=str(summary))
    click.echo(f"{summary} in {time.perf_counter() - started:.1f} s")


@rom.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def export_bundle(directory: Path) -> None:
    """Write every group, member, session, attendance and answer as a bundle folder."""

    counts = bundles.export_bundle(directory)
    audit_command("export", "bundle", counts=counts)
    click.echo(", ".join(f"{name}: {count}" for name, count in counts.items()))


@rom.group("demo", invoke_without_command=True)
@click.option("--if-empty", is_flag=True, help="Only when the database holds no groups yet.")
@click.pass_context
def demo(context: click.Context, if_empty: bool) -> None:
    """Create the demo organisation with a realistic history."""
    if context.invoked_subcommand is not None:
        return

    if if_empty and not demo_service.database_is_empty():
        click.echo("The database already has data; demo not loaded again.")
        lines = demo_service.demo_logins()
    else:
        lines = demo_service.create_demo()
    for line in [*lines, *demo_service.demo_links()]:
        click.echo(line)


@demo.command("links")
@click.option("--count", type=click.IntRange(1, 20), default=4, show_default=True)
def demo_links(count: int) -> None:
    """Fresh links to demo members' questionnaires (each works until it is submitted)."""
    for line in demo_service.demo_links(count):
        click.echo(line)


@rom.group("instruments", invoke_without_command=True)
@click.pass_context
def instruments(context: click.Context) -> None:
    """List the loaded instruments (id, version, items, languages, licence)."""
    if context.invoked_subcommand is not None:
        return

    for instrument in library():
        validated = "" if instrument.validated else " (not validated)"
        click.echo(
            f"{instrument.id:<8} v{instrument.version:<5} {len(instrument.items):>2} items  "
            f"{','.join(instrument.languages):<6} {instrument.licence[:60]}{validated}"
        )


@instruments.command("check")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
def check_instruments(directory: Path) -> None:
    """Validate an organisation's own instrument files without loading them."""
    errors = check_folder(directory)
    for error in errors:
        click.echo(str(error), err=True)
    files = len(list(directory.glob("*.yaml")))
    click.echo(f"{files} file(s) checked, {len(errors)} with problems")
    if errors:
        sys.exit(1)


@rom.command("flags")
@click.option("--group", "group_code", help="Only this group (its code).")
@click.option("--format", "output", type=click.Choice(["csv", "table"]), default="table")
@click.option(
    "--replay",
    is_flag=True,
    help="Every flag as it would have been raised, session "
    "by session, from only the data available then.",
)
@click.option("--language", type=click.Choice(["nl", "en"]), default="nl")
def flags(group_code: str | None, output: str, replay: bool, language: str) -> None:
    """Print the open flags (recomputed and stored first), or the replay."""

    if replay:
        frame = flagging.replayed_flags(group_code)
    else:
        flagging.recompute_flags()
        frame = flagging.open_flags(group_code)
    members = int(frame["member_id"].nunique()) if "member_id" in frame else 0
    audit_command("view", "flags", group=group_code, replay=replay, members=members)
    click.echo(render_flags(frame, output, language), nl=False)


def render_flags(frame: pd.DataFrame, output: str, language: str) -> str:

    columns = ["group_id", "member_id", "session_no", "kind", "severity", "score", "reasons"]
    frame = frame.reindex(columns=columns).assign(
        reasons=frame["reasons"].map(lambda r: reasons_text(r, language)) if len(frame) else []
    )
    if output == "csv":
        return frame.to_csv(index=False)
    return (frame.to_string(index=False) if len(frame) else "No open flags.") + "\n"


@rom.command("backtest")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
def backtest(directory: Path) -> None:
    """Load a bundle with truth.csv into a throwaway database, replay it and score the flags."""
    with tempfile.TemporaryDirectory() as folder:
        throwaway = create_app(
            {"DATABASE_URL": f"sqlite:///{Path(folder) / 'backtest.sqlite3'}", "SECRET_KEY": "x"}
        )
        with throwaway.app_context():
            upgrade()
            bundles.import_bundle(directory)
            lines = backtest_lines(directory / "truth.csv")
            db.session.remove()
            db.engine.dispose()
    for line in lines:
        click.echo(line)


@rom.command("dropout-defaults")
def dropout_defaults() -> None:
    """Fit the shipped dropout weights again on their generated cohort and print them."""
    model = dropout_model_on(DROPOUT_DEFAULTS_COHORT)
    click.echo(f"# {model.source}, discrimination (AUC) {model.auc:.3f}")
    for name, weight in model.weights.items():
        click.echo(f'    "{name}": {weight:.2f},')


@rom.command("plan")
def plan() -> None:
    """Plan invitations (and their messages) for sessions within the planning horizon."""

    with committed():
        planned = plan_invitations()
    click.echo(f"{planned} invitation(s) planned")


@rom.command("deliver")
def deliver() -> None:
    """Send the messages that are due (needs ROM_SMTP_HOST; otherwise they wait)."""
    senders = configured_senders(current_app.config)
    if not senders:
        click.echo("No SMTP server or SMS provider configured: messages wait in the outbox.")
        return
    report = deliver_due(senders, connections=current_app.config["DELIVERY_CONNECTIONS"])
    click.echo(f"sent {report.sent}, to retry {report.retried}, failed {report.failed}")


@rom.command("scheduler")
def scheduler() -> None:
    """Run the scheduler process (one is active; others wait for its lease)."""

    run_scheduler(current_app._get_current_object(), announce=lambda line: click.echo(line))


report = AppGroup("report", help="PDF reports: organisation, growth path, group, member.")
rom.add_command(report)
OUT = click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="PDF file."
)


def _write(pdf: bytes, out: Path) -> None:
    out.write_bytes(pdf)
    click.echo(f"{out}: {len(pdf):,} bytes")


LANGUAGE = click.option(
    "--language", type=click.Choice(["nl", "en"]), default=None, help="Default: Dutch."
)


@report.command("organisation")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), required=True)
@OUT
@LANGUAGE
def organisation_report(start, end, out: Path, language: str | None) -> None:
    """The organisation report for a period (managers), dates inclusive."""
    if end < start:
        raise click.UsageError("--to lies before --from")
    with force_locale(language or "nl"):
        _write(organisation_pdf(start.date(), end.date()), out)
    record(
        None, "export", "organisation_report", None, start=str(start.date()), end=str(end.date())
    )
    db.session.commit()


@report.command("growth-path")
@click.option("--year", type=int, required=True, help="A year after the baseline year.")
@OUT
@LANGUAGE
def growth_path_report(year: int, out: Path, language: str | None) -> None:
    """The insurer's page: a year against the baseline year, quality adjusted for case mix."""
    baseline_year = current_app.config["BASELINE_YEAR"]
    if not baseline_year < year <= organisation_today().year:
        raise click.UsageError(f"--year must lie after {baseline_year}, up to this year")
    with force_locale(language or "nl"):
        _write(growth_path_pdf(year), out)
    record(None, "export", "growth_path_report", None, year=year)
    db.session.commit()


@report.command("group")
@click.argument("code")
@OUT
@LANGUAGE
def group_report(code: str, out: Path, language: str | None) -> None:
    """The group report (team meeting) of the group with this code."""

    group = db.session.scalar(sa.select(Group).where(Group.code == code))
    if group is None:
        raise click.UsageError(f"no group with code {code}")
    with force_locale(language or "nl"):
        _write(group_pdf(group), out)
    record(None, "export", "group_report", group.id)
    db.session.commit()


@report.command("member")
@click.argument("code")
@click.option("--group", "group_code", help="The group, when the member is in more than one.")
@OUT
@LANGUAGE
def member_report(code: str, group_code: str | None, out: Path, language: str | None) -> None:
    """The progress report of the member with this pseudonymous code (default: in the member's
    language)."""
    query = sa.select(Membership).join(Client).join(Group).where(Client.code == code)
    if group_code:
        query = query.where(Group.code == group_code)
    found = db.session.scalars(query).all()
    if len(found) != 1:
        raise click.UsageError(
            f"no member {code}" if not found else f"{code} is in {len(found)} groups: use --group"
        )
    with force_locale(language or found[0].client.language.value):
        _write(member_pdf(found[0]), out)
    record(None, "export", "member_report", found[0].id)
    db.session.commit()


token = AppGroup("token", help="API tokens for integrations.")
rom.add_command(token)


@token.command("create")
@click.argument("name")
@click.option("--scope", "scopes", multiple=True, required=True, help="Repeat for each scope.")
@click.option("--days", type=click.IntRange(1, 730), default=365, show_default=True)
@click.option("--group", "group_codes", multiple=True, help="Limit to these groups (codes).")
def create_token(
    name: str, scopes: tuple[str, ...], days: int, group_codes: tuple[str, ...]
) -> None:
    """Create a token; it is printed once and only its hash is kept."""

    group_ids = None
    if group_codes:
        group_ids = list(db.session.scalars(sa.select(Group.id).where(Group.code.in_(group_codes))))
        if len(group_ids) != len(set(group_codes)):
            raise click.UsageError("unknown group code")
    try:
        made = api_tokens.create_token(
            name, list(scopes), utcnow() + timedelta(days=days), group_ids
        )
    except ValueError as refused:
        raise click.UsageError(str(refused)) from None
    record(None, "create", "api_token", made.token.id, name=name, scopes=list(scopes))
    db.session.commit()
    click.echo(made.secret)


@token.command("revoke")
@click.argument("name")
def revoke_token(name: str) -> None:
    """Revoke every token with this name."""
    tokens = db.session.scalars(sa.select(ApiToken).where(ApiToken.name == name)).all()
    if not tokens:
        raise click.UsageError(f"no token named {name}")
    for found in tokens:
        revoke(found)
        record(None, "revoke", "api_token", found.id)
    db.session.commit()
    click.echo(f"revoked {len(tokens)}")


@rom.group("staff")
def staff() -> None:
    """Staff accounts: the first administrator, and scripts."""


@staff.command("add")
@click.argument("email")
@click.option(
    "--role",
    "roles",
    type=click.Choice(["therapist", "manager", "admin"]),
    multiple=True,
    help="A role; repeat for several (default: therapist).",
)
@click.option("--name", default="", help="The person's name (default: the e-mail's first part).")
@click.option("--language", type=click.Choice(["nl", "en"]), default="nl")
def staff_add(email: str, roles: tuple[str, ...], name: str, language: str) -> None:
    """Create an account without a password and print its one-time link (24 hours, once).
    For an address that has an account already: says so and changes nothing."""
    if accounts.account_by_email(email) is not None:
        click.echo(f"{email.strip().lower()} already has an account; nothing was changed.")
        return
    try:
        user = accounts.add_account(
            email, name, [Role(r) for r in roles or ["therapist"]], language
        )
    except accounts.AccountError as refused:
        raise refusal(refused) from refused
    token = accounts.issue_link(user, LinkPurpose.SETUP)
    granted = ",".join(sorted(role.value for role in user.roles))
    audit_command("create", "staff", staff=user.id, roles=granted)
    click.echo(f"Account made for {user.email} ({granted}). Set its password within 24 hours at:")
    click.echo(accounts.link_url(token))


@staff.command("list")
def staff_list() -> None:
    """Every account: e-mail, name, roles, second factor, active, last login."""

    for user in db.session.scalars(sa.select(StaffUser).order_by(StaffUser.email)):
        second = "2fa" if user.totp_secret else "no-2fa"
        state = "active" if user.active else "inactive"
        last = user.last_login_at.isoformat(timespec="minutes") if user.last_login_at else "never"
        roles = ",".join(sorted(role.value for role in user.roles))
        click.echo(f"{user.email}\t{user.name}\t{roles}\t{second}\t{state}\t{last}")
    audit_command("view", "accounts")


@staff.command("deactivate")
@click.argument("email")
def staff_deactivate(email: str) -> None:
    """Deactivate an account (never deleted) and end its sessions at once."""
    user = accounts.account_by_email(email)
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    try:
        ended = accounts.deactivate(user)
    except accounts.AccountError as refused:
        db.session.rollback()
        raise refusal(refused) from refused
    db.session.commit()
    audit_command("deactivate", "staff", staff=user.id, sessions_ended=ended)
    click.echo(f"{user.email} is deactivated; {ended} session(s) ended.")
