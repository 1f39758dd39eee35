# Test objective plugins (tests/plugins/*.c), each a MODULE NAME.so in
# BUILD/tests/plugins, for test_loader, test_runner and test_program, which
# also need the real `bo` (they spawn `bo worker`) and the stock plugins.
file(GLOB BO_TEST_PLUGIN_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/plugins/*.c)
set(BO_TEST_PLUGIN_TARGETS "")
foreach(src ${BO_TEST_PLUGIN_SOURCES})
  get_filename_component(name ${src} NAME_WE)
  add_library(test_plugin_${name} MODULE ${src})
  set_target_properties(test_plugin_${name} PROPERTIES PREFIX "" OUTPUT_NAME ${name}
    C_VISIBILITY_PRESET hidden
    LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/plugins)
  target_include_directories(test_plugin_${name} PRIVATE ${PROJECT_SOURCE_DIR}/include)
  target_link_libraries(test_plugin_${name} PRIVATE PkgConfig::CJSON ${MATH_LIB} pthread)
  if(BO_SANITIZE)
    # The hostile plugin's null write must crash as it would for a user, not
    # stop at UBSan's report first.
    target_compile_options(test_plugin_${name} PRIVATE -fno-sanitize=undefined)
  endif()
  list(APPEND BO_TEST_PLUGIN_TARGETS test_plugin_${name})
endforeach()

foreach(t test_loader test_runner test_program)
  if(TARGET ${t})
    add_dependencies(${t} ${BO_TEST_PLUGIN_TARGETS})
    foreach(dep bo_cli program synthetic)
      if(TARGET ${dep})
        add_dependencies(${t} ${dep})
      endif()
    endforeach()
  endif()
endforeach()
