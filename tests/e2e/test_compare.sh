# `bo compare` end to end: a small real comparison (2 objectives x 2
# strategies x 2 seeds), its files and columns, resuming an interrupted
# comparison, and the same command giving the same numbers.
. "$(dirname "$0")/lib.sh"
cat >branin.json <<'JSON'
{"name": "branin", "objective": {"plugin": "synthetic", "config": {"function": "branin"}}}
JSON
cat >camel.json <<'JSON'
{"name": "camel", "objective": {"plugin": "synthetic", "config": {"function": "six-hump-camel"}}}
JSON
ARGS="--strategies bo,random --seeds 2 --trials 8 --jobs 2"
# trials.csv without the columns that measure time.
stable() {
    awk -F, 'NR==1{for(i=1;i<=NF;i++) if($i=="cost_s"||$i=="wall_s") skip[i]=1}
             {s="";for(i=1;i<=NF;i++) if(!skip[i]) s=s $i ","; print s}' "$1"
}

run "$BO" compare branin.json camel.json $ARGS --out a
check_eq "compare exits 0 ($ERR)" "$RC" 0
check_contains "announces the plan" "$OUT" "8 runs of 8 trials; 0 already finished, 8 to run"
for f in trials.csv summary.csv tests.csv manifest.json runs/branin-bo-s0.db runs/camel-random-s1.db runs/camel-random-s1.log; do
    check "a/$f exists" [ -f "a/$f" ]
done
check_eq "trials.csv header" "$(head -1 a/trials.csv)" \
    "objective,strategy,seed,trial,state,loss,best,regret,cost_s,wall_s,params"
check_eq "trials.csv: 2 x 2 x 2 runs of 8 trials" "$(tail -n +2 a/trials.csv | wc -l)" 64
check_eq "runs in order: objective, strategy, seed, trial" \
    "$(tail -n +2 a/trials.csv | cut -d, -f1-4 | awk -F, '!s[$1","$2","$3]++' | tr '\n' ' ')" \
    "branin,bo,0,0 branin,bo,1,0 branin,random,0,0 branin,random,1,0 camel,bo,0,0 camel,bo,1,0 camel,random,0,0 camel,random,1,0 "
# best is the running minimum of loss within each run, regret best - optimum.
bad=$(awk -F, 'NR>1 { k=$1$2$3; if (!(k in m) || $6 < m[k]) m[k]=$6;
                      if ($7 != m[k]) n++ } END { print n+0 }' a/trials.csv)
check_eq "best is the running minimum" "$bad" 0
check_eq "regret of branin = best - 5/(4 pi)" \
    "$(awk -F, '$1=="branin" && NR>1 { d=$7-0.39788735772973838-$8; if (d>1e-12||d<-1e-12) n++ } END { print n+0 }' a/trials.csv)" 0
