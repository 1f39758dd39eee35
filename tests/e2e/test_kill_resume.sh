# kill -9 of the coordinator at many moments: no completed trial lost, no
# worker or objective program left running, and `bo resume` ends with
# exactly the trials of an uninterrupted run.
. "$(dirname "$0")/lib.sh"
cp "$E2E_DIR/programs/quadratic.sh" .
for strategy in random bo; do
    cat >spec-$strategy.json <<JSON
{"objective": {"command": ["sh", "quadratic.sh"]},
 "space": [{"name": "x", "type": "float", "low": -1, "high": 1},
           {"name": "y", "type": "float", "low": -1, "high": 1},
           {"name": "k", "type": "int", "low": 1, "high": 4},
           {"name": "c", "type": "categorical", "choices": ["a", "b"]}],
 "strategy": {"name": "$strategy", "initial": 5}, "trials": 14, "seed": 11}
JSON
    run "$BO" run spec-$strategy.json --db full-$strategy.db
    check_eq "$strategy: uninterrupted run exits 0 ($ERR)" "$RC" 0
    want=$(export_stable full-$strategy.db)
    for k in 1 2 3 4 5 6 7 8; do
        db=k$k-$strategy.db
        "$BO" run spec-$strategy.json --db $db >run.out 2>run.err &
        pid=$!
        # Moments spread over the run, from before the first trial to the end.
        sleep "$(awk -v k=$k 'BEGIN { srand(k * 7919); printf "%.3f", 0.02 + rand() * 0.5 * k }')"
        kill -9 $pid 2>/dev/null
        wait $pid 2>/dev/null
        sleep 0.2
        left=$(procs_in_work | wc -l)
        check_eq "$strategy k=$k: nothing left running" "$left" 0
        [ -e $db ] || continue   # killed before the study file existed
        done_before=$(grep -c "^trial .* complete" run.out)
        stored=$("$BO" export $db | grep -c ",complete,")
        check "$strategy k=$k: all $done_before reported trials stored ($stored)" [ "$stored" -ge "$done_before" ]
        run "$BO" resume $db
        check_eq "$strategy k=$k: resume exits 0 ($ERR)" "$RC" 0
        got=$(export_stable $db)
        check "$strategy k=$k: resumed study equals the uninterrupted one" [ "$got" = "$want" ]
        [ "$got" = "$want" ] || { echo "$want" >want.csv; echo "$got" >got.csv; diff want.csv got.csv >&2; }
    done
done
# Extending a finished study keeps its trials and adds new ones.
before=$(export_stable full-random.db)
run "$BO" resume full-random.db --trials 18
check_eq "extend: exit 0 ($ERR)" "$RC" 0
check_eq "extend: 18 trials" "$("$BO" export full-random.db | tail -n +2 | wc -l)" 18
check_eq "extend keeps the first 14" "$(export_stable full-random.db | head -15)" "$before"
# SIGTERM (or Ctrl-C) says in one line that the finished trials are kept;
# the exit status is the signal's.
cat >slow.json <<'JSON'
{"objective": {"command": ["sh", "-c", "cat >/dev/null; sleep 0.2; echo 0.5"]},
 "space": [{"name": "x", "type": "float", "low": 0, "high": 1}], "strategy": "random", "trials": 30}
JSON
trials_in() { # trials_in FILE N: waits (5 s at most) for N trial lines
    for _ in $(seq 100); do
        [ "$(grep -c '^trial ' "$1" 2>/dev/null)" -ge "$2" ] && return
        sleep 0.05
    done
}
"$BO" run slow.json >slow.out 2>slow.err &
pid=$!
trials_in slow.out 2
kill -TERM $pid
wait $pid
rc=$?
check_eq "SIGTERM: the signal's exit status" "$rc" 143
check_eq "...one line on stderr" "$(cat slow.err)" "bo: interrupted: every finished trial is stored; the same command (or bo resume) goes on"
run "$BO" run slow.json --trials 4
check_eq "...and the same command goes on ($ERR)" "$RC" 0
# A signal ignored when bo starts stays ignored (nohup, a background job).
sh -c "trap '' HUP; exec \"$BO\" run slow.json --db hup.db --trials 6" >hup.out 2>hup.err &
pid=$!
trials_in hup.out 1
kill -HUP $pid
wait $pid
check_eq "SIGHUP ignored at start (nohup): the study runs on to its end" "$?:$(grep -c ',complete,' <<<"$("$BO" export hup.db)")" "0:6"
finish
