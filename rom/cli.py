"""`flask rom ...`: each command a few lines around a service."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask.cli import AppGroup

rom = AppGroup("rom", help="Kring commands.")


@rom.command("import")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
def import_bundle(directory: Path) -> None:
    """Load a bundle folder, all or nothing."""
    from rom.services import bundles

    started = time.perf_counter()
    try:
        summary = bundles.import_bundle(directory)
    except bundles.BundleError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo(
            f"Import refused: {len(error.problems)} problem(s); nothing was written.", err=True
        )
        sys.exit(1)
    click.echo(f"{summary} in {time.perf_counter() - started:.1f} s")


@rom.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def export_bundle(directory: Path) -> None:
    """Write every group, member, session, attendance and answer as a bundle folder."""
    from rom.services import bundles

    counts = bundles.export_bundle(directory)
    click.echo(", ".join(f"{name}: {count}" for name, count in counts.items()))


@rom.command("demo")
@click.option("--if-empty", is_flag=True, help="Only when the database holds no groups yet.")
def demo(if_empty: bool) -> None:
    """Create the demo organisation with a realistic history."""
    from rom.services import demo as demo_service

    if if_empty and not demo_service.database_is_empty():
        click.echo("The database already has data; demo not loaded again.")
        lines = demo_service.demo_logins()
    else:
        lines = demo_service.create_demo()
    for line in lines:
        click.echo(line)


@rom.group("instruments", invoke_without_command=True)
@click.pass_context
def instruments(context: click.Context) -> None:
    """List the loaded instruments (id, version, items, languages, licence)."""
    if context.invoked_subcommand is not None:
        return
    from rom.instruments import library

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
    from questionnaires import check_folder

    errors = check_folder(directory)
    for error in errors:
        click.echo(str(error), err=True)
    files = len(list(directory.glob("*.yaml")))
    click.echo(f"{files} file(s) checked, {len(errors)} with problems")
    if errors:
        sys.exit(1)
