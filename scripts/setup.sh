#!/usr/bin/env bash
# Create .venv with Python 3.11+ and install Plenary at pinned versions. Safe to re-run:
# it reinstalls only when pyproject.toml or constraints.txt changed.
#   bash scripts/setup.sh          # the tool
#   bash scripts/setup.sh --test   # the tool, test tools, Ray (cluster extra), and Chromium for the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=0
[ "${1:-}" = "--test" ] && with_tests=1

py="${PYTHON:-}"
if [ -z "$py" ]; then
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then py="$candidate"; break; fi
  done
fi
[ -n "$py" ] || { echo "setup: Python 3.11 or newer is needed" >&2; exit 1; }
"$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "setup: $py is $("$py" --version 2>&1); Python 3.11 or newer is needed" >&2; exit 1; }

[ -x .venv/bin/python ] || "$py" -m venv .venv
pip=(.venv/bin/python -m pip)
# the tests also drive a real local Ray cluster (tests/test_engine_ray.py), so they need the cluster extra
extras="" ; [ "$with_tests" = 1 ] && extras="[test,cluster]"
sources="$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)"
stamp="$(cat .venv/.plenary-setup 2>/dev/null || true)"
# an install with the test tools also serves the plain set-up
if [ "$stamp" != "$sources[test,cluster]" ] && [ "$stamp" != "$sources$extras" ]; then
  if [ -z "$stamp" ]; then echo "setup: installing into .venv (first time takes a few minutes)" >&2
  else echo "setup: updating .venv" >&2; fi
  "${pip[@]}" install -q --upgrade pip
  # torch first, and its CPU build: the default torch wheel on PyPI pulls gigabytes of CUDA.
  # Where pip would resolve a CUDA build, take the wheel from PyTorch's CPU index instead.
  torch_build="$("${pip[@]}" install --dry-run --quiet --report - "torch==2.13.0" 2>/dev/null | .venv/bin/python -c '
import json, sys
report = json.load(sys.stdin)
print(next((i["metadata"]["version"] for i in report["install"] if i["metadata"]["name"] == "torch"), "installed"))
' 2>/dev/null || echo unknown)"
  case "$torch_build" in
    installed|*+cpu) "${pip[@]}" install -q "torch==2.13.0" ;;
    *) "${pip[@]}" install -q "torch==2.13.0" --index-url https://download.pytorch.org/whl/cpu ;;
  esac
  # setuptools explains editable installs at length on every install; the explanation is not for users
  PYTHONWARNINGS=ignore "${pip[@]}" install -q -c constraints.txt -e ".$extras"
  echo "$sources$extras" > .venv/.plenary-setup
fi

if [ "$with_tests" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  # The browser tests drive Debian's Chromium; Playwright never downloads a browser here.
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Chromium for the browser tests" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: the browser tests need Chromium at /usr/bin/chromium (apt-get install chromium)" >&2
    exit 1
  fi
fi
echo "setup: ready (.venv/bin/plenary)" >&2
