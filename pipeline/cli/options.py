"""Command-line options shared by several commands."""
from __future__ import annotations

from pathlib import Path

import click

CODER_HELP = ("auto: learn from --train statements when given, else zero-shot; zero-shot: descriptions and "
              "examples as prototypes; learned: logistic regression on examples (see docs/research.md).")


def coder_options(command):
    """--coder, --train and --adapt-prior: which coder, and what it learns from."""
    for option in reversed([
        click.option("--coder", type=click.Choice(["auto", "zero-shot", "learned"]), default="auto",
                     show_default=True, help=CODER_HELP),
        click.option("--train", type=click.Path(path_type=Path),
                     help="Your labelled statements (JSONL/CSV: id, text, labels) for the coder to learn from."),
        click.option("--adapt-prior", is_flag=True,
                     help="Learned coder: fit the code shares to the statements being coded (EM)."),
    ]):
        command = option(command)
    return command
