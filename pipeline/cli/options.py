"""Command-line options shared by several commands."""
from __future__ import annotations

from pathlib import Path

import click

CODER_HELP = ("auto / zero-shot: the codebook's words, adapted to the statements being coded, plus your --train "
              "examples when given; learned: logistic regression on examples with calibrated per-code "
              "thresholds (see docs/research.md).")


def coder_options(command):
    """--coder, --train and --adapt-prior: which coder, and what it learns from."""
    for option in reversed([
        click.option("--coder", type=click.Choice(["auto", "zero-shot", "learned"]), default="auto",
                     show_default=True, help=CODER_HELP),
        click.option("--train", type=click.Path(path_type=Path),
                     help="Your labelled statements for the coder to learn from: JSONL/CSV (id, text, labels) or a "
                     "REFI-QDA .qdpx project with coded selections."),
        click.option("--adapt-prior", is_flag=True,
                     help="Learned coder: fit the code shares to the statements being coded (EM)."),
    ]):
        command = option(command)
    return command


def scale_options(command):
    """--embedding, --engine and --address: how statements become vectors, and where the per-statement work runs."""
    from ..defaults import EMBEDDING_BACKEND
    from ..embed import BACKENDS

    for option in reversed([
        click.option("--embedding", type=click.Choice(BACKENDS), default=EMBEDDING_BACKEND, show_default=True,
                     help="onnx: the model's vectors via ONNX Runtime (as torch's, to about 1e-6); onnx-int8: 3.5x "
                          "faster, codes and themes can move a little; torch: sentence-transformers, the reference."),
        click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
                     help="local: this process; ray: embedding and per-statement coding on a Ray cluster "
                          "(pip install 'plenary[cluster]'; see docs/scale.md)."),
        click.option("--address", help="Ray cluster address (host:port) for --engine ray (default: RAY_ADDRESS, "
                                       "or a Ray instance started on this machine)."),
    ]):
        command = option(command)
    return command
