# Objectives that crash, hang, print garbage or return NaN cost one trial
# each, with a state and a message; the study goes on; a study whose trials
# all fail stops after max_failures with one line saying why.
. "$(dirname "$0")/lib.sh"
cp "$E2E_DIR/programs/hostile.sh" .
modes="ok segv abort exit1 silent hang garbage nan inf child ok"
enq=""
for m in $modes; do enq="$enq{\"mode\": \"$m\"},"; done
cat >spec.json <<JSON
{"objective": {"command": ["sh", "hostile.sh"]},
 "space": [{"name": "mode", "type": "categorical",
            "choices": ["ok", "segv", "abort", "exit1", "silent", "hang", "garbage", "nan", "inf", "child"]}],
 "enqueue": [${enq%,}],
 "strategy": "random", "trials": 11, "timeout_s": 1.5, "max_failures": 50}
JSON
run "$BO" run spec.json
check_eq "study with hostile trials completes ($ERR)" "$RC" 0
csv=$("$BO" export spec.db)
state() { echo "$csv" | awk -F, -v t=$1 'NR>1 && $1==t {print $2}'; }
check_eq "ok trial" "$(state 0)" complete
check_eq "segv fails the trial" "$(state 1)" failed
check_eq "abort fails the trial" "$(state 2)" failed
check_eq "exit 1 fails the trial" "$(state 3)" failed
check_eq "no answer is invalid or failed" "$(state 4 | sed 's/invalid/failed/')" failed
check_eq "a hang times out" "$(state 5)" timeout
check_eq "garbage without a result fails" "$(state 6 | sed 's/invalid/failed/')" failed
check_eq "NaN is invalid" "$(state 7)" invalid
check_eq "inf is invalid" "$(state 8)" invalid
check_eq "a stray child does not stop the trial" "$(state 9)" complete
check_eq "the study went on" "$(state 10)" complete
check_contains "exit 1 carries stderr's tail" "$("$BO" export spec.db --format json)" "something went wrong"
sleep 0.3
check_eq "no program left running" "$(procs_in_work | wc -l)" 0

cat >allfail.json <<JSON
{"objective": {"command": ["sh", "-c", "exit 3"]},
 "space": [{"name": "x", "type": "float", "low": 0, "high": 1}],
 "strategy": "random", "trials": 50, "max_failures": 4}
JSON
run "$BO" run allfail.json
check_eq "all failing: exit 1" "$RC" 1
check_contains "all failing: says why" "$ERR" "4 failed trials in a row"
check_eq "all failing: one line" "$(printf '%s\n' "$ERR" | wc -l)" 1
check_eq "all failing: stopped after 4 trials" "$("$BO" export allfail.db | tail -n +2 | wc -l)" 4
finish
