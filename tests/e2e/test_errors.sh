# Usage and spec mistakes: one line on stderr naming what and where, exit 2;
# runtime failures exit 1; nothing is created by a spec that is refused.
. "$(dirname "$0")/lib.sh"
lines() { printf '%s\n' "$1" | wc -l; }

run "$BO"
check_eq "no command: exit 2" "$RC" 2
check_eq "...one line naming the commands" "$ERR" "bo: no command given: run, resume, show, export, compare or plugin (see bo --help)"
run "$BO" plugin
check_eq "plugin, no subcommand: exit 2" "$RC" 2
check_eq "...one line" "$ERR" "bo plugin: no subcommand given (try: check) (see bo plugin --help)"
run "$BO" frobnicate
check_eq "unknown command: exit 2" "$RC" 2
check_contains "unknown command named" "$ERR" "frobnicate"
# output that cannot be written is a failure, not silence
if [ -w /dev/full ]; then
    run sh -c '"$1" --help >/dev/full' sh "$BO"
    check_eq "--help into a full disk: exit 1" "$RC" 1
    check_eq "...one line" "$ERR" "bo: cannot write to standard output: No space left on device"
fi
# A space the objective's check() refuses (a value at an end, a name it
# does not know): one line before any trial, naming the value.
TP=$BO_BUILD_DIR/tests/plugins
for sp in '[{"name": "x", "type": "float", "low": 0, "high": 1}]' \
          '[{"name": "x", "type": "float", "low": 0, "high": 0.5}, {"name": "y", "type": "int", "low": 1, "high": 3}]' \
          '[{"name": "x", "type": "float", "low": 0, "high": 0.5}]'; do
    echo "{\"objective\": {\"plugin\": \"$TP/by_config.so\", \"config\": {\"do\": \"check_x\"}}, \"space\": $sp, \"strategy\": \"random\", \"trials\": 2}" >chk.json
    rm -rf chk.db chk.logs
    run "$BO" run chk.json
    case $sp in
        *'"high": 1}'*)
            check_eq "a value the objective's check refuses: exit 2" "$RC" 2
            check_eq "...one line naming it" "$ERR" "bo: chk.json: space: the objective refuses x = 1: x: must be at most 0.9"
            check "...no study made" [ ! -e chk.db ] ;;
        *'"y"'*)
            check_eq "a name the objective's check does not know: exit 2" "$RC" 2
            check_eq "...one line" "$ERR" "bo: chk.json: space: the objective refuses the space's centre: y: by_config knows only x" ;;
        *)
            check_eq "a space the check takes: the study runs ($ERR)" "$RC" 0 ;;
    esac
