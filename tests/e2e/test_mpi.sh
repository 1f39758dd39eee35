# bo under mpirun: rank 0 coordinates and stores, the other ranks evaluate
# through worker processes of their own. A crash on a rank costs that trial
# only; a rank killed mid-trial ends the job with nothing completed lost,
# and `bo resume` (without mpirun, or with it) finishes the study.
# Skipped, saying so, where mpirun is missing or bo was built without MPI.
. "$(dirname "$0")/lib.sh"
if ! command -v mpirun >/dev/null 2>&1; then
    echo "SKIP: mpirun not found (install openmpi-bin and libopenmpi-dev)"
    exit 77
fi
if ! ldd "$BO" 2>/dev/null | grep -q libmpi; then
    echo "SKIP: this bo was built without MPI (libopenmpi-dev missing at configure)"
    exit 77
fi
# We run as root in CI; OpenMPI refuses that unless told.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# No network between ranks here: shared memory and loopback only.
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none
unset CUDA_VISIBLE_DEVICES BO_GPUS
MPIRUN="mpirun --oversubscribe --allow-run-as-root"
# In the sanitizer build: OpenMPI's own allocations (in its dlopen'ed
# components) outlive MPI_Finalize and LeakSanitizer reports them; none is
# bo's. Address errors are still fatal.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
cp "$E2E_DIR/programs/jitter.sh" "$E2E_DIR/programs/quadratic.sh" .
space='[{"name": "x", "type": "float", "low": -1, "high": 1},
        {"name": "y", "type": "float", "low": -1, "high": 1}]'

# -np 3: 2 evaluator ranks; every trial stored, with its reports.
cat >small.json <<JSON
{"objective": {"command": ["sh", "quadratic.sh"]}, "space": $space,
 "strategy": {"name": "bo", "initial": 4}, "trials": 8, "seed": 4}
JSON
run timeout 120 $MPIRUN -np 3 "$BO" run small.json --db small.db
check_eq "np 3: exit 0 ($ERR)" "$RC" 0
check_contains "np 3: two evaluator ranks" "$OUT" "2 MPI evaluator(s)"
check_eq "np 3: 8 complete trials" "$("$BO" export small.db | grep -c ',complete,')" 8
check_contains "np 3: reports relayed to rank 0" \
    "$("$BO" export small.db --format json)" '"reports":[[1,'
check_eq "np 3: no trial log on rank 0's describe only" \
    "$(ls small.logs | grep -c '^trial-')" 8

# Early stopping across ranks (test_early_stop.sh's case, min_trials 3,
# min_step 2, one evaluator rank): rank 0 decides at trial 3's step-2
# report (1.4 > median 1.0), and the rank waits for each answer as a local
# worker does, so the trial stops at that very report: loss 1.4, as in
# the local case (a stop that arrived a report late made early stopping
# irreproducible under mpirun --deterministic).
cp "$E2E_DIR/programs/curve.sh" .
cat >stop.json <<JSON
{"objective": {"command": ["sh", "curve.sh"]},
 "space": [{"name": "x", "type": "float", "low": 0, "high": 1}],
 "enqueue": [{"x": 0.5}, {"x": 0.2}, {"x": 0.8}, {"x": 0.9}, {"x": 0.1}],
 "strategy": "random", "trials": 5,
 "early_stopping": {"rule": "median", "min_trials": 3, "min_step": 2}}
JSON
run timeout 120 $MPIRUN -np 2 "$BO" run stop.json --db stop.db
check_eq "early stopping under MPI: exit 0 ($ERR)" "$RC" 0
check_contains "trial 3 marked as stopped" "$OUT" "trial 3 complete (stopped early)"
csv=$("$BO" export stop.db)
l3=$(echo "$csv" | awk -F, 'NR>1 && $1==3 {print $3}')
check "trial 3 stopped at step 2, the report it was stopped at ($l3)" awk -v a="$l3" \
    'BEGIN { exit !(a > 1.3999 && a < 1.4001) }'
check_eq "no \\r progress line in mpirun's output" "$(printf '%s' "$OUT" | grep -c "$(printf '\r')")" 0
check_eq "trial 4 ran to the end" "$(echo "$csv" | awk -F, 'NR>1 && $1==4 {print $3}')" 0.29999999999999999

