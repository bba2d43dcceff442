"""The stage interface and the Pipeline that chains stages.

A stage is a small object in the style of scikit-learn and BERTopic:

- parameters are set in `__init__` and kept as given (no work there);
- `fit(analysis)` learns what the stage needs from the data and returns the stage itself; learned
  state lives in attributes ending in `_` (`coder.codes_`, `finder.themes_`);
- `transform(analysis)` returns a new `records.Analysis` with this stage's part filled in, built with
  `dataclasses.replace`; the records it was given are never edited.

`pipeline.api` wraps each component (embedder, coder, theme finder, ranker, drafter) in such a stage, so a
component can be swapped for another with the same methods (a better coder, a distributed embedder)
without touching the others. A Pipeline runs stages in order, times each one and reports progress.
"""
from __future__ import annotations

import contextlib
import time
from typing import Callable, Iterator, Sequence

from .records import Analysis


class Progress:
    """Progress hook: told when a stage starts and how far a long step has got.

    The default is silent (library use); the CLI shows lines and bars, the web app stores percentages.
    """

    def stage(self, name: str) -> None:
        """Stage `name` is starting."""

    @contextlib.contextmanager
    def bar(self, label: str, total: int) -> Iterator[Callable[[int], None]]:
        """A step of `total` items; the yielded function is called with the number just done."""
        yield lambda n: None


class Stage:
    """One step of an analysis. Subclasses set `name` and override `transform` (and `fit` if they learn)."""

    name = "stage"

    def fit(self, analysis: Analysis, progress: Progress | None = None) -> "Stage":
        """Learn from `analysis`; returns self. Stages that learn nothing keep this default."""
        return self

    def transform(self, analysis: Analysis, progress: Progress | None = None) -> Analysis:
        """A new Analysis with this stage's results; `analysis` itself is left as it was."""
        raise NotImplementedError

    def fit_transform(self, analysis: Analysis, progress: Progress | None = None) -> Analysis:
        return self.fit(analysis, progress).transform(analysis, progress)

    def prepare(self, analysis: Analysis) -> None:
        """Start, in the background, work that needs only the statements `analysis` arrives with (called by
        `Pipeline.run` before the first stage runs; its `transform` picks the work up). Most stages have none."""

    def release(self) -> None:
        """Drop whatever `prepare` started and `transform` did not use (called by `Pipeline.run` at the end)."""

    def get_params(self) -> dict:
        """The parameters given to `__init__` (public attributes not ending in `_`)."""
        return {k: v for k, v in vars(self).items() if not k.startswith("_") and not k.endswith("_")}

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"


class Pipeline:
    """Stages run in order, each fitted then applied to the previous stage's output; every stage is given the
    first Analysis to `prepare` from before any runs, and `release`d after the last (or a failure).

    `run` returns the final Analysis with `timings` (seconds per stage name) added to what came in.
    """

    def __init__(self, stages: Sequence[Stage]):
        self.stages = list(stages)

    def run(self, analysis: Analysis, progress: Progress | None = None) -> Analysis:
        from dataclasses import replace

        progress = progress or Progress()
        timings = dict(analysis.timings)
        for stage in self.stages:
            stage.prepare(analysis)
        try:
            for stage in self.stages:
                progress.stage(stage.name)
                started = time.perf_counter()
                analysis = stage.fit_transform(analysis, progress)
                timings[stage.name] = round(time.perf_counter() - started, 4)
        finally:
            for stage in self.stages:
                stage.release()
        return replace(analysis, timings=timings)
