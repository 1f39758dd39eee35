#!/usr/bin/python3
"""Writes comparison.ipynb (run from notebooks-data/: python3 tools/make_notebook.py).
The notebook is generated so its source stays reviewable as plain Python here."""
import nbformat as nbf

cells = []
md = lambda s: cells.append(nbf.v4.new_markdown_cell(s))
code = lambda s: cells.append(nbf.v4.new_code_cell(s))

md("""# bo comparisons

Reads the committed results in this folder (see README.md for the command that
regenerates each file) and draws the figures into `figures/` (or `$FIGURES_DIR`).

* `synthetic/`: `bo compare` on the synthetic suite, bo vs random, sobol, grid;
  `synthetic-optuna.csv`: Optuna's TPE on the same functions (tests/bench/compare_optuna.py).
* `fashion/`: the Fashion-MNIST trainer comparison (tests/bench/fashion_compare.sh), when present.""")
code("""import json, math, os
import numpy as np
import pandas as pd
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

DATA = os.environ.get("DATA_DIR", ".")
FIG = os.environ.get("FIGURES_DIR", "figures")
os.makedirs(FIG, exist_ok=True)
made = []

def save(fig, name):
    path = os.path.join(FIG, name)
    fig.savefig(path, dpi=110, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    made.append(path)
    print("wrote", path)""")
code("""trials = pd.read_csv(os.path.join(DATA, "synthetic", "trials.csv"))
opt_path = os.path.join(DATA, "synthetic-optuna.csv")
if os.path.exists(opt_path):
    trials = pd.concat([trials, pd.read_csv(opt_path)], ignore_index=True)
objectives = list(dict.fromkeys(trials.objective))
strategies = list(dict.fromkeys(trials.strategy))
colors = dict(zip(strategies, plt.rcParams["axes.prop_cycle"].by_key()["color"]))
print(len(trials), "trials;", objectives, strategies)""")
md("## Convergence: log10 regret of the best so far, median and quartiles over seeds")
code("""n = len(objectives)
cols = 4
fig, axes = plt.subplots(math.ceil(n / cols), cols, figsize=(4 * cols, 3.2 * math.ceil(n / cols)), squeeze=False)
for ax, obj in zip(axes.flat, objectives):
    d = trials[trials.objective == obj]
    for s in strategies:
        ds = d[d.strategy == s]
        if ds.empty:
            continue
        r = np.log10(ds.regret.clip(lower=1e-12))
        g = r.groupby(ds.trial + 1)
        q = g.quantile([0.25, 0.5, 0.75]).unstack()
        ax.plot(q.index, q[0.5], label=s, color=colors[s])
        ax.fill_between(q.index, q[0.25], q[0.75], alpha=0.2, color=colors[s])
    ax.set_title(obj)
    ax.set_xlabel("trial")
    ax.set_ylabel("log10 regret")
for ax in list(axes.flat)[n:]:
    ax.axis("off")
axes.flat[0].legend(fontsize=8)
fig.tight_layout()
save(fig, "synthetic_convergence.png")""")
md("""## Trials to target

Target per function: the median over seeds of random search's best after all
its trials (`target_ref` in summary.csv). Bars: median trials to reach it,
whiskers the quartiles; a run that never reached it counts as infinite
(drawn at the budget, hatched when the median itself was not reached).""")
code("""budget = trials.trial.max() + 1
final = trials[trials.trial == trials.groupby(["objective", "strategy", "seed"]).trial.transform("max")]
target = final[final.strategy == "random"].groupby("objective").best.median()

def q7(v, p):
    # Type-7 quantile of sorted v; +inf only when it carries weight (as bo compare).
    h = (len(v) - 1) * p
    lo = int(math.floor(h))
    if lo >= len(v) - 1 or h == lo:
        return v[min(lo, len(v) - 1)]
    return np.inf if np.isinf(v[lo + 1]) else v[lo] + (h - lo) * (v[lo + 1] - v[lo])

def to_target(ds, t):
    hit = ds[ds.best <= t].groupby("seed").trial.min() + 1
    seeds = ds.seed.unique()
    return np.array([hit.get(s, np.inf) for s in seeds], dtype=float)

fig, ax = plt.subplots(figsize=(max(8, 1.3 * len(objectives) * len(strategies) / 3), 4))
w = 0.8 / len(strategies)
rows = []
for i, obj in enumerate(objectives):
    d = trials[trials.objective == obj]
    for j, s in enumerate(strategies):
        ds = d[d.strategy == s]
        if ds.empty or obj not in target:
            continue
        v = np.sort(to_target(ds, target[obj]))
        q1, med, q3 = (q7(v, p) for p in (0.25, 0.5, 0.75))
        rows.append((obj, s, med))
        x = i + (j - (len(strategies) - 1) / 2) * w
        h = min(med, budget)
        ax.bar(x, h, w, color=colors[s], label=s if i == 0 else None, hatch=None if np.isfinite(med) else "//")
        ax.errorbar(x, h, yerr=[[h - min(q1, budget)], [min(q3, budget) - h]], color="k", lw=0.8, capsize=2)
ax.set_xticks(range(len(objectives)))
ax.set_xticklabels(objectives, rotation=20)
ax.set_ylabel("trials to reach random's median final best")
ax.legend(fontsize=8, ncol=len(strategies), loc="lower center", bbox_to_anchor=(0.5, 1.0))
save(fig, "synthetic_trials_to_target.png")
pd.DataFrame(rows, columns=["objective", "strategy", "median_trials"]).pivot(index="objective", columns="strategy", values="median_trials")""")
md("## Rank tests: bo against random (one-sided Mann-Whitney U, Holm across functions)")
code("""tests = pd.read_csv(os.path.join(DATA, "synthetic", "tests.csv"))
tests[(tests.strategy == "bo")][["objective", "trials", "median_best", "median_best_baseline", "p_value", "p_holm", "significant"]]""")
md("## Fashion-MNIST trainer: grid vs bo vs random (validation loss)")
code("""fdir = os.path.join(DATA, "fashion")
if os.path.exists(os.path.join(fdir, "search", "trials.csv")):
    g = pd.read_csv(os.path.join(fdir, "grid", "trials.csv"))
    s = pd.read_csv(os.path.join(fdir, "search", "trials.csv"))
    # per seed, the grid run's best (the target a run of that seed must match)
    gbest = g.groupby("seed").loss.min().median()
    fig, ax = plt.subplots(figsize=(6, 4))
    both = pd.concat([s, g.assign(strategy="grid")])
    for strat in both.strategy.unique():
        d = both[both.strategy == strat]
        q = d.groupby(d.trial + 1).best.quantile([0.25, 0.5, 0.75]).unstack()
        label = "grid (81 points)" if strat == "grid" else strat
        ax.plot(q.index, q[0.5], label=label, color=colors.get(strat, "gray"))
        ax.fill_between(q.index, q[0.25], q[0.75], alpha=0.2, color=colors.get(strat, "gray"))
    ax.axhline(gbest, color="gray", ls="--", lw=0.8, label="grid's best (median over seeds)")
    ax.set_xlabel("trial")
    ax.set_ylabel("best validation loss")
    ax.legend()
    save(fig, "fashion_convergence.png")
    for f in ("match.csv", "retrain.csv"):
        p = os.path.join(fdir, f)
        if os.path.exists(p):
            display(pd.read_csv(p))
else:
    print("no fashion/ results here")""")
code("""print("figures:", made)
assert made, "no figure was made\"""")

nb = nbf.v4.new_notebook()
nb["cells"] = cells
nb["metadata"]["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nbf.write(nb, "comparison.ipynb")
