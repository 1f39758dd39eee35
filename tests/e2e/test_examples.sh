# The program objectives of plugins/examples/ run through bo, from another
# folder than their specs' (relative commands resolve from the spec's
# folder), with their reports and metrics; the Python one stops promptly
# on SIGTERM with the result it has.
. "$(dirname "$0")/lib.sh"
EX=$BO_SOURCE_DIR/plugins/examples

if command -v python3 >/dev/null; then
    run "$BO" run "$EX/python/spec.json" --trials 5 --db py.db
    check_eq "the Python example's study runs ($ERR)" "$RC" 0
    check "its study lives here, not in the source tree" [ -f py.db ]
    check "nothing written beside the spec" [ ! -e "$EX/python/python-sgd.db" ]
    csv=$("$BO" export py.db)
    check_eq "5 trials complete" "$(echo "$csv" | grep -c ',complete,')" 5
    check_contains "accuracy is a metric" "$(echo "$csv" | head -1)" "metric.accuracy"
    json=$("$BO" export py.db --format json)
    n=$(echo "$json" | python3 -c '
import json, sys
t = json.load(sys.stdin)["trials"]
# 15 epochs each (the spec), and the result is the last report.
print(sum(len(x["reports"]) == 15 and x["reports"][-1][1] == x["loss"] for x in t))')
    check_eq "every trial reported 15 epochs, the last one its loss" "$n" 5
    best=$(echo "$csv" | awk -F, 'NR > 1 && (b == "" || $3 < b) {b = $3} END {print b}')
    # A logistic regression on this separable-ish data: log loss well
    # below log 2 = 0.693 (chance) for any sane lr.
    check "the best log loss beats chance (best $best)" awk -v l="$best" 'BEGIN { exit !(l < 0.6) }'

    # SIGTERM in the middle of a slow epoch: out within half a second,
    # status 0, the last reported loss as the result.
    echo '{"lr": 0.1, "l2": 0.001, "batch": 16}' >in.json
    BO_CONFIG='{"epochs": 50, "epoch_delay_s": 0.3}' BO_SEED=1 BO_TRIAL=0 \
        python3 "$EX/python/train.py" <in.json >py.out 2>py.err &
    pid=$!
    for _ in $(seq 100); do
        [ "$(grep -c '"step"' py.out)" -ge 2 ] && break
        sleep 0.05
    done
    t0=$(date +%s%N)
    kill -TERM $pid
    wait $pid
    rc=$?
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    check_eq "train.py exits 0 on SIGTERM" "$rc" 0
    check "train.py exits within 500 ms of SIGTERM (took $ms ms)" [ "$ms" -lt 500 ]
    last_step=$(grep '"step"' py.out | tail -1 | sed 's/.*"loss": \([^}]*\)}/\1/')
    result=$(tail -1 py.out)
    check_contains "its result is the last reported loss" "$result" "\"loss\": $last_step,"
    check_contains "it says why on stderr" "$(cat py.err)" "stopped early"
else
    echo "python3 missing: Python example skipped"
fi

run "$BO" run "$EX/shell/spec.json" --trials 12 --db sh.db
check_eq "the shell example's study runs ($ERR)" "$RC" 0
csv=$("$BO" export sh.db)
check_eq "12 trials complete" "$(echo "$csv" | grep -c ',complete,')" 12
check_contains "its metric is exported" "$(echo "$csv" | head -1)" "metric.distance_to_minimum"
check "its chatter went to the trial log" grep -q "^trial 0: x=" sh.logs/trial-00000.log
# Himmelblau at (3, 2) is 0 exactly; at (0, 0) it is 11^2 + 7^2 = 170.
cat >at.json <<JSON
{"objective": {"command": ["sh", "$EX/shell/objective.sh"]},
 "space": [{"name": "x", "type": "float", "low": -5, "high": 5},
           {"name": "y", "type": "float", "low": -5, "high": 5}],
 "enqueue": [{"x": 3.0, "y": 2.0}, {"x": 0.0, "y": 0.0}],
 "strategy": "random", "trials": 2}
JSON
run "$BO" run at.json
check_eq "the shell objective at known points ($ERR)" "$RC" 0
check_eq "f(3, 2) = 0" "$("$BO" export at.db | awk -F, '$1 == 0 {print $3}')" 0
check_eq "f(0, 0) = 170" "$("$BO" export at.db | awk -F, '$1 == 1 {print $3}')" 170
finish
