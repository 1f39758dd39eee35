#!/usr/bin/python3
"""compare_optuna.py -- Optuna's TPE on bo's synthetic functions, written in
`bo compare`'s trials.csv format, so a comparison can show bo beside a tool
people know.

    tests/bench/compare_optuna.py --seeds 20 --trials 100 --out DIR/optuna.csv \
        [--functions branin,hartmann6,...] [--check BO]

The functions are written here from their standard definitions (Surjanovic &
Bingham's Virtual Library of Simulation Experiments, the same source as
objectives/synthetic), over the same domains and at the same default
dimensions; --check BO evaluates a few points through bo's own `synthetic`
plugin (`bo run` with enqueued points) and stops unless both agree to 1e-12.

Rows: objective,strategy,seed,trial,state,loss,best,regret,cost_s,wall_s,params
with strategy "optuna-tpe", objective named like the specs in
notebooks-data/specs/synthetic (the function's name). Optuna's sampler is
TPESampler(seed=SEED) with its defaults (10 random startup trials).
Needs Debian's python3-optuna; run with /usr/bin/python3.
"""
import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
import time

PI = math.pi


def branin(x):
    b, c, t = 5.1 / (4 * PI * PI), 5 / PI, 1 / (8 * PI)
    return (x[1] - b * x[0] ** 2 + c * x[0] - 6) ** 2 + 10 * (1 - t) * math.cos(x[0]) + 10


def goldstein_price(x):
    x0, x1 = x
    a = 1 + (x0 + x1 + 1) ** 2 * (19 - 14 * x0 + 3 * x0 ** 2 - 14 * x1 + 6 * x0 * x1 + 3 * x1 ** 2)
    b = 30 + (2 * x0 - 3 * x1) ** 2 * (18 - 32 * x0 + 12 * x0 ** 2 + 48 * x1 - 36 * x0 * x1 + 27 * x1 ** 2)
    return a * b


def six_hump_camel(x):
    a, b = x[0] ** 2, x[1] ** 2
    return (4 - 2.1 * a + a * a / 3) * a + x[0] * x[1] + (-4 + 4 * b) * b


ALPHA = [1.0, 1.2, 3.0, 3.2]
H3_A = [[3.0, 10, 30], [0.1, 10, 35], [3.0, 10, 30], [0.1, 10, 35]]
# p41 = 0.03815 (Dixon & Szego), the value the published minimum belongs to.
H3_P = [[0.3689, 0.1170, 0.2673], [0.4699, 0.4387, 0.7470],
        [0.1091, 0.8732, 0.5547], [0.03815, 0.5743, 0.8828]]
H6_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
        [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
H6_P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
        [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
        [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
        [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]


def hartmann(a, p):
    def f(x):
        return -sum(ALPHA[i] * math.exp(-sum(a[i][j] * (x[j] - p[i][j]) ** 2
                                             for j in range(len(x))))
                    for i in range(4))
    return f


def ackley(x):
    d = len(x)
    r = math.sqrt(sum(v * v for v in x) / d)
    m = sum(math.cos(2 * PI * v) for v in x) / d
    return -20 * math.exp(-0.2 * r) - math.exp(m) + 20 + math.e


def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


def rastrigin(x):
    return sum(v * v + 10 * (1 - math.cos(2 * PI * v)) for v in x)


# name: (f, domain per coordinate, optimum)
FUNCTIONS = {
    "branin": (branin, [(-5, 10), (0, 15)], 5 / (4 * PI)),
    "goldstein-price": (goldstein_price, [(-2, 2)] * 2, 3.0),
    "six-hump-camel": (six_hump_camel, [(-3, 3), (-2, 2)], -1.031628453489877),
    "hartmann3": (hartmann(H3_A, H3_P), [(0, 1)] * 3, -3.86278214782076),
    "hartmann6": (hartmann(H6_A, H6_P), [(0, 1)] * 6, -3.32236801141551),
    "ackley": (ackley, [(-32.768, 32.768)] * 5, 0.0),
    "rosenbrock": (rosenbrock, [(-5, 10)] * 4, 0.0),
    "rastrigin": (rastrigin, [(-5.12, 5.12)] * 4, 0.0),
}


def check_against_bo(bo, names):
    """Evaluates corner, centre and an off-centre point of every function
    through bo's synthetic plugin and compares with the Python values."""
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            f, dom, _ = FUNCTIONS[name]
            pts = [[lo for lo, _ in dom], [(lo + hi) / 2 for lo, hi in dom],
                   [lo + (hi - lo) * (0.17 + 0.61 * ((7 * i) % 5) / 4) for i, (lo, hi) in enumerate(dom)]]
            spec = {"name": "check", "objective": {"plugin": "synthetic", "config": {"function": name}},
                    "enqueue": [{f"x{i}": v for i, v in enumerate(p)} for p in pts],
                    "strategy": "random", "trials": len(pts)}
            sp = os.path.join(tmp, name + ".json")
            db = os.path.join(tmp, name + ".db")
            with open(sp, "w") as fh:
                json.dump(spec, fh)
            subprocess.run([bo, "run", sp, "--db", db], check=True, stdout=subprocess.DEVNULL)
            out = subprocess.run([bo, "export", db, "--format", "json"], check=True,
                                 capture_output=True, text=True).stdout
            for t in json.loads(out)["trials"]:
                x = [t["params"][f"x{i}"] for i in range(len(dom))]
                want, got = t["loss"], f(x)
                err = abs(got - want) / max(1.0, abs(want))
                worst = max(worst, err)
                if err > 1e-12:
                    sys.exit(f"compare_optuna: {name}{x}: Python {got!r}, bo {want!r}")
    print(f"compare_optuna: {len(names)} functions agree with bo's plugin "
          f"(largest relative difference {worst:.2g})", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--seed-base", type=int, default=0)
    ap.add_argument("--trials", type=int, default=100)
    ap.add_argument("--functions", default=",".join(FUNCTIONS))
    ap.add_argument("--out", required=True)
    ap.add_argument("--check", metavar="BO", help="the bo binary to check the functions against")
    a = ap.parse_args()
    names = a.functions.split(",")
    for n in names:
        if n not in FUNCTIONS:
            sys.exit(f"compare_optuna: unknown function {n!r} (known: {', '.join(FUNCTIONS)})")
    if a.check:
        check_against_bo(a.check, names)
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    tmp = a.out + ".tmp"
    with open(tmp, "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow("objective strategy seed trial state loss best regret cost_s wall_s params".split())
        for name in names:
            f, dom, opt = FUNCTIONS[name]
            for seed in range(a.seed_base, a.seed_base + a.seeds):
                sampler = optuna.samplers.TPESampler(seed=seed)
                study = optuna.create_study(sampler=sampler, direction="minimize")
                best = math.inf
                for t in range(a.trials):
                    t0 = time.perf_counter()
                    trial = study.ask()
                    x = [trial.suggest_float(f"x{i}", lo, hi) for i, (lo, hi) in enumerate(dom)]
                    loss = f(x)
                    study.tell(trial, loss)
                    wall = time.perf_counter() - t0
                    best = min(best, loss)
                    params = json.dumps({f"x{i}": v for i, v in enumerate(x)}, separators=(",", ":"))
                    w.writerow([name, "optuna-tpe", seed, t, "complete", repr(loss), repr(best),
                                repr(best - opt), "", repr(wall), params])
            print(f"compare_optuna: {name} done", file=sys.stderr)
    os.replace(tmp, a.out)


if __name__ == "__main__":
    main()
