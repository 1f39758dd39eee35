# C plugins that crash, abort, exit, hang, allocate without bound, print
# garbage, close their streams, leave a child behind or return NaN each
# cost one trial, with a state and a message, through the bo binary; the
# study goes on and loses nothing. Plugins that cannot load stop the study
# before it starts, with one line. (test_failures.sh does the same for
# programs; tests/plugins/hostile.c is the plugin.)
. "$(dirname "$0")/lib.sh"
: "${BO_BUILD_DIR:?}"
TP=$BO_BUILD_DIR/tests/plugins
sanitized=0
grep -q '^BO_SANITIZE:BOOL=ON' "$BO_BUILD_DIR/CMakeCache.txt" 2>/dev/null && sanitized=1
lines() { printf '%s\n' "$1" | wc -l; }
# AddressSanitizer catches a SIGSEGV itself, reports it and exits 1.
segv="signal 11"
[ $sanitized = 1 ] && segv="AddressSanitizer: SEGV"

modes="ok segv abort exit0 hang huge hugetouch garbage closefds child nan inf fail evalerr ok forkreturn"
enq=""
for m in $modes; do enq="$enq{\"mode\": \"$m\", \"x\": 0.5},"; done
n=$(echo $modes | wc -w)
cat >spec.json <<JSON
{"objective": {"plugin": "$TP/hostile.so", "config": {"pid_file": "$WORK/child.pid"}},
 "enqueue": [${enq%,}],
 "strategy": "random", "trials": $n, "timeout_s": 1.5, "memory_mb": 512,
 "max_failures": 50}
JSON
run "$BO" run spec.json
check_eq "study with hostile trials completes ($ERR)" "$RC" 0
csv=$("$BO" export spec.db)
json=$("$BO" export spec.db --format json)
check_eq "every trial is stored" "$(echo "$csv" | tail -n +2 | wc -l)" "$n"
state() { echo "$csv" | awk -F, -v t="$1" 'NR > 1 && $1 == t {print $2}'; }
loss() { echo "$csv" | awk -F, -v t="$1" 'NR > 1 && $1 == t {print $3}'; }
msg() { # the message of trial $1
    echo "$json" | python3 -c "import json,sys; print([t for t in json.load(sys.stdin)['trials'] if t['trial'] == $1][0]['message'] or '')"
}
check_eq "ok: complete" "$(state 0)" complete
check_eq "ok: loss x^2 = 0.25" "$(loss 0)" 0.25
check_eq "SIGSEGV: crashed" "$(state 1)" crashed
check_contains "SIGSEGV: says so" "$(msg 1)" "$segv"
[ $sanitized = 1 ] || check_contains "SIGSEGV: with the log's tail" "$(msg 1)" "about to crash"
check_eq "abort: crashed" "$(state 2)" crashed
check_contains "abort: says so" "$(msg 2)" "signal 6"
check_eq "exit(0) without an answer: crashed" "$(state 3)" crashed
check_contains "exit(0): says so" "$(msg 3)" "exited with status 0 before answering"
check_eq "an endless loop: timeout" "$(state 4)" timeout
check_contains "an endless loop: says so" "$(msg 4)" "timed out after 1.5 s"
if [ $sanitized = 0 ]; then
    check_eq "a huge allocation: failed" "$(state 5)" failed
    check_contains "a huge allocation: names the memory limit" "$(msg 5)" "memory limit was probably exceeded: memory_mb = 512"
    check_eq "a huge allocation used unchecked: crashed" "$(state 6)" crashed
    check_contains "...and it names the memory limit" "$(msg 6)" "memory limit was exceeded (memory_mb = 512)"
else
    echo "sanitizer build: memory_mb is not enforced; allocation checks skipped"
