# lib.sh — shared by the end-to-end tests: a scratch folder, assertions
# that count, and the "N passed, N failed" line ctest and CI read.
set -u
: "${BO:?BO must point at the bo binary}"
: "${BO_SOURCE_DIR:?}"
E2E_DIR=$BO_SOURCE_DIR/tests/e2e
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bo-e2e.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
PASSED=0
FAILED=0

ok()   { PASSED=$((PASSED + 1)); }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $*" >&2; }
check() { # check DESCRIPTION COMMAND...
    d=$1; shift
    if "$@"; then ok; else fail "$d"; fi
}
check_eq() { # check_eq DESCRIPTION GOT WANT
    if [ "$2" = "$3" ]; then ok; else fail "$1: got '$2', want '$3'"; fi
}
check_contains() { # check_contains DESCRIPTION TEXT NEEDLE
    case $2 in *"$3"*) ok ;; *) fail "$1: '$2' lacks '$3'" ;; esac
}
# Runs "$@", keeping stdout in $OUT, stderr in $ERR, status in $RC.
run() {
    "$@" >"$WORK/.out" 2>"$WORK/.err"
    RC=$?
    OUT=$(cat "$WORK/.out")
    ERR=$(cat "$WORK/.err")
}
# Export without the columns that measure time.
export_stable() {
    "$BO" export "$1" --format csv |
        awk -F, 'NR==1{for(i=1;i<=NF;i++) if($i=="cost_s"||$i=="wall_s"||$i=="started_at"||$i=="finished_at"||$i=="metric.samples_per_s") skip[i]=1}
                 {s="";for(i=1;i<=NF;i++) if(!skip[i]) s=s $i ","; print s}'
}
# Workers and objective programs still alive whose working folder is the
# scratch folder (studies run there, so theirs is too).
procs_in_work() {
    for p in /proc/[0-9]*; do
        [ "$(readlink "$p/cwd" 2>/dev/null)" = "$WORK" ] || continue
        cmd=$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)
        case $cmd in *" worker"*|*quadratic*|*objective*) echo "${p#/proc/} $cmd" ;; esac
    done
}
finish() {
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
}
