# Program objectives that test_failures.sh leaves out: closed standard
# streams, a huge allocation under memory_mb, a program that ignores
# SIGTERM while it spins, and a grandchild holding the output pipe. Each
# costs its trial alone, with a clear state and message; nothing is left
# running.
. "$(dirname "$0")/lib.sh"
: "${BO_BUILD_DIR:?}"
sanitized=0
grep -q '^BO_SANITIZE:BOOL=ON' "$BO_BUILD_DIR/CMakeCache.txt" 2>/dev/null && sanitized=1

cat >objective.sh <<'SH'
#!/bin/sh
# A program objective that misbehaves as its "mode" says.
read -r line
mode=$(echo "$line" | sed 's/.*"mode":"\([a-z0-9_]*\)".*/\1/')
case $mode in
    ok)          echo 0.5 ;;
    closein_err) exec 0<&- 2>&-; echo 0.75 ;;
    closeout)    exec 1>&-; echo "stdout is closed" >&2 ;;
    closeall)    exec 0<&- 1>&- 2>&- ;;
    huge)        python3 -c 'x = bytearray(2 << 30); print(0.1)' ;;
    stubborn)    trap '' TERM; while :; do :; done ;;
    holdpipe)    (sleep 100; echo late) & echo 0.25 ;;
    notmem)      echo "loading the dataset into memory" >&2
                 echo "error: data.csv not found" >&2; exit 1 ;;
    segv)        kill -SEGV $$ ;;
esac
SH
modes="ok closein_err closeout closeall huge stubborn holdpipe ok notmem segv"
enq=""
for m in $modes; do enq="$enq{\"mode\": \"$m\"},"; done
n=$(echo $modes | wc -w)
cat >spec.json <<JSON
{"objective": {"command": ["sh", "objective.sh"]},
 "space": [{"name": "mode", "type": "categorical",
            "choices": ["ok", "closein_err", "closeout", "closeall", "huge", "stubborn", "holdpipe", "notmem", "segv"]}],
 "enqueue": [${enq%,}],
 "strategy": "random", "trials": $n, "timeout_s": 2, "memory_mb": 512,
 "max_failures": 50}
JSON
t0=$(date +%s)
run "$BO" run spec.json
took=$(( $(date +%s) - t0 ))
check_eq "study with hostile programs completes ($ERR)" "$RC" 0
csv=$("$BO" export spec.db)
json=$("$BO" export spec.db --format json)
state() { echo "$csv" | awk -F, -v t="$1" 'NR > 1 && $1 == t {print $2}'; }
loss() { echo "$csv" | awk -F, -v t="$1" 'NR > 1 && $1 == t {print $3}'; }
msg() {
    echo "$json" | python3 -c "import json,sys; print([t for t in json.load(sys.stdin)['trials'] if t['trial'] == $1][0]['message'] or '')"
}
check_eq "every trial is stored" "$(echo "$csv" | tail -n +2 | wc -l)" "$n"
check_eq "ok: complete" "$(state 0)" complete
check_eq "stdin and stderr closed, answer given: complete" "$(state 1)" complete
check_eq "...with its loss" "$(loss 1)" 0.75
check_eq "stdout closed: no answer, invalid" "$(state 2)" invalid
check_contains "stdout closed: says no result came" "$(msg 2)" "printed no result line"
check_contains "stdout closed: with stderr's tail" "$(msg 2)" "stdout is closed"
check_eq "every stream closed: invalid" "$(state 3)" invalid
if [ $sanitized = 0 ]; then
    check_eq "a huge allocation over memory_mb: failed" "$(state 4)" failed
    check_contains "...names the memory limit" "$(msg 4)" "memory limit was probably exceeded: memory_mb = 512"
    check_contains "...with the program's error" "$(msg 4)" "MemoryError"
    check_contains "...the limit said before the program's stderr" "$(msg 4)" "(the memory limit was probably exceeded: memory_mb = 512); stderr: "
fi
# "memory" in a message is no sign of the limit: an error that says so is
check_eq "a failure that mentions memory: failed" "$(state 8)" failed
case $(msg 8) in
    *"memory limit"*) fail "...without a memory-limit note: $(msg 8)" ;;
    *) ok ;;
