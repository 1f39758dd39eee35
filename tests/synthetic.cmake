# test_synthetic checks the pure functions directly (functions.c compiled
# in) and the plugin through dlopen, so the plugin must be built first and
# the test must know where the build tree keeps objectives.
target_sources(test_synthetic PRIVATE ${PROJECT_SOURCE_DIR}/objectives/synthetic/functions.c)
target_compile_definitions(test_synthetic PRIVATE
  BO_OBJECTIVES_SUBDIR="${BO_OBJECTIVES_SUBDIR}")
target_link_libraries(test_synthetic PRIVATE ${CMAKE_DL_LIBS} ${MATH_LIB})
add_dependencies(test_synthetic synthetic)
