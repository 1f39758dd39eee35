# Local parallel workers: K trials in flight at once, each worker with its
# own GPU id, and the deterministic mode giving the same trials bit for bit
# whatever order evaluations finish in (and across a kill -9 and resume).
. "$(dirname "$0")/lib.sh"
cp "$E2E_DIR/programs/jitter.sh" "$E2E_DIR/programs/quadratic.sh" .
unset CUDA_VISIBLE_DEVICES BO_GPUS
space='[{"name": "x", "type": "float", "low": -1, "high": 1},
        {"name": "y", "type": "float", "low": -1, "high": 1}]'

# K = 2: every trial stored, and two trials were running at the same time
# (some trial started before the previous one finished). Each evaluation
# sleeps 0.3 s, so overlap cannot happen by rounding.
cat >k2.json <<JSON
{"objective": {"command": ["sh", "quadratic.sh"]}, "space": $space,
 "strategy": "random", "trials": 6, "seed": 1, "workers": 2}
JSON
QUAD_SLEEP=0.3 run "$BO" run k2.json --db k2.db
check_eq "K=2: exit 0 ($ERR)" "$RC" 0
check_contains "K=2: says 2 workers" "$OUT" "2 worker(s)"
check_eq "K=2: 6 complete trials" "$("$BO" export k2.db | grep -c ',complete,')" 6
# started_at and finished_at columns, sorted by start: overlap when a trial
# starts before the one started just before it has finished.
overlaps=$("$BO" export k2.db | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "started_at") s = i; if ($i == "finished_at") f = i } next }
    { print $s, $f }' | sort -n | awk 'NR > 1 && $1 < prev_f { n++ } { prev_f = $2 } END { print n + 0 }')
check "K=2: trials overlap in time ($overlaps overlaps)" [ "$overlaps" -ge 2 ]

# GPUs: BO_GPUS lists the ids; worker slot i gets id i (round-robin), so
# with 2 workers both ids are used and nothing else.
cat >gpu.json <<JSON
{"objective": {"command": ["sh", "jitter.sh"]}, "space": $space,
 "strategy": "random", "trials": 6, "seed": 2, "workers": 2}
JSON
BO_GPUS=7,9 JITTER_MAX_S=0.2 run "$BO" run gpu.json --db gpu.db
check_eq "GPUs: exit 0 ($ERR)" "$RC" 0
gpus=$("$BO" export gpu.db | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "metric.gpu") g = i; next } { print $g }' | sort -u | tr '\n' ' ')
check_eq "GPUs: workers got ids 7 and 9" "$gpus" "7 9 "
# One worker, no list: CUDA_VISIBLE_DEVICES is left alone (unset here).
JITTER_MAX_S=0 run "$BO" run gpu.json --db gpu1.db --workers 1 --trials 2
gpus=$("$BO" export gpu1.db | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "metric.gpu") g = i; next } { print $g }' | sort -u | tr '\n' ' ')
check_eq "GPUs: no list, variable untouched" "$gpus" "-1 "
# A list with an entry CUDA_VISIBLE_DEVICES cannot take: refused before
# any trial (a typo would give every worker a device that is not there).
run env BO_GPUS=0,a "$BO" run gpu.json --db gpu2.db
check_eq "GPUs: a bad entry: exit 2" "$RC" 2
check_eq "...one line naming it" "$ERR" "bo: BO_GPUS: 'a' is neither a device index nor a GPU-/MIG- UUID"
check "...no study made" [ ! -e gpu2.db ]
run env CUDA_VISIBLE_DEVICES=0,-1 "$BO" run gpu.json --db gpu2.db
check_contains "...CUDA_VISIBLE_DEVICES named when it is the list" "$ERR" "CUDA_VISIBLE_DEVICES: '-1'"

# Deterministic mode, K = 3, random evaluation times: two runs give the
# same trials bit for bit (timing columns aside).
cat >det.json <<JSON
{"objective": {"command": ["sh", "jitter.sh"]}, "space": $space,
 "strategy": {"name": "bo", "initial": 4}, "trials": 14, "seed": 3, "workers": 3}
