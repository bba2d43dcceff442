"""Presidio loads without the transformers and torch imports it never needs here, and finds the same details."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
from pipeline.ingest.pii import PiiFinder
finder = PiiFinder(["PERSON", "EMAIL", "PHONE"])
text = "Call Jane Smith on 07700 900123 or jane@example.com"
print(finder.fit([text]).redact(text)[0])
print(sorted(m for m in ("transformers", "torch") if m in sys.modules))
import torch  # hidden only while Presidio loads
print(torch.__name__)
"""


def test_presidio_loads_without_transformers_or_torch_and_they_import_afterwards():
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    redacted, loaded, torch_name = done.stdout.strip().splitlines()[-3:]
    assert redacted == "Call [PERSON] on [PHONE] or [EMAIL]"
    assert loaded == "[]"
    assert torch_name == "torch"
