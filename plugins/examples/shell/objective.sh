#!/bin/sh
# A bo objective in plain sh and awk: Himmelblau's function, whose four
# minima are all 0 (at x = 3, y = 2 and three others).
#
# bo runs this once per trial (see ../README.md): the assignment arrives as
# one JSON line on stdin ({"x":1.5,"y":-0.25}); the last line printed is the
# result, here a JSON object with the loss and a metric. BO_TRIAL and
# BO_SEED are in the environment. Any other output goes to the trial's log;
# a non-zero exit fails the trial, with the end of stderr as its message.
set -eu
read -r line
# bo writes the assignment compactly, numbers always with a '.' or an
# exponent, so a sed per parameter is enough here. Real JSON wants jq or
# python3.
value() { printf '%s\n' "$line" | sed -n "s/.*\"$1\":\([-+0-9.eE]*\).*/\1/p"; }
x=$(value x)
y=$(value y)
if [ -z "$x" ] || [ -z "$y" ]; then
    echo "objective.sh: expected x and y in: $line" >&2
    exit 1
fi
echo "trial ${BO_TRIAL:-?}: x=$x y=$y"   # chatter: goes to the trial log
awk -v x="$x" -v y="$y" 'BEGIN {
    a = x * x + y - 11; b = x + y * y - 7
    # The four minima, for a metric: how far this point is from the nearest.
    split("3 -2.805118 -3.779310 3.584428", mx, " ")
    split("2 3.131312 -3.283186 -1.848126", my, " ")
    d = 1e300
    for (i = 1; i <= 4; i++) {
        di = sqrt((x - mx[i]) ^ 2 + (y - my[i]) ^ 2)
        if (di < d) d = di
    }
    printf "{\"loss\": %.17g, \"metrics\": {\"distance_to_minimum\": %.17g}}\n",
           a * a + b * b, d
}'
