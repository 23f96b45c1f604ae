"""`flask demo-data`: (being built)."""

import click


@click.command("demo-data")
def demo_data_command():
    """Load demo initiatives, residents, requests and offers (idempotent)."""
    click.echo("todo")