fi
check_eq "garbage on stdout: complete" "$(state 7)" complete
check_eq "garbage on stdout: its loss intact" "$(loss 7)" 0.25
check "garbage went to the trial's log" grep -q "GARBAGE-ON-STDOUT" spec.logs/trial-00007.log
check_eq "closed standard streams: complete" "$(state 8)" complete
check_eq "a child left running: complete" "$(state 9)" complete
check_eq "NaN: invalid" "$(state 10)" invalid
check_contains "NaN: says so" "$(msg 10)" "the loss is NaN"
check_eq "inf: invalid" "$(state 11)" invalid
check_contains "inf: says so" "$(msg 11)" "+inf"
check_eq "a failed status: failed" "$(state 12)" failed
check_contains "a failed status: the plugin's message" "$(msg 12)" "hostile: x = 0.5 rejected"
check_eq "evaluate() returning an error: failed" "$(state 13)" failed
check_contains "evaluate() error: says so" "$(msg 13)" "evaluate() returned 1"
check_eq "the study went on: the last trial is complete" "$(state 14)" complete
check_eq "a forked child returning from evaluate(): the parent's answer counts" "$(state 15),$(loss 15)" complete,0.25
check_eq "the best is an ok trial" "$("$BO" show spec.db --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["best"]["loss"])')" 0.25
sleep 0.3
child=$(cat "$WORK/child.pid" 2>/dev/null)
check "the child pid was written" [ -n "$child" ]
# Killed is enough: a zombie waiting for init to reap it counts as gone.
alive() { [ -e /proc/$1 ] && ! grep -q '^[0-9]* ([^)]*) Z' /proc/$1/stat 2>/dev/null; }
for _ in $(seq 30); do alive "$child" || break; sleep 0.1; done
if alive "$child"; then fail "the child was killed with the worker's group"; else ok; fi
check_eq "no worker left running" "$(procs_in_work | wc -l)" 0

# Plugins that cannot load: the study does not start; one line with the
# path; no study file.
for p in bad_abi no_entry; do
    echo "{\"objective\": {\"plugin\": \"$TP/$p.so\"}, \"trials\": 2}" >$p.json
    run "$BO" run $p.json
    check "$p: non-zero exit" [ "$RC" -ne 0 ]
    check_contains "$p: names the plugin" "$ERR" "$TP/$p.so"
    check_eq "$p: one line" "$(lines "$ERR")" 1
    check "$p: leaves no study" [ ! -e $p.db ]
    case $p in
        bad_abi) check_contains "wrong ABI: both versions" "$ERR" "ABI version 99, but this bo has ABI version 1" ;;
        no_entry) check_contains "no entry: names the symbol" "$ERR" "no symbol 'bo_objective_entry'" ;;
    esac
