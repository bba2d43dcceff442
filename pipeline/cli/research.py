"""Researcher commands: codebook, eval, suggest, export and import (REFI-QDA)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..defaults import BOOTSTRAP, CODE_THRESHOLD, N_NEXT, SEED
from .options import coder_options

CODEBOOK_HELP = "Codebook YAML or REFI-QDA .qdc (default: the bundled codebooks/vcfse-action-plan.yaml)."


def _learning_options(f):
    f = click.option("--threshold", type=click.FloatRange(-1, 1), default=CODE_THRESHOLD, show_default=True,
                     help="Zero-shot score a statement must reach to take a code (a code's own threshold wins).")(f)
    f = coder_options(f)
    f = click.option("--codebook", "-c", type=click.Path(path_type=Path), help=CODEBOOK_HELP)(f)
    return f


def _coder_label(coder, train, cv: int | None = None, seed: int = 0) -> str:
    from ..coding import ExampleCoder

    if cv:
        return f"learned, {cv}-fold cross-fitted on the gold file (seed {seed})" + \
            (f" plus {len(train)} training statements" if train else "")
    if isinstance(coder, ExampleCoder):
        n = len(coder.items_)
        return f"learned from {n} labelled statements (codebook examples and --train)" + \
            (", prior adapted to the batch" if coder.prior == "adapt" else "")
    return "zero-shot"


def register(group: click.Group) -> None:
    """Add this module's commands to the `plenary` group."""

    # ------------------------------------------------------------------ codebook
    @group.group()
    def codebook():
        """Check, show and compare codebooks.

        \b
        plenary codebook validate my-codebook.yaml
        plenary codebook show my-codebook.yaml --verbose
        plenary codebook diff old.yaml new.yaml
        """

    @codebook.command()
    @click.argument("path", required=False, type=click.Path(path_type=Path))
    def validate(path):
        """Check a codebook; errors name the line and field to fix (exit 2)."""
        from ..api import load_codebook

        book = load_codebook(path)
        examples = sum(len(c.examples) for c in book.codes)
        no_examples = [c.id for c in book.codable if not c.examples]
        click.echo(f"ok: {book.path or book.name}: '{book.name}'"
                   + (f" version {book.version}" if book.version else "")
                   + f", {len(book.codes)} codes ({len(book.codable)} codable), {examples} examples"
                   + (f", {len(book.sets)} sets" if book.sets else ""))
        if no_examples:
            click.echo(f"note: {len(no_examples)} codable code(s) have no examples: {', '.join(no_examples)}")
        off = [c.id for c in book.codes if not c.is_heading]
        click.echo(f"plan headings: {', '.join(c.heading or c.label for c in book.action_headings)}"
                   + (f" (not headings, 'heading: false': {', '.join(off)})" if off else ""))

    @codebook.command()
    @click.argument("path", required=False, type=click.Path(path_type=Path))
    @click.option("--verbose", "-v", is_flag=True, help="Every field of every code.")
    @click.option("--format", "fmt", type=click.Choice(["text", "yaml", "json"]), default="text", show_default=True)
    def show(path, verbose, fmt):
        """Show a codebook as a tree (or as YAML/JSON, e.g. to convert a .qdc)."""
        from ..api import load_codebook
        from ..codebook import show_text

        book = load_codebook(path)
        if fmt == "yaml":
            click.echo(book.to_yaml().rstrip())
        elif fmt == "json":
            click.echo(json.dumps(book.to_dict(), ensure_ascii=False, indent=2))
        else:
            click.echo(show_text(book, verbose=verbose))

    @codebook.command()
    @click.argument("old", type=click.Path(path_type=Path))
    @click.argument("new", type=click.Path(path_type=Path))
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
    @click.option("--exit-code", is_flag=True, help="Exit 1 when the codebooks differ (as `diff` does).")
    def diff(old, new, fmt, exit_code):
        """What changed between two versions of a codebook, code by code and field by field."""
        from ..api import load_codebook
        from ..codebook import diff_codebooks, diff_text

        result = diff_codebooks(load_codebook(old), load_codebook(new))
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) if fmt == "json" else diff_text(result))
        if exit_code and not result.empty:
            sys.exit(1)

    # ------------------------------------------------------------------ eval
    @codebook.command()
    @click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
    @click.option("--out", "-o", type=click.Path(path_type=Path),
                  help="Where to write the YAML codebook (default: print it). An existing file is not replaced.")
    @click.option("--name", help="Codebook name (default: from the notes file or run folder).")
    @click.option("--themes", type=click.IntRange(2, 50), help="Number of themes to draft from (notes only; "
                                                               "default: about sqrt(statements)).")
    def draft(paths, out, name, themes):
        """Draft a starter codebook from the notes' own themes.

        PATHS is a finished run folder, or notes files (analysed first). Each
        theme becomes a code with a readable id and label, a description to
        rewrite, include lines and examples cited by file and line. Edit it,
        check it with `plenary codebook validate`, then run with --codebook.
        """
        from ..api import Settings
        from ..errors import InputError
        from ..evaluate.draft import draft_from
        from ..files import write_bytes_atomic

        if out is not None and Path(out).exists():
            raise InputError(out, "already exists; choose another --out or remove it first")
        try:
            text, where = draft_from(list(paths), name=name, settings=Settings(n_themes=themes))
        except ValueError as exc:
            raise InputError(paths[0], str(exc)) from None
        if out is None:
            click.echo(text, nl=False)
            return
        write_bytes_atomic(out, text.encode("utf-8"))
        n = text.count("\n  - id:")
        click.echo(f"{n} codes drafted from {where} → {out} (edit it, then `plenary codebook validate {out}`)")

    @group.command(name="eval")
    @click.argument("gold", type=click.Path(path_type=Path))
    @_learning_options
    @click.option("--run", "run_dir", type=click.Path(path_type=Path),
                  help="Compare with a finished run's coding (its segments.jsonl), matched by id, "
                       "instead of coding the gold texts afresh.")
    @click.option("--predictions", type=click.Path(path_type=Path),
                  help="Compare with a `plenary code` output file, matched by id.")
    @click.option("--cv", type=click.IntRange(2, 20),
                  help="Cross-fit: learn from the other K-1 folds of the gold file, code the held-out fold.")
    @click.option("--overrides", type=click.Path(path_type=Path),
                  help="Your own codes (JSONL {id, codes}); those statements count as coded by a person.")
    @click.option("--include-person", is_flag=True, help="Keep statements coded by a person in the comparison.")
    @click.option("--out", "-o", type=click.Path(path_type=Path),
                  help="Folder for eval.json, eval.md, confusion.png/.svg (default: outputs/eval-<gold name>/).")
    @click.option("--bootstrap", type=click.IntRange(0, 100000), default=BOOTSTRAP, show_default=True,
                  help="Bootstrap resamples for the 95% intervals (0: none).")
    @click.option("--seed", type=int, default=SEED, show_default=True, help="Seed for the bootstrap and the folds.")
    @click.option("--show", type=click.IntRange(0), default=10, show_default=True,
                  help="Disagreements to print (all are in eval.md).")
    def eval_(gold, codebook, train, coder, threshold, adapt_prior, run_dir, predictions, cv, overrides,
              include_person, out, bootstrap, seed, show):
        """Agreement between the tool's coding and yours.

        GOLD is your coded sample: JSONL {"id", "text", "labels": [...], "primary"?}
        per line, a CSV with those columns (labels separated by ';'; an empty
        list means you left the statement uncoded), or a REFI-QDA .qdpx project
        whose coded selections are the statements. Labels may name a code by
        its id or its label. By default the gold texts are
        coded afresh with the codebook; --run or --predictions compare with coding
        already done. Reports per-code precision/recall/F1, macro and micro F1,
        Cohen's kappa, Krippendorff's alpha (nominal and MASI), a confusion matrix
        and every disagreement with the tool's scores, with bootstrap 95%
        intervals. Writes eval.json, eval.md, confusion.png and confusion.svg.
        """
        from ..exchange.coded import read_coding
        from ..evaluate.agreement import evaluate, predictions_from_records, read_coded
        from ..render.evaluation import eval_text, write_eval
        from ..api import load_codebook
        from ..errors import InputError

        book = load_codebook(codebook)
        fresh = run_dir is None and predictions is None
        if run_dir is not None and predictions is not None:
            raise click.UsageError("give --run or --predictions, not both")
        if not fresh and (cv or train):
            raise click.UsageError("--cv and --train apply when the gold texts are coded afresh, not with --run")
        items = read_coding(gold, book, what="gold", need_text=fresh)
        train_items = read_coding(train, book, what="training", need_text=True) if train else []
        if train_items:
            gold_ids, gold_texts = {it.id for it in items}, {it.text for it in items}
            clash = next((t for t in train_items if t.id in gold_ids or t.text in gold_texts), None)
            if clash is not None:
                raise InputError(train, f"statement '{clash.id}' is also in the gold file; training on it would "
                                        "inflate agreement (use --cv to learn from the gold file fairly)",
                                 clash.line, "id")
        notes: list[str] = []
        if fresh:
            from ..embed import Embedder

            embedder = Embedder()
            preds, coder_obj = _code_gold(items, book, embedder, coder, train_items, threshold, adapt_prior, cv, seed)
            label = _coder_label(coder_obj, train_items, cv, seed)
            example_texts = {e for c in book.codes for e in c.examples}
            leaked = [it.id for it in items if it.text in example_texts]
            if leaked:
                notes.append(f"{len(leaked)} gold statement(s) are also codebook examples (e.g. {leaked[0]}); "
                             "agreement on them is flattered.")
            if overrides:
                from ..coding.overrides import read_overrides

                person = {it.id: it for it in read_overrides(overrides, book)}
                for p in preds:
                    if p.id in person:
                        p.codes, p.by = list(person[p.id].labels), "person"
        else:
            source = run_dir or predictions
            preds = predictions_from_records(source, read_coded(source), items, gold)
            label = f"as coded in {source}"
        result = evaluate(items, preds, book, bootstrap=bootstrap, seed=seed, include_person=include_person,
                          gold_name=str(gold), coder_name=label)
        result.notes += notes
        result.settings.update({"threshold": threshold, "coder": coder, "cv": cv, "train": str(train) if train else None,
                                "adapt_prior": adapt_prior})
        out = out or Path("outputs") / f"eval-{gold.stem}"
        write_eval(result, out)
        click.echo(eval_text(result, show=show))
        click.echo(f"\n→ {out / 'eval.md'} (and eval.json, confusion.png, confusion.svg)")

    # ------------------------------------------------------------------ suggest
    @group.command()
    @click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
    @_learning_options
    @click.option("--run", "run_dir", type=click.Path(path_type=Path),
                  help="Work from a finished run's statements (and any person's codes in it).")
    @click.option("--gold", type=click.Path(path_type=Path),
                  help="Your coded sample: confused pairs then come from your coding vs the tool's.")
    @click.option("--overrides", type=click.Path(path_type=Path), help="Your own codes (JSONL {id, codes}).")
    @click.option("--next", "n_next", type=click.IntRange(1, 500), default=N_NEXT, show_default=True,
                  help="How many statements to propose for coding next.")
    @click.option("--seed", type=int, default=SEED, show_default=True)
    @click.option("--out", "-o", type=click.Path(path_type=Path),
                  help="Folder for suggestions.md/.json and to-code.jsonl (default: outputs/suggest-<name>/).")
    def suggest(paths, codebook, train, coder, threshold, adapt_prior, run_dir, gold, overrides, n_next, seed, out):
        """Suggest codebook work: new codes, confused pairs, thin codes, what to code next.

        Works on PATHS (notes files, as for `plenary run`; the bundled corpora when
        none are given) or on a finished run (--run). Writes suggestions.md,
        suggestions.json and to-code.jsonl: the statements nearest a decision
        boundary, as a template to fill in and pass back with --train.
        """
        from ..api import load_codebook
        from ..coding import apply_assignments, make_coder
        from ..exchange.coded import read_coding
        from ..embed import Embedder
        from ..evaluate.suggest import suggest as make_suggestions
        from ..render.suggestions import suggestions_text, write_suggestions

        book = load_codebook(codebook)
        train_items = read_coding(train, book, what="training", need_text=True) if train else []
        gold_items = read_coding(gold, book, what="gold") if gold else []
        if run_dir is not None and paths:
            raise click.UsageError("give notes PATHS or --run, not both")
        segments, name = _segments_for(paths, run_dir)
        embedder = Embedder()
        vectors = embedder.encode([s.text for s in segments])
        model = make_coder(embedder, book, coder, train_items, threshold=threshold,
                           prior="adapt" if adapt_prior else "flat", seed=seed)
        kept = {s.id: list(s.codes) for s in segments if s.attributes.get("coded_by") == "person"}
        scores = model.score([s.text for s in segments], vectors)
        assigned = model.assign(scores)
        segments = apply_assignments(segments, assigned, keep=kept)
        if overrides:
            from ..coding.overrides import apply_overrides, read_overrides

            segments, _ = apply_overrides(segments, read_overrides(overrides, book), str(overrides))
        result = make_suggestions(segments, vectors, scores, assigned, book, model, gold=gold_items,
                                  train=train_items, n_next=n_next, seed=seed)
        out = out or Path("outputs") / f"suggest-{name}"
        write_suggestions(result, out)
        click.echo(suggestions_text(result))
        click.echo(f"\n→ {out / 'suggestions.md'} (and suggestions.json, to-code.jsonl)")

    # ------------------------------------------------------------------ export / import
    @group.group(name="export")
    def export():
        """Export to REFI-QDA for NVivo, ATLAS.ti, MAXQDA, QualCoder and others.

        \b
        plenary export qdc --codebook my-codebook.yaml --out my-codebook.qdc
        plenary export qdpx outputs/my-run --out my-run.qdpx
        """

    @export.command()
    @click.option("--codebook", "-c", type=click.Path(path_type=Path), help=CODEBOOK_HELP)
    @click.option("--out", "-o", type=click.Path(path_type=Path), required=True, help="The .qdc file to write.")
    @click.option("--plain", is_flag=True,
                  help="Leave Plenary's own fields (id, examples, include/exclude...) out of the descriptions.")
    def qdc(codebook, out, plain):
        """Write the codebook as a REFI-QDA codebook (.qdc)."""
        from ..api import load_codebook
        from ..exchange.refi import write_qdc

        book = load_codebook(codebook)
        write_qdc(book, out, plain=plain)
        click.echo(f"{len(book.codes)} codes" + (f", {len(book.sets)} sets" if book.sets else "") + f" → {out}")

    @export.command()
    @click.argument("run_dir", metavar="RUN", type=click.Path(path_type=Path))
    @click.option("--out", "-o", type=click.Path(path_type=Path), help="The .qdpx file (default: RUN/../<name>.qdpx).")
    @click.option("--codebook", "-c", type=click.Path(path_type=Path),
                  help="The run's codebook, if it has moved since the run (default: the path in run.json).")
    @click.option("--statements-only", is_flag=True,
                  help="Store each source as its statements, one per line, not the (redacted) original text.")
    def qdpx(run_dir, out, codebook, statements_only):
        """Write a finished run as a REFI-QDA project (.qdpx): sources as text, each coded
        statement a PlainTextSelection with its Codings."""
        from ..api import load_codebook
        from ..exchange.qdpx import export_run_qdpx

        book = load_codebook(codebook) if codebook else None
        out = out or run_dir.parent / f"{run_dir.name}.qdpx"
        result = export_run_qdpx(run_dir, out, book, statements_only=statements_only)
        click.echo(f"{result.sources} sources, {result.selections} coded selections, {result.codings} codings "
                   f"→ {result.path}")
        from ..exchange.rundir import read_run_json, source_status

        for line in source_status(read_run_json(run_dir)):
            click.echo(f"note: {line}; the run's own copy is exported", err=True)
        if result.rebuilt and not statements_only:
            click.echo(f"note: {len(result.rebuilt)} source(s) were not plain text and are stored as their "
                       f"statements, one per line: {', '.join(result.rebuilt)}")
        if result.unplaced:
            click.echo(f"note: {len(result.unplaced)} coded statement(s) could not be found in their source "
                       f"text and were left out: {', '.join(result.unplaced[:5])}", err=True)

    @group.group(name="import")
    def import_():
        """Import from REFI-QDA files written by other QDA programs."""

    @import_.command(name="qdc")
    @click.argument("path", type=click.Path(path_type=Path))
    @click.option("--out", "-o", type=click.Path(path_type=Path), required=True, help="The codebook YAML to write.")
    def import_qdc(path, out):
        """Turn a REFI-QDA codebook (.qdc) into a Plenary codebook YAML (categories, nesting and Sets kept)."""
        from ..exchange.refi import ImportNotes, read_qdc
        from ..files import write_bytes_atomic

        notes = ImportNotes()
        book = read_qdc(path, notes)
        header = f"# Imported from {path.name}" + (f" (written by {notes.origin})" if notes.origin else "") + "\n"
        write_bytes_atomic(out, (header + book.to_yaml()).encode("utf-8"))
        click.echo(f"{len(book.codes)} codes ({len(book.codable)} codable)"
                   + (f", {len(book.sets)} sets" if book.sets else "") + f" → {out}")
        for message in notes.messages:
            click.echo(f"note: {message}")

    _register_qdpx_check(import_)


