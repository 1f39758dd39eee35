#!/usr/bin/env bash
# The Fashion-MNIST trainer comparison of issue 9 (a benchmark: hours on a
# 2-core CPU, not part of the test suite):
#   - the 81-point grid, SEEDS seeds too (a seed changes the trainer's
#     initialization and batch order, and the grid's best is a noisy draw
#     like any other method's) (lr {3e-4,1e-3,3e-3} with Adam, width {64,256,1024},
#     dropout {0,.2,.4}, weight decay {0,1e-4,1e-3}; 2 hidden layers, batch
#     128, 3 epochs): notebooks-data/specs/fashion/fashion-grid.json;
#   - bo and random over the same four parameters as continuous ranges,
#     SEEDS seeds of TRIALS trials: specs/fashion/fashion.json;
#   - how many trials bo and random need to match the grid's best
#     validation loss, and the best configuration of each method retrained
#     on 3 fresh seeds (fashion_report.py).
# Usage (from anywhere):
#   tests/bench/fashion_compare.sh [OUT]      default notebooks-data/fashion
# Settings by environment: BO (the bo binary; default build-compare/bin/bo
# beside the source), SEEDS (5), TRIALS (40), JOBS (1), and for a reduced
# run MAX_TRAIN (training images, 0 = all 50000) and EPOCHS (3), written
# into copies of the specs under OUT/specs. Run it again to resume.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
out=${1:-$src/notebooks-data/fashion}
bo=${BO:-$src/build-compare/bin/bo}
seeds=${SEEDS:-5}
trials=${TRIALS:-40}
jobs=${JOBS:-1}
py=${PYTHON:-/usr/bin/python3}

mkdir -p "$out/specs"
for s in fashion-grid fashion; do
    MAX_TRAIN=${MAX_TRAIN:-} EPOCHS=${EPOCHS:-} "$py" - "$src/notebooks-data/specs/fashion/$s.json" \
        "$out/specs/$s.json" <<'PY'
import json, os, sys
spec = json.load(open(sys.argv[1]))
cfg = spec["objective"]["config"]
if os.environ.get("MAX_TRAIN"):
    cfg["max_train"] = int(os.environ["MAX_TRAIN"])
if os.environ.get("EPOCHS"):
    cfg["epochs"] = int(os.environ["EPOCHS"])
text = json.dumps(spec, indent=2) + "\n"
# Leave an unchanged spec file alone: the runs keep their stored copy and a
# new text would count as a different spec.
if not os.path.exists(sys.argv[2]) or open(sys.argv[2]).read() != text:
    open(sys.argv[2], "w").write(text)
PY
done
cd "$out"
"$bo" compare specs/fashion-grid.json --strategies grid --seeds "$seeds" --trials 81 \
    --out grid --jobs "$jobs"
"$bo" compare specs/fashion.json --strategies bo,random --seeds "$seeds" \
    --trials "$trials" --checkpoints 10,20,30 --out search --jobs "$jobs"
"$py" "$here/fashion_report.py" --bo "$bo" --grid grid/trials.csv \
    --search search/trials.csv --spec specs/fashion.json --out .
