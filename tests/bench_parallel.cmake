# The parallel benchmarks (issue 10), built with `--target bench` like the
# others and never run by ctest: bench_parallel_regret (in-process, on a
# simulated clock) and bench_parallel.sh (the real `bo` with workers).
add_executable(bench_parallel_regret EXCLUDE_FROM_ALL
  ${CMAKE_CURRENT_LIST_DIR}/bench/bench_parallel_regret.c
  ${PROJECT_SOURCE_DIR}/objectives/synthetic/functions.c)
target_include_directories(bench_parallel_regret PRIVATE ${CMAKE_CURRENT_LIST_DIR}
                           ${PROJECT_SOURCE_DIR}/objectives/synthetic)
target_link_libraries(bench_parallel_regret PRIVATE bo_static)
set_target_properties(bench_parallel_regret PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/bench)
if(TARGET bench)
  add_dependencies(bench bench_parallel_regret)
endif()
