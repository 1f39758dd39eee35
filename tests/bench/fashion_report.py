#!/usr/bin/python3
"""fashion_report.py -- the second half of tests/bench/fashion_compare.sh:
from the grid's and the search's trials.csv (bo compare), writes

  match.csv    method,seed,trials_to_match_grid,best_loss,grid_best_loss:
               for each bo and random run of seed s, the trials it took
               until its best validation loss was <= the best of the grid
               run of the same seed s (inf: never, within its trials). The
               seed sets the trainer's initialization and batch order, so
               the grid's best is one noisy draw as much as any run's is;
               pairing by seed compares draws of the same kind. (A seed
               with no grid run is held to the median of the grid runs'
               bests.) The medians against the best of ALL grid runs, a
               stricter target, are printed too;
  retrain.csv  method,seed,loss,val_accuracy,params: the configuration each
               method recommends, trained again with 3 fresh seeds (study
               seeds 1000, 1001, 1002, so fresh trial seeds), through `bo
               run` of a copy of the search spec that enqueues it. grid and
               random: the best observed over all their runs (they have
               nothing else to go by); bo: the trial with the lowest
               posterior mean (`bo show --json`'s study.best_mean) over its
               runs, the recommendation bo makes, which discounts a lucky
               draw. A run from before bo stored best_mean gets it from `bo
               resume`, which adds no trial to a finished study;

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


def exported(bo, db):
    """The one trial of a retrain study."""
    return json.loads(subprocess.run([bo, "export", db, "--format", "json"], check=True,
                                     capture_output=True, text=True).stdout)["trials"][0]


def same_config(params, cfg):
    return all(math.isclose(float(params[k]), float(v), rel_tol=1e-12, abs_tol=1e-15)
               for k, v in cfg.items())


def recommended(bo, folder, search):
    """bo's recommendation over its runs: the trial of lowest posterior mean."""
    pick, pick_mean = None, math.inf
    for seed in sorted({int(r["seed"]) for r in search if r["strategy"] == "bo"}):
        rows = [r for r in search if r["strategy"] == "bo" and int(r["seed"]) == seed]
        db = os.path.join(folder, "runs", f"{rows[0]['objective']}-bo-s{seed}.db")
        show = [bo, "show", db, "--json"]
        study = json.loads(subprocess.run(show, check=True, capture_output=True,
                                          text=True).stdout)["study"]
        if "best_mean" not in study:
            subprocess.run([bo, "resume", db], check=True, stdout=subprocess.DEVNULL)
            study = json.loads(subprocess.run(show, check=True, capture_output=True,
                                              text=True).stdout)["study"]
        m = study["best_mean"]
        if m["mean"] < pick_mean:
            pick_mean = m["mean"]
            pick = next(r for r in rows if int(r["trial"]) == m["trial"])
    return pick


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
    gruns = {}
    for r in grid:
        gruns.setdefault(int(r["seed"]), []).append(r)
    gbest_of = {s: min(rows, key=lambda r: float(r["loss"])) for s, rows in gruns.items()}
    gbest = min(gbest_of.values(), key=lambda r: float(r["loss"]))
    gmedian = statistics.median(float(r["loss"]) for r in gbest_of.values())
    runs = {}
    for r in search:
        runs.setdefault((r["strategy"], int(r["seed"])), []).append(r)

    def hit(rows, target):
        return next((int(r["trial"]) + 1 for r in rows if float(r["best"]) <= target), math.inf)

    with open(os.path.join(a.out, "match.csv"), "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["method", "seed", "trials_to_match_grid", "best_loss", "grid_best_loss"])
        med, strict = {}, {}
        for (strategy, seed), rows in sorted(runs.items()):
            rows.sort(key=lambda r: int(r["trial"]))
            target = float(gbest_of[seed]["loss"]) if seed in gbest_of else gmedian
            w.writerow([strategy, seed, hit(rows, target),
                        repr(min(float(r["loss"]) for r in rows)), repr(target)])
            med.setdefault(strategy, []).append(hit(rows, target))
            strict.setdefault(strategy, []).append(hit(rows, float(gbest["loss"])))
    print("fashion: grid's best per seed: " + ", ".join(
        f"{s}: {float(r['loss']):.5f}" for s, r in sorted(gbest_of.items())))
    for s, v in med.items():
        print(f"fashion: {s}: median trials to match the same seed's grid best: "
              f"{statistics.median(v)} over {len(v)} seeds ({sorted(v)}); "
              f"to match the best of all grid runs ({float(gbest['loss']):.5f}): "
              f"{statistics.median(strict[s])} ({sorted(strict[s])})")

    best = {"grid": gbest}
    for s in sorted({k[0] for k in runs}):
        if s == "bo":
            best[s] = recommended(a.bo, os.path.dirname(a.search), search)
        else:
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
            t = exported(a.bo, db) if os.path.exists(db) else None
            if t and not same_config(t["params"], cfg):
                # a retrain of an earlier pick: the method's pick changed
                for suffix in ("", "-wal", "-shm"):
                    if os.path.exists(db + suffix):
                        os.remove(db + suffix)
                t = None
            if t is None:
                subprocess.run([a.bo, "run", sp, "--db", db, "--seed", str(1000 + k)],
                               check=True, stdout=subprocess.DEVNULL)
                t = exported(a.bo, db)
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
