#!/usr/bin/env bash
# The project's test command. It sets up everything the tests need beyond Maven and Python, then runs them all:
#   - the pinned tools (scripts/tools.sh): the Temporal CLI, whose dev server the tests run, flytekit, the Python
#     worker and its checks;
#   - a throwaway PostgreSQL for SqlSensor's tests (scripts/test-postgres.sh), stopped on exit;
#   - Debian's Chromium and ChromeDriver for the Temporal UI test (scripts/browser.sh: apt-get, as root, only when
#     missing; without root and without them that test is skipped, except under CI);
#   - the format of compat/'s Python (the flytekit scripts that mvn verify runs);
#   - mvn verify: format, unit, workflow, end-to-end and process tests; with the tools in place it also writes the
#     flytekit fixtures and runs flytekit's own connector beside the service (docs/testing.md, "flytekit itself");
#   - the Python worker's checks and tests (scripts/test-python.sh).
# Without CI=true a test whose server is missing is skipped and says why; .ci/run sets CI=true, so there it fails.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/tools.sh
echo "tools: $("$(bash scripts/tools.sh path temporal)" --version)"

if ! bash scripts/browser.sh && [ "${CI:-}" = true ]; then
    exit 1
fi
echo "browser: $(bash scripts/browser.sh versions)"

"$(bash scripts/tools.sh path ruff)" format --check compat
"$(bash scripts/tools.sh path ruff)" check compat

trap 'bash scripts/test-postgres.sh stop || true' EXIT
postgres_env=$(bash scripts/test-postgres.sh start) # an assignment, so that a failed start stops the run here
eval "$postgres_env"

mvn -B -ntp verify
bash scripts/test-python.sh -q
