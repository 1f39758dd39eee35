# Install, then use the install as a newcomer would (plugins/template/
# README.md): bo installed into a temporary prefix runs the stock objectives
# by name; pkg-config and find_package(bo) find it; the template, copied out
# of the tree, builds against it (CMake and pkg-config) and runs a study.
. "$(dirname "$0")/lib.sh"
: "${BO_BUILD_DIR:?}"
unset BO_OBJECTIVES_DIR
P=$WORK/prefix
sanitized=0
grep -q '^BO_SANITIZE:BOOL=ON' "$BO_BUILD_DIR/CMakeCache.txt" 2>/dev/null && sanitized=1

run cmake --install "$BO_BUILD_DIR" --prefix "$P"
check_eq "cmake --install exits 0 ($ERR)" "$RC" 0
for f in bin/bo lib/libbo.so include/bo/bo.h include/bo/objective.h \
         lib/bo/objectives/synthetic.so lib/bo/objectives/nn_trainer.so \
         lib/bo/objectives/program.so lib/pkgconfig/bo.pc \
         lib/cmake/bo/boConfig.cmake lib/cmake/bo/boConfigVersion.cmake; do
    check "installed: $f" [ -e "$P/$f" ]
done
check "libbo.so is a link to the versioned library" [ -L "$P/lib/libbo.so" ]
check "nothing but the public headers is installed" \
    [ "$(ls "$P/include/bo" | tr '\n' ' ')" = "bo.h objective.h " ]
BOI=$P/bin/bo

# The installed bo finds the installed objectives, from anywhere, also
# through a symlink on the PATH (the folder is found from the real file).
mkdir elsewhere && cd elsewhere
cat >syn.json <<'JSON'
{"objective": {"plugin": "synthetic"}, "strategy": "sobol", "trials": 3}
JSON
run "$BOI" run syn.json
check_eq "installed bo runs 'synthetic' by name ($ERR)" "$RC" 0
check_eq "three trials complete" "$("$BOI" export syn.db | grep -c ',complete,')" 3
mkdir -p "$WORK/binlink" && ln -s "$BOI" "$WORK/binlink/bo"
run "$WORK/binlink/bo" plugin check synthetic
check_eq "bo through a symlink: plugin check exits 0 ($ERR)" "$RC" 0
check_contains "it finds the installed objective" "$OUT" "plugin: $P/lib/bo/objectives/synthetic.so"
cd "$WORK"

# pkg-config: flags for library users, the objectives folder for others.
export PKG_CONFIG_PATH=$P/lib/pkgconfig
run pkg-config --cflags --libs bo
check_eq "pkg-config bo exits 0 ($ERR)" "$RC" 0
check_contains "pkg-config: -lbo" "$OUT" "-lbo"
check_contains "pkg-config: -I" "$OUT" "-I"
dir=$(pkg-config --variable=objectivesdir bo)
check "pkg-config objectivesdir holds synthetic.so" [ -f "$dir/synthetic.so" ]
# A library user drives the space API through the installed libbo. The
# centre of [0, 4] is 2 (bo.h's mapping: low + u (high - low)).
cat >user.c <<'C'
#include <bo/bo.h>
#include <stdio.h>
int main(void)
{
    bo_param_spec p = {.name = "x", .type = BO_PARAM_FLOAT, .low = 0, .high = 4};
    bo_space *s; bo_error err; bo_value v; double u = 0.5;
    if (bo_space_create(&p, 1, &s, &err) || bo_space_decode(s, &u, &v, &err))
        return 1;
    printf("%s=%g\n", v.name, v.d);
    bo_space_free(s);
    return 0;
}
C
if [ $sanitized = 0 ]; then
    # shellcheck disable=SC2046
    run cc -o user user.c $(pkg-config --cflags --libs bo) -Wl,-rpath,"$P/lib"
    check_eq "a program builds against libbo with pkg-config ($ERR)" "$RC" 0
    run ./user
    check_eq "and runs with the installed libbo" "$OUT" "x=2"
    # The same through find_package(bo): bo::bo.
    mkdir cmuser && cp user.c cmuser/
    cat >cmuser/CMakeLists.txt <<'CM'
cmake_minimum_required(VERSION 3.18)
project(user LANGUAGES C)
find_package(bo REQUIRED)
add_executable(user user.c)
target_link_libraries(user PRIVATE bo::bo)
CM
    run cmake -S cmuser -B cmuser/build -DCMAKE_PREFIX_PATH="$P"
    check_eq "find_package(bo) configures ($ERR)" "$RC" 0
    run cmake --build cmuser/build
    check_eq "bo::bo links ($OUT)" "$RC" 0
    run cmuser/build/user
    check_eq "and the program runs" "$OUT" "x=2"
