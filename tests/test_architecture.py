"""The architecture is checked, not only described: no import cycles, no layer imported from below.

The layers are declared once, in pyproject.toml ([tool.importlinter]); docs/architecture.md draws them.
`lint-imports` (import-linter) reads that contract and checks every import in `pipeline/`.
"""
from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "pipeline"
MAX_LINES = 600


def lint_imports() -> subprocess.CompletedProcess:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if exe is None:
        pytest.fail("lint-imports not found: install the test extra (pip install -e '.[test]')")
    return subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True)


def test_layers_are_kept_and_no_module_imports_upwards():
    result = lint_imports()
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "BROKEN" not in result.stdout


def test_no_import_cycle_between_the_package_modules():
    """A cycle through modules of one layer is not a layer breach, so it is looked for here (grimp)."""
    import grimp

    graph = grimp.build_graph("pipeline", exclude_type_checking_imports=True)
    for lazy in ("pipeline.api", "pipeline.records"):  # the root facade's lazy imports (see pyproject.toml)
        if graph.direct_import_exists(importer="pipeline", imported=lazy):
            graph.remove_import(importer="pipeline", imported=lazy)
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if imported == module:
                continue
            if graph.chain_exists(importer=imported, imported=module, as_packages=False):
                cycles.append(f"{module} <-> {imported}")
    assert not cycles, "import cycles:\n" + "\n".join(sorted(set(cycles)))


def test_the_layer_check_can_fail(tmp_path):
    """The contract must catch an upward import: check a copy of the package with one added."""
    copy = tmp_path / "repo"
    shutil.copytree(PACKAGE, copy / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    records = copy / "pipeline" / "records.py"
    records.write_text(records.read_text(encoding="utf-8") + "\nfrom .api import analyse  # upward\n",
                       encoding="utf-8")
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    result = subprocess.run([exe, "--no-cache"], cwd=copy, capture_output=True, text=True,
                            env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"})
    assert result.returncode != 0 and "pipeline.records is not allowed to import pipeline.api" in result.stdout


def test_no_module_is_over_600_lines():
    long = {str(p.relative_to(ROOT)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_importing_the_package_has_no_side_effects():
    """Importing every stage module sets no environment variable, loads neither spaCy nor torch."""
    code = ("import os, sys, numpy, sklearn.cluster, jinja2, click\n"  # third-party packages set their own
            "before = dict(os.environ)\n"
            "import pipeline.api, pipeline.embed, pipeline.text, pipeline.themes, pipeline.coding, pipeline.cli\n"
            "changed = sorted(k for k in os.environ if os.environ.get(k) != before.get(k))\n"
            "print(changed, 'torch' in sys.modules, 'spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[] False False"


def test_records_are_frozen():
    import dataclasses

    from pipeline import records

    for name in ("CodeAssignment", "Theme", "Recommendation", "HeadingPlan", "Analysis", "Segment", "Event"):
        cls = getattr(records, name)
        assert cls.__dataclass_params__.frozen, f"records.{name} is not frozen"
    seg = records.Segment(id="a:1", text="t", source="a", line_start=1, line_end=1, event="e")
    with pytest.raises(dataclasses.FrozenInstanceError):
        seg.text = "changed"  # type: ignore[misc]


def test_every_stage_module_has_a_docstring():
    missing = [str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py")
               if p.stat().st_size and ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) is None
               and "migrations" not in p.parts]
    assert not missing, f"modules without a docstring: {missing}"
