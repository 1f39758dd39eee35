#!/usr/bin/python3
"""fashion_report.py -- the second half of tests/bench/fashion_compare.sh:
from the grid's and the search's trials.csv (bo compare), writes

  match.csv    method,seed,trials_to_match_grid,best_loss: for each bo and
               random run, the trials it took until its best validation loss
               was <= the grid's best (inf: never, within its trials);
  retrain.csv  method,seed,loss,val_accuracy,params: the best configuration
               of each method (grid; bo and random over all their seeds)
               trained again with 3 fresh seeds (study seeds 1000, 1001,
               1002, so fresh trial seeds), through `bo run` of a copy of the
               search spec that enqueues that configuration;

and prints the medians. Resumable: a retrain study that exists is reused.
"""
import argparse
import csv
import json
import math
import os
import statistics
import subprocess


def load(path):
    with open(path, newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["state"] == "complete"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bo", required=True)
    ap.add_argument("--grid", required=True)
    ap.add_argument("--search", required=True)
    ap.add_argument("--spec", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--retrain-seeds", type=int, default=3)
    a = ap.parse_args()

    grid = load(a.grid)
    search = load(a.search)
    gbest = min(grid, key=lambda r: float(r["loss"]))
    target = float(gbest["loss"])
    runs = {}
    for r in search:
        runs.setdefault((r["strategy"], int(r["seed"])), []).append(r)
    with open(os.path.join(a.out, "match.csv"), "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["method", "seed", "trials_to_match_grid", "best_loss", "grid_best_loss"])
        med = {}
        for (strategy, seed), rows in sorted(runs.items()):
            rows.sort(key=lambda r: int(r["trial"]))
            hit = next((int(r["trial"]) + 1 for r in rows if float(r["best"]) <= target), math.inf)
            w.writerow([strategy, seed, hit, repr(min(float(r["loss"]) for r in rows)), repr(target)])
            med.setdefault(strategy, []).append(hit)
    for s, v in med.items():
        print(f"fashion: {s}: median trials to match the grid's best ({target:.5f}): "
              f"{statistics.median(v)} over {len(v)} seeds")

    best = {"grid": gbest}
    for s in sorted({k[0] for k in runs}):
        best[s] = min((r for r in search if r["strategy"] == s), key=lambda r: float(r["loss"]))
    spec = json.load(open(a.spec))
    os.makedirs(os.path.join(a.out, "retrain"), exist_ok=True)
    rows = []
    for method, r in best.items():
        p = json.loads(r["params"])
        cfg = {"lr": float(p["lr"]), "width": int(float(p["width"])),
               "dropout": float(p["dropout"]), "weight_decay": float(p["weight_decay"])}
        s = dict(spec, name=f"retrain-{method}", enqueue=[cfg], strategy="random", trials=1)
        sp = os.path.join(a.out, "retrain", f"{method}.json")
        with open(sp, "w") as fh:
            json.dump(s, fh, indent=2)
        for k in range(a.retrain_seeds):
            db = os.path.join(a.out, "retrain", f"{method}-s{1000 + k}.db")
            if not os.path.exists(db):
                subprocess.run([a.bo, "run", sp, "--db", db, "--seed", str(1000 + k)],
                               check=True, stdout=subprocess.DEVNULL)
            t = json.loads(subprocess.run([a.bo, "export", db, "--format", "json"], check=True,
                                          capture_output=True, text=True).stdout)["trials"][0]
            rows.append([method, 1000 + k, repr(t["loss"]),
                         repr(t["metrics"].get("val_accuracy", math.nan)),
                         json.dumps(t["params"], separators=(",", ":"))])
    with open(os.path.join(a.out, "retrain.csv"), "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["method", "seed", "loss", "val_accuracy", "params"])
        w.writerows(rows)
    for method in best:
        v = [float(r[2]) for r in rows if r[0] == method]
        print(f"fashion: {method}: best configuration retrained on {len(v)} seeds: "
              f"val loss median {statistics.median(v):.5f} (min {min(v):.5f}, max {max(v):.5f})")


if __name__ == "__main__":
    main()