done
# The stock synthetic objective checks a space's names the same way.
echo '{"objective": {"plugin": "synthetic"}, "space": [{"name": "a", "type": "float", "low": 0, "high": 1}, {"name": "x1", "type": "float", "low": 0, "high": 1}]}' >syn.json
run "$BO" run syn.json
check_eq "synthetic, a name it does not take: exit 2" "$RC" 2
check_eq "...one line" "$ERR" "bo: syn.json: space: the objective refuses the space's centre: synthetic branin: unknown parameter 'a' (it takes x0 .. x1, and optionally noise)"
# Data the objective cannot load under memory_mb: the limit is named.
if ! grep -q '^BO_SANITIZE:BOOL=ON' "$BO_BUILD_DIR/CMakeCache.txt" 2>/dev/null &&
   [ -e /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
    echo '{"objective": {"plugin": "nn_trainer", "config": {"epochs": 1}}, "trials": 1, "memory_mb": 50}' >m50.json
    run "$BO" run m50.json
    check_eq "create() out of memory under memory_mb: exit 2" "$RC" 2
    check_contains "...the limit named" "$ERR" "(the memory limit was probably exceeded: memory_mb = 50)"
fi
# a config the plugin refuses: named as the spec's key
echo '{"objective": {"plugin": "synthetic", "config": {"foo": 1}}}' >badcfg.json
run "$BO" run badcfg.json
check_eq "a config the plugin refuses: exit 2" "$RC" 2
check_eq "...one line naming the spec and key" "$ERR" "bo: badcfg.json: objective: create() failed (see objective.config, or what the objective needs): synthetic: unknown config key 'foo' (known: function, dim, noise)"
check "...and no study made" [ ! -e badcfg.db ]
check "...nor a log folder" [ ! -e badcfg.logs ]
run "$BO" --version
check_eq "--version exits 0" "$RC" 0
check_contains "--version prints the version" "$OUT" "bo "
for c in run resume show export compare worker; do
    run "$BO" $c --help
    check_eq "$c --help exits 0" "$RC" 0
    check_contains "$c --help shows usage" "$OUT" "usage: bo $c"
done

run "$BO" run missing.json
check_eq "missing spec: a usage error, exit 2" "$RC" 2
check_contains "missing spec named" "$ERR" "missing.json"
check_eq "missing spec: one line" "$(lines "$ERR")" 1
run "$BO" run .
check_eq "a folder as the spec: exit 2" "$RC" 2
check_contains "a folder as the spec: says so" "$ERR" ".: is a folder, not a spec file"

echo '{"objective": {"plugin": "synthetic"}, "trials": "many"}' >bad.json
run "$BO" run bad.json
check_eq "wrong type: exit 2" "$RC" 2
check_contains "wrong type names the key" "$ERR" "trials"
check_eq "wrong type: one line" "$(lines "$ERR")" 1
check "refused spec leaves no study" [ ! -e bad.db ]

echo '{"objective": {"plugin": "synthetic"}, "space": [{"name": "x", "type": "float", "low": 0, "high": 1, "log": true}]}' >log.json
run "$BO" run log.json
check_eq "log with low 0: exit 2" "$RC" 2
check_contains "log error names the key" "$ERR" "space[0].low"

# Mistakes found once the objective is running (it must be asked for its
# space, or checks the config itself): no study, no log folder either.
echo '{"objective": {"command": ["sh", "x.sh"]}}' >nospace.json
run "$BO" run nospace.json
check_eq "a command with no space: exit 2" "$RC" 2
check_contains "...says to give one" "$ERR" "nospace.json: space: missing (a command objective has no space of its own"
echo '{"objective": {"plugin": "synthetic", "config": {"function": "branin"}}, "enqueue": [{"x0": 30, "x1": 1}]}' >enq.json
run "$BO" run enq.json
check_eq "an enqueued point out of range: exit 2" "$RC" 2
echo '{"objective": {"plugin": "synthetic", "config": {"function": "nosuch"}}}' >cfg.json
run "$BO" run cfg.json
check "a config create() refuses: non-zero exit" [ "$RC" -ne 0 ]
echo '{"objective": {"command": ["no-such-program-for-bo"]}, "space": [{"name": "x", "type": "float", "low": 0, "high": 1}]}' >nocmd.json
run "$BO" run nocmd.json
check_eq "a command that is not there: exit 2, before any trial" "$RC" 2
check_contains "...naming the spec and the command" "$ERR" "nocmd.json: objective.command: command not found: 'no-such-program-for-bo' (searched PATH)"
check_eq "...one line" "$(lines "$ERR")" 1
printf '#!/bin/sh\nexit 3\n' >fails.sh
echo '{"objective": {"command": ["sh", "fails.sh"]}, "space": [{"name": "x", "type": "float", "low": 0, "high": 1}], "trials": 2}' >fails.json
run "$BO" run fails.json
check_eq "no trial completed: exit 1" "$RC" 1
check_contains "...says where the logs are" "$ERR" "no trial completed; see the trial logs in $PWD/fails.logs/"
for n in nospace enq cfg nocmd; do
    check "$n: no study left" [ ! -e $n.db ]
    check "$n: no log folder left" [ ! -e $n.logs ]
done
mkdir keep.logs && echo mine >keep.logs/notes
cp enq.json keep.json
run "$BO" run keep.json
check_eq "a log folder that was there stays, with what it held" "$(cat keep.logs/notes)" mine

echo '{"objective": {"plugin": "no-such-objective"}}' >np.json
run "$BO" run np.json
check "missing plugin: non-zero exit" [ "$RC" -ne 0 ]
check_contains "missing plugin named" "$ERR" "no-such-objective"
check_eq "missing plugin: one line" "$(lines "$ERR")" 1
check "missing plugin leaves no study" [ ! -e np.db ]

echo '{"objective": {"plugin": "./nothere.so"}}' >np2.json
run "$BO" run np2.json
check "missing plugin path: non-zero exit" [ "$RC" -ne 0 ]
check_contains "missing plugin path named" "$ERR" "nothere.so"

echo "this is not a plugin" >fake.so
echo '{"objective": {"plugin": "./fake.so"}}' >fake.json
run "$BO" run fake.json
check "text .so: non-zero exit" [ "$RC" -ne 0 ]
check_contains "text .so named" "$ERR" "fake.so"
check_eq "text .so: one line" "$(lines "$ERR")" 1

run "$BO" compare spec.json --out --seeds 2
check_eq "an option where a value belongs: exit 2" "$RC" 2
check_contains "...the option missing its value named" "$ERR" "--out wants a value"
check "...nothing made" [ ! -e 2 ]
run "$BO" compare spec.json --seeds 1 --out twice --seeds 2
check_eq "bo compare with an option twice: exit 2" "$RC" 2
check_contains "...named" "$ERR" "--seeds given twice"
check "...nothing made" [ ! -e twice ]
run "$BO" run spec.json --trials zero
check_eq "bad --trials: exit 2" "$RC" 2
for bad in ' 3' '+3' '3 ' '3x' '1e3' '-'; do
    run "$BO" run spec.json --trials "$bad"
    check_eq "--trials '$bad': exit 2" "$RC" 2
done
run "$BO" run
check_eq "run without spec: exit 2" "$RC" 2

# An existing study is not overwritten.
echo '{"objective": {"plugin": "synthetic", "config": {"function": "branin"}}, "strategy": "random", "trials": 3}' >ok.json
# Too low a limit on open files for the workers asked: the limit named.
run sh -c 'ulimit -n 12; "$1" run ok.json --db fd.db --workers 8 --trials 12' sh "$BO"
check_eq "too few open files: exit 1" "$RC" 1
check_contains "...the limit named" "$ERR" "(the open-file limit, ulimit -n, is 12: raise it or run fewer workers)"
# A low soft limit under a higher hard one is raised, as a shell could:
# the same study runs
run sh -c 'ulimit -Sn 12 && "$1" run ok.json --db fd2.db --workers 8 --trials 12' sh "$BO"
check_eq "a low soft open-file limit is raised: exit 0 ($ERR)" "$RC" 0
if [ -w /dev/full ]; then
    run sh -c '"$1" run ok.json --db full.db >/dev/full' sh "$BO"
    check_eq "bo run with its output to a full disk: exit 1" "$RC" 1
    check_contains "...says so" "$ERR" "bo: cannot write to standard output"
    check_eq "...and its trials are stored all the same" "$("$BO" export full.db | tail -n +2 | wc -l)" 3
fi
run "$BO" run ok.json
check_eq "small study runs" "$RC" 0
before=$("$BO" export ok.db)
run "$BO" run ok.json
check_eq "the same command again continues (here: reports) the study ($ERR)" "$RC" 0
check_contains "the same command again reports the best trial" "$OUT" "best: trial"
check_contains "...saying there is nothing to run" "$(echo "$OUT" | head -1)" "target 3 (reached: nothing to run)"
check_eq "the stored study is intact" "$("$BO" export ok.db)" "$before"
# the same spec laid out anew (indented, keys reordered) is the same study
printf '{\n  "trials": 3,\n  "strategy": "random",\n  "objective": {"config": {"function": "branin"}, "plugin": "synthetic"}\n}\n' >ok2.json
run "$BO" run ok2.json --db ok.db
check_eq "the same spec re-indented and reordered continues the study ($ERR)" "$RC" 0
check_eq "...and leaves it intact" "$("$BO" export ok.db)" "$before"
sed 's/branin/goldstein-price/' ok2.json >ok3.json
run "$BO" run ok3.json --db ok.db
check_eq "a spec that differs in a value: refused, exit 2 (the command and the file disagree)" "$RC" 2
check_contains "...naming the key" "$ERR" "ok.db: already holds a different study (its spec differs at \"objective.config.function\")"
run "$BO" run ok.json --seed 9
check_eq "another seed on the same file: exit 2" "$RC" 2
check_contains "another seed on the same file says why" "$ERR" "ok.db: already holds a different study (its seed is 0, not 9)"
run "$BO" run ok.json --deterministic --workers 2
check_contains "...and --deterministic" "$ERR" "(it is not deterministic)"
check_eq "the stored study is still intact" "$("$BO" export ok.db)" "$before"
# How far, how fast and within what limits may change in the spec: the
# new trial count is the target, and the changed spec is the study's.
cp ok.db okc.db
sed 's/"trials": 3/"trials": 5/; s/"strategy"/"workers": 2, "timeout_s": 60, "strategy"/' ok2.json >ok4.json
run "$BO" run ok4.json --db okc.db
check_eq "more trials, workers and a timeout in the spec: continued ($ERR)" "$RC" 0
check_contains "...to the spec's new count, with its workers" "$(echo "$OUT" | head -1)" "target 5, 2 worker(s)"
check_eq "...the first 3 trials untouched" "$("$BO" export okc.db | head -4)" "$before"
check_eq "...5 trials" "$("$BO" export okc.db | tail -n +2 | wc -l)" 5
run "$BO" run ok4.json --db okc.db --trials 7
run "$BO" run ok4.json --db okc.db
check_contains "the same spec again keeps a count --trials set" "$(echo "$OUT" | head -1)" "target 7"
run "$BO" resume okc.db --workers 3 --trials 8
check_eq "resume reads the changed spec ($ERR)" "$RC" 0
run "$BO" resume okc.db
check_contains "a later resume keeps the last worker count" "$(echo "$OUT" | head -1)" "target 8 (reached: nothing to run), 3 worker(s)"
# A grid's points come from its trial count: changing it is another study.
echo '{"objective": {"plugin": "synthetic", "config": {"function": "branin"}}, "strategy": "grid", "trials": 4}' >grid4.json
"$BO" run grid4.json >/dev/null 2>&1
sed 's/"trials": 4/"trials": 9/' grid4.json >grid9.json
run "$BO" run grid9.json --db grid4.db
check_eq "a grid's trial count changed in its spec: refused" "$RC" 2
check_contains "...saying why" "$ERR" "its spec differs at \"trials\", which sets a grid's points"

# Files that are not studies.
mkfifo fifo.db
run timeout 10 "$BO" show fifo.db
check_eq "a FIFO as the study: refused at once, exit 1" "$RC" 1
check_contains "...not a regular file" "$ERR" "fifo.db: not a regular file"
echo "garbage garbage garbage" >garbage.db
for c in show export resume; do
    run "$BO" $c garbage.db
    check_eq "$c on garbage: exit 1" "$RC" 1
    check_contains "$c on garbage names the file" "$ERR" "garbage.db"
    check_eq "$c on garbage: one line" "$(lines "$ERR")" 1
done
check_eq "garbage file untouched" "$(cat garbage.db)" "garbage garbage garbage"
if command -v sqlite3 >/dev/null; then
    sqlite3 foreign.db "create table t(x); insert into t values (1);"
    run "$BO" show foreign.db
    check_eq "foreign sqlite: exit 1" "$RC" 1
    check_contains "foreign sqlite named" "$ERR" "foreign.db"
    # A study whose stored copy of its spec was edited: resume says that
    # copy is at fault (the spec file is fine and not what was read).
    printf '{"objective": {"plugin": "synthetic", "config": {"function": "branin"}}, "trials": 3}' >edited.json
    "$BO" run edited.json >/dev/null 2>&1
    sqlite3 edited.db "UPDATE meta SET value = '{' WHERE key = 'spec'"
    run "$BO" resume edited.db
    check_eq "edited stored spec: exit 1" "$RC" 1
    check_contains "edited stored spec: the study's copy is named" "$ERR" "edited.db: the study's stored copy of its spec does not load"
    check_eq "edited stored spec: one line" "$(lines "$ERR")" 1
    # Stored settings edited out of range: a cast of 0 workers divided by
    # zero, and bo run took a study with unreadable settings for another.
    "$BO" run edited.json --db set.db >/dev/null 2>&1
    sqlite3 set.db "UPDATE meta SET value = '{\"trials\":3,\"seed\":0,\"strategy\":\"bo\",\"workers\":0,\"budget\":3,\"lag\":0}' WHERE key = 'settings'"
    for c in "resume set.db --trials 4" "run edited.json --db set.db"; do
        run "$BO" $c
        check_eq "$c, settings with 0 workers: exit 1" "$RC" 1
        check_contains "$c: ...the settings named" "$ERR" "set.db: the study's stored settings are damaged"
    done
    sqlite3 set.db "DELETE FROM meta WHERE key = 'settings'"
    run "$BO" run edited.json --db set.db
    check_contains "settings gone: damaged, not another study" "$ERR" "set.db: the study's stored settings are damaged"
fi
# A --db that is a link to nothing: link() would never replace it, and
# each run blamed another run for the file
ln -s nowhere/real.db dangling.db
run "$BO" run edited.json --db dangling.db
check_eq "a dangling link as --db: exit 2" "$RC" 2
check_contains "...said so" "$ERR" "dangling.db: a symbolic link to 'nowhere/real.db', which does not exist"
ln -s loop2.db loop1.db && ln -s loop1.db loop2.db
run "$BO" run edited.json --db loop1.db
check_contains "a link loop as --db: said so" "$ERR" "loop1.db: a symbolic link to 'loop2.db', which leads round in a loop"
# A file name with an escape sequence is not played on the terminal
run "$BO" show "$(printf 'x\033[31mred.db')"
check_contains "an escape in a file name shows as '?'" "$ERR" "x?[31mred.db"
case $ERR in *"$(printf '\033')"*) fail "an escape reached stderr" ;; *) ok ;; esac
run "$BO" run "$(printf -- '--x\033[31m\302\233')"
check_contains "an escape (and a C1 CSI) in a usage error shows as '?'" "$ERR" "unknown option '--x?[31m??'"
case $ERR in *"$(printf '\033')"*|*"$(printf '\302\233')"*) fail "a control reached stderr" ;; *) ok ;; esac
mkdir real && ln -s real/s.db good.db
run "$BO" run edited.json --db good.db
check_eq "a link to a file yet to be made in a real folder is refused too ($ERR)" "$RC" 2
run "$BO" show nothere.db
check_eq "missing study: exit 2 (a file the command names is not there)" "$RC" 2
check "missing study is not created" [ ! -e nothere.db ]

