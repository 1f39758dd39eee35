# Early stopping by the median rule, worked by hand with curve.sh (loss
# x + 1/k at step k = 1..5, final x + 0.2). min_trials 3, min_step 2.
# Trials 0-2 (x = 0.5, 0.2, 0.8) run to the end: none has 3 complete
# trials before it. Reference median at step k: 0.5 + 1/k.
#   trial 3, x = 0.9: at step 1 it is worse (1.9 > 1.5) but step 1 < 2;
#     at step 2, 1.4 > 1.0: stopped, loss 1.4 (its last report).
#   trial 4, x = 0.1: 1.1 < 1.5, 0.6 < 1.0, ... never stopped: loss 0.3.
#   trial 5, x = 0.55: reference at step 2 is {1.0, 0.7, 1.3, 1.4, 0.6},
#     median 1.0; 1.05 > 1.0: stopped at step 2 with loss 1.05. It runs
#     after a resume, so the reference comes back from storage.
# CURVE_BURST makes the program print steps 3 and 4 right after step 2,
# before the stop can land: they go to the log only, so the loss and the
# stored reports end at step 2 whatever the timing.
. "$(dirname "$0")/lib.sh"
cp "$E2E_DIR/programs/curve.sh" .
export CURVE_BURST=1
spec() { # spec NAME EARLY_STOPPING_JSON
    cat >"$1.json" <<JSON
{"objective": {"command": ["sh", "curve.sh"]},
 "space": [{"name": "x", "type": "float", "low": 0, "high": 1}],
 "enqueue": [{"x": 0.5}, {"x": 0.2}, {"x": 0.8}, {"x": 0.9}, {"x": 0.1}, {"x": 0.55}],
 "strategy": "random", "trials": 6$2}
JSON
}
spec stop ', "early_stopping": {"rule": "median", "min_trials": 3, "min_step": 2}'
run "$BO" run stop.json --trials 4
check_eq "first part runs ($ERR)" "$RC" 0
run "$BO" resume stop.db --trials 6
check_eq "resume runs ($ERR)" "$RC" 0
check_contains "progress says a trial stopped early" "$OUT" "trial 5 complete (stopped early) loss"
csv=$("$BO" export stop.db)
col() { echo "$csv" | awk -F, -v t=$1 -v c=$2 'NR==1{for(i=1;i<=NF;i++) h[$i]=i} NR>1 && $1==t {print $h[c]}'; }
near() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a - b < 1e-9 && b - a < 1e-9) }'; }
for t in 0 1 2 4; do
    case $(col $t message) in *stopped*) fail "trial $t was stopped" ;; *) ok ;; esac
done
check "trial 4 keeps its final loss" near "$(col 4 loss)" 0.3
check_eq "a stopped trial is complete" "$(col 3 state)" complete
check_contains "trial 3 stopped at step 2, not 1" "$(col 3 message)" "stopped at step 2"
check "trial 3's loss is the report it was stopped at, not a later one" near "$(col 3 loss)" 1.4
check_contains "trial 5 stopped after the resume" "$(col 5 message)" "stopped at step 2"
check "trial 5's loss" near "$(col 5 loss)" 1.05
json=$("$BO" export stop.db --format json)
n3=$(echo "$json" | python3 -c 'import json,sys; t=[t for t in json.load(sys.stdin)["trials"] if t["trial"]==3][0]; print(len(t["reports"]))')
check_eq "trial 3 made two reports" "$n3" 2
check "the burst after the stop is in trial 3's log" grep -q '"step": 4' stop.logs/trial-00003.log

spec plain ''
run "$BO" run plain.json
check_eq "without early stopping ($ERR)" "$RC" 0
loss3=$("$BO" export plain.db | awk -F, 'NR>1 && $1==3 {print $3}')
check "without it, trial 3 runs to its final loss" near "$loss3" 1.1