JSON
export JITTER_MAX_S=0.15
run "$BO" run det.json --db det-a.db --deterministic
check_eq "deterministic: first run exits 0 ($ERR)" "$RC" 0
check_contains "deterministic: announced" "$OUT" "deterministic"
run "$BO" run det.json --db det-b.db --deterministic
check_eq "deterministic: second run exits 0 ($ERR)" "$RC" 0
a=$(export_stable det-a.db)
check_eq "deterministic: 14 trials" "$(echo "$a" | tail -n +2 | wc -l)" 14
check "deterministic: same trials bit for bit" [ "$a" = "$(export_stable det-b.db)" ]
[ "$a" = "$(export_stable det-b.db)" ] || diff <(echo "$a") <(export_stable det-b.db) >&2
# The mode is stored with the study: resume keeps it.
check_contains "deterministic: stored in the settings" \
    "$("$BO" export det-a.db --format json | head -c 2000)" '"lag":3'

# kill -9 in the middle, then resume (with another worker count): still
# the same trials, since the lag K = 3 is the study's, not the run's.
"$BO" run det.json --db det-k.db --deterministic >k.out 2>k.err &
pid=$!
for _ in $(seq 600); do # up to 30 s on a starved machine
    [ "$(grep -c '^trial .* complete' k.out 2>/dev/null)" -ge 6 ] && break
    sleep 0.05
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
before=$("$BO" export det-k.db | grep -c ',complete,')
check "deterministic: killed mid-study ($before complete)" [ "$before" -ge 6 -a "$before" -lt 14 ]
run "$BO" resume det-k.db --workers 2
check_eq "deterministic: resume exits 0 ($ERR)" "$RC" 0
check_contains "resume: its first line gives the worker count" "$(echo "$OUT" | head -1)" ", 2 worker(s), deterministic ->"
check_contains "deterministic: resume keeps the mode" "$OUT" "deterministic"
check "deterministic: resumed study equals the uninterrupted one" [ "$a" = "$(export_stable det-k.db)" ]
# The recommendation (best posterior mean) of a deterministic study comes
# from every trial, held-back outcomes included: the same after a run, a
# kill -9 and resume, and the same command again on the finished study.
bm() { "$BO" show "$1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["study"].get("best_mean"))'; }
ref=$(bm det-a.db)
check "deterministic: a best posterior mean is stored ($ref)" [ "$ref" != None ]
check_eq "...the same after kill -9 and resume" "$(bm det-k.db)" "$ref"
# A kill after the last trial but before the summary was stored: the same
# command (no trial left to propose) still makes the recommendation.
cp det-a.db det-c.db
python3 -c 'import sqlite3; c = sqlite3.connect("det-c.db"); c.execute("DELETE FROM meta WHERE key = ?", ("best_mean",)); c.commit()'
run "$BO" run det.json --db det-c.db --deterministic
check_contains "...and made again by the same command on a finished study" "$OUT" "best posterior mean: trial"
check_eq "...the same one" "$(bm det-c.db)" "$ref"
# The same deterministic study with another K is another study: said so.
run "$BO" run det.json --db det-a.db --deterministic --workers 2
check_contains "another K: refused, naming K" "$ERR" "it is deterministic with K = 3, not 2"
# A worker's thread share counts the cores bo may run on (its affinity:
# taskset, Slurm's --cpus-per-task), not the machine's.
if command -v taskset >/dev/null && [ "$(nproc --all)" -ge 2 ]; then
    cat >threads.json <<'JSON'
{"objective": {"command": ["sh", "-c", "cat >/dev/null; echo \"{\\\"loss\\\": 0.5, \\\"metrics\\\": {\\\"threads\\\": $OPENBLAS_NUM_THREADS}}\""]},
 "space": [{"name": "x", "type": "float", "low": 0, "high": 1}], "strategy": "random", "trials": 1}
JSON
    run taskset -c 0 "$BO" run threads.json --db threads1.db
    check_eq "one core allowed: one thread per worker ($ERR)" "$("$BO" export threads1.db --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["trials"][0]["metrics"]["threads"])')" 1
    run taskset -c 0,1 "$BO" run threads.json --db threads2.db
    check_eq "two cores allowed: two ($ERR)" "$("$BO" export threads2.db --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["trials"][0]["metrics"]["threads"])')" 2
fi
finish