esac
# a crash under memory_mb: perhaps an unchecked allocation (the program's
# memory is not seen), said as a guess
check_eq "a segfault under memory_mb: failed" "$(state 9)" failed
if [ $sanitized = 0 ]; then # (a sanitized build sets no memory limit)
    check_contains "...with the limit as a possible cause" "$(msg 9)" "killed by signal 11 (Segmentation fault) (perhaps an allocation that failed at memory_mb = 512)"
fi
check_eq "a program ignoring SIGTERM: timeout" "$(state 5)" timeout
check_eq "a grandchild holding the pipe: complete" "$(state 6)" complete
check_eq "...with its loss" "$(loss 6)" 0.25
check_eq "the study went on" "$(state 7)" complete
# 2 s for the stubborn one, a grace second, and little else: the grandchild
# holding stdout must not keep its trial waiting for 100 s.
check "no trial waited on a straggler (took $took s)" [ "$took" -le 12 ]
sleep 0.3
check_eq "nothing left running" "$(procs_in_work | wc -l)" 0
sleepers() { # "sleep 100" processes started here (their folder is ours)
    for p in /proc/[0-9]*; do
        [ "$(readlink "$p/cwd" 2>/dev/null)" = "$WORK" ] &&
            [ "$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)" = "sleep 100 " ] && echo "$p"
    done
}
check_eq "no grandchild left" "$(sleepers | wc -l)" 0
# A program that floods its output (80 MB on stdout, two-byte lines) is
# not slowed to a crawl by its logging (at two system calls per line it
# logged about 1.2 MB/s, which would run past timeout_s, 60 s), and its
# log stops at 64 MiB with a note, so a chatty objective cannot fill the
# disk.
cat >flood.json <<'JSON'
{"objective": {"command": ["sh", "-c", "cat >/dev/null; yes | head -c 80000000; echo 0.5"]},
 "space": [{"name": "x", "type": "float", "low": 0, "high": 1}],
 "strategy": "random", "trials": 1, "timeout_s": 60}
JSON
run "$BO" run flood.json
check_eq "a flooding program completes ($ERR)" "$RC" 0
size=$(stat -c %s flood.logs/trial-00000.log)
check "its log is capped at 64 MiB plus a note ($size bytes)" \
    [ "$size" -ge 67108864 -a "$size" -le 67109000 ]
check "the log says so" grep -q "output beyond 64 MiB is not logged" flood.logs/trial-00000.log
# Metric names a program makes up: a repeated name is one column (its
# first value, as for a repeated "loss"), a control character in a name
# does not break bo show's table.
cat >names.json <<'JSON'
{"objective": {"command": ["sh", "-c", "cat >/dev/null; printf '%s\\n' '{\"loss\": 0.7, \"loss\": 0.1, \"metrics\": {\"dup\": 1, \"dup\": 2, \"new\\nline\": 3, \"acc\": \"0.9\"}}'"]},
 "space": [{"name": "x", "type": "float", "low": 0, "high": 1}],
 "strategy": "random", "trials": 1}
JSON
run "$BO" run names.json
check_eq "odd metric names: the trial completes ($ERR)" "$RC" 0
csv=$("$BO" export names.db)
check_eq "...the first of two \"loss\" keys (0.7, not 0.1)" "$(echo "$csv" | awk -F, 'NR == 2 {print ($3 > 0.6)}')" 1
check_eq "...one column for a repeated metric" "$(echo "$csv" | head -1 | tr ',' '\n' | grep -c '^metric.dup$')" 1
check_eq "...holding its first value" "$("$BO" export names.db --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["trials"][0]["metrics"]["dup"])')" 1
check_contains "...a newline in a name is shown as ?" "$(echo "$csv" | head -1)" "metric.new?line"
check_contains "...a metric that is a string is not kept, and the log says so" "$(cat names.logs/trial-00000.log)" 'metric "acc" is not a number: not kept'
check_eq "...and the table's header stays one line" "$("$BO" show names.db | grep -c 'metric.new')" 1
# 40 metrics: the first 32 are kept, and the trial's log says so.
python3 -c 'import json; print(json.dumps({"loss": 0.5, "metrics": {"m%02d" % i: i for i in range(40)}}))' >many.json
cat >many_spec.json <<'JSON'
{"objective": {"command": ["sh", "-c", "cat >/dev/null; cat many.json"]},
 "space": [{"name": "x", "type": "float", "low": 0, "high": 1}],
 "strategy": "random", "trials": 1}