# A study the user may read but not write (another user's; a folder
# without write permission) is shown and exported: its -shm file cannot
# be made there. Needs root, to become another user.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
    setpriv --reuid=65534 --regid=65534 --clear-groups "$BO" --help >/dev/null 2>&1; then
    mkdir shared && cp ok.db shared/ && chmod 755 "$WORK" shared && chmod 644 shared/ok.db
    as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
    run as_nobody "$BO" export shared/ok.db
    check_eq "another user's study: export works ($ERR)" "$RC" 0
    check_eq "...the same rows" "$OUT" "$before"
    run as_nobody "$BO" show shared/ok.db
    check_eq "...and show ($ERR)" "$RC" 0
    check "...leaving no file behind" [ "$(ls shared)" = ok.db ]
fi

# bo resume --trials changes the study's trial count; the command that
# made it still continues it (here: reports it, at its new count).
run "$BO" resume ok.db --trials 4
check_eq "resume to 4 trials ($ERR)" "$RC" 0
run "$BO" run ok.json
check_eq "the original command after a resume --trials: accepted ($ERR)" "$RC" 0
check_eq "...the study keeps its 4 trials" "$("$BO" export ok.db | tail -n +2 | wc -l)" 4

# What a creation killed by kill -9 leaves (NAME.db.creating-PID and its
# -wal) goes when the study is next created, once its process is gone;
# a living process's file and other names stay.
sh -c 'exit 0' & dead=$!; wait $dead
touch "lo.db.creating-$dead" "lo.db.creating-$dead-wal" "lo.db.creating-$$" "lo.dbx.creating-$dead"
cp ok.json lo.json
run "$BO" run lo.json --db lo.db
check_eq "a study over a killed creation's leftovers ($ERR)" "$RC" 0
check "...the dead creation's files are gone" [ ! -e "lo.db.creating-$dead" -a ! -e "lo.db.creating-$dead-wal" ]
check "...a living process's file and other names stay" [ -e "lo.db.creating-$$" -a -e "lo.dbx.creating-$dead" ]

