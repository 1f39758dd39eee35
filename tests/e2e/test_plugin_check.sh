# `bo plugin check`: the stock objectives pass; every test plugin in
# tests/plugins is judged, never suffered: a crash, hang or bad answer is
# one line on stderr and exit 1; a plugin that does not load is one line
# naming its path and exit 1; a usage mistake (a path or name that names
# nothing) exits 2.
. "$(dirname "$0")/lib.sh"
: "${BO_BUILD_DIR:?}"
TP=$BO_BUILD_DIR/tests/plugins
lines() { printf '%s\n' "$1" | wc -l; }
# AddressSanitizer catches a SIGSEGV itself, reports it and exits 1.
segv="signal 11"
grep -q '^BO_SANITIZE:BOOL=ON' "$BO_BUILD_DIR/CMakeCache.txt" 2>/dev/null &&
    segv="AddressSanitizer: SEGV"
export TMPDIR=$WORK/tmp
mkdir -p "$TMPDIR"

run "$BO" plugin check synthetic
check_eq "synthetic passes ($ERR)" "$RC" 0
check_contains "it prints the name" "$OUT" "name:   synthetic"
check_contains "it checks the ABI" "$OUT" "abi:    version 1"
check_contains "one line per parameter (x0)" "$OUT" "  x0               float       [-5, 10]"
check_contains "one line per parameter (x1)" "$OUT" "  x1               float       [0, 15]"
check_contains "it evaluates the centre" "$OUT" "centre: x0=2.5 x1=7.5"
# Branin at (2.5, 7.5), computed here from its definition (Dixon & Szegő):
# (y - 5.1/(4 pi^2) x^2 + 5/pi x - 6)^2 + 10 (1 - 1/(8 pi)) cos x + 10.
want=$(awk 'BEGIN { pi = atan2(0, -1); x = 2.5; y = 7.5
    printf "%.6f", (y - 5.1 / (4 * pi * pi) * x * x + 5 / pi * x - 6) ^ 2 + 10 * (1 - 1 / (8 * pi)) * cos(x) + 10 }')
got=$(echo "$OUT" | awk '/^loss:/ {printf "%.6f", $2}')
check_eq "the loss is Branin's at the centre" "$got" "$want"
check_contains "it reports the metrics" "$OUT" "metrics: optimum=0.39788"
check_contains "it reports the time" "$OUT" "time:   "
check_contains "it ends with a verdict" "$OUT" "ok: "

run "$BO" plugin check synthetic --config '{"function": "ackley", "dim": 3}'
check_eq "a config reaches create() ($ERR)" "$RC" 0
check_contains "its space follows the config" "$OUT" "space:  3 parameters"
run "$BO" plugin check synthetic --config '{"function": "nosuch"}'
check_eq "create() refusing the config: exit 1" "$RC" 1
check_contains "it says create() failed" "$ERR" "create() failed"
check_eq "in one line" "$(lines "$ERR")" 1

