# Benchmarks (tests/bench/): built on demand by `cmake --build . --target
# bench`, never by default and never run by ctest. They compile the
# synthetic functions in directly to know each optimum.
add_custom_target(bench)
foreach(name bench_regret bench_overhead)
  add_executable(${name} EXCLUDE_FROM_ALL ${CMAKE_CURRENT_LIST_DIR}/bench/${name}.c
                 ${PROJECT_SOURCE_DIR}/objectives/synthetic/functions.c)
  target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_LIST_DIR}
                             ${PROJECT_SOURCE_DIR}/objectives/synthetic)
  target_link_libraries(${name} PRIVATE bo_static)
  set_target_properties(${name} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/bench)
  add_dependencies(bench ${name})
endforeach()

# The Fashion-MNIST comparison on a stand-in fitted to committed trainer
# runs (issue 9): judges a strategy change over many seeds in a minute.
add_executable(bench_fashion_proxy EXCLUDE_FROM_ALL
  ${CMAKE_CURRENT_LIST_DIR}/bench/bench_fashion_proxy.c)
target_include_directories(bench_fashion_proxy PRIVATE ${PROJECT_SOURCE_DIR}/bo)
target_link_libraries(bench_fashion_proxy PRIVATE bo_static PkgConfig::CJSON)
set_target_properties(bench_fashion_proxy PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/bench)
add_dependencies(bench bench_fashion_proxy)
