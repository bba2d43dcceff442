"""The `plenary` command line."""
from __future__ import annotations

import contextlib
import sys
from dataclasses import replace
from pathlib import Path
from typing import Iterator

import click

from .. import __version__
from ..defaults import CODE_THRESHOLD
from ..errors import InputError
from ..files import slug, write_jsonl_atomic
from ..ingest import DEFAULT_MAX_BYTES
from ..stages import Progress
from .options import coder_options, scale_options

CODEBOOK_HELP = "Codebook YAML (default: codebooks/vcfse-action-plan.yaml, the four action headings)."


class ClickReporter(Progress):
    def __init__(self, quiet: bool = False):
        self.quiet = quiet

    def stage(self, name: str) -> None:
        if not self.quiet:
            click.echo(f"· {name}", err=True)

    @contextlib.contextmanager
    def bar(self, label: str, total: int) -> Iterator:
        if self.quiet or total == 0:
            yield lambda n: None
            return
        with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True) as bar:
            yield bar.update


class PlenaryGroup(click.Group):
    """Turns the tool's own input errors into one clear line and exit code 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InputError as exc:
            click.echo(f"plenary: error: {exc}", err=True)
            ctx.exit(2)


@click.group(cls=PlenaryGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="plenary")
def main():
    """Plenary: turn many people's notes into ranked themes and a draft action plan, offline.

    \b
    Start with:  plenary run            (the bundled demo corpora)
                 plenary run notes.md   (your own notes)
    """


def coding_options(command):
    """The coder's options, shared by `run` and `code`."""
    command = click.option("--quiet", "-q", is_flag=True, help="No progress output.")(command)
    command = click.option("--overrides", type=click.Path(path_type=Path),
                           help="Your own codes (JSONL {id, codes}); they always win and are marked as coded by "
                                "a person (\"by\": \"person\").")(command)
    return coder_options(command)


def _check_event_date(ctx, param, value):
    if value is None:
        return None
    from ..ingest.events import check_date
    try:
        return check_date(value)
    except InputError as exc:
        raise click.BadParameter(exc.message) from None


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--codebook", "-c", type=click.Path(path_type=Path), help=CODEBOOK_HELP)
@click.option("--out", "-o", type=click.Path(path_type=Path),
              help="Output folder (default: outputs/<run-name>/). Replaced only when the run succeeds.")
@click.option("--name", help="Run name (default: from --event, the single input file, or 'bundled-corpora').")
@click.option("--event", help="Event name for every statement (default: the event.yaml sidecar, or each file's name).")
@click.option("--event-date", callback=_check_event_date,
              help="Event date for every file, YYYY, YYYY-MM or YYYY-MM-DD (default: from event.yaml sidecars).")
@click.option("--event-place", help="Event place for every file (default: from event.yaml sidecars).")
@click.option("--event-type", help="Event type for every file: assembly, workshop, panel, survey... "
                                   "(default: from event.yaml sidecars).")
@click.option("--themes", type=click.IntRange(2, 200), help="Number of themes (default: about sqrt(statements/2)).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed for clustering.")
@click.option("--threshold", type=click.FloatRange(-1, 1), default=CODE_THRESHOLD, show_default=True,
              help="Score a statement must reach to take a code (a code's own 'threshold' wins).")
@click.option("--text-column", multiple=True,
              help="A free-text column to read in CSV/XLSX/JSONL input; repeat for several questions "
                   "(default: the columns whose answers are free text).")
@click.option("--header-row", type=click.IntRange(1), default=None,
              help="The row of a spreadsheet or CSV that holds the column names (default: found; a title "
                   "above the table is skipped).")
@click.option("--max-mb", type=click.FloatRange(0.001), default=DEFAULT_MAX_BYTES / 1024 / 1024, show_default=True,
              help="Refuse input files larger than this.")
@click.option("--no-redact", "no_redact", is_flag=True,
              help="Keep emails, phone numbers, URLs, postcodes, NI numbers and names (redacted by default).")
@click.option("--keep-going", is_flag=True,
              help="Analyse the files that could be read even if some could not (exit 0; failures in run.json).")
@click.option("--keep-headings", is_flag=True,
              help="Keep the codebook's headings for the action plan even when it fits the notes poorly (by "
                   "default the plan's headings are then drafted from the themes, as `plenary codebook draft` does).")
