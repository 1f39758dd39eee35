#!/usr/bin/env bash
# Executes notebooks-data/comparison.ipynb headless on the committed data
# and checks that it drew its figures (into a scratch folder: the committed
# PNGs are left alone). Skips (exit 77, shown by ctest as "Skipped") with a
# line saying what is missing when Jupyter or its Python packages are not
# installed: Debian jupyter-nbconvert python3-nbconvert python3-ipykernel
# python3-matplotlib python3-pandas.
set -u
src=${BO_SOURCE_DIR:?}
data=$src/notebooks-data
py=/usr/bin/python3
if [ ! -x /usr/bin/jupyter-nbconvert ]; then
    echo "SKIP: jupyter-nbconvert missing (apt-get install jupyter-nbconvert python3-nbconvert python3-ipykernel python3-matplotlib python3-pandas)"
    exit 77
fi
for m in matplotlib pandas ipykernel nbconvert; do
    if ! "$py" -c "import $m" 2>/dev/null; then
        echo "SKIP: Python module $m missing for $py (Debian python3-$m)"
        exit 77
    fi
done
if [ ! -f "$data/synthetic/trials.csv" ]; then
    echo "FAIL: $data/synthetic/trials.csv is missing (see notebooks-data/README.md)"
    exit 1
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/bo-notebook.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$data" || exit 1
if ! FIGURES_DIR=$work/figures DATA_DIR=$data MPLBACKEND=Agg \
     /usr/bin/jupyter-nbconvert --to notebook --execute comparison.ipynb \
     --output-dir "$work" --output executed.ipynb \
     --ExecutePreprocessor.timeout=300 >"$work/log" 2>&1; then
    tail -20 "$work/log"
    echo "FAIL: the notebook did not run"
    exit 1
fi
failed=0
for f in synthetic_convergence.png synthetic_trials_to_target.png; do
    # A PNG: the 8-byte signature, and more than a blank canvas's bytes.
    if [ "$(head -c 8 "$work/figures/$f" 2>/dev/null | od -An -tx1 | tr -d ' \n')" != 89504e470d0a1a0a ] ||
       [ "$(stat -c %s "$work/figures/$f")" -lt 10000 ]; then
        echo "FAIL: figure $f was not made"
        failed=1
    fi
done
if [ -f "$data/fashion/search/trials.csv" ] && [ ! -s "$work/figures/fashion_convergence.png" ]; then
    echo "FAIL: figure fashion_convergence.png was not made"
    failed=1
fi
[ $failed -eq 0 ] && echo "notebook ran; figures: $(ls "$work/figures" | tr '\n' ' ')"
exit $failed