done
echo "#!/bin/sh" >text.so
echo '{"objective": {"plugin": "./text.so"}, "space": [{"name": "x", "type": "float", "low": 0, "high": 1}]}' >text.json
run "$BO" run text.json
check "a text file named .so: non-zero exit" [ "$RC" -ne 0 ]
check_contains "a text file named .so: says so" "$ERR" "not a loadable shared object"
# create() failing in every worker: the study cannot even describe it.
echo "{\"objective\": {\"plugin\": \"$TP/hostile.so\", \"config\": {\"fail_create\": true}}}" >fc.json
run "$BO" run fc.json
check "create() failing: non-zero exit" [ "$RC" -ne 0 ]
check_contains "create() failing: the plugin's own message" "$ERR" "told to fail in create()"
check_eq "create() failing: one line" "$(lines "$ERR")" 1
# A report through a host table kept from an earlier trial (a plugin
# thread that outlived its evaluate()) is dropped and answered non-zero:
# it must not become the next trial's report.
echo "{\"objective\": {\"plugin\": \"$TP/hostile.so\"}, \"enqueue\": [{\"mode\": \"stalehost\", \"x\": 0.5}, {\"mode\": \"stalehost\", \"x\": 0.5}], \"strategy\": \"random\", \"trials\": 2}" >stale.json
run "$BO" run stale.json
check_eq "stale host table: the study runs ($ERR)" "$RC" 0
got=$("$BO" export stale.db --format json | python3 -c 'import json,sys; t=json.load(sys.stdin)["trials"]; print([(x["metrics"].get("stale_answer"), x.get("reports")) for x in t])')
check_eq "...its report dropped, answered 1" "$got" "[(-1, []), (1, [])]"
sed 's/stalehost/staleptr/g' stale.json >staleptr.json
run "$BO" run staleptr.json
got=$("$BO" export staleptr.db --format json | python3 -c 'import json,sys; t=json.load(sys.stdin)["trials"]; print([(x["metrics"].get("stale_answer"), x.get("reports")) for x in t])')
check_eq "...and through a pointer kept to the table" "$got" "[(-1, []), (1, [])]"
# A crash in destroy() costs no trial (every result is stored by then),
# but is not silent either.
echo "{\"objective\": {\"plugin\": \"$TP/by_config.so\", \"config\": {\"do\": \"destroy_segv\"}}, \"strategy\": \"random\", \"trials\": 2}" >ds.json
run "$BO" run ds.json
check_eq "a crash in destroy(): the study succeeds" "$RC" 0
check_contains "...with a note saying so" "$ERR" "bo: note: the objective crashed as its worker closed it (in destroy(), a destructor or at unload): "
[ $sanitized = 1 ] || check_contains "...naming the signal" "$ERR" "signal 11"
check_eq "...both trials complete" "$("$BO" export ds.db | grep -c ',complete,')" 2
# A stop bo never asked for is no early stop: the trial is complete, its
# log says why.
echo "{\"objective\": {\"plugin\": \"$TP/by_config.so\", \"config\": {\"do\": \"claim_stop\"}}, \"strategy\": \"random\", \"trials\": 1}" >cs.json
run "$BO" run cs.json
check_eq "an unasked stop: the study succeeds ($ERR)" "$RC" 0
check "...the trial is complete, not stopped early" sh -c "\"$BO\" export cs.db | awk -F, 'NR == 2 && \$2 == \"complete\" && \$0 !~ /stopped early/ {ok = 1} END {exit !ok}'"
check_contains "...its log says so" "$(cat cs.logs/trial-00000.log)" "said it stopped early, but bo did not ask it to"
# Metrics that do not show as given: the log says why.
echo "{\"objective\": {\"plugin\": \"$TP/by_config.so\", \"config\": {\"do\": \"odd_metrics\"}}, \"strategy\": \"random\", \"trials\": 1}" >om.json
run "$BO" run om.json
check_eq "odd metrics: the study succeeds ($ERR)" "$RC" 0
check_eq "...a kept once with its first value, n empty" "$("$BO" export om.db --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["trials"][0]["metrics"])')" "{'a': 2, 'n': None}"
log=$(cat om.logs/trial-00000.log)
check_contains "...the log: no name" "$log" "bo: metric 0 has no name: not kept"
check_contains "...the log: twice" "$log" "bo: metric \"a\" is given twice: the first value is kept"
check_contains "...the log: NaN" "$log" "bo: metric \"n\" is NaN: kept as empty"
# A worker restarted after a crash whose create() crashes too: the trial
# that waited for it is told where it died.
echo "{\"objective\": {\"plugin\": \"$TP/by_config.so\", \"config\": {\"do\": \"segv_then_create_segv\"}}, \"strategy\": \"random\", \"trials\": 2, \"max_failures\": 5}" >cc.json
"$BO" run cc.json >/dev/null 2>&1 &
cc_pid=$!
wait $cc_pid
rm -f "/tmp/by_config-crashed.$cc_pid"
msg1=$("$BO" export cc.db --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["trials"][1]["message"])')
check_contains "a crash in a new worker's create(): said so" "$msg1" "while starting the objective (loading it or in its create()), before the trial began"
# A plugin rebuilt with another default space between two runs of one
# study: the study does not go on in a space it was not made with.
echo "{\"objective\": {\"plugin\": \"$TP/shifting.so\"}, \"strategy\": \"random\", \"trials\": 3}" >sh.json
run "$BO" run sh.json
check_eq "shifting space: first run ($ERR)" "$RC" 0
run env BO_TEST_SPACE=wider "$BO" run sh.json --trials 5
check_eq "a wider space: refused as a spec error" "$RC" 2
check_eq "...in one line naming both" "$ERR" "bo: sh.db: the objective's space is not the study's any more: parameter 0 was 'x float [0, 1]', is now 'x float [0, 2]' (a changed objective makes a new study: bo run with --db another file)"
run env BO_TEST_SPACE=renamed "$BO" resume sh.db --trials 5
check_eq "a renamed parameter: resume refuses too" "$RC" 2
check_contains "...naming it" "$ERR" "was 'x float [0, 1]', is now 'y float [0, 1]'"
check_eq "...and nothing was added" "$("$BO" export sh.db | tail -n +2 | wc -l)" 3
run "$BO" resume sh.db --trials 5
check_eq "the same space again: resume goes on ($ERR)" "$RC" 0
check_eq "...to 5 trials" "$("$BO" export sh.db | tail -n +2 | wc -l)" 5
# A study made before the space was stored (its "space" row deleted) is
# checked by its names, and stores its space when continued.
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("DELETE FROM meta WHERE key = ?", ("space",)); c.commit()' sh.db
run "$BO" resume sh.db --trials 6
check_eq "an older study: continues ($ERR)" "$RC" 0
run env BO_TEST_SPACE=wider "$BO" resume sh.db --trials 7
check_eq "...and then knows its space" "$RC" 2
finish