@scale_options
@coding_options
def run(paths, codebook, out, name, event, event_date, event_place, event_type, themes, seed, threshold, text_column,
        header_row, max_mb, no_redact, keep_going, keep_headings, coder, train, overrides, adapt_prior, quiet, embedding, engine, address):
    """Analyse notes: themes, codes, ranking and a draft action plan.

    PATHS are notes files (.txt, .md, .docx, .pdf, .csv, .xlsx, .jsonl) or
    folders of them; an event.yaml beside them gives the event's name, date,
    place and type. With no PATHS the bundled demo corpora are analysed.
    Personal details are redacted before anything is embedded or written
    (--no-redact turns this off). Writes segments.jsonl,
    themes.json, recommendations.json/.md, summary.md, report.html, ingest.json
    and run.json into the output folder.
    """
    from ..api import Settings, run_pipeline
    from ..render.report import write_run

    # --text-column may be given once per question column
    columns = list(text_column) if len(text_column) > 1 else (text_column[0] if text_column else None)
    settings = Settings(
        codebook=str(codebook) if codebook else None, event=event, n_themes=themes, seed=seed, threshold=threshold,
        keep_going=keep_going, text_column=columns, header_row=header_row, max_bytes=int(max_mb * 1024 * 1024),
        redact=not no_redact,
        event_date=event_date, event_place=event_place, event_type=event_type, coder=coder,
        train=str(train) if train else None, overrides=str(overrides) if overrides else None,
        adapt_prior=adapt_prior, embedding=embedding, engine=engine, address=address, keep_headings=keep_headings)
    if name is None:
        name = slug(event) if event else (slug(paths[0].name) if len(paths) == 1 else
                                          "bundled-corpora" if not paths else "notes")
    out = out or Path("outputs") / name
    result = run_pipeline(paths, settings, reporter=ClickReporter(quiet))
    write_run(result, out, name=name)
    if not quiet:
        from .text import format_report
        for report in result.reports:
            click.echo(format_report(report), err=True)
    for failure in result.failures:
        click.echo(f"plenary: skipped: {failure}", err=True)
    if result.overrides:
        missing = result.overrides["unmatched"]
        applied = result.overrides["applied"]
        click.echo(f"overrides: {applied} statement{'s' if applied != 1 else ''} coded by a person"
                   + (f"; {len(missing)} ids match no statement (first: {missing[0]})" if missing else ""), err=True)
    fit = result.fit or {}
    if fit.get("message") and (fit.get("poor_fit") or not quiet):
        click.echo(("warning: " if fit.get("poor_fit") else "") + fit["message"], err=True)
    if fit.get("drafted_headings"):
        labels = "; ".join(c["label"] for c in fit["drafted_headings"]["codes"])
        click.echo(f"note: {fit['drafted_headings']['note']} Headings: {labels}. The statements keep their codes; "
                   "--keep-headings uses the codebook's headings instead.", err=True)
    themes_n = sum(1 for t in result.themes if not t.is_unclustered)
    recs = sum(len(p.recommendations) for p in result.plans)
    click.echo(f"{len(result.segments)} statements, {themes_n} themes, {recs} recommendations "
               f"→ {out / 'report.html'}")


@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--codebook", "-c", type=click.Path(path_type=Path), help=CODEBOOK_HELP)
@click.option("--out", "-o", type=click.Path(path_type=Path), required=True, help="Output JSONL file.")
@click.option("--threshold", type=click.FloatRange(-1, 1), default=CODE_THRESHOLD, show_default=True,
              help="Learned coder: score a statement must reach to take a code (the default coder calibrates "
                   "its own abstention; a code's own 'threshold' always applies).")
@click.option("--text-column", help="Column holding the statements in CSV/JSONL input (default: 'text').")
@coding_options
def code(input_path, codebook, out, threshold, text_column, coder, train, overrides, adapt_prior, quiet):
    """Code statements against a codebook, one output line per input item.

    INPUT is JSONL with {"id", "text"} per line, a CSV/TSV/XLSX, or any notes
    file. Every item gets exactly one output line, in input order:
    {"id", "text", "codes": [{"code", "score", "by"}], "primary", "nearest",
    "non_answer"}. Placeholders ("No", "N/A", "-", "", emoji only) are kept,
    marked "non_answer": true and left uncoded; "codes" is also empty when
    no code fits, and "nearest" still names the closest code and its score.
    """
    from ..api import load_codebook
    from ..coding import make_coder
    from ..coding.items import non_answers, read_items
    from ..exchange.coded import read_coding
    from ..coding.overrides import apply_overrides, read_overrides
    from ..embed import Embedder

    reporter = ClickReporter(quiet)
    book = load_codebook(codebook)
    train_items = read_coding(train, book, what="training", need_text=True) if train else []
    person = read_overrides(overrides, book) if overrides else []
    segments = read_items(input_path, text_column=text_column)
    empty = non_answers(segments)
    embedder = Embedder()
    with reporter.bar("Embedding statements", len(segments)) as advance:
        vectors = embedder.encode([s.text for s in segments], progress=advance)
    segments = make_coder(embedder, book, coder, train_items, threshold=threshold,
                          prior="adapt" if adapt_prior else "flat").transform(segments, vectors)
    # a non-answer takes no code from the tool (a person's own code still wins below)
    segments = [replace(s, codes=[c for c in s.codes if c.by == "person"]) if na else s
                for s, na in zip(segments, empty)]
    if person:
        segments, _ = apply_overrides(segments, person, str(overrides))
    rows = [{"id": s.id, "text": s.text, "codes": [{"code": c.code, "score": c.score, "by": c.by} for c in s.codes],
             "primary": s.primary, "nearest": {"code": s.nearest.code, "score": s.nearest.score} if s.nearest else None,
             "non_answer": na}
            for s, na in zip(segments, empty)]
    write_jsonl_atomic(out, rows)
    coded = sum(1 for r in rows if r["codes"])
    skipped = sum(empty)
    click.echo(f"{len(rows)} items coded ({coded} with a code, {len(rows) - coded - skipped} uncoded, "
               f"{skipped} non-answer{'s' if skipped != 1 else ''}) → {out}")


# Command groups that live in their own modules (each keeps heavy imports inside its commands).
from . import compare, research, serve  # noqa: E402

for _module in (research, compare, serve):
    _module.register(main)

if __name__ == "__main__":
    main()
