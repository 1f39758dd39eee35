#!/bin/sh
# A program objective with a learning curve: reads {"x": ..} on stdin and
# reports loss x + 1/k at steps k = 1..5, pausing after each so that a stop
# (SIGTERM) lands before the next report; answers x + 1/5. With
# CURVE_BURST set, steps 2, 3 and 4 go out in one write, so 3 and 4 are
# read before a stop decided at step 2 can land.
read -r line
x=$(echo "$line" | sed 's/.*"x": *\([-0-9.eE+]*\).*/\1/')
k=1
while [ $k -le 5 ]; do
    last=$k
    if [ -n "${CURVE_BURST:-}" ] && [ $k -eq 2 ]; then
        last=4
    fi
    awk -v x="$x" -v a=$k -v b=$last 'BEGIN {
        s = ""
        for (k = a; k <= b; k++) s = s sprintf("{\"step\": %d, \"loss\": %.6f}\n", k, x + 1 / k)
        printf "%s", s }'
    sleep "${CURVE_SLEEP:-0.15}"
    k=$((last + 1))
done
awk -v x="$x" 'BEGIN { printf "{\"loss\": %.6f}\n", x + 0.2 }'
