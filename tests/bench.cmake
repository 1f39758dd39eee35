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