if [ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
    run "$BO" plugin check nn_trainer --config '{"epochs": 1, "max_train": 300, "max_val": 100, "device": "cpu"}'
    check_eq "nn_trainer passes ($ERR)" "$RC" 0
    check_contains "nn_trainer reports its metrics" "$OUT" "val_accuracy="
else
    echo "Fashion-MNIST missing: nn_trainer's check skipped"
fi
run "$BO" plugin check program --config '{"command": ["sh", "-c", "cat >/dev/null; echo 0.5"]}'
check_eq "the program adapter passes ($ERR)" "$RC" 0
check_contains "it has no default space" "$OUT" "space:  none declared"
check_contains "its loss" "$OUT" "loss:   0.5"

run "$BO" plugin check "$TP/hostile.so"
check_eq "hostile.so behaves at its centre ($ERR)" "$RC" 0
check_contains "a categorical's centre is its first choice" "$OUT" "centre: mode=ok x=0"

# Plugins that do not load: one line naming the path, exit 1.
run "$BO" plugin check "$TP/bad_abi.so"
check_eq "wrong ABI: exit 1" "$RC" 1
check_contains "wrong ABI: both versions" "$ERR" "ABI version 99, but this bo has ABI version 1"
check_contains "wrong ABI: names the path" "$ERR" "$TP/bad_abi.so"
check_eq "wrong ABI: one line, nothing else" "$(lines "$ERR")$OUT" 1
run "$BO" plugin check "$TP/no_entry.so"
check_eq "no entry symbol: exit 1" "$RC" 1
check_contains "no entry symbol: says so" "$ERR" "$TP/no_entry.so: not a bo objective plugin: no symbol 'bo_objective_entry'"
check_eq "no entry symbol: one line" "$(lines "$ERR")" 1
echo "not a plugin" >text.so
run "$BO" plugin check ./text.so
check_eq "a text file named .so: exit 1" "$RC" 1
check_contains "a text file named .so: says so" "$ERR" "./text.so: not a loadable shared object"
check_eq "a text file named .so: one line" "$(lines "$ERR")" 1
run "$BO" plugin check ./missing.so
check_eq "a missing file: exit 2" "$RC" 2
check_contains "a missing file: names it" "$ERR" "./missing.so"
check_eq "a missing file: one line" "$(lines "$ERR")" 1
run "$BO" plugin check nosuch
check_eq "an unknown name: exit 2" "$RC" 2
check_contains "an unknown name: lists what there is" "$ERR" "available: "
cp "$TP/by_config.so" ./mine.so
run "$BO" plugin check mine.so
check_contains "a file named without ./: the hint" "$ERR" "for a file, write ./mine.so"

# Plugins that misbehave at the centre (by_config.so, told by --config).
bc() { run "$BO" plugin check "$TP/by_config.so" --config "{\"do\": \"$1\"}" "${@:2}"; }
judged() { # judged WHAT NEEDLE...: exit 1, one line with every needle
    check_eq "$1: exit 1" "$RC" 1
    check_eq "$1: one line on stderr" "$(lines "$ERR")" 1
    d=$1; shift
    for n in "$@"; do check_contains "$d: message" "$ERR" "$n"; done
}
bc ok
check_eq "by_config ok passes ($ERR)" "$RC" 0
check_contains "by_config ok: (0.5 - 0.25)^2 + 1" "$OUT" "loss:   1.0625"
bc segv;        judged "SIGSEGV in evaluate" "crashed" "$segv"
bc abort;       judged "abort in evaluate" "crashed" "signal 6"
bc exit0;       judged "exit(0) in evaluate" "crashed" "exited with status 0"
bc nan;         judged "a NaN loss" "gave no valid loss" "NaN"
bc inf;         judged "an infinite loss" "gave no valid loss" "+inf"
bc fail;        judged "a failed status" "failed" "by_config: told to fail"
bc create_segv; judged "SIGSEGV in create" "$segv"
bc create_fail; judged "create() failing" "create() failed" "told to fail in create()"
bc bad_space;   judged "a bad default space" "bad default space" "low (1) must be < high (0)"
bc destroy_segv; judged "SIGSEGV in destroy()" "crashed as its worker closed it"
if [ "$segv" = "signal 11" ]; then check_contains "...naming the signal" "$ERR" "signal 11"; fi
check_contains "...after the trial's figures" "$OUT" "loss:   1.0625"
bc check_x --space '[{"name": "x", "type": "float", "low": 0, "high": 1}]'
judged "a --space its check() refuses" "its check() refuses x = 1: x: must be at most 0.9"
bc check_hang --timeout 1
judged "a check() that hangs" "did not answer a check within 1 s (--timeout)"
check "...not blamed on create()" sh -c '! echo "$1" | grep -q "create()"' _ "$ERR"
bc check_x --space '[{"name": "x", "type": "float", "low": 0, "high": 0.5}]'
check_eq "a --space its check() takes: ok ($ERR)" "$RC" 0
# --config is read as a spec's objective.config is: the same mistakes
# refused, the same text handed to create()
run "$BO" plugin check synthetic --config '{"function": "branin", "function": "ackley"}'
check_eq "--config with a key given twice: exit 2" "$RC" 2
check_contains "...named" "$ERR" "--config.function: given more than once"
run "$BO" plugin check synthetic --config '{"function": "ackley", "dim": 2.0}'
check_contains "...and printed as create() gets it" "$OUT" 'config: {"function":"ackley","dim":2}'
bc escapes
check_eq "escape sequences: the check passes ($ERR)" "$RC" 0
check_contains "...the message made printable" "$OUT" "message: plain?[2J?[31mred?line"
check_contains "...and the metric's name" "$OUT" "metrics: m?[1m?x=1"
check "...no ESC reaches the terminal" [ "$(printf '%s' "$OUT$ERR" | tr -d -c '\033' | wc -c)" -eq 0 ]
cat >bs.json <<JSON
{"objective": {"plugin": "$TP/by_config.so", "config": {"do": "bad_space"}}, "trials": 1}
JSON
run "$BO" run bs.json
check_eq "bo run, a bad default space: exit 2" "$RC" 2
check_contains "...names the plugin" "$ERR" "$TP/by_config.so: the objective 'by_config' declares a bad default space"
t0=$(date +%s)
bc hang --timeout 1;        judged "a hang in evaluate" "timed out after 1 s (--timeout)"
bc create_hang --timeout 1; judged "a hang in create" "did not describe itself within 1 s (--timeout)"
check "hangs end at the deadline (took $(( $(date +%s) - t0 )) s)" [ $(( $(date +%s) - t0 )) -le 6 ]
sleep 0.2
check_eq "no worker left running" "$(procs_in_work | wc -l)" 0
check_eq "no scratch folder left behind" "$(ls "$TMPDIR" | wc -l)" 0

# Usage mistakes: exit 2.
run "$BO" plugin check
check_eq "no plugin: exit 2" "$RC" 2
run "$BO" plugin check synthetic --config '[1, 2]'
check_eq "config not an object: exit 2" "$RC" 2
check_contains "config not an object: says so" "$ERR" "--config"
run "$BO" plugin check synthetic --timeout -3
check_eq "bad timeout: exit 2" "$RC" 2
run "$BO" plugin check synthetic --frob
check_eq "unknown option: exit 2" "$RC" 2
run "$BO" plugin check .hidden
check_eq "a name that is not one: exit 2" "$RC" 2
check_contains "it explains names: no '.' first" "$ERR" "with no '.' first and no '..'; a path needs a '/'"
run "$BO" plugin frob
check_eq "unknown subcommand: exit 2" "$RC" 2
run "$BO" plugin check --help
check_eq "--help: exit 0" "$RC" 0
check_contains "--help: usage" "$OUT" "usage: bo plugin check"
# Reports from two threads of the plugin's own at once: each is answered
# (the channel is one conversation at a time), none is lost.
cat >threads.json <<JSON
{"objective": {"plugin": "$TP/by_config.so", "config": {"do": "threads"}},
 "space": [{"name": "x", "type": "float", "low": 0, "high": 1}],
 "strategy": "random", "trials": 3, "timeout_s": 60}
JSON
run "$BO" run threads.json
check_eq "reports from two threads: every trial complete ($ERR)" "$("$BO" export threads.db | grep -c ',complete,')" 3
check_eq "...each with its 600 reports" "$("$BO" export threads.db --format json | python3 -c 'import json,sys; print(sorted({len(t["reports"]) for t in json.load(sys.stdin)["trials"]}))')" "[600]"

# A plugin that ignores the stop and claims a loss at the end: the host's
# record decides: stopped early, with the report it was stopped at.
cat >ignore.json <<JSON
{"objective": {"plugin": "$TP/by_config.so", "config": {"do": "ignore_stop"}},
 "space": [{"name": "x", "type": "float", "low": 0, "high": 1}],
 "enqueue": [{"x": 0.1}, {"x": 0.9}],
 "early_stopping": {"rule": "median", "min_trials": 1, "min_step": 1},
 "strategy": "random", "trials": 2}
JSON
run "$BO" run ignore.json
csv=$("$BO" export ignore.db)
check_contains "a stop ignored: labelled stopped early" "$(echo "$csv" | awk -F, '$1 == 1')" "stopped early: stopped at step 1 (it ran on; that report is its loss)"
check_eq "...its loss the report it was stopped at (0.9 + 1/1)" "$(echo "$csv" | awk -F, '$1 == 1 {print $3}')" 1.8999999999999999
check_eq "...a trial never told to stop keeps its own loss" "$(echo "$csv" | awk -F, '$1 == 0 {print $3}')" -100

# A categorical choice that reads as a number reaches a plugin typed as a
# number, with its text in s as well (a plugin may strcmp it).
cat >echo.json <<JSON
{"objective": {"plugin": "$TP/by_config.so", "config": {"do": "echo"}},
 "space": [{"name": "c", "type": "categorical", "choices": ["16", "2.5", "relu"]}],
 "enqueue": [{"c": "16"}, {"c": "2.5"}, {"c": "relu"}],
 "strategy": "random", "trials": 3}
JSON
run "$BO" run echo.json
csv=$("$BO" export echo.db)
check_contains "choice 16: an int with its text" "$csv" "c: type 2 s=16"
check_contains "choice 2.5: a double with its text" "$csv" "c: type 1 s=2.5"
check_contains "choice relu: a string" "$csv" "c: type 3 s=relu"
# A plugin without a default space (the program adapter): --space gives
# the centre to evaluate; without it, the failure says so on its one line.
cat >square.py <<'PY'
import sys, json
p = json.loads(sys.stdin.readline())
print("x is", p["x"])
print(p["x"] ** 2)
PY
C="{\"command\": [\"python3\", \"$PWD/square.py\"]}"
run "$BO" plugin check program --config "$C"
check_eq "no default space, no --space: exit 1" "$RC" 1
check_eq "...one line" "$(lines "$ERR")" 1
check_contains "...saying to give --space" "$ERR" "it has no default space and was evaluated with no parameters: give one with --space"
check_contains "...and what the program printed is shown" "$OUT" "KeyError"
run "$BO" plugin check program --config "$C" --space '[{"name": "x", "type": "float", "low": 0, "high": 3}]'
check_eq "--space: evaluated at its centre ($ERR)" "$RC" 0
check_contains "...x = 1.5, loss 2.25" "$OUT" "loss:   2.25"
check_contains "...with the program's own output" "$OUT" "| x is 1.5"
run "$BO" plugin check program --config "$C" --space '[{"name": "x", "type": "float", "low": 3, "high": 0}]'
check_eq "a bad --space: exit 2" "$RC" 2
check_contains "...named as --space" "$ERR" "--space: space[0].high"
run "$BO" plugin check program --config "$C" --space '[{"name": "x", "type": "float", "low": 0, "high": 1}], "trials": 3'
check_eq "--space with more than a list: usage error" "$RC" 2
check_contains "...before anything is loaded" "$ERR" "is neither a JSON list of parameters nor a spec file"
# A spec file's space, as the study would use it.
echo '{"objective": {"command": ["sh", "x.sh"]}, "space": [{"name": "x", "type": "float", "low": 0, "high": 3}]}' >withspace.json
run "$BO" plugin check program --config "$C" --space withspace.json
check_eq "--space SPEC.json: its space ($ERR)" "$RC" 0
check_contains "...x = 1.5, loss 2.25" "$OUT" "loss:   2.25"
echo '{"objective": {"command": ["sh", "x.sh"]}}' >nospace.json
run "$BO" plugin check program --config "$C" --space nospace.json
check_eq "--space SPEC.json without a space: exit 2" "$RC" 2
check_contains "...said so" "$ERR" "--space nospace.json: the spec gives no space"
# A reader that quits early (| head) is no error of bo's
for i in 1 2 3; do
    "$BO" plugin check synthetic 2>pc.err | head -1 >/dev/null
    check_eq "plugin check | head: nothing on stderr (round $i)" "$(cat pc.err)" ""
done
finish