# Started with stdout closed: the worker's channel must not become fd 1
# (every progress line went into it, and trials crashed).
cp ok.json closed.json
"$BO" run closed.json --trials 12 >&- 2>closed.err
rc=$?
check_eq "stdout closed: exit 0 ($(cat closed.err))" "$rc" 0
check_eq "...every trial complete" "$("$BO" export closed.db | grep -c ',complete,')" 12

# A spec reached through a symlink: its relative paths resolve from the
# folder it was named in, on the first run and on resume alike.
mkdir -p A B && printf 'cat >/dev/null\necho 0.5\n' >A/obj.sh
echo '{"objective": {"command": ["sh", "obj.sh"]}, "space": [{"name": "x", "type": "float", "low": 0, "high": 1}], "strategy": "random", "trials": 2}' >B/spec.json
ln -s ../B/spec.json A/spec.json
run "$BO" run A/spec.json --db sl.db
check_eq "a symlinked spec runs ($ERR)" "$RC" 0
run "$BO" resume sl.db --trials 3
check_eq "...and resumes from the same folder ($ERR)" "$RC" 0
check_eq "...every trial complete" "$("$BO" export sl.db | grep -c ',complete,')" 3
# Where the study cannot go, the line names what the user gave: a --db in
# a missing folder, a file where the trial logs' folder goes, a path past
# what SQLite opens (it says only "No such file or directory").
cp ok.json where.json
run "$BO" run where.json --db nowhere/x.db
check_eq "--db in a missing folder: exit 1" "$RC" 1
check_contains "...the line names the study and its folder" "$ERR" "nowhere/x.db: cannot create the study: its folder does not exist"
touch where.logs
run "$BO" run where.json
check_contains "a file where the logs go: named" "$ERR" "where.logs: exists and is not a folder"
long=$(python3 -c "print('/'.join(['d' * 60] * 9))")
mkdir -p "$long"
run "$BO" run ok.json --db "$long/x.db"
check_eq "a path too long for SQLite: exit 2" "$RC" 2
check_contains "...says so" "$ERR" "x.db: path too long for SQLite"
check "...and creates nothing" [ -z "$(ls "$long")" ]
run "$BO" show "$long/x.db"
check_contains "...bo show says the same" "$ERR" "path too long for SQLite"
# "--" ends the options: a spec or study named like one can be given after.
cp ok.json ./-dash.json
run "$BO" run -dash.json
check_contains "a name like an option is one without --" "$ERR" "unknown option '-dash.json'"
run "$BO" run -- -dash.json
check_eq "...and a file after -- ($ERR)" "$RC" 0
check_contains "bo show -- -dash.db" "$("$BO" show -- -dash.db)" "-dash.db"
check_eq "bo export --format json -- -dash.db" "$("$BO" export --format json -- -dash.db | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["trials"]) > 0)')" True
cp ok.json ./--trials
run "$BO" run --seed 3 -- --trials
check_eq "after --, even '--trials' is the spec ($ERR)" "$RC" 0
check "...its study made" [ -e ./--trials.db ]
run "$BO" run -- -dash.json extra.json
check_contains "...and a second file after -- is one too many" "$ERR" "unexpected argument 'extra.json'"
# More enqueued points than trials: the first ones run, and a note says so.
cat >enq.json <<'JSON'
{"objective": {"command": ["sh", "-c", "cat >/dev/null; echo 0.5"]},
 "space": [{"name": "x", "type": "float", "low": 0, "high": 1}],
 "enqueue": [{"x": 0.1}, {"x": 0.2}, {"x": 0.3}],
 "strategy": "random", "trials": 2}
JSON
run "$BO" run enq.json
check_contains "enqueued past trials: a note" "$OUT" "note: the spec enqueues 3 points; the first 2 (trials) run"
check_eq "...and two trials, the first two points" "$("$BO" export enq.db | awk -F, 'NR > 1 {print $5}' | tr '\n' ' ')" "0.10000000000000001 0.20000000000000001 "
# Every point of a small space failed: the line says why the study ended
# after 3 trials of 20.
cat >allfail.json <<'JSON'
{"objective": {"command": ["sh", "-c", "cat >/dev/null; exit 3"]},
 "space": [{"name": "n", "type": "int", "low": 0, "high": 2}], "strategy": "bo", "trials": 20}
JSON
run "$BO" run allfail.json
check_eq "all of a small space failed: exit 1" "$RC" 1
check_contains "...and the strategy ran out of points" "$ERR" "no trial completed (and the strategy has no more points: every one was tried)"
finish
