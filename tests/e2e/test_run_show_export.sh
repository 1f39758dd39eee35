# A study through the CLI: progress lines, the best trial, `show` and the
# export formats with their columns.
. "$(dirname "$0")/lib.sh"
cat >spec.json <<'JSON'
{"name": "tour",
 "objective": {"plugin": "synthetic", "config": {"function": "branin"}},
 "strategy": "sobol", "trials": 9, "seed": 3,
 "enqueue": [{"x0": 3.141592653589793, "x1": 2.275}]}
JSON
run "$BO" run spec.json
check_eq "run exits 0 ($ERR)" "$RC" 0
check "default db is NAME.db here" [ -f tour.db ]
check_eq "one line per trial off a terminal" "$(echo "$OUT" | grep -c '^trial ')" 9
check_contains "ends with the best trial" "$OUT" "best: trial 0"
csv=$("$BO" export tour.db --format csv)
check_eq "csv header" "$(echo "$csv" | head -1 | cut -d, -f1-6)" "trial,state,loss,cost_s,x0,x1"
check_contains "csv has the metric columns" "$(echo "$csv" | head -1)" "metric.optimum"
check_eq "enqueued point first, exact" "$(echo "$csv" | sed -n 2p | cut -d, -f5)" "3.1415926535897931"
loss0=$(echo "$csv" | sed -n 2p | cut -d, -f3)
check "enqueued point is near branin's optimum" awk -v l="$loss0" 'BEGIN { exit !(l > 0.3978 && l < 0.3982) }'
run "$BO" export tour.db --format json
check_eq "json export exits 0" "$RC" 0
check_contains "json has trials" "$OUT" '"trials"'
if command -v python3 >/dev/null; then
    n=$(echo "$OUT" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["trials"]))')
    check_eq "json holds 9 trials" "$n" 9
fi
run "$BO" show tour.db
check_eq "show exits 0" "$RC" 0
check_contains "show names the best trial" "$OUT" "best"
check_contains "show counts states" "$OUT" "complete"
run "$BO" show tour.db --json
check_eq "show --json exits 0" "$RC" 0
run "$BO" export tour.db --format xml
check_eq "unknown format: exit 2" "$RC" 2
# Reading a closed study leaves nothing beside it (a read-only SQLite
# connection cannot remove the -wal and -shm it makes).
check "show and export leave no -wal" [ ! -e tour.db-wal ]
check "...nor -shm" [ ! -e tour.db-shm ]
# An enqueued value on a log scale is evaluated exactly as written, though
# exp(log(0.001)) is not 0.001 in doubles.
cat >log.json <<'JSON'
{"objective": {"plugin": "synthetic"}, "strategy": "random", "trials": 2,
 "space": [{"name": "x0", "type": "float", "low": 1e-4, "high": 10, "log": true},
           {"name": "x1", "type": "float", "low": 0, "high": 15}],
 "enqueue": [{"x0": 0.001, "x1": 0.3}]}
JSON
run "$BO" run log.json
check_eq "log-scale study runs ($ERR)" "$RC" 0
check_eq "enqueued log value is exact" "$("$BO" export log.db | sed -n 2p | cut -d, -f5)" "0.001"
# A large default space (40-D rastrigin: parameters x0..x39, the shortest
# names a description can carry) crosses from the worker whole.
echo '{"objective": {"plugin": "synthetic", "config": {"function": "rastrigin", "dim": 40}}, "strategy": "random", "trials": 2}' >big.json
run "$BO" run big.json
check_eq "40-D default space runs ($ERR)" "$RC" 0
check_contains "40-D default space has x39" "$("$BO" export big.db | head -1)" ",x39,"
echo '{"objective": {"plugin": "synthetic", "config": {"function": "rastrigin", "dim": 20}}, "strategy": "bo", "trials": 30}' >d20.json
run "$BO" run d20.json
check_eq "bo in 20-D runs ($ERR)" "$RC" 0
# The bo strategy's best posterior mean (its estimate on a noisy
# objective) ends the run's report and is kept for `bo show`; it names a
# complete trial. random has no model, so no such line.
cat >bm.json <<'JSON'
{"objective": {"plugin": "synthetic", "config": {"function": "branin"}}, "trials": 12, "seed": 2}
JSON
run "$BO" run bm.json
check_eq "bo run for the posterior mean ($ERR)" "$RC" 0
check_contains "the run reports the best posterior mean" "$OUT" "best posterior mean: trial "
mt=$(echo "$OUT" | sed -n 's/.*best posterior mean: trial \([0-9]*\),.*/\1/p')
check_contains "bo show has it" "$("$BO" show bm.db)" "mean    trial $mt: posterior mean "
jt=$("$BO" show bm.db --json | python3 -c 'import json,sys,math; b=json.load(sys.stdin)["study"]["best_mean"]; assert math.isfinite(b["mean"]); print(b["trial"])')
check_eq "show --json has the same trial" "$jt" "$mt"
check_eq "it is a complete trial" "$("$BO" export bm.db | awk -F, -v t="$mt" 'NR>1 && $1==t {print $2}')" complete
run "$BO" run bm.json --db bm-random.db --strategy random
check "random reports no posterior mean" [ "${OUT#*posterior mean}" = "$OUT" ]