check_eq "a trial's params are its JSON" "$(sed -n 2p a/trials.csv | grep -c '"{""x0"":')" 1
# The first trial of each run is the same in trials.csv and in bo export.
l0=$("$BO" export a/runs/camel-random-s1.db | sed -n 2p | cut -d, -f3)
check_eq "loss as stored" "$(grep '^camel,random,1,0,' a/trials.csv | cut -d, -f6)" "$l0"

hdr=$(head -1 a/summary.csv)
check_contains "summary: quartiles at T" "$hdr" "best_q1_8,best_median_8,best_q3_8"
check_contains "summary: trials to target" "$hdr" "target_ref,reached_ref,trials_to_ref_q1"
check_contains "summary: log regret area" "$hdr" "log_regret_auc_median"
check_eq "summary: one row per objective x strategy" "$(tail -n +2 a/summary.csv | cut -d, -f1,2 | tr '\n' ' ')" \
    "branin,bo branin,random camel,bo camel,random "
check_eq "tests.csv header" "$(head -1 a/tests.csv)" \
    "objective,strategy,baseline,trials,runs,runs_baseline,median_best,median_best_baseline,u,p_value,method,p_holm,significant"
check_eq "tests: bo vs random per objective" "$(tail -n +2 a/tests.csv | cut -d, -f1-4,11 | tr '\n' ' ')" \
    "branin,bo,random,8,exact camel,bo,random,8,exact "
if command -v python3 >/dev/null; then
    m=$(python3 -c 'import json,sys; m=json.load(open("a/manifest.json"));
print(m["command"][1], m["seeds"], m["trials"], m["strategies"], sorted(m["libraries"]), bool(m["cpu"]["model"]))')
    check_eq "manifest" "$m" \
        "compare [0, 1] 8 ['bo', 'random'] ['cjson', 'gsl', 'gsl_headers', 'openblas_config', 'openblas_core', 'sqlite', 'zlib'] True"
    # the commit and whether the sources differ from it, as git says
    if git -C "$BO_SOURCE_DIR" rev-parse HEAD >/dev/null 2>&1; then
        want="$(git -C "$BO_SOURCE_DIR" rev-parse HEAD) $([ -n "$(git -C "$BO_SOURCE_DIR" status --porcelain --untracked-files=no)" ] && echo True || echo False)"
        check_eq "manifest: git commit and dirty" "$(python3 -c 'import json; m=json.load(open("a/manifest.json")); print(m["git_commit"], m["git_dirty"])')" "$want"
    fi
fi

# Again: every run is finished, nothing is re-run, the numbers are the same.
before=$(stat -c %Y.%s a/runs/*.db | md5sum)
cp a/trials.csv a/summary.csv a/tests.csv .
run "$BO" compare branin.json camel.json $ARGS --out a
check_eq "rerun exits 0 ($ERR)" "$RC" 0
check_contains "rerun keeps every run" "$OUT" "8 already finished, 0 to run"
check_eq "rerun leaves the studies alone" "$(stat -c %Y.%s a/runs/*.db | md5sum)" "$before"
check "rerun: same trials.csv" cmp -s trials.csv a/trials.csv
check "rerun: same summary.csv" cmp -s summary.csv a/summary.csv
check "rerun: same tests.csv" cmp -s tests.csv a/tests.csv

# An interrupted comparison: one run stopped after 3 trials, and a compare
# killed while its runs were going. Running the command again finishes them
# and gives what the uninterrupted one gave, timing aside.
mkdir -p b/runs
"$BO" run branin.json --db b/runs/branin-bo-s1.db --strategy bo --seed 1 --trials 3 >/dev/null 2>&1
"$BO" compare branin.json camel.json --strategies bo,random --seeds 2 --trials 200 --jobs 2 --out b >/dev/null 2>&1 &
pid=$!
sleep 0.5
kill -9 $pid
wait $pid 2>/dev/null
sleep 0.5
left=$(for p in /proc/[0-9]*; do
    [ "$(readlink "$p/cwd" 2>/dev/null)" = "$WORK" ] || continue
    tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -E "bo (run|resume|worker)"
done)
check_eq "a killed compare leaves no run going" "$left" ""
rm -f b/runs/*-s*.db.creating-* # what a run killed while creating its study leaves
run "$BO" compare branin.json camel.json $ARGS --out b
check_eq "resumed compare exits 0 ($ERR)" "$RC" 0
check_contains "the stopped run was resumed" "$(cat b/runs/branin-bo-s1.log)" "trial 7"
check_eq "resumed: same numbers as uninterrupted" "$(stable b/trials.csv | md5sum)" "$(stable a/trials.csv | md5sum)"
check "resumed: same summary.csv" cmp -s b/summary.csv a/summary.csv
check "resumed: same tests.csv" cmp -s b/tests.csv a/tests.csv

# Mistakes: one line, exit 2, nothing run.
run "$BO" compare branin.json --strategies bo,simplex --out c
check_eq "unknown strategy: exit 2" "$RC" 2
check_contains "unknown strategy named" "$ERR" "unknown strategy 'simplex'"
run "$BO" compare branin.json --strategies bo,,random --out c
check_eq "an empty strategy entry: exit 2" "$RC" 2
check_contains "...said" "$ERR" "--strategies: an empty entry in 'bo,,random'"
run "$BO" compare "" --out c
check_contains "an empty spec path: said so" "$ERR" "a spec's path is empty"
run "$BO" compare branin.json
check_eq "missing --out: exit 2" "$RC" 2
check_contains "missing --out said" "$ERR" "missing --out DIR"
check "nothing made for a usage error" [ ! -e c ]
cp branin.json twin.json
run "$BO" compare branin.json twin.json --out c
check_eq "two specs of one name: exit 2" "$RC" 2
check_contains "duplicate name said" "$ERR" "is also the name of branin.json"
sed 's/branin"}}}/branin", "dim": 2}}}/' branin.json >branin2.json
mv branin2.json branin.json
run "$BO" compare branin.json camel.json $ARGS --out a
check_eq "changed spec on an old --out: exit 2" "$RC" 2
check_contains "changed spec said" "$ERR" "was run from another version of branin.json; remove that spec's runs (a/runs/branin-bo-s* a/runs/branin-random-s*)"
check_eq "one line" "$(echo "$ERR" | wc -l)" 1
echo '{"name": "nop", "objective": {"plugin": "nosuchplugin"}, "space": [{"name": "x", "type": "float", "low": 0, "high": 1}]}' >nop.json
run "$BO" compare camel.json nop.json $ARGS --out n
check_eq "a spec naming a missing plugin: exit 2 before any run" "$RC" 2
check_contains "...naming the spec" "$ERR" "nop.json: objective.plugin: no objective 'nosuchplugin'"
check "...nothing run" [ ! -e n/runs/camel-bo-s0.db ]
# A run whose every trial fails ran all its trials: finished, the first
# time as the second (exit 0 both times, the run's line says so).
echo '{"name": "fails", "objective": {"command": ["false"]}, "space": [{"name": "x", "type": "float", "low": 0, "high": 1}]}' >fails.json
run "$BO" compare fails.json --strategies random --seeds 1 --trials 3 --out f
check_eq "a run with every trial failed: exit 0 ($ERR)" "$RC" 0
check_contains "...its line says no trial completed" "$OUT" "done in"
check_contains "..." "$OUT" "no trial completed"
run "$BO" compare fails.json --strategies random --seeds 1 --trials 3 --out f
check_eq "...and the same again" "$RC" 0
check_contains "...counted finished" "$OUT" "1 already finished, 0 to run"
check_contains "...and a note that the objective never completed a trial" "$OUT" "note: fails: no run completed a trial (its logs: f/runs/fails-random-s*.log)"
# An objective whose losses go below the optimum it reports: said, since
# its negative regret would read as better than perfect.
printf '#!/bin/sh\ncat >/dev/null\necho "{\\"loss\\": -1, \\"metrics\\": {\\"optimum\\": 5}}"\n' >wrongopt.sh
echo '{"name": "wrongopt", "objective": {"command": ["sh", "wrongopt.sh"]}, "space": [{"name": "x", "type": "float", "low": 0, "high": 1}]}' >wrongopt.json
run "$BO" compare wrongopt.json --strategies random --seeds 1 --trials 2 --out wo
check_contains "a loss below the reported optimum: noted" "$OUT" "note: wrongopt: a loss of -1 is below the optimum it reports (5)"
run "$BO" compare branin.json --strategies random --seeds 1 --trials 3 --out wo2
check "...not for a right one" sh -c "! echo \"\$1\" | grep -q 'below the optimum'" _ "$OUT"
# One stopped by max_failures is finished too: running it again would only
# add one more failure each time.
echo '{"name": "gives_up", "objective": {"command": ["false"]}, "max_failures": 2, "space": [{"name": "x", "type": "float", "low": 0, "high": 1}]}' >gu.json
run "$BO" compare gu.json --strategies random --seeds 1 --trials 5 --out gu
check_eq "a run stopped by max_failures: exit 0 ($ERR)" "$RC" 0
check_contains "...its line says why" "$OUT" "stopped after 2 failed trials in a row"
run "$BO" compare gu.json --strategies random --seeds 1 --trials 5 --out gu
check_contains "...counted finished the next time" "$OUT" "1 already finished, 0 to run"
check_eq "...with its 2 trials" "$(tail -n +2 gu/trials.csv | wc -l)" 2

# A grid of 8 trials over 2 parameters has 4 points (2 levels each, as 3
# would need 9): the run ends early and says so, and counts as finished;
# the same --out with more trials would reuse the smaller grid: refused.
run "$BO" compare camel.json --strategies grid --seeds 1 --trials 8 --out g
check_eq "grid compare ($ERR)" "$RC" 0
check_contains "the run says the grid ran out" "$(cat g/runs/camel-grid-s0.log)" "the grid strategy has no more points: 4 of 8 trials run"
run "$BO" compare camel.json --strategies grid --seeds 1 --trials 8 --out g
check_contains "rerun: the short grid run is finished" "$OUT" "1 already finished, 0 to run"
run "$BO" compare camel.json --strategies grid --seeds 1 --trials 9 --out g
check_eq "more trials on a grid's --out: exit 2" "$RC" 2
check_contains "...says why" "$ERR" "holds a grid made for 8 trials, not 9"
# The reference strategies must be run: one named but left out is a usage
# error; the default baseline left out is a note (no rank tests).
run "$BO" compare camel.json --strategies bo,sobol --baseline random --seeds 1 --trials 3 --out r1
check_eq "--baseline not among --strategies: exit 2" "$RC" 2
check_contains "...says so" "$ERR" "--baseline random is not among --strategies"
run "$BO" compare camel.json --strategies bo,random --target-strategy grid --seeds 1 --trials 3 --out r1
check_contains "--target-strategy not among them: refused" "$ERR" "--target-strategy grid is not among --strategies"
run "$BO" compare camel.json --strategies sobol --seeds 1 --trials 3 --out r2
check_eq "the default baseline missing: runs ($ERR)" "$RC" 0
check_contains "...with a note" "$OUT" "without the baseline strategy (random) there are no rank tests"
# A spec whose name starts with '-', given after "--": its runs get it
# after "--" too.
cp camel.json ./-dash.json
run "$BO" compare --strategies random --seeds 1 --trials 3 --out d -- -dash.json
check_eq "a spec named -dash.json after --: runs ($ERR)" "$RC" 0
check_contains "...its run finished" "$OUT" "done in"
# The log-regret area is over the study's T trials for every run: a grid
# that ran out of points keeps its final best to T, and a trial before a
# run's first complete one counts at the worst regret of any run.
# Recomputed here from trials.csv.
run "$BO" compare camel.json --strategies grid,random --seeds 2 --trials 12 --out auc
check_eq "a grid out of points beside random ($ERR)" "$RC" 0
check_eq "log_regret_auc_median recomputed from trials.csv" "$(python3 - auc <<'PY'
import csv, math, sys
d = sys.argv[1]
T = 12
rows = list(csv.DictReader(open(d + "/trials.csv")))
runs = {}
for r in rows:
    runs.setdefault((r["objective"], r["strategy"], r["seed"]), []).append(r)
worst = {}
for (o, s, seed), rs in runs.items():
    for r in rs:
        if r["regret"]:
            worst[o] = max(worst.get(o, -math.inf), float(r["regret"]))
def auc(rs, o):
    vals, last = [], None
    for t in range(T):
        if t < len(rs) and rs[t]["regret"]:
            last = float(rs[t]["regret"])
        reg = last if last is not None else worst[o]
        vals.append(math.log10(max(reg, 1e-12)))
    return sum(vals) / T
bad = 0
for row in csv.DictReader(open(d + "/summary.csv")):
    a = sorted(auc(rs, o) for (o, s, seed), rs in runs.items()
               if o == row["objective"] and s == row["strategy"])
    med = (a[0] + a[1]) / 2
    if abs(med - float(row["log_regret_auc_median"])) > 1e-9:
        bad += 1
        print(row["strategy"], med, row["log_regret_auc_median"], file=sys.stderr)
print("grid short" if len(runs[("camel", "grid", "0")]) < T else "grid full", bad)
PY
)" "grid short 0"
check_contains "the manifest names the test as run" "$(cat auc/manifest.json)" "best loss at each checkpoint"

# --out: a file, a folder under a missing one, or someone else's folder
# (its files would be overwritten) are the command's mistakes: exit 2.
touch afile
mkdir -p theirs && echo mine >theirs/trials.csv
for out in afile missing/sub theirs; do
    run "$BO" compare branin.json --strategies random --seeds 1 --trials 2 --out $out
    check_eq "--out $out: refused, exit 2" "$RC" 2
done
check_contains "...a file: said so" "$("$BO" compare branin.json --strategies random --seeds 1 --trials 2 --out afile 2>&1)" "afile: exists and is not a folder"
check_contains "...someone else's folder: said so" "$("$BO" compare branin.json --strategies random --seeds 1 --trials 2 --out theirs 2>&1)" "theirs: holds other files and no comparison"
check_eq "...and left as it was" "$(ls theirs),$(cat theirs/trials.csv)" "trials.csv,mine"
mkdir empty
run "$BO" compare branin.json --strategies random --seeds 1 --trials 2 --out empty
check_eq "an empty folder is fine ($ERR)" "$RC" 0
check "...with no test, no note about tests" sh -c "! echo \"\$1\" | grep -q 'no test can reach'" _ "$OUT"

# Two comparisons in one folder: the second is refused while the first runs.
printf '#!/bin/sh\ncat >/dev/null\nsleep 1\necho 1\n' >slow.sh
echo '{"objective": {"command": ["sh", "slow.sh"]}, "space": [{"name": "x", "type": "float", "low": 0, "high": 1}]}' >slowc.json
"$BO" compare slowc.json --strategies random --seeds 1 --trials 4 --out busy >/dev/null 2>&1 &
first=$!
for _ in $(seq 200); do [ -e busy/runs/slowc-random-s0.db ] && break; sleep 0.05; done
run "$BO" compare slowc.json --strategies random --seeds 1 --trials 4 --out busy
check_eq "a second compare in a busy folder: exit 1" "$RC" 1
check_contains "...said so" "$ERR" "busy: another bo compare is running in this folder"
wait $first
check_eq "...the first one finishes its run" "$(tail -n +2 busy/trials.csv | wc -l)" 4

# Mistakes bo run finds once the objective is loaded (its program is not
# there, its config is refused) are found before any run starts too.
cat >noprog.json <<'JSON'
{"objective": {"command": ["./no-such-program.sh"]},
 "space": [{"name": "x", "type": "float", "low": 0, "high": 1}]}
JSON
echo '{"objective": {"plugin": "synthetic", "config": {"function": "nosuch"}}}' >badcfg.json
for bad in noprog badcfg; do
    run "$BO" compare branin.json $bad.json --strategies random --seeds 2 --trials 2 --out np-$bad
    check_eq "$bad: exit 2" "$RC" 2
    check "$bad: no run started" [ ! -e np-$bad ]
done
check_contains "...the program named, with the spec" "$("$BO" compare noprog.json --out np 2>&1)" "noprog.json: objective.command: cannot run"

# An objective's code edited between two calls: the runs kept from before
# are named, and the manifest records the files the runs ran.
printf 'import json, sys\nx = json.load(sys.stdin)["x"]\nprint((x - 0.3) ** 2)\n' >obj.py
cat >edited.json <<'JSON'
{"objective": {"command": ["python3", "obj.py"]},
 "space": [{"name": "x", "type": "float", "low": 0, "high": 1}]}
JSON
run "$BO" compare edited.json --strategies random --seeds 1 --trials 2 --out ed
check_eq "a program objective: compare runs ($ERR)" "$RC" 0
check_eq "the manifest records its script" "$(python3 -c 'import json,sys; f=json.load(open("ed/manifest.json"))["objectives"][0]["files"]; print([(k.rsplit("/", 1)[1], v[:6]) for k, v in f.items()])')" "[('obj.py', 'crc32 ')]"
echo "# edited" >>obj.py
run "$BO" compare edited.json --strategies random --seeds 2 --trials 2 --out ed
check_eq "its script edited: compare goes on" "$RC" 0
check_contains "...naming the runs kept from before" "$OUT" "note: edited: its objective's file $PWD/obj.py changed since 1 of its 1 earlier runs began"
check_eq "...and the manifest names them, with the files they ran" "$(python3 -c 'import json; o=json.load(open("ed/manifest.json"))["objectives"][0]; w=o["runs_with_other_files"]; print(sorted(w), [v[:6] for v in w["edited-random-s0"].values()], list(w["edited-random-s0"].values()) != list(o["files"].values()))')" "['edited-random-s0'] ['crc32 '] True"
run "$BO" resume ed/runs/edited-random-s0.db --trials 3
check_contains "bo resume of such a run: a note too" "$ERR" "the objective's file $PWD/obj.py changed since the study's earlier trials"
# A plugin named by a relative path: going on notes nothing, and neither
# does a study that stored the path uncleaned ("/x/././y.so", as bo did)
mkdir -p rel && cp "$(dirname "$BO")/../lib/bo/objectives/synthetic.so" rel/
printf '{"objective": {"plugin": "./rel/synthetic.so", "config": {"function": "branin"}}, "trials": 2}' >rel.json
"$BO" run rel.json >/dev/null 2>&1
run "$BO" run rel.json --trials 3
check_eq "a relative plugin path: goes on ($ERR)" "$RC" 0
case $ERR in *changed*) fail "...without a note: $ERR" ;; *) ok ;; esac
if command -v sqlite3 >/dev/null; then
    sqlite3 rel.db "UPDATE meta SET value = replace(value, '/rel/', '/././rel/') WHERE key = 'objective_files'"
    check_contains "(the path stored uncleaned)" "$(sqlite3 rel.db "SELECT value FROM meta WHERE key = 'objective_files'")" "/././rel/synthetic.so"
    run "$BO" resume rel.db --trials 4
    case $ERR in *changed*) fail "an uncleaned stored path: no note: $ERR" ;; *) ok ;; esac
fi
# Another comparison into that folder: what its tables leave out is named.
run "$BO" compare branin.json --strategies bo --seeds 1 --trials 2 --out ed
check_eq "another plan into an earlier folder: runs ($ERR)" "$RC" 0
check_contains "...the objective left out named" "$OUT" "note: ed's earlier comparison also had objective edited, which this one leaves out of its tables (its runs stay in ed/runs/)"
check_contains "...and the strategy" "$OUT" "also had strategy random"
# A spec edited while its comparison runs (here by its own objective, at
# its first trial): the runs after it would read another objective, so the
# comparison stops before them, and says which runs to remove.
cat >self.json <<'JSON'
{"name": "self", "objective": {"command": ["sh", "-c", "sed -i s/first/second/ self.json; echo 0.5"], "config": {"tag": "first"}},
 "space": [{"name": "x", "type": "float", "low": 0, "high": 1}]}
JSON
run "$BO" compare self.json branin.json --strategies random --seeds 2 --trials 2 --jobs 1 --out se
check_eq "a spec edited during its comparison: exit 2" "$RC" 2
check_contains "...said, with the runs to remove" "$ERR" "self.json: changed while this comparison ran (before a run of it started): every run of a table must read one text; restore it, or remove its runs (se/runs/self-random-s*)"
check "...no tables written" [ ! -e se/trials.csv ]
check "...its later run not started" [ ! -e se/runs/self-random-s1.db ]
check_contains "...the other objective's runs went on" "$(cat se/runs/branin-random-s1.log)" "2/2 done"
# An earlier comparison's folder from before runs/.lock: its run files say
# what it is
mkdir -p old/runs && cp se/runs/branin-random-s0.db old/runs/q-sobol-s0.db
run "$BO" compare branin.json --strategies random --seeds 1 --trials 2 --out old
check_eq "a folder of run files without a lock is a comparison ($ERR)" "$RC" 0
# Folders that hold a runs/ folder (TensorBoard's) or a manifest.json of
# another program are not comparisons: refused, nothing overwritten.
mkdir -p proj/runs/exp1 && echo keep >proj/trials.csv
run "$BO" compare branin.json --strategies random --seeds 1 --trials 2 --out proj
check_eq "a project folder with runs/: refused, exit 2" "$RC" 2
check_contains "...said" "$ERR" "proj: holds other files and no comparison"
check_eq "...its trials.csv kept" "$(cat proj/trials.csv)" keep
mkdir web && echo '{"name": "webapp"}' >web/manifest.json
run "$BO" compare branin.json --strategies random --seeds 1 --trials 2 --out web
check_eq "a folder with another program's manifest.json: refused" "$RC" 2
check_eq "...kept" "$(cat web/manifest.json)" '{"name": "webapp"}'
finish
