"""Fuzzing the plain-text and Markdown parser: nothing escapes but the tool's own InputError."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import InputError
from pipeline.ingest import ingest_file, parse_notes

# pieces notes are made of, so the fuzzer reaches the parser's branches, not just random letters
PIECES = st.sampled_from([
    "", " ", "\t", "- ", "  - ", "* ", "• ", "1. ", "2) ", "(a) ", "# ", "## ", "###### ", "Prompts: ", "Workshop A: ",
    "?", ":", "-", "–", "....... 4", "¹ ", "Page 3", "List of organisations", "Contact", "E: a@b.org",
    "Tel 0121 224 8210", "Cllr ", "The panel heard", "funding", "C-", "19", "**", "[link](http://x)", "<b>", "\u00a0",
    "\u200b", "\ufeff", "What would help?", "We need longer-term funding for small groups.", "x" * 300,
])
LINES = st.lists(st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=6).map("".join), max_size=40)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LINES)
def test_parse_notes_never_raises_anything_else(lines):
    text = "\n".join(lines)
    try:
        segments, report = parse_notes(text, "fuzz.md", "fuzz")
    except InputError:
        return
    ids = [s.id for s in segments]
    assert len(ids) == len(set(ids))
    n_lines = max(1, len(text.splitlines()))
    for seg in segments:
        assert seg.text.strip() and 1 <= seg.line_start <= seg.line_end <= n_lines
    assert all(1 <= d.line <= n_lines for d in report.dropped)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=600), st.sampled_from([".txt", ".md", ".csv", ".jsonl"]))
def test_any_bytes_in_a_text_file_give_segments_or_an_input_error(tmp_path, data, suffix):
    path = tmp_path / f"upload{suffix}"
    path.write_bytes(data)
    try:
        segments, report = ingest_file(path)
    except InputError as exc:
        assert "upload" in str(exc)
        return
    assert segments and report.segments == len(segments)