# A large int parameter is shown whole (6 significant digits would print
# 2.99997e+08 for 299996926: copied from there, another configuration).
cat >bigint.json <<'JSON'
{"objective": {"command": ["sh", "-c", "cat >/dev/null; echo 1"]},
 "space": [{"name": "n", "type": "int", "low": 100000000, "high": 999999999}],
 "strategy": "random", "trials": 2, "seed": 3}
JSON
run "$BO" run bigint.json
n0=$("$BO" export bigint.db | awk -F, 'NR == 2 {print $5}')
check "the exported int is whole ($n0)" [ "$(printf '%s' "$n0" | tr -d 0-9)" = "" ]
check_contains "bo run's summary shows it whole" "$OUT" "n=$n0"
check_contains "bo show's table shows it whole" "$("$BO" show bigint.db)" " $n0"

# A trial in progress is "running" while its study runs, and "interrupted"
# once nothing runs it (a kill -9 left it so).
cat >hang.json <<'JSON'
{"objective": {"command": ["sleep", "60"]},
 "space": [{"name": "x", "type": "float", "low": 0, "high": 1}], "trials": 1}
JSON
"$BO" run hang.json >/dev/null 2>&1 &
pid=$!
for _ in $(seq 200); do
    "$BO" show hang.db 2>/dev/null | grep -q running && break
    sleep 0.05
done
check_contains "a running study's trial: running" "$("$BO" show hang.db | sed -n 2p)" "1 running"
kill -9 $pid
wait $pid 2>/dev/null
check_contains "after kill -9: interrupted" "$("$BO" show hang.db | sed -n 2p)" "1 interrupted (bo resume runs it again)"
# Branin (noise-free) at 15 points where the model fits noise that is not
# there: its posterior-mean pick is not the best trial, and bo says which
# trial to keep if the objective has no noise.
cat >pm.json <<'JSON'
{"objective": {"plugin": "synthetic"}, "trials": 15, "enqueue": [
 {"x0": 7.25686, "x1": 12.9204}, {"x0": -0.243135, "x1": 5.42041},
 {"x0": -3.99314, "x1": 9.17041}, {"x0": 3.50686, "x1": 1.67041},
 {"x0": 5.38186, "x1": 11.0454}, {"x0": -2.11814, "x1": 3.54541},
 {"x0": 1.63186, "x1": 14.7954}, {"x0": 9.13186, "x1": 7.29541},
 {"x0": 8.1708, "x1": 1.80982}, {"x0": 4.79997, "x1": 0},
 {"x0": 5.22668, "x1": 2.88159}, {"x0": 3.95387, "x1": 3.34389},
 {"x0": 1.3107, "x1": 1.2055}, {"x0": 10, "x1": 0}, {"x0": 10, "x1": 3.65792}]}
JSON
run "$BO" run pm.json
check_contains "a pick other than the best trial: the best is named for a noise-free objective" "$OUT" "reads trial 3's lower loss as partly noise; if the objective has none, trial 3 is the pick"
finish
