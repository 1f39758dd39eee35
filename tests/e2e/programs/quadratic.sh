#!/bin/sh
# A program objective: reads {"x": .., "y": ..} on stdin, reports two
# steps, answers (x-0.3)^2 + (y+0.2)^2. Sleeps a little so that studies
# take long enough to be interrupted in the middle.
read -r line
sleep "${QUAD_SLEEP:-0.02}"
echo "$line" | awk -F'[:,}]' '{
    for (i = 1; i <= NF; i++) { if ($i ~ /"x"/) x = $(i+1); if ($i ~ /"y"/) y = $(i+1) }
    printf "{\"step\": 1, \"loss\": %.17g}\n", 2 * ((x-0.3)^2 + (y+0.2)^2)
    printf "{\"step\": 2, \"loss\": %.17g}\n", 1.5 * ((x-0.3)^2 + (y+0.2)^2)
    printf "some chatter on stdout\n"
    printf "{\"loss\": %.17g, \"metrics\": {\"dist2\": %.17g}}\n", (x-0.3)^2 + (y+0.2)^2, (x-0.3)^2 + (y+0.2)^2
}'
