# Sourced by the test scripts: `step COMMAND...` runs a command quietly and, if it fails,
# prints the command and its output and exits 1. The caller sets $work (a scratch directory).
step() {
    if ! "$@" >"$work/step.log" 2>&1; then
        echo "failed: $*"
        cat "$work/step.log"
        exit 1
    fi
}
