# Storage faults through the bo binary: a full disk (a file size limit) and
# a second `bo run` on a study in use each get one clear line, and every
# trial stored before is still there.
. "$(dirname "$0")/lib.sh"
cat >spec.json <<'JSON'
{"objective": {"plugin": "synthetic", "config": {"function": "hartmann6"}},
 "strategy": "random", "trials": 5000, "seed": 2}
JSON
# 96 KiB is enough to create the study and store some trials, not 5000.
( ulimit -f 96; exec "$BO" run spec.json --db full.db ) >full.out 2>full.err
rc=$?
err=$(cat full.err)
check_eq "file size limit: exit 1" "$rc" 1
check_contains "file size limit: says so" "$err" "full.db"
check_contains "file size limit: names the cause" "$err" "limit"
check_eq "file size limit: one line" "$(printf '%s\n' "$err" | wc -l)" 1
reported=$(grep -c "^trial .* complete" full.out)
stored=$("$BO" export full.db | grep -c ",complete,")
check "file size limit: some trials ran ($reported)" [ "$reported" -gt 0 ]
check "file size limit: all $reported reported trials stored ($stored)" [ "$stored" -ge "$reported" ]
run "$BO" resume full.db --trials $((stored + 3))
check_eq "without the limit the study resumes ($ERR)" "$RC" 0
check_eq "and stores more trials" "$("$BO" export full.db | tail -n +2 | wc -l)" $((stored + 3))

# A study in use: a slow program objective keeps the first run busy.
cat >slow.json <<'JSON'
{"objective": {"command": ["sh", "-c", "read l; sleep 0.2; echo 1"]},
 "space": [{"name": "x", "type": "float", "low": 0, "high": 1}],
 "strategy": "random", "trials": 40}
JSON
"$BO" run slow.json >slow.out 2>&1 &
pid=$!
for _ in $(seq 50); do [ -e slow.db ] && grep -q "^trial" slow.out && break; sleep 0.1; done
run "$BO" run slow.json
check_eq "second run on a study in use: exit 1" "$RC" 1
check_contains "second run says the study is in use" "$ERR" "in use"
check_eq "second run: one line" "$(printf '%s\n' "$ERR" | wc -l)" 1
run "$BO" resume slow.db
check_eq "resume of a study in use: exit 1" "$RC" 1
check_contains "resume says the study is in use" "$ERR" "in use"
run "$BO" show slow.db
check_eq "show works while the study runs ($ERR)" "$RC" 0
kill $pid; wait $pid 2>/dev/null
stored=$("$BO" export slow.db | grep -c ",complete,")
check "the running study kept its trials ($stored)" [ "$stored" -gt 0 ]
finish