fi

# The template, copied out of bo's tree, built with CMake against the prefix.
cp -r "$BO_SOURCE_DIR/plugins/template" mine
rm -rf mine/build
run cmake -S mine -B mine/build -DCMAKE_PREFIX_PATH="$P"
check_eq "the template configures against the install ($ERR)" "$RC" 0
run cmake --build mine/build
check_eq "the template builds ($OUT)" "$RC" 0
check "it built my_objective.so" [ -f mine/build/my_objective.so ]
check "it does not link libbo" sh -c "! readelf -d mine/build/my_objective.so | grep -q 'libbo'"
run "$BOI" plugin check ./mine/build/my_objective.so
check_eq "plugin check accepts the template ($ERR)" "$RC" 0
check_contains "plugin check names it" "$OUT" "name:   my_objective"
# Centre: lr = 0.01 (log scale), layers 4 (bin 3 of 1..6), act relu (tie:
# the first choice). Loss 0.1 + 0.05 (4-2)^2 + 0.5/5 = 0.4 (my_objective.c).
check_contains "plugin check evaluates the centre" "$OUT" "centre: lr=0.01 layers=4 act=relu"
check_contains "plugin check reports the loss" "$OUT" "loss:   0.4"
check_contains "plugin check shows what the plugin logged" "$OUT" "  | training: lr=0.01 layers=4 act=relu"

# Its study, run from another folder: the spec's relative plugin path
# resolves from the spec's folder.
mkdir runhere && cd runhere
run "$BOI" run ../mine/spec.json
check_eq "the template's study runs ($ERR)" "$RC" 0
csv=$("$BOI" export my-first-study.db)
check_eq "20 trials, all complete" "$(echo "$csv" | grep -c ',complete,')" 20
# Trial 0 is the enqueued lr 0.001, 3 layers, tanh: 0.1 + 0.5 + 0.05 + 0.1
# + 0.5/5 = 0.85, give or take the noise (0.01, centred: +-0.005).
l0=$(echo "$csv" | awk -F, '$1 == 0 {print $3}')
check "enqueued trial's loss is 0.85 +- 0.005 (got $l0)" awk -v l="$l0" 'BEGIN { exit !(l > 0.845 && l < 0.855) }'
best=$(echo "$csv" | awk -F, 'NR > 1 && (b == "" || $3 < b) {b = $3} END {print b}')
check "the study gets within 0.2 of the optimum 0.2 (best $best)" awk -v l="$best" 'BEGIN { exit !(l < 0.4) }'
reports=$("$BOI" export my-first-study.db --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["trials"][0]["reports"]))')
check_eq "every epoch was reported" "$reports" 5
check "the plugin's log line reached the trial log" grep -q "training: lr=0.001 layers=3 act=tanh" my-first-study.logs/trial-00000.log
cd "$WORK"

# Installed beside the stock objectives, it is found by name.
run cmake --install mine/build
check_eq "the template installs into the objectives folder ($ERR)" "$RC" 0
cat >byname.json <<'JSON'
{"objective": {"plugin": "my_objective", "config": {"epochs": 2}},
 "strategy": "random", "trials": 2}
JSON
run "$BOI" run byname.json
check_eq "a spec names the installed template ($ERR)" "$RC" 0
# A config key tuned as well: the tuned value wins (2 epochs, not 5).
cat >tuned.json <<'JSON'
{"objective": {"plugin": "my_objective", "config": {"epochs": 5}},
 "space": [{"name": "lr", "type": "float", "low": 0.001, "high": 0.1, "log": true},
           {"name": "layers", "type": "int", "low": 1, "high": 4},
           {"name": "act", "type": "categorical", "choices": ["relu", "tanh"]},
           {"name": "epochs", "type": "int", "low": 2, "high": 2}],
 "strategy": "random", "trials": 2}
JSON
run "$BOI" run tuned.json
check_eq "a tuned epochs over the config's ($ERR)" "$("$BOI" export tuned.db --format json | python3 -c 'import json,sys; print(sorted({len(t["reports"]) for t in json.load(sys.stdin)["trials"]}))')" "[2]"

# The pkg-config build line from the README works as well.
run sh -c "cc -O2 -shared -fPIC -fvisibility=hidden -o pc.so mine/my_objective.c \$(pkg-config --cflags bo libcjson) \$(pkg-config --libs libcjson) -lm"
check_eq "the template builds with pkg-config alone ($ERR)" "$RC" 0
run "$BOI" plugin check ./pc.so --config '{"epochs": 1}'
check_eq "and that build works ($ERR)" "$RC" 0
finish