# Deterministic mode over 2 ranks = deterministic mode with 2 local
# workers: the same trials bit for bit.
cat >det.json <<JSON
{"objective": {"command": ["sh", "jitter.sh"]}, "space": $space,
 "strategy": {"name": "bo", "initial": 3}, "trials": 9, "seed": 8}
JSON
export JITTER_MAX_S=0.1
run timeout 120 $MPIRUN -np 3 "$BO" run det.json --db det-mpi.db --deterministic
check_eq "deterministic np 3: exit 0 ($ERR)" "$RC" 0
run "$BO" run det.json --db det-local.db --deterministic --workers 2
check_eq "deterministic local K=2: exit 0 ($ERR)" "$RC" 0
check "deterministic: MPI and local workers give the same trials" \
    [ "$(export_stable det-mpi.db)" = "$(export_stable det-local.db)" ]
unset JITTER_MAX_S

# A worker crash on a rank costs that trial only: the hostile plugin's
# "segv" mode writes through a null pointer; the rank replaces its worker.
cat >crash.json <<JSON
{"objective": {"plugin": "$BO_BUILD_DIR/tests/plugins/hostile.so"},
 "space": [{"name": "mode", "type": "categorical", "choices": ["ok", "segv"]},
           {"name": "x", "type": "float", "low": -1, "high": 1}],
 "enqueue": [{"mode": "segv", "x": 0.5}, {"mode": "ok", "x": 0.25}],
 "strategy": "random", "trials": 8, "seed": 2}
JSON
run timeout 120 $MPIRUN -np 3 "$BO" run crash.json --db crash.db
check_eq "crash: exit 0 ($ERR)" "$RC" 0
exported=$("$BO" export crash.db)
check_eq "crash: all 8 trials stored" "$(echo "$exported" | tail -n +2 | wc -l)" 8
check_eq "crash: the segv trial crashed" "$(echo "$exported" | awk -F, '$1 == 0 { print $2 }')" crashed
check_eq "crash: every segv trial crashed, every ok one completed" \
    "$(echo "$exported" | awk -F, 'NR > 1 && !(($5 == "segv" && $2 == "crashed") || ($5 == "ok" && $2 == "complete"))' | wc -l)" 0

# kill -9 of an evaluator rank in the middle of trial 5: the objective
# writes the pid of its nearest `bo run` ancestor (the rank: objective <-
# the program adapter's child <- bo worker <- rank) and sleeps; we kill
# that rank. OpenMPI then ends the whole job.
cat >kill.sh <<'SH'
#!/bin/sh
read -r line
if [ "$BO_TRIAL" = 5 ] && [ ! -e rank.pid ]; then
    p=$PPID
    while [ "$p" -gt 1 ]; do
        case $(tr '\0' ' ' </proc/$p/cmdline) in *" run "*) break ;; esac
        p=$(ps -o ppid= -p "$p" | tr -d ' ')
    done
    echo "$p" >rank.pid.tmp && mv rank.pid.tmp rank.pid
    sleep 60
fi
echo "$line" | sh quadratic.sh
SH
cat >kill.json <<JSON
{"objective": {"command": ["sh", "kill.sh"]}, "space": $space,
 "strategy": {"name": "bo", "initial": 4}, "trials": 12, "seed": 6}
JSON
timeout 120 $MPIRUN -np 3 "$BO" run kill.json --db kill.db >kill.out 2>kill.err &
job=$!
for _ in $(seq 400); do [ -e rank.pid ] && break; sleep 0.05; done
rank=$(cat rank.pid 2>/dev/null)
check "kill: found the rank's pid ($rank)" [ -n "$rank" ]
check "kill: it is a bo run rank, not rank 0's mpirun" \
    grep -q "run" /proc/${rank:-0}/cmdline
