"""Unit tests of the web app's parts: plan reconciliation, storage, limits, migrations, codebook bridge, export."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document as WordDocument
from sqlalchemy import text

from pipeline.codebook import load_codebook
from pipeline.errors import InputError
from pipeline.exchange import docx as export
from pipeline.web import codebooks, plan, storage
from pipeline.web.config import WebConfig, format_mb, is_loopback
from pipeline.web.db import Database, current_revision, head_revision, migrate
from pipeline.web.models import Base, Recommendation
from pipeline.web.views import PlanHeading, PlanItem, Statement


# --------------------------------------------------------------------------- plan reconciliation
def rec(id_, text, evidence, status="proposed", edited=False, origin="tool", position=0, heading="funding",
        drafted_from=None):
    return Recommendation(id=id_, project_id=1, heading_code=heading, position=position, text=text, status=status,
                          edited=edited, origin=origin, support=len(evidence), sections=1, evidence=list(evidence),
                          themes=[], drafted_from=drafted_from, proposal=None, stale=False)


def draft(text, evidence, heading="funding", drafted_from=""):
    return plan.Draft(heading, text, len(evidence), 1, list(evidence), [], drafted_from)


def test_untouched_draft_takes_the_new_wording():
    old = rec(1, "Fund groups", ["a:1", "a:2"])
    out = plan.reconcile([old], [draft("Fund small groups for longer", ["a:1", "a:2", "a:3"])], 1, 2)
    assert old.text == "Fund small groups for longer"
    assert old.evidence == ["a:1", "a:2", "a:3"] and old.support == 3
    assert old.proposal is None and out.updated == [old] and not out.added


def test_accepted_text_is_never_overwritten_only_proposed():
    old = rec(1, "Fund groups for three years", ["a:1", "a:2"], status="accepted", edited=True)
    out = plan.reconcile([old], [draft("Provide longer-term funding", ["a:2", "a:1"])], 1, 2)
    assert old.text == "Fund groups for three years"
    assert old.status == "accepted"
    assert old.proposal == "Provide longer-term funding"
    assert out.proposed == [old]


def test_same_wording_proposes_nothing():
    old = rec(1, "Provide funding", ["a:1"], status="accepted")
    plan.reconcile([old], [draft("Provide funding", ["a:1"])], 1, 2)
    assert old.proposal is None


def test_deleted_line_stays_deleted_and_is_not_drafted_again():
    old = rec(1, "Hold more meetings", ["a:1", "a:2"], status="deleted")
    out = plan.reconcile([old], [draft("Hold meetings", ["a:1", "a:2"])], 1, 2)
    assert old.status == "deleted" and old.proposal is None
    assert not out.added


def test_merged_line_absorbs_both_drafts_it_was_made_from():
    target = rec(1, "Fund and train groups", ["a:1", "a:2", "b:1"], edited=True)
    gone = rec(2, "Train groups", ["b:1"], status="merged")
    out = plan.reconcile([target, gone], [draft("Fund groups", ["a:1", "a:2"]), draft("Train staff", ["b:1"])], 1, 2)
    assert not out.added
    assert target.text == "Fund and train groups"
    assert set(target.evidence) == {"a:1", "a:2", "b:1"}
    assert gone.status == "merged"


def test_unmatched_lines_untouched_go_person_owned_stay_stale():
    untouched = rec(1, "Old draft", ["x:1"], position=0)
    mine = rec(2, "My own line", [], origin="person", edited=True, position=1)
    edited = rec(3, "Edited draft", ["y:1"], edited=True, position=2)
    out = plan.reconcile([untouched, mine, edited], [draft("Brand new", ["z:1"])], 1, 2)
    assert out.removed == [untouched]
    assert edited.stale and edited in out.stale
    assert not mine.stale and mine not in out.removed  # a person's own line is kept, and was never drafted
    assert [r.text for r in out.added] == ["Brand new"]
    assert out.added[0].position > max(mine.position, edited.position)


def test_reorder_is_kept_across_a_rerun():
    first = rec(1, "First", ["a:1"], position=1)
    second = rec(2, "Second", ["b:1"], position=0)  # the person moved it up
    plan.reconcile([first, second], [draft("First", ["a:1"]), draft("Second", ["b:1"])], 1, 2)
    assert (second.position, first.position) == (0, 1)


def test_match_by_source_statement_when_evidence_changes():
    old = rec(1, "Edited", ["a:1", "a:2", "a:3"], edited=True, drafted_from="We need more funding")
    out = plan.reconcile([old], [draft("Fund more", ["a:9"], drafted_from="We need more funding")], 1, 2)
    assert not out.added and old.proposal == "Fund more" and old.evidence == ["a:9"]


def test_reconcile_is_deterministic():
    def state():
        existing = [rec(i, f"line {i}", [f"s:{i}", f"s:{i + 1}"], position=i) for i in range(5)]
        drafts = [draft(f"new {i}", [f"s:{i + 1}", f"s:{i + 2}"]) for i in range(5)]
        out = plan.reconcile(existing, drafts, 1, 2)
        return ([(r.id, r.text, r.position) for r in existing if r not in out.removed],
                [(r.text, r.position) for r in out.added])

    assert state() == state()


def test_edit_text_rejects_empty_and_overlong():
    with pytest.raises(plan.PlanError):
        plan.clean_text("   ")
    with pytest.raises(plan.PlanError):
        plan.clean_text("x" * (plan.MAX_TEXT + 1))
    assert plan.clean_text("  Fund\n groups  ") == "Fund groups"


# --------------------------------------------------------------------------- storage and limits
@pytest.mark.parametrize("client_name, expected", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("C:\\Users\\me\\Notes 2024 (final).md", "notes-2024-final.md"),
    ("<script>alert(1)</script>.txt", "script.txt"),
    ("...txt", "notes.txt"),
])
def test_run_names_are_safe_slugs(client_name, expected):
    ext = storage.extension(client_name)
    name = storage.run_name(client_name, ext, set())
    assert name == expected
    assert "/" not in name and "\\" not in name and ".." not in name.replace(ext, "")


def test_run_names_are_unique():
    taken = {"notes.txt", "notes-2.txt"}
    assert storage.run_name("notes.txt", ".txt", taken) == "notes-3.txt"


def test_extension_refuses_odd_suffixes():
    assert storage.extension("a.TXT") == ".txt"
    assert storage.extension("noext") == ""
    assert storage.extension("a.tx t") == ""


def test_supported_extensions_follow_the_ingest_readers(monkeypatch):
    from pipeline import ingest

    monkeypatch.setitem(ingest.READERS, ".fake", ingest.READERS[".txt"])
    assert ".fake" in storage.supported_extensions()


def test_store_hashes_and_names_by_content(tmp_path):
    data = b"- We need longer-term funding\n" * 10
    stored = storage.store(io.BytesIO(data), tmp_path, ".txt", 10_000)
    import hashlib

    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.path.name == f"{stored.sha256}.txt" and stored.path.read_bytes() == data
    assert stored.size == len(data)


def test_store_refuses_too_large_and_leaves_nothing(tmp_path):
    with pytest.raises(storage.TooLarge):
        storage.store(io.BytesIO(b"x" * 5000), tmp_path, ".txt", 4096)
    assert list(tmp_path.iterdir()) == []


def test_verify_notices_a_changed_file(tmp_path):
    stored = storage.store(io.BytesIO(b"- one\n- two\n"), tmp_path, ".txt", 1000)
    storage.verify(stored.path, stored.sha256)
    stored.path.write_bytes(b"- changed\n")
    with pytest.raises(InputError, match="changed on disk"):
        storage.verify(stored.path, stored.sha256)


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("127.0.0.5", True), ("::1", True),
                                            ("localhost", True), ("0.0.0.0", False), ("192.168.1.4", False),
                                            ("::", False), ("example.org", False)])
def test_loopback_detection(host, loopback):
    assert is_loopback(host) is loopback


def test_sizes_read_well():
    assert format_mb(50 * 1024 * 1024) == "50 MB"
    assert format_mb(1.5 * 1024 * 1024) == "1.5 MB"


def test_request_limit_allows_at_least_one_file():
    config = WebConfig(data_dir=Path("/nonexistent"), max_upload_bytes=300 * 1024 * 1024, max_files=20)
    assert config.max_request_bytes > config.max_upload_bytes


# --------------------------------------------------------------------------- database and migrations
def test_migrations_match_the_models(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    db = Database(tmp_path / "db.sqlite")
    db.upgrade()
    with db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_an_older_database_is_upgraded_and_keeps_its_data(tmp_path):
    from pipeline.web.app import create_app

    path = tmp_path / "data" / "plenary.sqlite"
    old = Database(path)
    migrate(old.engine, "0001")
    assert current_revision(old.engine) == "0001"
    with old.engine.begin() as conn:
        conn.execute(text("INSERT INTO projects (name, created_at) VALUES ('Kept from 0001', '2024-01-01')"))
        assert "overrides" not in {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"))}
    old.dispose()

    app = create_app(WebConfig(data_dir=tmp_path / "data"))
    db = app.state.web.db
    assert current_revision(db.engine) == head_revision()
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM projects")).scalar() == "Kept from 0001"
        assert conn.execute(text("SELECT count(*) FROM overrides")).scalar() == 0


# --------------------------------------------------------------------------- codebook bridge
def test_codebook_rows_round_trip_to_the_same_codebook(tmp_path):
    db = Database(tmp_path / "db.sqlite")
    db.upgrade()
    original = load_codebook(None)
    with db.session() as s:
        s.execute(text("INSERT INTO projects (id, name, created_at) VALUES (1, 'p', '2024-01-01')"))
        book = codebooks.create_default(s, 1)
        again, _ = codebooks.to_pipeline(book, codebooks.codes_of(s, book.id))
    assert [c.to_dict() for c in again.codes] == [c.to_dict() for c in original.codes]
    assert again.name == original.name and again.version == original.version


def test_invalid_code_is_refused_with_the_field_named(tmp_path):
    db = Database(tmp_path / "db.sqlite")
    db.upgrade()
    with db.session() as s:
        s.execute(text("INSERT INTO projects (id, name, created_at) VALUES (1, 'p', '2024-01-01')"))
        book = codebooks.create_default(s, 1)
        rows = codebooks.codes_of(s, book.id)
        bad = codebooks.code_from_form({"code": rows[1].code, "label": "Dup", "description": "twice"})
        with pytest.raises(InputError) as err:
            codebooks.replace_codes(s, book, rows + [bad])
    assert err.value.field == "id" and "duplicate" in codebooks.field_message(err.value)


def test_code_form_reads_lists_and_threshold():
    row = codebooks.code_from_form({"code": "x", "label": "X", "description": "d", "include": "a\n\n b \n",
                                    "keywords": "one, two", "threshold": "0.4", "codable": "on"})
    assert row.include == ["a", "b"] and row.keywords == ["one", "two"] and row.threshold == 0.4 and row.codable
    with pytest.raises(InputError, match="number"):
        codebooks.code_from_form({"code": "x", "threshold": "high"})


# --------------------------------------------------------------------------- export
def _headings():
    st = Statement(id="notes:3", text="We need <longer> funding", source="notes.txt", line=3, line_end=3,
                   event="Spring", section="", question=None, theme=None, codes=[], document_id=1, primary=None)
    accepted = rec(1, "Fund groups for three years", ["notes:3"], status="accepted")
    added = rec(2, "Publish the plan", [], origin="person")
    return [PlanHeading("funding", "More resources", None, [PlanItem(accepted, 1, [st]), PlanItem(added, 2, [])], []),
            PlanHeading("empty", "Nothing here", None, [], [])]


def test_docx_export_has_headings_numbers_and_an_evidence_appendix():
    doc = WordDocument(io.BytesIO(export.to_docx("Spring <assembly>", _headings(), "From 1 statement.")))
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs]
    texts = [t for _, t in paragraphs]
    assert ("Title", "Action plan: Spring <assembly>") in paragraphs
    assert ("Heading 1", "More resources") in paragraphs
    assert "Nothing here" not in texts  # empty headings are left out
    assert "1.\tFund groups for three years" in texts and "2.\tPublish the plan" in texts
    assert ("Heading 1", "Evidence appendix") in paragraphs
    assert ("Heading 3", "1.1 Fund groups for three years") in paragraphs
    assert any(style == "List Bullet" and "“We need <longer> funding” (notes.txt, line 3; Spring)" == t
               for style, t in paragraphs)


def test_markdown_export_matches_the_plan():
    md = export.to_markdown("Spring", _headings())
    assert "## More resources" in md
    assert "1. Fund groups for three years — *Supported by 1 statement from 1 section.*" in md
    assert "2. Publish the plan — *Added by the facilitators.*" in md
    assert "- “We need &lt;longer&gt; funding” (notes.txt, line 3; Spring)" in md  # HTML shown as text
