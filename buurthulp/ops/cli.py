"""`flask check-config`: every configuration problem at once, each explained.

A plain click command that needs no app: registered on the app (`_register_commands`), as a
Flask CLI plugin (pyproject's `flask.commands` entry point, so `flask check-config` also works
when the app refuses to start), and runnable as `python -m buurthulp.ops.cli`.
"""

import click
from sqlalchemy.engine import make_url

from buurthulp.ops.config_check import ERROR, Problem, check_config


def _summary(settings: dict) -> str:
    url = make_url(settings["SQLALCHEMY_DATABASE_URI"]).render_as_string(hide_password=True)
    redis_url = settings.get("REDIS_URL") or "not set"
    return f"Profile {settings['ENV_NAME']}; database {url}; Redis {redis_url}."


def _line(problem: Problem) -> str:
    label = "ERROR  " if problem.level == ERROR else "WARNING"
    return f"{label} {problem.variable}: {problem.message}"


@click.command("check-config")
@click.option(
    "--processes",
    type=click.IntRange(min=1),
    default=1,
    envvar="BUURTHULP_WEB_PROCESSES",
    show_default=True,
    help="How many web processes will run (BUURTHULP_WEB_PROCESSES).",
)
@click.option(
    "--allow-pending-migrations",
    is_flag=True,
    help="Report a database behind the newest migration as a warning (before flask db upgrade).",
)
@click.option("--strict", is_flag=True, help="Exit non-zero on warnings too.")
def check_config_command(processes: int, allow_pending_migrations: bool, strict: bool) -> None:
    """Check the configuration from the environment; exit 1 when there is an error."""
    settings, problems = check_config(
        processes=processes, allow_pending_migrations=allow_pending_migrations
    )
    click.echo(_summary(settings))
    for problem in problems:
        click.echo(_line(problem))
    errors = sum(problem.level == ERROR for problem in problems)
    warnings = len(problems) - errors
    if not problems:
        click.echo("The configuration is fine.")
        return
    click.echo(f"{errors} error(s), {warnings} warning(s).")
    if errors or strict:
        raise SystemExit(1)


if __name__ == "__main__":
    check_config_command()