sleep 0.3
kill -9 "$rank" 2>/dev/null
wait $job
job_rc=$?
check "kill: the job ended with a failure ($job_rc)" [ "$job_rc" -ne 0 ]
sleep 0.5
check_eq "kill: no worker or objective left running" "$(procs_in_work | wc -l)" 0
before=$("$BO" export kill.db | awk -F, '$2 == "complete"')
n_before=$(echo "$before" | grep -c .)
check "kill: trials completed before the kill are stored ($n_before)" [ "$n_before" -ge 4 ]
check_eq "kill: trial 5 was not completed" "$(echo "$before" | awk -F, '$1 == 5' | wc -l)" 0
run "$BO" resume kill.db
check_eq "kill: resume without mpirun exits 0 ($ERR)" "$RC" 0
after=$("$BO" export kill.db)
check_eq "kill: 12 complete trials after resume" "$(echo "$after" | grep -c ',complete,')" 12
lost=$(echo "$before" | while IFS= read -r row; do
    echo "$after" | grep -qxF "$row" || echo lost; done | wc -l)
check_eq "kill: every completed trial kept, unchanged" "$lost" 0
# Resume under mpirun too: extend the study.
run timeout 120 $MPIRUN -np 3 "$BO" resume kill.db --trials 14
check_eq "kill: resume under mpirun exits 0 ($ERR)" "$RC" 0
check_eq "kill: 14 complete trials" "$("$BO" export kill.db | grep -c ',complete,')" 14
# What a rank starts does not inherit the launch: an objective that is an
# MPI program itself (here: one that checks for the launcher's variables)
# runs as on its own, not as a stray rank of this job.
cat >launchfree.sh <<'SH'
cat >/dev/null
env | grep -qE '^(PMIX_RANK|OMPI_COMM_WORLD_SIZE)=' && { echo "sees the launch" >&2; exit 1; }
echo 0.5
SH
cat >launchfree.json <<JSON
{"objective": {"command": ["sh", "launchfree.sh"]}, "space": $space,
 "strategy": "random", "trials": 4, "seed": 1}
JSON
run timeout 120 $MPIRUN -np 3 "$BO" run launchfree.json
check_eq "objectives do not see the launch: 4 complete ($ERR)" "$("$BO" export launchfree.db | grep -c ',complete,')" 4

# Ranks in different folders (-wdir): the spec's relative paths and the
# trial logs resolve from rank 0's folder.
mkdir -p wa wb && cp quadratic.sh wa/
cat >wa/rel.json <<JSON
{"objective": {"command": ["sh", "quadratic.sh"]}, "space": $space,
 "strategy": "random", "trials": 4, "seed": 1}
JSON
run timeout 120 mpirun --oversubscribe --allow-run-as-root -np 1 -wdir "$PWD/wa" "$BO" run rel.json : -np 2 -wdir "$PWD/wb" "$BO" run rel.json
check_eq "ranks in other folders: 4 complete ($ERR)" "$("$BO" export wa/rel.db | grep -c ',complete,')" 4
check "...the trial logs beside the study" [ -e wa/rel.logs/trial-00000.log ] && [ ! -e wb/rel.logs ]

# Said once, not once per rank: a usage error; bo compare refuses mpirun.
run timeout 120 $MPIRUN -np 2 "$BO" run small.json --db workers.db --workers 3 --trials 2
check_contains "--workers under mpirun: a note says -np sets it" "$OUT" "the workers setting is not used (-np sets how many)"
run timeout 60 $MPIRUN -np 3 "$BO" run small.json --bogus
check_eq "a usage error under mpirun: one line" "$(echo "$ERR" | grep -c "unknown option '--bogus'")" 1
# ...even when rank 0 is the last to get there (a loaded machine).
run timeout 60 mpirun --oversubscribe --allow-run-as-root -np 1 sh -c "sleep 1; exec '$BO' run small.json --bogus" : -np 2 "$BO" run small.json --bogus
check_eq "a usage error, rank 0 slowest: still said once" "$(echo "$ERR" | grep -c "unknown option '--bogus'")" 1
run timeout 60 $MPIRUN -np 2 "$BO" compare small.json --out cmp --seeds 1 --trials 2
check_contains "bo compare under mpirun: refused" "$ERR" "start it without mpirun"
check "...having run nothing" [ ! -e cmp ]
finish
