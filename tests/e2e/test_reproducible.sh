# Same spec and seed: identical exports (timing columns aside); different
# seeds: different trials. For every strategy.
. "$(dirname "$0")/lib.sh"
for strategy in random sobol grid bo; do
    cat >spec.json <<JSON
{"objective": {"plugin": "synthetic", "config": {"function": "branin"}},
 "strategy": "$strategy", "trials": 12, "seed": 5}
JSON
    run "$BO" run spec.json --db a-$strategy.db
    check_eq "$strategy: first run exits 0 ($ERR)" "$RC" 0
    run "$BO" run spec.json --db b-$strategy.db
    check_eq "$strategy: second run exits 0 ($ERR)" "$RC" 0
    run "$BO" run spec.json --db c-$strategy.db --seed 6
    check_eq "$strategy: third run exits 0 ($ERR)" "$RC" 0
    a=$(export_stable a-$strategy.db); b=$(export_stable b-$strategy.db)
    c=$(export_stable c-$strategy.db)
    # A 2-D grid within 12 trials has 3 levels a side: 9 points, then done.
    want_lines=13; [ $strategy = grid ] && want_lines=10
    check_eq "$strategy: trials exported" "$(echo "$a" | wc -l)" $want_lines
    check "$strategy: same seed, same trials" [ "$a" = "$b" ]
    check "$strategy: other seed, other trials" [ "$a" != "$c" ]
done
finish
