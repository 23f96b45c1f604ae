"""`flask monitor rebuild | update | import FILE`."""

import time
from pathlib import Path

import click
from flask.cli import AppGroup

from buurthulp.db_types import utcnow
from buurthulp.monitor.importing import import_inventory, read_rows
from buurthulp.monitor.rollup import rebuild_rollups, update_rollups

monitor_cli = AppGroup("monitor", help="Monitor: roll-ups and the initiatives registry.")


@monitor_cli.command("rebuild")
def rebuild_command() -> None:
    """Throw the roll-ups away and build them again from the raw tables."""
    started = time.perf_counter()
    result = rebuild_rollups(utcnow())
    took = time.perf_counter() - started
    click.echo(f"Roll-ups opnieuw opgebouwd: {result['daily_rows']} dagrijen in {took:.1f} s.")


@monitor_cli.command("update")
def update_command() -> None:
    """What the nightly job does: bring the recent days up to date."""
    result = update_rollups(utcnow())
    click.echo(f"Roll-ups bijgewerkt van {result['first_day']} tot en met {result['last_day']}.")


@monitor_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--keep-going", is_flag=True, help="Import the good rows even if some are rejected.")
def import_command(file: Path, keep_going: bool) -> None:
    """Import an inventory of initiatives (CSV, UTF-8) into the registry, approved."""
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise click.ClickException(
            "Het bestand is geen UTF-8-tekst. Sla het op als CSV UTF-8."
        ) from None
    total = len(read_rows(text)[1])
    with click.progressbar(length=total, label="Rijen controleren") as bar:
        report = import_inventory(text, now=utcnow(), keep_going=keep_going, progress=bar.update)
    if report.missing_columns:
        raise click.ClickException("Kolommen ontbreken: " + ", ".join(report.missing_columns))
    for line, name, reasons in report.rejected:
        click.echo(f"Regel {line} ({name or 'zonder naam'}): " + " ".join(reasons), err=True)
    if report.rejected and not keep_going:
        raise click.ClickException(
            f"{len(report.rejected)} van {total} rijen afgekeurd; er is niets ingelezen. "
            "Verbeter ze, of lees de goede rijen in met --keep-going."
        )
    click.echo(f"{report.imported} initiatieven ingelezen, {len(report.rejected)} afgekeurd.")
