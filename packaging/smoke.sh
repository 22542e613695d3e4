#!/usr/bin/env bash
# The bundle's smoke test: what a learner and an instructor do first, with the bundle alone.
#
#     bash packaging/smoke.sh [dist/hafiza]
#
# Each command runs from `env -i` (no PATH, no PYTHONPATH, no virtual environment: only a fresh
# HOME) and without a network (`unshare -n`), so nothing can come from this machine's Python or
# from the internet. The release build runs it after `make bundle` (`make smoke`); it is not in
# the test suite, which must stay fast.
set -euo pipefail

BUNDLE="$(cd "${1:-dist/hafiza}" && pwd)"
EXE="$BUNDLE/hafiza"
[ -x "$EXE" ] || { echo "smoke: no executable at $EXE (run make bundle)" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# No network: a new network namespace (as root), or a user namespace mapping us to root.
if unshare -n true 2>/dev/null; then
    OFFLINE=(unshare -n)
elif unshare -rn true 2>/dev/null; then
    OFFLINE=(unshare -rn)
elif [ "${SMOKE_ALLOW_NETWORK:-}" = 1 ]; then
    echo "smoke: unshare is not allowed here; running WITH the network (SMOKE_ALLOW_NETWORK=1)"
    OFFLINE=()
else
    echo "smoke: cannot cut the network (unshare -n failed); set SMOKE_ALLOW_NETWORK=1 to go on" >&2
    exit 1
fi

step=0
# hafiza HOME ARGS...: the bundle, from an empty environment, with HOME as given.
hafiza() {
    local home="$1"
    shift
    mkdir -p "$home"
    "${OFFLINE[@]}" env -i HOME="$home" LANG=C.UTF-8 "$EXE" "$@"
}
check() {  # check "what" command...: runs it, says ok or fails with its output
    step=$((step + 1))
    local what="$1"
    shift
    if "$@" >"$WORK/out.txt" 2>&1; then
        echo "ok $step - $what"
    else
        echo "not ok $step - $what (exit $?)"
        sed 's/^/    /' "$WORK/out.txt"
        exit 1
    fi
}
expect() {  # expect TEXT: the last command's output holds TEXT
    grep -qF -- "$1" "$WORK/out.txt" || {
        echo "    expected to see: $1"
        sed 's/^/    /' "$WORK/out.txt"
        exit 1
    }
}

LEARNER="$WORK/learner"
INSTRUCTOR="$WORK/instructor"
# No display is needed for any step (the screenshot renders offscreen).

check "--version" hafiza "$LEARNER" --version
expect "hafiza "
check "--help lists the subcommands" hafiza "$LEARNER" --help
for command in train summary lessons progress; do expect "$command"; done

check "a screenshot in Persian, at 1024x700" \
    hafiza "$LEARNER" --screenshot "$WORK/fa.png" --lang fa --size 1024x700
[ "$(head -c 8 "$WORK/fa.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] \
    || { echo "    $WORK/fa.png is not a PNG"; exit 1; }
echo "    $(stat -c %s "$WORK/fa.png") bytes"
cp "$WORK/fa.png" "${SMOKE_SCREENSHOT:-/dev/null}" 2>/dev/null || true
LOG="$LEARNER/.local/state/Hafiza/log/hafiza.log"
check "the app wrote its log in the user's log folder" test -s "$LOG"
if grep -q "WARNING\|ERROR" "$LOG"; then
    echo "    the log has warnings (lost data files?):"; sed 's/^/    /' "$LOG"; exit 1
fi

check "trains an exercise headless (mlp_xor)" hafiza "$LEARNER" train mlp_xor
expect "Goal"
check "summary of a model" hafiza "$LEARNER" summary seq003
check "the Hafez corpus, frozen (the Persian language model)" hafiza "$LEARNER" summary lm_hafez
expect "Total params"

check "checks a built-in lesson, exercises included" \
    hafiza "$INSTRUCTOR" lessons check "$BUNDLE/_internal/hafiza/lessons/neurons-activations"
check "writes a new lesson" hafiza "$INSTRUCTOR" lessons new smoke-lesson --varieties fa,en
check "packs it" hafiza "$INSTRUCTOR" lessons export smoke-lesson -o "$WORK/smoke.hafiza"
check "a learner imports the pack" hafiza "$LEARNER" lessons import "$WORK/smoke.hafiza" --yes
expect "imported 1 lesson"
check "progress export" hafiza "$LEARNER" progress export "$WORK/progress.json"

echo "smoke: all $step steps passed, offline, from an empty environment ($BUNDLE)"
