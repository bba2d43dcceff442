"""The serve command: the web app for facilitators."""
from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Add this module's commands to the `plenary` group."""
