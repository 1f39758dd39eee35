#!/bin/sh
# A program objective whose evaluations take a random time, different on
# every run (0 to JITTER_MAX_S seconds, from /dev/urandom), so that with
# several workers they finish in a different order each time. Answers a
# quadratic in x and y, and reports the GPU it was given as metric "gpu"
# (-1 when CUDA_VISIBLE_DEVICES is unset).
read -r line
r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
sleep "$(awk -v r="$r" -v m="${JITTER_MAX_S:-0.2}" 'BEGIN { printf "%.3f", r / 65535 * m }')"
echo "$line" | awk -v gpu="${CUDA_VISIBLE_DEVICES:--1}" -F'[:,}]' '{
    for (i = 1; i <= NF; i++) { if ($i ~ /"x"/) x = $(i+1); if ($i ~ /"y"/) y = $(i+1) }
    printf "{\"loss\": %.17g, \"metrics\": {\"gpu\": %s}}\n", (x-0.3)^2 + (y+0.2)^2 + 0.1*x*y, gpu
}'