JSON
run "$BO" run many_spec.json
check_eq "40 metrics: the trial completes ($ERR)" "$RC" 0
hdr=$("$BO" export many_spec.db | head -1)
check_eq "...32 metric columns" "$(echo "$hdr" | tr ',' '\n' | grep -c '^metric\.')" 32
check_contains "...the first 32 (m31 kept)" "$hdr" "metric.m31"
check_contains "...the log names the first dropped" "$(cat many_spec.logs/trial-00000.log 2>/dev/null)" '"m32" and on'
python3 -c 'import json; print(json.dumps({"loss": 0.5, "metrics": {"a" * 70 + "_cats": 1, "a" * 70 + "_dogs": 2}}))' >many.json
run "$BO" run many_spec.json --db long_names.db
check_eq "two names cut alike: one column" "$("$BO" export long_names.db | head -1 | tr ',' '\n' | grep -c '^metric\.')" 1
check_contains "...and the log says a name was cut" "$(cat long_names.logs/trial-00000.log 2>/dev/null)" "a metric name is cut to 63 bytes"
# Non-ASCII text cut at a byte count (the stderr tail, a 63-byte metric
# name, the excerpt of a bad result line) stays valid UTF-8, so strict
# readers of the export do not fail; a byte order mark before the result
# line is not part of it.
cat >utf8.py <<'PY'
import sys, json
mode = json.loads(sys.stdin.readline())["mode"]
if mode == "stderr":
    sys.stderr.write("Erreur : " + "\u00e9" * 300 + "!\n"); sys.exit(1)
if mode == "excerpt":
    print("Entra\u00eenement termin\u00e9 " + "\u00e9" * 60)
if mode == "metric":
    print(json.dumps({"loss": 1, "metrics": {"\u00e9" * 40: 1}}))
if mode == "bom":
    sys.stdout.buffer.write(b'\xef\xbb\xbf{"loss": 0.42}\n')
PY
cat >utf8.json <<'JSON'
{"objective": {"command": ["python3", "utf8.py"]},
 "space": [{"name": "mode", "type": "categorical", "choices": ["stderr", "excerpt", "metric", "bom"]}],
 "enqueue": [{"mode": "stderr"}, {"mode": "excerpt"}, {"mode": "metric"}, {"mode": "bom"}],
 "strategy": "random", "trials": 4}
JSON
run "$BO" run utf8.json
"$BO" export utf8.db --format json >utf8.out
check_eq "cut text: the export is valid UTF-8" "$(python3 -c 'import json; json.load(open("utf8.out", encoding="utf-8")); print("ok")' 2>&1 | tail -1)" ok
check_eq "...the CSV too" "$("$BO" export utf8.db | python3 -c 'import sys; sys.stdin.buffer.read().decode("utf-8"); print("ok")' 2>&1 | tail -1)" ok
check_eq "...and bo show's table" "$("$BO" show utf8.db | python3 -c 'import sys; sys.stdin.buffer.read().decode("utf-8"); print("ok")' 2>&1 | tail -1)" ok
cat >accents.json <<'JSON'
{"objective": {"command": ["sh", "-c", "cat >/dev/null; echo 0.5"]},
 "space": [{"name": "act", "type": "categorical", "choices": ["\u00e9lu", "relu", "t\u00e4nh"]}, {"name": "x", "type": "float", "low": 0, "high": 1}],
 "enqueue": [{"act": "\u00e9lu", "x": 0.5}, {"act": "relu", "x": 0.5}, {"act": "t\u00e4nh", "x": 0.5}],
 "strategy": "random", "trials": 3}
JSON
run "$BO" run accents.json
check_eq "bo show pads by characters: the column after an accented one lines up" "$("$BO" show accents.db | python3 -c '
import sys
rows = [l for l in sys.stdin.read().splitlines() if l.lstrip()[:1].isdigit() and "complete" in l]
print(len({l.rindex("0.5") for l in rows}) == 1 and len(rows) == 3)')" True
check_eq "a BOM before the result line: complete" "$("$BO" export utf8.db | awk -F, '$1 == 3 {print $2, $3}')" "complete 0.41999999999999998"
# A script whose #! interpreter is not there (a Windows-saved script's
# "/bin/sh\r", an old /usr/bin/python2): the message names it, not a bare
# "No such file or directory" for a file that is there.
printf '#!/bin/sh\r\necho 0.5\r\n' >win.sh
printf '#!/usr/bin/no-such-python-for-bo\nprint(1)\n' >old.py
chmod +x win.sh old.py
for prog in win.sh old.py; do
    cat >"interp-$prog.json" <<JSON
{"objective": {"command": ["./$prog"]},
 "space": [{"name": "x", "type": "float", "low": 0, "high": 1}],
 "strategy": "random", "trials": 1}
