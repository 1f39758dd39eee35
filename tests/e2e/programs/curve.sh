#!/bin/sh
# A program objective with a learning curve: reads {"x": ..} on stdin and
# reports loss x + 1/k at steps k = 1..5, pausing after each so that a stop
# (SIGTERM) lands before the next report; answers x + 1/5.
read -r line
x=$(echo "$line" | sed 's/.*"x": *\([-0-9.eE+]*\).*/\1/')
k=1
while [ $k -le 5 ]; do
    awk -v x="$x" -v k=$k 'BEGIN { printf "{\"step\": %d, \"loss\": %.6f}\n", k, x + 1 / k }'
    sleep "${CURVE_SLEEP:-0.15}"
    k=$((k + 1))
done
awk -v x="$x" 'BEGIN { printf "{\"loss\": %.6f}\n", x + 0.2 }'