# Bad settings: exit 2 before any trial, the key named.
spec bad1 ', "early_stopping": "mean"'
run "$BO" run bad1.json
check_eq "unknown rule: usage error" "$RC" 2
check_contains "unknown rule named" "$ERR" "early_stopping: unknown rule 'mean' (known: median)"
spec bad2 ', "early_stopping": {"rule": "median", "min_trials": 0}'
run "$BO" run bad2.json
check_eq "min_trials 0: usage error" "$RC" 2
check_contains "min_trials named" "$ERR" "early_stopping.min_trials"
spec bad3 ', "early_stopping": {"min_trials": 3}'
run "$BO" run bad3.json
check_contains "rule required" "$ERR" "early_stopping.rule: is required"
check "no study file for a bad spec" test ! -e bad1.db
# A program whose output sits in a buffer until it exits (Python without
# flush, C printf to a pipe): its reports and its final result arrive
# together, after it ran to the end. Stopped at step 2 all the same, its
# loss is that report (1.4), not the final result (1.1) that a run told
# to stop in time would never have printed.
cat >buffered.sh <<'SH'
read -r line
x=$(echo "$line" | sed 's/.*"x": *\([-0-9.eE+]*\).*/\1/')
sleep 0.3
awk -v x="$x" 'BEGIN { for (k = 1; k <= 5; k++) printf "{\"step\": %d, \"loss\": %.6f}\n", k, x + 1 / k
                       printf "{\"loss\": %.6f}\n", x + 0.2 }'
SH
sed 's/curve.sh/buffered.sh/' stop.json >buffered.json
run "$BO" run buffered.json --trials 4
check_eq "buffered output: runs ($ERR)" "$RC" 0
csv=$("$BO" export buffered.db)
check_contains "...trial 3 stopped at step 2" "$(col 3 message)" "stopped at step 2"
check "...with the report it was stopped at, not the later result" near "$(col 3 loss)" 1.4

# A program that ignores SIGTERM: the grace period (objective.grace_s)
# ends it; where timeout_s comes first, the trial is still the stopped
# one, with its report, not a timeout.
cat >stubborn.sh <<'SH'
trap '' TERM
read -r line
x=$(echo "$line" | sed 's/.*"x": *\([-0-9.eE+]*\).*/\1/')
n=6
case $x in 0.9*) n=100 ;; esac  # the trial that is stopped runs on
k=1
while [ $k -le $n ]; do
    awk -v x="$x" -v k=$k 'BEGIN { printf "{\"step\": %d, \"loss\": %.6f}\n", k, x + 1 / k }'
    sleep 0.1
    k=$((k + 1))
done
awk -v x="$x" 'BEGIN { printf "{\"loss\": %.6f}\n", x + 0.2 }'
SH
cat >stubborn.json <<'JSON'
{"objective": {"command": ["sh", "stubborn.sh"]},
 "space": [{"name": "x", "type": "float", "low": 0, "high": 1}],
 "enqueue": [{"x": 0.5}, {"x": 0.2}, {"x": 0.8}, {"x": 0.9}],
 "early_stopping": {"rule": "median", "min_trials": 3, "min_step": 2},
 "strategy": "random", "trials": 4, "timeout_s": 4}
JSON
run "$BO" run stubborn.json
csv=$("$BO" export stubborn.db)
check_eq "SIGTERM ignored, timeout before the grace ends: complete" "$(col 3 state)" complete
check "...with the report it was stopped at" near "$(col 3 loss)" 1.4
check_contains "...and says why it ran on" "$(col 3 message)" "still running at timeout_s"
sed 's/"command": \["sh", "stubborn.sh"\]/&, "grace_s": 0.3/' stubborn.json >grace.json
run "$BO" run grace.json
csv=$("$BO" export grace.db)
check_contains "objective.grace_s: the group is killed after it" "$(col 3 message)" "stopped at step 2"
check "...well before timeout_s" awk -v w="$(col 3 wall_s)" 'BEGIN { exit !(w < 2.5) }'
sed 's/"command": \["sh", "stubborn.sh"\]/&, "grace_s": -1/' stubborn.json >grace_bad.json
run "$BO" run grace_bad.json
check_contains "a negative grace_s is refused" "$ERR" "objective.grace_s: must be seconds in [0, 3600]"
finish