JSON
    run "$BO" run "interp-$prog.json"
done
check_contains "CRLF #! line: named" "$("$BO" export interp-win.sh.db)" "the interpreter its #! line names, '/bin/sh', is not there (it ends in a carriage return"
check_contains "a missing interpreter: named" "$("$BO" export interp-old.py.db)" "'/usr/bin/no-such-python-for-bo', is not there"
# Lines that look almost right are not taken for what they are not: a
# fractional step is no report (it would merge into the step below), a
# hexadecimal number is no loss, and an object with text after it is no
# result.
cat >strict.sh <<'SH'
read -r line
case $line in
    *frac*)  printf '{"step": 1.5, "loss": 2}\n{"step": 1, "loss": 3}\n0.25\n' ;;
    *hex*)   echo 0x10 ;;
    *trail*) echo '{"loss": 0.5} and more' ;;
    *nan*)   echo nan ;;
    *ninf*)  echo '{"loss": -1e999}' ;;
    *noloss*) echo '{"val_loss": 0.5}' ;;
esac
SH
cat >strict.json <<'JSON'
{"objective": {"command": ["sh", "strict.sh"]},
 "space": [{"name": "m", "type": "categorical", "choices": ["frac", "hex", "trail", "nan", "ninf", "noloss"]}],
 "enqueue": [{"m": "frac"}, {"m": "hex"}, {"m": "trail"}, {"m": "nan"}, {"m": "ninf"}, {"m": "noloss"}],
 "strategy": "random", "trials": 6}
JSON
run "$BO" run strict.json
check_contains "an unreadable result's line says why" "$(echo "$OUT" | grep '^trial 1 invalid')" "| the result line is neither a JSON object nor a number: '0x10'"
reports=$("$BO" export strict.db --format json | python3 -c 'import json,sys; print([r[0] for r in json.load(sys.stdin)["trials"][0]["reports"]])')
check_eq "a fractional step is not a report" "$reports" "[1]"
check_contains "...the log says why" "$(cat strict.logs/trial-00000.log)" "not a whole number"
csv=$("$BO" export strict.db)
check_contains "0x10 is not a loss" "$(echo "$csv" | awk -F, '$1 == 1')" "neither a JSON object nor a number: '0x10'"
check_contains "an object with text after it is not a result" "$(echo "$csv" | awk -F, '$1 == 2')" "neither a JSON object nor a number"
# What was wrong with the loss, said once and only when it was so.
check_contains "a NaN loss: named" "$(echo "$OUT" | grep '^trial 3 invalid')" "| the program's loss is NaN"
check_contains "a -inf loss: named" "$(echo "$OUT" | grep '^trial 4 invalid')" "| the program's loss is -inf"
check "...once" [ "$(echo "$OUT" | grep '^trial 4 invalid' | grep -o 'inf' | wc -l)" = 1 ]
check_contains "no loss: says so" "$(echo "$OUT" | grep '^trial 5 invalid')" "the result has no \"loss\""
check "...with no NaN it never printed" sh -c "! echo \"\$1\" | grep -q NaN" _ "$(echo "$OUT" | grep '^trial 5 invalid')"
# Under a terminal (script gives one), a program still has none: it could
# stop the study for good by reading it. (/dev/tty opens only with one.)
if command -v script >/dev/null 2>&1; then
    printf 'read -r line\nif (: </dev/tty) 2>/dev/null; then echo 1; else echo 0.125; fi\n' >tty.sh
    echo '{"objective": {"command": ["sh", "tty.sh"]}, "space": [{"name": "x", "type": "float", "low": 0, "high": 1}], "trials": 1}' >tty.json
    script -qec "\"$BO\" run tty.json" /dev/null >/dev/null 2>&1
    check_eq "under a terminal, a program has no terminal" "$("$BO" export tty.db | awk -F, 'NR == 2 {print $3}')" 0.125
fi
finish
