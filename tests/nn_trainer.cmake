# The nn_trainer tests link its core library (objectives/nn_trainer); the
# plugin test also compiles the ABI glue, so it can call bo_objective_entry()
# without dlopen. bench_trainer (not built by default, never run by ctest)
# is driven by tests/bench/bench_trainer.sh.
file(GLOB BO_NN_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_nn_*.c)
foreach(src ${BO_NN_TESTS})
  get_filename_component(name ${src} NAME_WE)
  target_link_libraries(${name} PRIVATE bo_nn_core)
endforeach()
if(TARGET test_nn_plugin)
  target_sources(test_nn_plugin PRIVATE ${PROJECT_SOURCE_DIR}/objectives/nn_trainer/plugin.c)
endif()

if(TARGET bo_nn_core AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/bench/bench_trainer.c)
  add_executable(bench_trainer EXCLUDE_FROM_ALL ${CMAKE_CURRENT_SOURCE_DIR}/bench/bench_trainer.c)
  target_link_libraries(bench_trainer PRIVATE bo_nn_core)
  set_target_properties(bench_trainer PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
endif()