def _register_qdpx_check(import_group: click.Group) -> None:
    @import_group.command(name="qdpx")
    @click.argument("path", type=click.Path(path_type=Path))
    def import_qdpx(path):
        """Read a REFI-QDA project (.qdpx) and check it: its codebook is valid against the REFI-QDA
        schema, every Coding names a code, every selection lies inside its source."""
        from ..exchange.qdpx import check_qdpx

        info = check_qdpx(path)
        click.echo(f"ok: {path}: project '{info['name']}', {info['codes']} codes, {info['sources']} sources, "
                   f"{info['selections']} coded selections, {info['codings']} codings")


def _code_gold(items, book, embedder, kind, train_items, threshold, adapt_prior, cv, seed):
    """The tool's predictions for the gold statements: plain, or cross-fitted over K folds."""
    from ..coding import make_coder
    from ..evaluate.agreement import code_items, cross_fit

    prior = "adapt" if adapt_prior else "flat"
    if not cv:
        coder = make_coder(embedder, book, kind, train_items, threshold=threshold, prior=prior, seed=seed)
        return code_items(items, coder, embedder), coder
    return cross_fit(items, book, embedder, cv, train_items, threshold=threshold, prior=prior, seed=seed)


def _segments_for(paths, run_dir):
    """Statements to work on: from a run folder's segments.jsonl, or ingested from notes files."""
    from ..evaluate.agreement import read_coded
    from ..records import CodeAssignment, Segment

    if run_dir is not None:
        segments = []
        for r in read_coded(run_dir):
            person = [CodeAssignment(c["code"], c.get("score", 1.0), c.get("by", "tool"))
                      for c in r.get("codes") or [] if c.get("by") == "person"]
            attributes = dict(r.get("attributes") or {})
            if person:
                attributes.setdefault("coded_by", "person")
            segments.append(Segment(id=str(r["id"]), text=r["text"], source=r.get("source", ""),
                                    line_start=r.get("line_start") or 0, line_end=r.get("line_end") or 0,
                                    event=r.get("event") or "", attributes=attributes, codes=person))
        return segments, Path(run_dir).name
    from ..api import default_inputs
    from ..files import slug
    from ..ingest import ingest

    inputs = list(paths) or default_inputs()
    result = ingest(inputs)
    if result.failures:
        raise result.failures[0]
    name = slug(Path(paths[0]).name) if len(paths) == 1 else "bundled-corpora" if not paths else "notes"
    return result.segments, name
